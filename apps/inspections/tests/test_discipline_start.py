"""Discipline starts from the record (issue 16, finding 9): the member's and the organization's
pages, an inspection conclusion that calls for it and the complaint that led to it; the chain
complaint → inspection → conclusion → discipline is linked both ways, and complaints are counted."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.core.roles import Role
from apps.discipline.models import Discipline
from apps.inspections import services
from apps.inspections.models import Complaint, Conclusion, DisciplineBasis, Inspection

TODAY = timezone.localdate()


@pytest.fixture
def ubkt(tree, make_user):
    return make_user("ubkt_bt", Role.INSPECTION, tree["ward"])


@pytest.fixture
def hung(tree, make_member):
    return make_member(tree["cell_a"], "Nguyễn Văn Hùng", card_number="12345678")


def _concluded(ubkt, tree, member, conclusion=Conclusion.DISCIPLINE):
    insp = services.inspection_create(
        user=ubkt,
        organization=tree["ward"],
        kind="signs",
        title="Kiểm tra khi có dấu hiệu vi phạm",
        subject_member=member,
        body="commission",
        period_start=TODAY - dt.timedelta(days=20),
    )
    services.inspection_start(user=ubkt, inspection=insp)
    return services.inspection_conclude(
        user=ubkt,
        inspection=insp,
        findings="Vi phạm quy định về những điều đảng viên không được làm",
        conclusion=conclusion,
        conclusion_text="Đề nghị xem xét, thi hành kỷ luật đồng chí Hùng",
        concluded_on=TODAY - dt.timedelta(days=2),
        remedies=[("Kiểm điểm trước chi bộ", TODAY + dt.timedelta(days=30))],
    )


@pytest.mark.django_db
def test_member_and_organization_pages_offer_discipline_to_those_who_may(
    tree, hung, ubkt, ward_staff, make_user, client_for
):
    for user in (ubkt, ward_staff):
        body = client_for(user).get(f"/dang-vien/{hung.pk}/").content.decode()
        assert f'href="/ky-luat/moi/?member={hung.pk}"' in body
        body = client_for(user).get(f"/to-chuc/{tree['cell_a'].pk}/").content.decode()
        assert f'href="/ky-luat/moi/?org={tree["cell_a"].pk}"' in body
    own = make_user("hung", member=hung)
    body = client_for(own).get(f"/dang-vien/{hung.pk}/").content.decode()
    assert "/ky-luat/moi/" not in body


@pytest.mark.django_db
def test_card_number_opens_the_form_and_a_bad_id_gets_a_message(tree, hung, make_member, ward_staff, client_for):
    client = client_for(ward_staff)
    r = client.get("/ky-luat/moi/", {"member": "12345678"})
    assert r.status_code == 200
    assert "Nguyễn Văn Hùng · Chi bộ khu phố 1" in r.content.decode()
    outside = make_member(tree["cell_c"], "Lê Văn Tám", card_number="87654321")
    for raw in ("abc", "87654321", str(outside.pk), "999999"):
        r = client.get("/ky-luat/moi/", {"member": raw})
        assert r.status_code == 400
        assert f"Không tìm thấy đảng viên “{raw}” trong phạm vi đồng chí được ghi kỷ luật." in r.content.decode()
    r = client.get("/ky-luat/moi/", {"org": "xyz"})
    assert r.status_code == 400
    assert "Không tìm thấy tổ chức đảng “xyz”" in r.content.decode()
    # The choose page searches; it has no box for a database id.
    body = client.get("/ky-luat/moi/").content.decode()
    assert "Mã đảng viên" not in body and 'hx-get="/chon/dang-vien/?reach=work"' in body
    assert Discipline.objects.count() == 0


@pytest.mark.django_db
def test_conclusion_calling_for_discipline_opens_the_form_prefilled_and_links_both_ways(tree, hung, ubkt, client_for):
    insp = _concluded(ubkt, tree, hung)
    client = client_for(ubkt)
    body = client.get(f"/kiem-tra/{insp.pk}/").content.decode()
    assert f'href="/kiem-tra/{insp.pk}/ky-luat/"' in body
    r = client.get(f"/kiem-tra/{insp.pk}/ky-luat/")
    body = r.content.decode()
    assert r.status_code == 200
    assert "Đề nghị xem xét, thi hành kỷ luật đồng chí Hùng</textarea>" in body
    assert 'value="Đảng bộ phường Bình Thắng"' in body
    assert "Kết luận kiểm tra “Kiểm tra khi có dấu hiệu vi phạm”" in body
    r = client.post(
        f"/kiem-tra/{insp.pk}/ky-luat/",
        {
            "form": "reprimand",
            "deciding_body": "Ủy ban Kiểm tra Đảng ủy phường",
            "decided_on": TODAY.strftime("%d/%m/%Y"),
            "reason": "Vi phạm quy định",
        },
    )
    assert r.status_code == 302
    d = Discipline.objects.get()
    assert (d.member, d.basis.inspection, d.basis.complaint) == (hung, insp, None)
    body = client.get(f"/ky-luat/{d.pk}/").content.decode()
    assert f'href="/kiem-tra/{insp.pk}/"' in body
    body = client.get(f"/kiem-tra/{insp.pk}/").content.decode()
    assert f'href="/ky-luat/{d.pk}/"' in body


@pytest.mark.django_db
def test_conclusion_without_discipline_refuses_to_start_one(tree, hung, ubkt, client_for):
    insp = _concluded(ubkt, tree, hung, conclusion=Conclusion.SHORTCOMINGS)
    client = client_for(ubkt)
    assert f"/kiem-tra/{insp.pk}/ky-luat/" not in client.get(f"/kiem-tra/{insp.pk}/").content.decode()
    r = client.post(
        f"/kiem-tra/{insp.pk}/ky-luat/",
        {"form": "reprimand", "deciding_body": "UBKT", "decided_on": TODAY.strftime("%d/%m/%Y"), "reason": "x"},
        follow=True,
    )
    assert "không đề nghị xem xét kỷ luật" in r.content.decode()
    assert Discipline.objects.count() == 0


@pytest.mark.django_db
def test_complaint_leads_to_inspection_then_discipline_and_is_counted(tree, hung, ubkt, client_for):
    client = client_for(ubkt)
    c = services.complaint_receive(
        user=ubkt,
        organization=tree["ward"],
        kind="denunciation",
        received_on=TODAY - dt.timedelta(days=40),
        content="Tố cáo đồng chí Hùng",
        about_member=hung,
    )
    body = client.get(f"/kiem-tra/don-thu/{c.pk}/").content.decode()
    assert f'href="/kiem-tra/moi/?complaint={c.pk}"' in body
    assert f'href="/kiem-tra/don-thu/{c.pk}/ky-luat/"' in body
    r = client.post(
        f"/kiem-tra/moi/?complaint={c.pk}",
        {
            "organization": tree["ward"].pk,
            "body": "commission",
            "kind": "signs",
            "title": "Giải quyết tố cáo",
            "subject_member": hung.pk,
            "period_start": (TODAY - dt.timedelta(days=30)).strftime("%d/%m/%Y"),
        },
    )
    assert r.status_code == 302
    insp = Inspection.objects.get()
    c.refresh_from_db()
    assert (c.inspection, c.status) == (insp, "handling")
    assert f'href="/kiem-tra/don-thu/{c.pk}/"' in client.get(f"/kiem-tra/{insp.pk}/").content.decode()
    r = client.post(
        f"/kiem-tra/don-thu/{c.pk}/ky-luat/",
        {
            "form": "warning",
            "deciding_body": "Ủy ban Kiểm tra Đảng ủy phường",
            "decided_on": TODAY.strftime("%d/%m/%Y"),
            "reason": "Tố cáo đúng",
        },
    )
    assert r.status_code == 302
    basis = DisciplineBasis.objects.get()
    assert (basis.complaint, basis.inspection, basis.discipline.member) == (c, insp, hung)
    body = client.get(f"/ky-luat/{basis.discipline_id}/").content.decode()
    assert f'href="/kiem-tra/don-thu/{c.pk}/"' in body and f'href="/kiem-tra/{insp.pk}/"' in body
    start = (TODAY - dt.timedelta(days=60)).strftime("%d/%m/%Y")
    body = client.get("/kiem-tra/so-lieu/", {"start": start, "end": TODAY.strftime("%d/%m/%Y")}).content.decode()
    table = body[body.index('id="complaints"') :]
    table = table[: table.index("</table>")]
    assert '<th scope="row">Tố cáo</th><td class="num" data-label="Đã tiếp nhận">1</td>' in table
    assert 'data-label="Dẫn tới kiểm tra">1</td><td class="num" data-label="Dẫn tới kỷ luật">1</td>' in table


@pytest.mark.django_db
def test_complaint_without_a_member_cannot_start_discipline(tree, ubkt, client_for):
    c = services.complaint_receive(
        user=ubkt, organization=tree["ward"], kind="complaint", received_on=TODAY, content="Phản ánh", about="Ông A"
    )
    client = client_for(ubkt)
    assert f"/kiem-tra/don-thu/{c.pk}/ky-luat/" not in client.get(f"/kiem-tra/don-thu/{c.pk}/").content.decode()
    r = client.get(f"/kiem-tra/don-thu/{c.pk}/ky-luat/", follow=True)
    assert "không nêu đảng viên bị khiếu nại, tố cáo" in r.content.decode()
    assert Complaint.objects.get().discipline_bases.count() == 0
