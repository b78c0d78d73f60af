"""Writes of the library: documents, sending, members' receipts and bookmarks, study sessions,
reflections, seminars. Each checks the user's reach and runs inside `audited()`."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.files import original_name, validate_upload
from apps.core.plausibility import event_date_error
from apps.core.scoping import CHANGE, VIEW, scope_for
from apps.core.services import audited, require_org
from apps.core.versioning import check_version
from apps.members.models import CURRENT_STATUSES, Member
from apps.organizations.models import Organization

from .models import (
    Attendance,
    Bookmark,
    Delivery,
    Dispatch,
    DispatchStatus,
    Document,
    Grade,
    Kind,
    Origin,
    Receipt,
    Reflection,
    Seminar,
    SeminarKind,
    StudySession,
    Validity,
)

RECEIPT_BATCH = 5000
DOCUMENT_FIELDS = (
    "origin",
    "kind",
    "number",
    "issued_on",
    "issuer",
    "title",
    "subject",
    "validity",
    "replaced_by",
    "text",
)


# --- Documents ---------------------------------------------------------------------------------
def extract_text(upload) -> str:
    """The text of an uploaded Word (.docx) or plain-text file; "" for other kinds (typed instead)."""
    name = (getattr(upload, "name", "") or "").lower()
    upload.seek(0)
    try:
        if name.endswith(".txt"):
            return upload.read().decode("utf-8", errors="replace")
        if name.endswith(".docx"):
            import docx

            document = docx.Document(io.BytesIO(upload.read()))
            return "\n".join(p.text for p in document.paragraphs)
    except Exception:  # a file that validates but cannot be read: its text is typed instead
        return ""
    finally:
        upload.seek(0)
    return ""


def _visible(user: User, document: Document | None) -> bool:
    return document is not None and Document.objects.restrict(user, VIEW).filter(pk=document.pk).exists()


def _document_errors(user: User, document: Document) -> dict:
    errors: dict[str, str] = {}
    if document.kind not in Kind.values:
        errors["kind"] = _("Hãy chọn loại văn bản.")
    if document.origin not in Origin.values:
        errors["origin"] = _("Hãy chọn nguồn văn bản.")
    if not document.title:
        errors["title"] = _("Hãy ghi trích yếu (tên) văn bản.")
    if not document.issuer:
        errors["issuer"] = _("Hãy ghi cơ quan ban hành.")
    if document.issued_on and (error := event_date_error(document.issued_on)):
        errors["issued_on"] = error
    if document.validity not in Validity.values:
        errors["validity"] = _("Hãy chọn hiệu lực.")
    elif document.validity == Validity.REPLACED:
        if document.replaced_by is None:
            errors["replaced_by"] = _("Văn bản đã được thay thế: hãy chọn văn bản thay thế nó.")
        elif document.pk and document.replaced_by.pk == document.pk:
            errors["replaced_by"] = _("Một văn bản không thể thay thế chính nó.")
        elif not _visible(user, document.replaced_by):
            errors["replaced_by"] = _("Không tìm thấy văn bản thay thế trong thư viện của đồng chí.")
    elif document.replaced_by is not None:
        errors["replaced_by"] = _("Chỉ ghi văn bản thay thế khi văn bản đã được thay thế.")
    return errors


def _keep_upload(document: Document, upload) -> None:
    try:
        validate_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    name = original_name(upload.name)
    if not document.text:
        document.text = extract_text(upload)
    document.file_name = name
    document.file.save(name, upload, save=False)


def document_create(*, user: User, organization: Organization, upload=None, **fields) -> Document:
    """Enter a document in an organization's library (with its file, whose text is read from a
    Word or text file when none is typed)."""
    require_org(user, organization, CHANGE)
    values = {key: fields.get(key) for key in DOCUMENT_FIELDS if key in fields}
    for key in ("number", "issuer", "title", "subject", "text"):
        values[key] = (values.get(key) or "").strip()
    document = Document(organization=organization, created_by=user, **values)
    errors = _document_errors(user, document)
    if errors:
        raise ValidationError(errors)
    with audited(user):
        if upload:
            _keep_upload(document, upload)
        document.save()
    return document


def document_update(*, user: User, document: Document, expected_version=None, upload=None, **fields) -> Document:
    require_org(user, document.organization, CHANGE)
    for key in DOCUMENT_FIELDS:
        if key in fields:
            value = fields[key]
            setattr(document, key, value.strip() if isinstance(value, str) else value)
    errors = _document_errors(user, document)
    if errors:
        raise ValidationError(errors)
    with audited(user):
        check_version(document, expected_version)
        if upload:
            _keep_upload(document, upload)
        document.save()
    return document


# --- Sending -----------------------------------------------------------------------------------
def dispatch_create(
    *,
    user: User,
    document: Document,
    organization: Organization,
    targets: Iterable[Organization] = (),
    members: Iterable[Member] = (),
    note: str = "",
) -> Dispatch:
    """Send a document from `organization` down to organizations in its subtree (every current
    member below each) and/or chosen members of its subtree. The receipts are written by a
    background job (tasks.send_document); a member reached twice keeps one receipt."""
    require_org(user, organization, CHANGE)
    if not _visible(user, document):
        raise PermissionDenied
    targets, members = list(targets), list(members)
    errors: dict[str, str] = {}
    if not targets and not members:
        errors["targets"] = _("Hãy chọn tổ chức đảng hoặc đảng viên nhận văn bản.")
    if any(not t.path.startswith(organization.path) for t in targets):
        errors["targets"] = _("Chỉ gửi được đến các tổ chức đảng thuộc %(org)s.") % {"org": organization.name}
    elif any(t.ended_on is not None for t in targets):
        errors["targets"] = _("Không gửi được đến tổ chức đảng đã kết thúc hoạt động.")
    if any(not m.org_path.startswith(organization.path) for m in members):
        errors["members"] = _("Chỉ gửi được đến đảng viên thuộc %(org)s.") % {"org": organization.name}
    elif any(m.status not in CURRENT_STATUSES for m in members):
        errors["members"] = _("Không gửi được đến người không còn là đảng viên đang sinh hoạt.")
    if errors:
        raise ValidationError(errors)
    with audited(user):
        dispatch = Dispatch.objects.create(
            document=document,
            organization=organization,
            org_path=organization.path,
            note=(note or "").strip(),
            sent_by=user,
        )
        for target in {t.pk: t for t in targets}.values():
            Delivery.objects.create(dispatch=dispatch, document=document, organization=target, org_path=target.path)
        if members:
            dispatch.members.set(members)
    from .tasks import send_document

    # Queued in the sending's transaction (the database backend): the worker sees both at commit.
    send_document.enqueue(dispatch.pk)
    return dispatch


def _report(dispatch_id: int, **fields) -> None:
    Dispatch.objects.filter(pk=dispatch_id).update(**fields)


def dispatch_run(dispatch_id: int) -> int:
    """The background job of a sending: one receipt per current member reached, written in bulk,
    none twice (a member who has the document already keeps their receipt). Returns how many
    receipts it wrote; run again after a restart it writes none."""
    dispatch = Dispatch.objects.get(pk=dispatch_id)
    if dispatch.status == DispatchStatus.DONE:
        return 0
    _report(dispatch_id, status=DispatchStatus.RUNNING)
    try:
        created = _write_receipts(dispatch)
    except Exception as exc:  # noqa: BLE001 - written on the sending for its page, then raised
        _report(dispatch_id, status=DispatchStatus.FAILED, failure=str(exc)[:2000])
        raise
    _report(
        dispatch_id,
        status=DispatchStatus.DONE,
        receipt_count=created,
        finished_at=timezone.now(),
    )
    return created


def _write_receipts(dispatch: Dispatch) -> int:
    document_id = dispatch.document_id
    now = timezone.now()
    before = Receipt.objects.filter(document_id=document_id).count()
    seen: set[int] = set(Receipt.objects.filter(document_id=document_id).values_list("member_id", flat=True))
    batch: list[Receipt] = []

    def flush():
        if batch:
            Receipt.objects.bulk_create(batch, ignore_conflicts=True)
            batch.clear()

    sources = [
        Member.objects.filter(org_path__startswith=d.org_path, status__in=CURRENT_STATUSES)
        for d in dispatch.deliveries.all()
    ]
    sources.append(dispatch.members.filter(status__in=CURRENT_STATUSES))
    with transaction.atomic():
        for source in sources:
            for member_id, org_id, path in source.values_list("pk", "organization_id", "org_path").iterator(
                chunk_size=RECEIPT_BATCH
            ):
                if member_id in seen:
                    continue
                seen.add(member_id)
                batch.append(
                    Receipt(
                        document_id=document_id,
                        dispatch_id=dispatch.pk,
                        member_id=member_id,
                        organization_id=org_id,
                        org_path=path,
                        received_at=now,
                    )
                )
                if len(batch) >= RECEIPT_BATCH:
                    flush()
        flush()
    return Receipt.objects.filter(document_id=document_id).count() - before


# --- A member's own reading ----------------------------------------------------------------------
def _own(user: User, receipt: Receipt) -> None:
    """Only the member themself records their reading."""
    if not user.is_authenticated or receipt.member.user_id != user.pk:
        raise PermissionDenied(_("Chỉ chính đảng viên nhận văn bản mới ghi nhận được việc đọc, học tập văn bản."))


def receipt_open(*, user: User, receipt: Receipt) -> Receipt:
    _own(user, receipt)
    if receipt.opened_at is None:
        receipt.opened_at = timezone.now()
        with audited(user):
            receipt.save(update_fields=["opened_at"])
    return receipt


def receipt_confirm(*, user: User, receipt: Receipt) -> Receipt:
    """The member confirms having studied the document (once; again changes nothing)."""
    _own(user, receipt)
    if receipt.studied_at is not None:
        return receipt
    now = timezone.now()
    receipt.studied_at = now
    receipt.opened_at = receipt.opened_at or now
    with audited(user):
        receipt.save(update_fields=["opened_at", "studied_at"])
    return receipt


def _user_member(user: User) -> Member:
    member = getattr(user, "member", None) if user.is_authenticated else None
    if member is None:
        raise ValidationError(_("Tài khoản của đồng chí chưa gắn với hồ sơ đảng viên."))
    return member


def bookmark_set(*, user: User, document: Document, on: bool) -> Bookmark | None:
    member = _user_member(user)
    if not _visible(user, document):
        raise PermissionDenied
    with audited(user):
        bookmark = Bookmark.objects.filter(member=member, document=document).first()
        if bookmark is None:
            if not on:
                return None
            return Bookmark.objects.create(member=member, document=document)
        if bookmark.active != on:
            bookmark.active = on
            bookmark.save(update_fields=["active"])
    return bookmark


# --- Study sessions --------------------------------------------------------------------------------
def session_create(
    *,
    user: User,
    document: Document,
    organization: Organization,
    title: str,
    held_on,
    place: str = "",
    presenter: str = "",
    reflection_required: bool = False,
) -> StudySession:
    require_org(user, organization, CHANGE)
    if not _visible(user, document):
        raise PermissionDenied
    errors = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Hãy ghi tên buổi học tập.")
    if not held_on:
        errors["held_on"] = _("Hãy ghi ngày học tập.")
    if errors:
        raise ValidationError(errors)
    with audited(user):
        return StudySession.objects.create(
            document=document,
            organization=organization,
            title=title,
            held_on=held_on,
            place=(place or "").strip(),
            presenter=(presenter or "").strip(),
            reflection_required=bool(reflection_required),
            created_by=user,
        )


def session_attendance(*, user: User, session: StudySession, members: Iterable[Member]) -> int:
    """Record who attended (the members given); others recorded before are marked absent."""
    require_org(user, session.organization, CHANGE)
    members = list(members)
    if any(not m.org_path.startswith(session.org_path) for m in members):
        raise ValidationError(
            {"members": _("Chỉ ghi được đảng viên thuộc %(org)s.") % {"org": session.organization.name}}
        )
    present = {m.pk for m in members}
    with audited(user):
        existing = {a.member_id: a for a in session.attendances.all()}
        for member_id, attendance in existing.items():
            should = member_id in present
            if attendance.attended != should:
                attendance.attended = should
                attendance.save(update_fields=["attended"])
        for member_id in present - set(existing):
            Attendance.objects.create(session=session, member_id=member_id, attended=True)
    return len(present)


def reflection_submit(*, user: User, session: StudySession, text: str) -> Reflection:
    member = _user_member(user)
    if not member.org_path.startswith(session.org_path):
        raise PermissionDenied
    if not session.reflection_required:
        raise ValidationError(_("Buổi học tập này không yêu cầu bài thu hoạch."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Hãy viết bài thu hoạch.")})
    with audited(user):
        reflection = Reflection.objects.filter(session=session, member=member).first()
        if reflection is None:
            return Reflection.objects.create(session=session, member=member, text=text)
        if reflection.grade:
            raise ValidationError(_("Bài thu hoạch đã được chấm, không sửa được nữa."))
        reflection.text = text
        reflection.submitted_at = timezone.now()
        reflection.save(update_fields=["text", "submitted_at"])
    return reflection


def reflection_grade(*, user: User, reflection: Reflection, grade: str) -> Reflection:
    require_org(user, reflection.session.organization, CHANGE)
    if grade not in Grade.values:
        raise ValidationError({"grade": _("Hãy chọn kết quả.")})
    if reflection.member.user_id == user.pk and not scope_for(user).is_admin:
        raise ValidationError(_("Không tự chấm bài thu hoạch của mình."))
    reflection.grade = grade
    reflection.graded_at = timezone.now()
    reflection.graded_by = user
    with audited(user):
        reflection.save(update_fields=["grade", "graded_at", "graded_by"])
    return reflection


# --- Seminars ------------------------------------------------------------------------------------
def seminar_create(
    *,
    user: User,
    organization: Organization,
    kind: str,
    title: str,
    held_on,
    place: str = "",
    participants: str = "",
    participant_count=None,
    documents: Iterable[Document] = (),
    conclusions: str = "",
) -> Seminar:
    require_org(user, organization, CHANGE)
    documents = list(documents)
    errors = {}
    if kind not in SeminarKind.values:
        errors["kind"] = _("Hãy chọn hình thức.")
    if not (title or "").strip():
        errors["title"] = _("Hãy ghi chủ đề.")
    if not held_on:
        errors["held_on"] = _("Hãy ghi ngày tổ chức.")
    visible = set(
        Document.objects.restrict(user, VIEW).filter(pk__in=[d.pk for d in documents]).values_list("pk", flat=True)
    )
    if any(d.pk not in visible for d in documents):
        errors["documents"] = _("Không tìm thấy văn bản trong thư viện của đồng chí.")
    if errors:
        raise ValidationError(errors)
    with audited(user):
        seminar = Seminar.objects.create(
            organization=organization,
            kind=kind,
            title=title.strip(),
            held_on=held_on,
            place=(place or "").strip(),
            participants=(participants or "").strip(),
            participant_count=participant_count,
            conclusions=(conclusions or "").strip(),
            created_by=user,
        )
        seminar.documents.set(documents)
    return seminar


def seminar_conclude(*, user: User, seminar: Seminar, conclusions: str) -> Seminar:
    require_org(user, seminar.organization, CHANGE)
    conclusions = (conclusions or "").strip()
    if not conclusions:
        raise ValidationError({"conclusions": _("Hãy ghi kết luận.")})
    seminar.conclusions = conclusions
    with audited(user):
        seminar.save(update_fields=["conclusions"])
    return seminar
