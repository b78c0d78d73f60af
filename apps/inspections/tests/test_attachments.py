"""Documents of the implementation (issue 16, finding 13): remediation plans, inspection
conclusions, discipline decisions and complaints take attachments through apps/core/files.py:
allow-listed types, random stored names, handed back only by a view that reaches the owner."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.accountability import services as acc
from apps.accountability.models import PlanAttachment
from apps.core.roles import Role
from apps.discipline import services as disc
from apps.discipline.models import DisciplineAttachment
from apps.inspections import services
from apps.inspections.models import ComplaintAttachment, InspectionAttachment

TODAY = timezone.localdate()
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def ubkt(tree, make_user):
    return make_user("ubkt_bt", Role.INSPECTION, tree["ward"])


@pytest.fixture
def records(tree, make_member, ubkt, ward_staff):
    hung = make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    insp = services.inspection_create(
        user=ubkt,
        organization=tree["ward"],
        kind="thematic",
        title="Kiểm tra chuyên đề",
        subject_organization=tree["cell_a"],
    )
    complaint = services.complaint_receive(
        user=ubkt, organization=tree["ward"], kind="complaint", received_on=TODAY, content="Đơn", about_member=hung
    )
    decision = disc.discipline_create(
        user=ward_staff,
        member=hung,
        form="reprimand",
        deciding_body="Đảng ủy phường",
        decided_on=TODAY,
        reason="Vi phạm",
    )
    plan = acc.remediation_plan_create(
        user=ward_staff,
        year=TODAY.year,
        title="Khắc phục hạn chế của chi bộ",
        owner_name="Bí thư chi bộ",
        organization=tree["cell_a"],
        actions=[("Sinh hoạt đúng kỳ", TODAY + dt.timedelta(days=30))],
    )
    return {
        "inspection": (ubkt, f"/kiem-tra/{insp.pk}/", InspectionAttachment, "/kiem-tra/tai-lieu/"),
        "complaint": (ubkt, f"/kiem-tra/don-thu/{complaint.pk}/", ComplaintAttachment, "/kiem-tra/don-thu/tai-lieu/"),
        "discipline": (ward_staff, f"/ky-luat/{decision.pk}/", DisciplineAttachment, "/ky-luat/tai-lieu/"),
        "plan": (
            ward_staff,
            f"/tu-soi-tu-sua/ke-hoach/{plan.pk}/",
            PlanAttachment,
            "/tu-soi-tu-sua/ke-hoach/tai-lieu/",
        ),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["inspection", "complaint", "discipline", "plan"])
def test_record_takes_a_document_served_only_to_those_who_reach_it(kind, records, tree, make_user, client_for):
    user, page, model, download = records[kind]
    client = client_for(user)
    body = client.get(page).content.decode()
    assert f'action="{page}dinh-kem/"' in body and 'enctype="multipart/form-data"' in body
    r = client.post(
        f"{page}dinh-kem/", {"title": "Kết luận số 12-KL/UBKT", "file": SimpleUploadedFile("Kết luận 12.pdf", PDF)}
    )
    assert r.status_code == 302
    a = model.objects.get()
    assert (a.title, a.file_name, a.attached_by) == ("Kết luận số 12-KL/UBKT", "Kết luận 12.pdf", user)
    assert "Kết luận 12" not in a.file.name and a.file.name.endswith(".pdf")
    body = client.get(page).content.decode()
    assert f'href="{download}{a.pk}/"' in body and "Kết luận số 12-KL/UBKT" in body
    r = client.get(f"{download}{a.pk}/")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf" and r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Disposition"].startswith("attachment;")
    assert b"".join(r.streaming_content) == PDF
    outsider = make_user("ubkt_dh", Role.INSPECTION, tree["ward2"])
    assert client_for(outsider).get(f"{download}{a.pk}/").status_code == 404
    r = client_for(outsider).post(f"{page}dinh-kem/", {"file": SimpleUploadedFile("b.pdf", PDF)})
    assert r.status_code == 404
    assert model.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["inspection", "complaint", "discipline", "plan"])
@pytest.mark.parametrize(
    "name, content",
    [
        ("bao-cao.html", b"<html><script>alert(1)</script></html>"),
        ("so-do.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("ma.js", b"alert(1)"),
        ("doi-ten.pdf", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_a_file_that_runs_script_is_refused(kind, name, content, records, client_for):
    user, page, model, _download = records[kind]
    client = client_for(user)
    r = client.post(f"{page}dinh-kem/", {"file": SimpleUploadedFile(name, content)}, follow=True)
    body = r.content.decode()
    assert "Không nhận tệp" in body or "Nội dung tệp không đúng là tệp .pdf" in body
    assert model.objects.count() == 0
