"""Files users upload: which are accepted, where they are kept, how they are handed back.

Every domain that keeps a user's file (meeting documents, Excel import batches, and later any
attachment) uses these three pieces, so that no stored file can run script as the app or be
fetched by someone the scoping door would not let see its owner:

1. **Accept** only the types people need, checked by extension AND by the file's first bytes
   (a .pdf must start with ``%PDF-``, a .docx must be a zip holding ``word/document.xml``, ...),
   within a size bound (``settings.UPLOAD_MAX_BYTES`` unless told otherwise). HTML, SVG,
   scripts and programs are refused with a Vietnamese message, whatever they are renamed to::

       kind = validate_upload(upload)                      # in the service: forms and API alike
       file = UploadField(label=_("Tệp"))                  # core.forms: same check, shown on the field

2. **Store** under an unguessable name: ``PrivateFileField(prefix="meetings")`` keeps
   ``meetings/2026/12/<32 random hex>.pdf``; the name the user gave is kept in a separate
   ``CharField`` (``file_name``) for display and for the download's name. ``original_name()``
   makes that name safe to keep.

3. **Hand back** only through a view that loads the owner row through the scoping door::

       @login_required
       def attachment(request, pk):
           return scoped_file_response(request, Attachment, pk)             # VIEW by default

   The answer is always an attachment (``Content-Disposition: attachment``) with the type the
   content was validated as (never ``text/html`` or ``image/svg+xml``; anything else is
   ``application/octet-stream``), ``X-Content-Type-Options: nosniff`` and a sandboxing
   Content-Security-Policy, in development as in production. Nothing under ``MEDIA_ROOT`` is
   served by URL: config/urls.py has no ``static(MEDIA_URL, ...)``.

A record's documents (a remediation plan's, a conclusion's, a discipline decision's, a complaint's)
subclass ``Attachment`` below (title, file, file_name, who and when), are added by ``attach()``
in the owner's service after its own reach check, listed and uploaded with
``core/partials/attachments.html`` and ``core.forms.AttachmentForm``, and go out through
``scoped_file_response`` with a queryset limited to the owner the view loaded.

A new attachment model otherwise needs: ``file = PrivateFileField(_("tệp"), prefix="x")``,
``file_name = models.CharField(_("tên tệp"), max_length=255)``, ``validate_upload`` in its create
service (``file_name=original_name(upload.name)``), and a view calling ``scoped_file_response``.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import secrets
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.db import models
from django.http import FileResponse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .scoping import VIEW

SNIFF_BYTES = 8192
OCTET_STREAM = "application/octet-stream"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls (and password-protected .docx/.xlsx)
_PNG = b"\x89PNG\r\n\x1a\n"
_MARKUP = re.compile(rb"<\s*(?:!doctype|html|head|body|script|svg|iframe|object|embed|\?xml)\b", re.IGNORECASE)
# Types that can run script in a browser or code on a computer: named in the refusal.
DANGEROUS_EXTENSIONS = frozenset(
    "htm html xhtml shtml mht mhtml svg svgz xml xsl js mjs css php asp aspx jsp exe com bat cmd msi "
    "dll scr ps1 vbs sh jar apk swf hta".split()
)


# --- What a file is ------------------------------------------------------------------------------
def _zip_names(file) -> set[str] | None:
    try:
        with zipfile.ZipFile(file) as package:
            return set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None


def _zip_member_head(file, name: str, size: int = 100) -> bytes:
    try:
        with zipfile.ZipFile(file) as package, package.open(name) as member:
            return member.read(size)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, RuntimeError):
        return b""


def _office_zip(part: str) -> Callable:
    def sniff(head: bytes, file) -> bool:
        if not head.startswith(b"PK\x03\x04"):
            return False
        names = _zip_names(file)
        return names is not None and part in names

    return sniff


def _open_document(mimetype: bytes) -> Callable:
    def sniff(head: bytes, file) -> bool:
        return head.startswith(b"PK\x03\x04") and _zip_member_head(file, "mimetype").strip() == mimetype

    return sniff


def _text(head: bytes, file) -> bool:
    """UTF-8 (or plain ASCII) text without NUL bytes and without markup a browser would run."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    file.seek(0)
    first = True
    while chunk := file.read(64 * 1024):
        if b"\x00" in chunk or (first and _MARKUP.search(chunk[:SNIFF_BYTES])):
            return False
        first = False
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError:
            return False
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


@dataclass(frozen=True)
class FileKind:
    """One accepted type: its extensions, the content type it is served as, and its content test."""

    label: str
    extensions: tuple[str, ...]
    content_type: str
    sniff: Callable[[bytes, object], bool]  # (first bytes, the file at any position) -> matches


PDF = FileKind("PDF", ("pdf",), "application/pdf", lambda head, file: b"%PDF-" in head[:1024])
DOC = FileKind("Word 97–2003", ("doc",), "application/msword", lambda head, file: head.startswith(_OLE2))
DOCX = FileKind(
    "Word",
    ("docx",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    _office_zip("word/document.xml"),
)
XLS = FileKind("Excel 97–2003", ("xls",), "application/vnd.ms-excel", lambda head, file: head.startswith(_OLE2))
XLSX = FileKind(
    "Excel",
    ("xlsx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    _office_zip("xl/workbook.xml"),
)
ODT = FileKind(
    "OpenDocument Text",
    ("odt",),
    "application/vnd.oasis.opendocument.text",
    _open_document(b"application/vnd.oasis.opendocument.text"),
)
ODS = FileKind(
    "OpenDocument Spreadsheet",
    ("ods",),
    "application/vnd.oasis.opendocument.spreadsheet",
    _open_document(b"application/vnd.oasis.opendocument.spreadsheet"),
)
JPEG = FileKind("JPG", ("jpg", "jpeg"), "image/jpeg", lambda head, file: head.startswith(b"\xff\xd8\xff"))
PNG = FileKind("PNG", ("png",), "image/png", lambda head, file: head.startswith(_PNG))
TEXT = FileKind(gettext_lazy("văn bản"), ("txt",), "text/plain; charset=utf-8", _text)

# What a meeting document or an attachment may be.
DOCUMENT_KINDS: tuple[FileKind, ...] = (PDF, DOC, DOCX, XLS, XLSX, ODT, ODS, JPEG, PNG, TEXT)


def extension(name: str) -> str:
    return os.path.splitext(name or "")[1].lower().lstrip(".")


def original_name(name: str) -> str:
    """The name the user gave, safe to keep and to send back: no folders, no control characters."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip().strip(".")
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        name = stem[: 255 - len(ext) - 1] + dot + ext if dot and len(ext) <= 10 else name[:255]
    return name or "tep"


def _head(file) -> bytes:
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    return head


def detect_kind(file, name: str, kinds: Iterable[FileKind] = DOCUMENT_KINDS) -> FileKind | None:
    """The accepted kind `file` really is, judged by its name's extension and its content; None if neither fits."""
    ext = extension(name)
    head = _head(file)
    for kind in kinds:
        if ext in kind.extensions:
            try:
                matches = kind.sniff(head, file)
            finally:
                file.seek(0)
            if matches:
                return kind
    return None


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".").replace(".", ",") + " MB"


def check_size(upload, max_bytes: int) -> None:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, os.SEEK_END)
        size = upload.tell()
        upload.seek(0)
    if size == 0:
        raise ValidationError(_("Tệp trống."), code="empty")
    if size > max_bytes:
        raise ValidationError(
            _("Tệp quá lớn (%(size)s): chỉ nhận tệp đến %(max)s.")
            % {"size": _megabytes(size), "max": _megabytes(max_bytes)},
            code="too_large",
        )


def kinds_text(kinds: Iterable[FileKind]) -> str:
    return ", ".join(f"{k.label} (.{', .'.join(k.extensions)})" for k in kinds)


def validate_upload(upload, kinds: Iterable[FileKind] = DOCUMENT_KINDS, max_bytes: int | None = None) -> FileKind:
    """Check an uploaded file and return its kind; ValidationError with a Vietnamese message if refused."""
    kinds = tuple(kinds)
    name = getattr(upload, "name", "") or ""
    ext = extension(name)
    allowed = kinds_text(kinds)
    if ext in DANGEROUS_EXTENSIONS:
        raise ValidationError(
            _(
                "Không nhận tệp .%(ext)s: loại tệp này có thể chứa mã chạy được trên máy người mở. "
                "Chỉ nhận: %(allowed)s."
            )
            % {"ext": ext, "allowed": allowed},
            code="dangerous",
        )
    if not any(ext in k.extensions for k in kinds):
        raise ValidationError(
            _("Không nhận loại tệp này. Chỉ nhận: %(allowed)s.") % {"allowed": allowed}, code="not_allowed"
        )
    check_size(upload, settings.UPLOAD_MAX_BYTES if max_bytes is None else max_bytes)
    kind = detect_kind(upload, name, kinds)
    if kind is None:
        raise ValidationError(
            _(
                "Nội dung tệp không đúng là tệp .%(ext)s (tệp bị đổi tên, bị hỏng, hoặc là trang web, mã lệnh). "
                "Hãy mở tệp bằng chương trình của nó và lưu lại đúng định dạng."
            )
            % {"ext": ext},
            code="mismatch",
        )
    return kind


class TooLargeUpload(UploadedFile):
    """Stands for a file the request brought over every upload bound: its bytes were never kept,
    its size is the request's, so `check_size` refuses it with the usual message."""

    def __init__(self, name: str, size: int):
        super().__init__(io.BytesIO(), name=name, content_type=OCTET_STREAM, size=size)


class UploadLimitHandler(FileUploadHandler):
    """First of settings.FILE_UPLOAD_HANDLERS: a request larger than the largest upload bound
    (UPLOAD_MAX_BYTES, IMPORT_MAX_UPLOAD_BYTES) has its files read and dropped, not written to
    memory or disk; each becomes a TooLargeUpload. (The proxy's body limit should stop it earlier.)"""

    MULTIPART_SLACK = 64 * 1024

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        limit = max(settings.UPLOAD_MAX_BYTES, getattr(settings, "IMPORT_MAX_UPLOAD_BYTES", 0))
        self.request_length = content_length or 0
        self.too_large = self.request_length > limit + self.MULTIPART_SLACK

    def receive_data_chunk(self, raw_data, start):
        return None if self.too_large else raw_data

    def file_complete(self, file_size):
        if self.too_large:
            return TooLargeUpload(self.file_name, self.request_length)
        return None


# --- Where it is kept ----------------------------------------------------------------------------
@deconstructible
class RandomName:
    """`upload_to` giving `<prefix>/<year>/<month>/<32 random hex><.ext>`: nothing to guess from a name or date."""

    def __init__(self, prefix: str):
        self.prefix = prefix.strip("/")

    def __call__(self, instance, filename: str) -> str:
        ext = extension(filename)
        suffix = f".{ext}" if ext and ext.isalnum() and len(ext) <= 5 else ""
        return f"{self.prefix}/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{suffix}"

    def __eq__(self, other):
        return isinstance(other, RandomName) and other.prefix == self.prefix


class PrivateFileField(models.FileField):
    """A FileField kept under a random name, never served by URL (see `scoped_file_response`)."""

    def __init__(self, verbose_name=None, name=None, prefix: str = "files", **kwargs):
        kwargs.setdefault("upload_to", RandomName(prefix))
        kwargs.setdefault("max_length", 255)
        super().__init__(verbose_name, name, **kwargs)


# --- How it is handed back -----------------------------------------------------------------------
def file_download(fieldfile, filename: str, kinds: Iterable[FileKind] = DOCUMENT_KINDS) -> FileResponse:
    """A stored file as a download: attachment, the validated type or octet-stream, nosniff.

    The content is judged again here (files stored before validation existed may be anything):
    a type that is not accepted, or content that does not match its name, goes out as
    application/octet-stream, so no browser renders it.
    """
    handle = fieldfile.open("rb")
    kind = detect_kind(handle, filename, kinds)
    content_type = kind.content_type if kind is not None else OCTET_STREAM
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response


def scoped_file_response(
    request,
    model,
    pk,
    *,
    action: str = VIEW,
    queryset=None,
    field: str = "file",
    name_field: str = "file_name",
    kinds: Iterable[FileKind] = DOCUMENT_KINDS,
) -> FileResponse:
    """Load the owner row through the scoping door (404 when out of scope) and send its file."""
    from .views import get_scoped  # views import selectors, which import models using this module

    owner = get_scoped(model, request.user, pk, action, queryset)
    return owned_file_response(owner, field=field, name_field=name_field, kinds=kinds)


def owned_file_response(
    owner, *, field: str = "file", name_field: str = "file_name", kinds: Iterable[FileKind] = DOCUMENT_KINDS
) -> FileResponse:
    """Send the file of a row the caller loaded through the scoping door (an attachment found
    among the attachments of records the user reaches); 404 when it holds no file."""
    fieldfile = getattr(owner, field)
    if not fieldfile:
        from django.http import Http404

        raise Http404
    filename = original_name(getattr(owner, name_field, "") or fieldfile.name)
    return file_download(fieldfile, filename, kinds)


# --- A record's attached documents --------------------------------------------------------------
class Attachment(models.Model):
    """A document attached to a record; the concrete model adds the owner's foreign key (and may
    give `file` its own prefix). Nothing is deleted: a document attached by mistake stays in the
    record's history, like the record itself."""

    title = models.CharField(gettext_lazy("tên tài liệu"), max_length=255)
    file = PrivateFileField(gettext_lazy("tệp"), prefix="attachments")
    file_name = models.CharField(gettext_lazy("tên tệp"), max_length=255)
    attached_at = models.DateTimeField(gettext_lazy("đính kèm lúc"), default=timezone.now)
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=gettext_lazy("người đính kèm"),
    )

    class Meta:
        abstract = True
        ordering = ["attached_at", "pk"]

    def __str__(self):
        return self.title or self.file_name


A = TypeVar("A", bound=Attachment)


def attach(model: type[A], *, user, upload, title: str = "", **owner) -> A:
    """Keep `upload` as a `model` row of `owner` (e.g. ``plan=plan``), checked against the allow-list;
    the caller has checked the user's reach on the owner. ValidationError on the field if refused."""
    from .services import audited

    if not upload:
        raise ValidationError({"file": _("Hãy chọn tệp.")})
    try:
        validate_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    name = original_name(upload.name)
    title = (title or "").strip() or os.path.splitext(name)[0] or name
    with audited(user):
        return model.objects.create(
            title=title[:255], file=upload, file_name=name, attached_by=user, attached_at=timezone.now(), **owner
        )
