"""Member lists into the registry: check a sheet, and insert it only if every row is good.

Import is three steps, each usable alone (the benchmark times them separately):
`parsing.parse_workbook(file)` reads the sheet and finds the heading row (`headings`);
`checking.check_rows(sheet, ...)` turns rows into unsaved members and names every problem row by
row; `import_members(...)` does both and, only if no row has a problem, inserts everything in one
transaction (members and their admission/recognition history) through `apps.core.bulk` (COPY on
PostgreSQL, one prepared statement run many times on SQLite), with their audit entries.
Upload → preview → confirm keeps the file in an `ImportBatch` (`batch_create`, `batch_confirm`).
"""

from __future__ import annotations

import logging
from operator import attrgetter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.core import bulk
from apps.core.files import check_size, original_name
from apps.core.services import audited, require_org
from apps.members.models import Member, MemberNameKey, StatusChange, StatusChangeKind
from apps.members.services import first_steps
from apps.organizations.models import Organization

from .checking import IMPORTED_STEPS, CheckResult, RowResult, check_rows
from .models import BatchStatus, ImportBatch
from .parsing import ImportFileError, Sheet, check_workbook_package, gc_paused, parse_workbook

logger = logging.getLogger(__name__)

PREVIEW_ROWS = 1000  # rows kept for the preview page


class ImportRejected(Exception):
    def __init__(self, check: CheckResult):
        super().__init__(_("Tệp có lỗi; chưa nhập đảng viên nào."))
        self.check = check


MEMBER_ATTNAMES = [f.attname for f in Member._meta.concrete_fields if not f.primary_key]
HISTORY_ATTNAMES = ["member_id", "kind", "date", "status", "organization_id", "other_organization_name"]
NAME_KEY_ATTNAMES = ["member_id", "key", "sort_key", "org_path", "status"]


def _insert(rows: list[RowResult], *, user: User, source: str = "") -> int:
    """Insert the checked rows' members and their first history steps (members.services.first_steps).

    The bulk writer leaves the audit entries `save()` would have (one per member and per history
    step, attributed to the importing user); each member's first history step also names the file.
    """
    members = [r.member for r in rows]
    for member in members:  # status and status_since as the check read them
        member.refresh_derived()
    values_of = attrgetter(*MEMBER_ATTNAMES)
    ids = bulk.insert(Member, MEMBER_ATTNAMES, [values_of(m) for m in members])
    history: list[tuple] = []
    for row, pk in zip(rows, ids, strict=True):
        member = row.member
        member.pk = pk
        member._state.adding = False
        for kind, on, status in first_steps(member, row.transferred_in_on):
            came_from = row.transferred_from if kind == StatusChangeKind.TRANSFER_IN else ""
            history.append((pk, str(kind), on, str(status), member.organization_id, came_from))
        if member.status in IMPORTED_STEPS:  # exempted, moved away, deceased…: the step that led there
            step = str(IMPORTED_STEPS[member.status])
            history.append((pk, step, member.status_since, str(member.status), member.organization_id, ""))
    now = timezone.now()
    note = _("Nhập từ Excel%(source)s bởi %(user)s lúc %(at)s") % {
        "source": f" ({source})" if source else "",
        "user": user,
        "at": timezone.localtime(now).strftime("%d/%m/%Y %H:%M"),
    }
    bulk.insert(StatusChange, HISTORY_ATTNAMES, history, {"note": note, "recorded_at": now})
    keys = [(m.pk, key, m.sort_key, m.org_path, m.status) for m in members for key in m.name_keys()]
    bulk.insert(MemberNameKey, NAME_KEY_ATTNAMES, keys)
    return len(members)


@gc_paused
def import_members(*, user: User, organization: Organization, file=None, sheet: Sheet | None = None) -> int:
    """Parse (unless `sheet` is given), check and, if every row is good, import in one transaction.

    Returns the number of members created. Raises ImportFileError (unreadable file) or
    ImportRejected (with the row-by-row problems); in both cases nothing is written.
    """
    if sheet is None:
        sheet = parse_workbook(file)
    try:
        with audited(user):
            check = check_rows(sheet, user=user, organization=organization)
            if check.ok:
                return _insert(check.rows, user=user, source=getattr(file, "name", ""))
    except IntegrityError:
        raise ImportFileError(_CHANGED_MESSAGE) from None
    # Raised after the block, so that what the check recorded (apps.members.identifiers) is kept.
    raise ImportRejected(check)


# Someone registered the same card or CCCD between the check and the insert.
_CHANGED_MESSAGE = gettext_lazy("Sổ đảng viên vừa thay đổi trong lúc nhập; hãy xem trước và xác nhận lại.")


# ---------------------------------------------------------------------------------------------
# Batches: upload → preview → confirm
# ---------------------------------------------------------------------------------------------
def _preview_rows(check: CheckResult, limit: int = PREVIEW_ROWS) -> list[dict]:
    rows = []
    for r in check.rows[:limit]:
        m = r.member
        rows.append(
            {
                "row": r.row,
                "name": m.full_name,
                "gender": m.get_gender_display() if m.gender else "",
                "birth_date": m.birth_date.strftime("%d/%m/%Y") if m.birth_date else "",
                "admission_date": m.admission_date.strftime("%d/%m/%Y") if m.admission_date else "",
                "full_membership_date": m.full_membership_date.strftime("%d/%m/%Y") if m.full_membership_date else "",
                "card_number": m.card_number or "",
                "citizen_id": m.citizen_id or "",
                "cell": r.cell_name,
                "messages": r.messages,
            }
        )
    return rows


def _apply_check(batch: ImportBatch, check: CheckResult) -> None:
    batch.row_count = len(check.rows)
    batch.error_row_count = len(check.error_rows)
    batch.errors = check.errors_json()
    batch.preview = _preview_rows(check)
    batch.columns = {
        "found": sorted(check.sheet.columns, key=check.sheet.columns.__getitem__),
        "unused": check.sheet.unused_headings,
        "heading_row": check.sheet.heading_row,
    }
    batch.status = BatchStatus.READY if check.ok else BatchStatus.INVALID


def accepted_upload_name(upload) -> str:
    """The uploaded file's own name, once it is an .xlsx within the size bound (ValidationError if not)."""
    name = original_name(getattr(upload, "name", ""))
    if not name.lower().endswith((".xlsx", ".xlsm")):
        raise ValidationError(_("Chỉ nhận tệp Excel .xlsx. Nếu tệp là .xls, hãy mở bằng Excel và lưu lại dạng .xlsx."))
    check_size(upload, settings.IMPORT_MAX_UPLOAD_BYTES)
    return name


def batch_create(*, user: User, organization: Organization, upload) -> ImportBatch:
    """Keep an uploaded file and queue its check (tasks.check_batch). Raises ValidationError if the
    file cannot be a workbook: that answer comes at once, on the upload page. Reading the rows
    takes seconds for a province's list, so it is the check's work, and so is what it finds."""
    require_org(user, organization)
    name = accepted_upload_name(upload)
    try:
        check_workbook_package(upload)
    except ImportFileError as exc:
        raise ValidationError(str(exc)) from None
    batch = ImportBatch(organization=organization, user=user, file_name=name, status=BatchStatus.QUEUED)
    with audited(user):
        batch.file.save(name, upload, save=False)
        batch.save()
    from .tasks import check_batch

    check_batch.enqueue(batch.pk)
    return batch


def _report(batch_id: int, **fields) -> None:
    """A background task's state, written at once (outside its own transaction) for the page to poll."""
    ImportBatch.objects.filter(pk=batch_id).update(updated_at=timezone.now(), **fields)


@gc_paused
def batch_check(batch_id: int) -> None:
    """The queued check of an uploaded file (run by the worker): the preview, the errors, the rows."""
    batch = ImportBatch.objects.select_related("organization", "user").get(pk=batch_id)
    if batch.status not in (BatchStatus.QUEUED, BatchStatus.CHECKING):
        return  # already checked: a task run again after a restart changes nothing
    _report(batch_id, status=BatchStatus.CHECKING, progress=0, row_count=0)  # 0 rows: the file is being read
    try:
        sheet = read_kept_file(batch, parse_workbook)
        _report(batch_id, row_count=len(sheet.rows))
        check = check_rows(
            sheet,
            user=batch.user,
            organization=batch.organization,
            on_progress=lambda rows: _report(batch_id, progress=rows),
        )
    except ValidationError as exc:
        _report(batch_id, status=BatchStatus.INVALID, errors=[{"row": None, "name": "", "messages": exc.messages}])
        return
    _apply_check(batch, check)
    batch.progress = len(check.rows)
    batch.save()


def read_kept_file(batch: ImportBatch, parse) -> Sheet:
    """The batch's kept file, parsed again (ValidationError if it can no longer be read)."""
    try:
        with batch.file.open("rb") as handle:
            return parse(handle)
    except (ImportFileError, OSError) as exc:
        raise ValidationError(str(exc)) from None


def batch_confirm(*, user: User, batch: ImportBatch) -> None:
    """Queue the import of a checked file (tasks.import_batch). Only a ready file, and only once:
    the status moves to "importing" in one conditional update, so a second click queues nothing."""
    require_org(user, batch.organization)
    if batch.status == BatchStatus.IMPORTED:
        raise ValidationError(_("Tệp này đã được nhập rồi."))
    # A failed import may be tried again: it wrote nothing.
    moved = ImportBatch.objects.filter(pk=batch.pk, status__in=(BatchStatus.READY, BatchStatus.FAILED)).update(
        status=BatchStatus.IMPORTING, progress=0, failure="", updated_at=timezone.now()
    )
    if not moved:
        raise ValidationError(_("Tệp này đang được nhập hoặc chưa kiểm tra xong."))
    from .tasks import import_batch

    import_batch.enqueue(batch.pk, user.pk)


@gc_paused
def batch_import(batch_id: int, user_id: int) -> None:
    """The queued import (run by the worker): the file checked again against the registry as it is
    now, then written; all or nothing. A failure is written on the batch, with nothing imported."""
    batch = ImportBatch.objects.select_related("organization").get(pk=batch_id)
    if batch.status != BatchStatus.IMPORTING:
        return  # imported already: a task run again after a restart changes nothing
    user = User.objects.get(pk=user_id)
    try:
        _import(batch, user)
    except ValidationError as exc:
        _report(batch_id, status=BatchStatus.INVALID, failure=" ".join(exc.messages))
    except Exception:
        logger.exception("Import of batch %s failed", batch_id)
        _report(
            batch_id,
            status=BatchStatus.FAILED,
            failure=_("Lỗi khi nhập; chưa ghi đảng viên nào. Hãy bấm nhập lại; nếu vẫn lỗi, báo quản trị hệ thống."),
        )


def _import(batch: ImportBatch, user: User) -> None:
    sheet = read_kept_file(batch, parse_workbook)
    try:
        with audited(user):
            locked = ImportBatch.objects.select_for_update().select_related("organization").get(pk=batch.pk)
            if locked.status != BatchStatus.IMPORTING:
                return
            check = check_rows(sheet, user=user, organization=locked.organization)
            if check.ok:
                locked.imported_count = _insert(
                    check.rows,
                    user=user,
                    source=_("tệp %(file)s, lần tải số %(batch)s") % {"file": locked.file_name, "batch": locked.pk},
                )
                locked.status = BatchStatus.IMPORTED
                locked.imported_at = timezone.now()
                locked.progress = len(check.rows)
                locked.save(update_fields=["status", "imported_count", "imported_at", "progress", "updated_at"])
            else:
                _apply_check(locked, check)
                locked.failure = _("Tệp có lỗi; chưa nhập đảng viên nào.")
                locked.save()
    except IntegrityError:
        raise ValidationError(str(_CHANGED_MESSAGE)) from None
