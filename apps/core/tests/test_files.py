"""Uploaded files: only the types people need are accepted, and nothing under MEDIA_ROOT has a URL."""

import importlib
import io
import re
import zipfile

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import Resolver404, URLResolver
from django.urls.resolvers import RegexPattern
from docx import Document
from openpyxl import Workbook

from apps.core import files
from apps.core.files import RandomName, original_name, validate_upload

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def _docx() -> bytes:
    buffer = io.BytesIO()
    Document().save(buffer)
    return buffer.getvalue()


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in members.items():
            package.writestr(name, data)
    return buffer.getvalue()


ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office:document/>"})
ODS = _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<office:document/>"})


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("Nghị quyết.pdf", PDF, "application/pdf"),
        ("du-thao.DOCX", _docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("cu.doc", OLE2, "application/msword"),
        ("bang.xlsx", _xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("cu.xls", OLE2, "application/vnd.ms-excel"),
        ("van-ban.odt", ODT, "application/vnd.oasis.opendocument.text"),
        ("bang.ods", ODS, "application/vnd.oasis.opendocument.spreadsheet"),
        ("anh.jpg", JPEG, "image/jpeg"),
        ("anh.jpeg", JPEG, "image/jpeg"),
        ("anh.png", PNG, "image/png"),
        ("ghi-chu.txt", "Biên bản: 5 < 7 và a > b\n".encode(), "text/plain; charset=utf-8"),
    ],
)
def test_the_types_people_need_are_accepted(name, content, content_type):
    kind = validate_upload(SimpleUploadedFile(name, content))
    assert kind.content_type == content_type


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("trang.html", b"<html><script>alert(1)</script></html>", "Không nhận tệp .html: loại tệp này có thể chứa mã"),
        ("trang.htm", b"<script>alert(1)</script>", "Không nhận tệp .htm"),
        ("hinh.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "Không nhận tệp .svg"),
        ("ma.js", b"alert(1)", "Không nhận tệp .js"),
        ("chay.exe", b"MZ\x90\x00", "Không nhận tệp .exe"),
        ("tai-lieu", PDF, "Không nhận loại tệp này. Chỉ nhận: PDF (.pdf), Word 97–2003 (.doc)"),
        ("nen.zip", _zip({"a.txt": b"x"}), "Không nhận loại tệp này."),
        # Renamed: the extension is allowed, the content is not what it says.
        ("nghi-quyet.pdf", b"<html><script>alert(1)</script></html>", "Nội dung tệp không đúng là tệp .pdf"),
        (
            "anh.png",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "không đúng là tệp .png",
        ),
        ("anh.jpg", PNG, "không đúng là tệp .jpg"),
        ("ghi-chu.txt", b"<!DOCTYPE html><script>alert(1)</script>", "không đúng là tệp .txt"),
        ("ghi-chu.txt", b"MZ\x90\x00\x03\x00\x00\x00", "không đúng là tệp .txt"),
        ("ghi-chu.txt", b"\xff\xfe latin-1 \xe9", "không đúng là tệp .txt"),
        ("du-thao.docx", _zip({"a.html": b"<script>alert(1)</script>"}), "không đúng là tệp .docx"),
        ("du-thao.docx", _xlsx(), "không đúng là tệp .docx"),
        ("bang.ods", ODT, "không đúng là tệp .ods"),
        ("trong.pdf", b"", "Tệp trống."),
    ],
)
def test_other_types_and_renamed_files_are_refused_in_vietnamese(name, content, message):
    with pytest.raises(ValidationError) as info:
        validate_upload(SimpleUploadedFile(name, content))
    assert message in info.value.messages[0]


@override_settings(UPLOAD_MAX_BYTES=1024 * 1024)
def test_size_bound_comes_from_settings():
    validate_upload(SimpleUploadedFile("a.pdf", PDF + b" " * (1024 * 1024 - len(PDF))))
    with pytest.raises(ValidationError) as info:
        validate_upload(SimpleUploadedFile("a.pdf", PDF + b" " * (1024 * 1024)))
    assert info.value.messages == ["Tệp quá lớn (1 MB): chỉ nhận tệp đến 1 MB."]
    with pytest.raises(ValidationError) as info:
        validate_upload(SimpleUploadedFile("a.pdf", PDF + b" " * (3 * 1024 * 1024)), max_bytes=2 * 1024 * 1024)
    assert info.value.messages == ["Tệp quá lớn (3 MB): chỉ nhận tệp đến 2 MB."]


def test_stored_names_are_random_and_keep_only_a_clean_extension():
    upload_to = RandomName("meetings")
    first, second = upload_to(None, "Nghị quyết tháng 12.PDF"), upload_to(None, "Nghị quyết tháng 12.PDF")
    assert re.fullmatch(r"meetings/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", first)
    assert first != second
    assert re.fullmatch(r"meetings/\d{4}/\d{2}/[0-9a-f]{32}", upload_to(None, "x.p/h\x00p"))


def test_original_names_lose_folders_and_control_characters():
    assert original_name("C:\\Users\\bi thu\\Nghe\u0302\u0300 quye\u0302\u0301t.pdf") == "Nghề quyết.pdf"
    assert original_name("../../etc/passwd") == "passwd"
    assert original_name("a\x00b\u202e.txt") == "ab.txt"
    assert original_name("") == "tep"
    assert len(original_name("a" * 300 + ".docx")) == 255 and original_name("a" * 300 + ".docx").endswith(".docx")


def test_no_url_serves_uploaded_files_even_in_development():
    """`make run` (DEBUG) used to add static(MEDIA_URL): import files with CCCDs at guessable paths."""
    import config.urls

    try:
        with override_settings(DEBUG=True):
            patterns = importlib.reload(config.urls).urlpatterns
    finally:
        importlib.reload(config.urls)
    resolver = URLResolver(RegexPattern(r"^/"), patterns)
    for path in ("/media/imports/2026/12/danh-sach.xlsx", "/media/meetings/2026/12/du-thao.html"):
        with pytest.raises(Resolver404):
            resolver.resolve(path)


def test_every_file_field_is_private():
    """Any FileField a domain adds must be a PrivateFileField (random name, served through the door)."""
    from django.apps import apps
    from django.db.models import FileField

    found = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, FileField) and not isinstance(field, files.PrivateFileField)
    ]
    assert found == []


@override_settings(UPLOAD_MAX_BYTES=100_000, IMPORT_MAX_UPLOAD_BYTES=200_000)
def test_a_request_over_every_bound_has_its_file_dropped_unstored():
    from django.core.files.uploadhandler import load_handler
    from django.http.multipartparser import MultiPartParser
    from django.test.client import BOUNDARY, encode_multipart

    body = encode_multipart(BOUNDARY, {"title": "x", "file": SimpleUploadedFile("lon.pdf", PDF + b" " * 400_000)})
    handlers = [load_handler(path) for path in settings.FILE_UPLOAD_HANDLERS]
    meta = {"CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}", "CONTENT_LENGTH": str(len(body))}
    post, uploaded = MultiPartParser(meta, io.BytesIO(body), handlers).parse()
    upload = uploaded["file"]
    assert isinstance(upload, files.TooLargeUpload) and upload.read() == b""
    assert post["title"] == "x" and upload.size == len(body)
    with pytest.raises(ValidationError) as info:
        validate_upload(upload)
    assert info.value.messages == ["Tệp quá lớn (0,4 MB): chỉ nhận tệp đến 0,1 MB."]


@override_settings(UPLOAD_MAX_BYTES=100_000, IMPORT_MAX_UPLOAD_BYTES=200_000)
def test_a_request_within_the_bounds_keeps_its_file():
    from django.core.files.uploadhandler import load_handler
    from django.http.multipartparser import MultiPartParser
    from django.test.client import BOUNDARY, encode_multipart

    body = encode_multipart(BOUNDARY, {"file": SimpleUploadedFile("nho.pdf", PDF)})
    handlers = [load_handler(path) for path in settings.FILE_UPLOAD_HANDLERS]
    meta = {"CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}", "CONTENT_LENGTH": str(len(body))}
    upload = MultiPartParser(meta, io.BytesIO(body), handlers).parse()[1]["file"]
    assert upload.read() == PDF
