import datetime as dt

import pytest

from apps.admissions.models import AdmissionCase, AdmissionStep, StepKind
from apps.core.roles import Role

pytestmark = pytest.mark.django_db


def _post_step(client, case, kind, **data):
    return client.post(f"/ket-nap/{case.pk}/ghi-buoc/", {"step": kind, **data})


def test_the_secretary_opens_a_case_and_records_steps(tree, secretary_a, client_for, full_members):
    client = client_for(secretary_a)
    response = client.post(
        "/ket-nap/moi/",
        {
            "organization": tree["cell_a"].pk,
            "family_name": "Võ",
            "given_name": "Hạnh",
            "gender": "female",
            "birth_date": "15/03/1998",
            "ethnicity": "Kinh",
            "general_education": "12/12",
        },
    )
    case = AdmissionCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/ket-nap/{case.pk}/"
    page = client.get(f"/ket-nap/{case.pk}/").content.decode()
    assert "Giới thiệu quần chúng ưu tú" in page and "Còn thiếu" in page
    # Out of order: refused with the rule, nothing recorded.
    response = _post_step(client, case, StepKind.CLASS, date="10/06/2025")
    assert response.status_code == 400 and AdmissionStep.objects.count() == 0
    response = _post_step(client, case, StepKind.INTRODUCTION, date="02/06/2025", introduced_by="cell")
    assert response.status_code == 302
    _post_step(client, case, StepKind.CLASS, date="10/06/2025", number="1/GCN")
    _post_step(client, case, StepKind.APPLICATION, date="12/06/2025")
    response = _post_step(
        client,
        case,
        StepKind.SPONSORS,
        date="13/06/2025",
        sponsor_1=full_members[0].pk,
        worked_since_1="01/01/2020",
        sponsor_2=full_members[1].pk,
        worked_since_2="01/06/2025",
    )
    assert response.status_code == 400
    assert "chưa đủ 12 tháng" in response.content.decode()
    assert case.steps.count() == 3
    page = client.get(f"/ket-nap/{case.pk}/van-ban/don.docx")
    assert page.status_code == 200 and page["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(f"/ket-nap/{case.pk}/van-ban/nghi-quyet.pdf").content[:4] == b"%PDF"


def test_outsiders_and_plain_members_see_and_change_nothing(
    admin_user, case, advance, client_for, make_user, make_member, tree, sibling_secretary, other_ward_staff
):
    case = advance(case, StepKind.SPONSORS)
    plain = make_user("dv", Role.MEMBER, tree["cell_a"], member=make_member(tree["cell_a"], "Lý Văn Thường"))
    for user in (sibling_secretary, other_ward_staff, plain):
        client = client_for(user)
        assert client.get(f"/ket-nap/{case.pk}/").status_code == 404
        assert client.get(f"/ket-nap/{case.pk}/van-ban/don.pdf").status_code == 404
        assert _post_step(client, case, StepKind.SPONSORS, date="13/06/2025").status_code == 404
        assert "Võ Thị Hạnh" not in client.get("/ket-nap/").content.decode()
        client.logout()
    assert case.steps.count() == 3
    client = client_for(plain)
    assert client.get("/ket-nap/").status_code == 404
    assert client.get("/ket-nap/du-bi/").status_code == 404


def test_the_ward_records_the_decision_and_the_probation_list_shows_it(
    admin_user, case, advance, ward_staff, client_for
):
    case = advance(
        case, StepKind.CEREMONY, {StepKind.DECISION: dt.date(2025, 12, 20), StepKind.PROPOSAL: dt.date(2025, 12, 10)}
    )
    client = client_for(ward_staff)
    page = client.get(f"/ket-nap/{case.pk}/").content.decode()
    assert "Lễ kết nạp" in page and "ngày làm việc" in page
    # The probation ends 20/12/2026: listed as ending within 30 days from today (04/12/2026) or overdue after.
    page = client.get(f"/ket-nap/du-bi/?org={case.organization.parent_id}").content.decode()
    assert "Võ Thị Hạnh" in page
    member_page = client.get(f"/dang-vien/{case.member_id}/").content.decode()
    assert "admission-timeline" in member_page and "Quyết định kết nạp" in member_page


def test_the_member_sees_their_own_timeline_without_the_biography_check(
    admin_user, case, advance, client_for, make_user
):
    case = advance(case, StepKind.CEREMONY)
    user = make_user("hanh", member=case.member)
    page = client_for(user).get(f"/dang-vien/{case.member_id}/").content.decode()
    assert "Quyết định kết nạp" in page and "Thẩm tra lý lịch" not in page
    assert f"/ket-nap/{case.pk}/" not in page
