"""Meeting documents: only safe types go in; they come out only through the meeting's scope, as attachments."""

import datetime as dt
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.roles import Role
from apps.meetings import services
from apps.meetings.models import Kind, MeetingDocument

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def meeting(tree, secretary_a, rule_set, today):
    return services.meeting_create(
        user=secretary_a, organization=tree["cell_a"], kind=Kind.REGULAR, date=today + dt.timedelta(days=3)
    )


def _post(client, meeting, name, content, title="Dự thảo nghị quyết"):
    return client.post(
        f"/sinh-hoat/{meeting.pk}/tai-lieu/", {"title": title, "file": SimpleUploadedFile(name, content)}, follow=True
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("loi-moi.html", b"<html><script>fetch('/api/members/')</script></html>", "Không nhận tệp .html"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "Không nhận tệp .svg"),
        ("nghi-quyet.pdf", b"<html><script>alert(1)</script></html>", "Nội dung tệp không đúng là tệp .pdf"),
        ("cai-dat.exe", b"MZ\x90\x00", "Không nhận tệp .exe"),
    ],
)
def test_a_page_or_a_program_is_refused_and_nothing_is_stored(meeting, secretary_a, client_for, name, content, message):
    page = _post(client_for(secretary_a), meeting, name, content).content.decode()
    assert message in page
    assert MeetingDocument.objects.count() == 0


def test_the_service_refuses_too_so_no_other_way_in_stores_a_page(meeting, secretary_a):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as info:
        services.document_add(user=secretary_a, meeting=meeting, title="x", file=SimpleUploadedFile("a.svg", b"<svg/>"))
    assert "Không nhận tệp .svg" in info.value.message_dict["file"][0]
    assert MeetingDocument.objects.count() == 0


def test_a_document_is_stored_under_a_random_name_and_downloaded_as_an_attachment(
    meeting, tree, secretary_a, make_user, client_for
):
    client = client_for(secretary_a)
    assert "Đã đăng tài liệu." in _post(client, meeting, "Nghị quyết tháng 12.pdf", PDF).content.decode()
    assert "Đã đăng tài liệu." in _post(client, meeting, "Nghị quyết tháng 12.pdf", PDF).content.decode()
    first, second = MeetingDocument.objects.order_by("pk")
    assert re.fullmatch(r"meetings/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", first.file.name)
    assert first.file.name != second.file.name
    assert first.file_name == "Nghị quyết tháng 12.pdf"

    page = client.get(f"/sinh-hoat/{meeting.pk}/").content.decode()
    assert f'href="/sinh-hoat/{meeting.pk}/tai-lieu/{first.pk}/"' in page
    assert first.file.name not in page

    response = client.get(f"/sinh-hoat/{meeting.pk}/tai-lieu/{first.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Ngh%E1%BB%8B%20quy%E1%BA%BFt%20th%C3%A1ng%2012.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(response.streaming_content) == PDF

    # Another cell's secretary: the same 404 as a document that does not exist.
    other = make_user("bithu_b", Role.CELL_SECRETARY, tree["cell_b"], include_subtree=False)
    assert client_for(other).get(f"/sinh-hoat/{meeting.pk}/tai-lieu/{first.pk}/").status_code == 404


def test_a_page_stored_before_the_check_goes_out_as_bytes_not_as_a_page(meeting, secretary_a, client_for):
    """Files uploaded before types were checked keep their paths; they can no longer run in the browser."""
    from django.utils import timezone

    stored = MeetingDocument.file.field.storage.save(
        "meetings/2025/01/loi-moi.html", ContentFile(b"<html><script>alert(document.cookie)</script></html>")
    )
    (document,) = MeetingDocument.objects.bulk_create(
        [MeetingDocument(meeting=meeting, title="Cũ", file=stored, posted_at=timezone.now(), posted_by=secretary_a)]
    )

    response = client_for(secretary_a).get(f"/sinh-hoat/{meeting.pk}/tai-lieu/{document.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="loi-moi.html"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_existing_documents_get_their_file_name_from_the_stored_path(meeting, secretary_a):
    import importlib

    from django.apps import apps as django_apps
    from django.utils import timezone

    migration = importlib.import_module("apps.meetings.migrations.0004_fill_document_file_names")
    MeetingDocument.objects.bulk_create(
        [
            MeetingDocument(
                meeting=meeting,
                title="Cũ",
                file="meetings/2025/01/du-thao.docx",
                file_name="",
                posted_at=timezone.now(),
                posted_by=secretary_a,
            )
        ]
    )
    migration.fill_names(django_apps, None)
    document = MeetingDocument.objects.get()
    assert (document.file.name, document.file_name) == ("meetings/2025/01/du-thao.docx", "du-thao.docx")
