"""A tree of organizations from .xlsx, for a committee setting up.

Each row is written through the same service as the organization pages (organizations.services),
in file order so that a row can sit under one above it, inside one transaction: the check is that
write rolled back, the import the same write kept. All or nothing: one bad row and nothing stays.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.scoping import CHANGE
from apps.core.services import audited, require_org
from apps.core.text import fold
from apps.organizations.models import CELL_KINDS, Kind, Organization, Sector
from apps.organizations.services import organization_create, organization_end

from .checking import MAX_STORED_ERROR_ROWS
from .headings import ORG_HEADINGS, ORG_REQUIRED, is_org_heading_row
from .models import BatchKind, BatchStatus, ImportBatch
from .parsing import BadDate, Choices, ImportFileError, Sheet, cell_date, cell_text, parse_workbook, value_key
from .services import accepted_upload_name, read_kept_file

PREVIEW_ROWS = 1000

NOT_FOUND = gettext_lazy(
    "Không tìm thấy dòng tiêu đề: bảng cần có cột “Tên tổ chức” cùng các cột “Mã”, “Loại tổ chức” "
    "trong 30 dòng đầu của trang tính."
)
# What officials write for a kind, besides its label and code.
KIND_WORDS = {
    "chi bo": Kind.CELL,
    "chi bo truc thuoc": Kind.CELL,
    "chi bo co so": Kind.GRASSROOTS_CELL,
    "dang bo co so": Kind.GRASSROOTS_COMMITTEE,
    "dang bo bo phan": Kind.INTERMEDIATE,
    "to dang": Kind.PARTY_GROUP,
    "dang bo huyen": Kind.DISTRICT_COMMITTEE,
    "dang bo tinh": Kind.PROVINCIAL_COMMITTEE,
}


@dataclass
class TreeRow:
    row: int
    name: str
    code: str
    kind: str
    parent: str
    founded_on: dt.date | None
    messages: list[str] = field(default_factory=list)


@dataclass
class TreeCheck:
    rows: list[TreeRow]
    file_errors: list[str]
    created: int = 0

    @property
    def ok(self) -> bool:
        return not self.file_errors and not any(r.messages for r in self.rows)


def parse_tree(file) -> Sheet:
    return parse_workbook(file, ORG_HEADINGS, is_org_heading_row, NOT_FOUND)


def tree_import(*, user: AbstractUser, organization: Organization, sheet: Sheet, commit: bool) -> TreeCheck:
    """Write the sheet's organizations under `organization`; kept only with `commit` and no bad row."""
    require_org(user, organization)
    labels = {"name": _("Tên tổ chức"), "code": _("Mã"), "kind": _("Loại tổ chức")}
    missing = [labels[key] for key in ORG_REQUIRED if key not in sheet.columns]
    file_errors = [_("Thiếu cột: %(columns)s.") % {"columns": ", ".join(missing)}] if missing else []
    if not sheet.rows:
        file_errors.append(_("Trang tính không có dòng dữ liệu nào dưới dòng tiêu đề."))
    check = TreeCheck([], file_errors)
    if file_errors:
        return check
    kinds = Choices({**{value_key(c): c for c in Kind.values}, **KIND_WORDS}, (), Kind.choices)
    sectors = Choices({value_key(c): c for c in Sector.values}, (), Sector.choices)
    # Parents are found among the rows above and the organizations the user may change under `organization`.
    reach = Organization.objects.restrict(user, CHANGE).filter(path__startswith=organization.path).current()
    known: dict[str, Organization] = {}
    for org in reach:
        known.setdefault(value_key(org.code), org)
        known.setdefault(fold(org.name), org)
    with transaction.atomic():
        for number, raw in sheet.rows:
            check.rows.append(_write_row(user, organization, sheet, number, raw, kinds, sectors, known))
        if commit and check.ok:
            check.created = len(check.rows)
        else:
            transaction.set_rollback(True)
    return check


def _write_row(user, organization, sheet, number, raw, kinds, sectors, known) -> TreeRow:
    def value(key):
        index = sheet.columns.get(key)
        return raw[index] if index is not None and index < len(raw) else None

    messages: list[str] = []
    name, code, parent_text = cell_text(value("name")), cell_text(value("code")), cell_text(value("parent"))
    kind_text, sector_text = cell_text(value("kind")), cell_text(value("sector"))
    if not name:
        messages.append(_("Thiếu tên tổ chức."))
    if not code:
        messages.append(_("Thiếu mã tổ chức."))
    kind = kinds.get(kind_text) if kind_text else None
    if kind is None:
        messages.append(
            _("Loại tổ chức “%(value)s” không rõ (ví dụ: Chi bộ trực thuộc, Đảng bộ cơ sở, Đảng bộ bộ phận).")
            % {"value": kind_text}
            if kind_text
            else _("Thiếu loại tổ chức.")
        )
    sector = sectors.get(sector_text) if sector_text else Sector.OTHER
    if sector is None:
        messages.append(_("Loại hình “%(value)s” không rõ (ví dụ: Cơ quan, Doanh nghiệp).") % {"value": sector_text})
    dates = {}
    for key, label in (("founded_on", _("Ngày thành lập")), ("ended_on", _("Ngày kết thúc"))):
        try:
            dates[key] = cell_date(value(key))
        except BadDate as exc:
            messages.append(f"{label}: {exc}")
            dates[key] = None
    parent = (known.get(value_key(parent_text)) or known.get(fold(parent_text))) if parent_text else organization
    if parent is None:
        messages.append(
            _("Không có tổ chức cấp trên “%(value)s” trong %(org)s (ghi mã hoặc tên của một dòng phía trên).")
            % {"value": parent_text, "org": organization.name}
        )
    elif kind == Kind.PARTY_GROUP and parent.kind not in CELL_KINDS:
        messages.append(_("Tổ đảng chỉ đặt dưới một chi bộ (“%(org)s” không phải chi bộ).") % {"org": parent.name})
    elif kind is not None and kind != Kind.PARTY_GROUP and parent.kind in CELL_KINDS:
        messages.append(_("Dưới chi bộ “%(org)s” chỉ có tổ đảng.") % {"org": parent.name})
    label = str(Kind(kind).label) if kind else kind_text
    row = TreeRow(number, name, code, label, parent.name if parent else parent_text, dates["founded_on"], messages)
    if row.messages:
        return row
    try:
        with transaction.atomic():
            org = organization_create(
                user=user,
                name=name,
                code=code,
                kind=kind,
                sector=sector,
                parent=parent,
                founded_on=dates["founded_on"],
                short_name=cell_text(value("short_name")),
                address=cell_text(value("address")),
            )
            if dates["ended_on"]:
                organization_end(user=user, organization=org, on=dates["ended_on"])
    except ValidationError as exc:
        row.messages = list(exc.messages)
        return row
    known[value_key(code)] = org
    known.setdefault(fold(name), org)
    return row


def tree_template_rows(organization: Organization) -> list[list]:
    """An example sheet: the headings the import reads, and two rows under `organization`."""
    return [
        ["STT", "Tên tổ chức", "Mã", "Loại tổ chức", "Loại hình", "Trực thuộc", "Ngày thành lập"],
        [1, "Đảng bộ bộ phận khu vực 1", f"{organization.code}-KV1", "Đảng bộ bộ phận", "Khác", "", "03/02/2010"],
        [
            2,
            "Chi bộ khu phố 1",
            f"{organization.code}-KV1-1",
            "Chi bộ trực thuộc",
            "Thôn, tổ dân phố, khu dân cư",
            f"{organization.code}-KV1",
            "03/02/2010",
        ],
    ]


def _apply(batch: ImportBatch, check: TreeCheck) -> None:
    bad = [r for r in check.rows if r.messages]
    batch.row_count = len(check.rows)
    batch.error_row_count = len(bad)
    batch.errors = [{"row": None, "name": "", "messages": check.file_errors}] if check.file_errors else []
    batch.errors += [{"row": r.row, "name": r.name, "messages": r.messages} for r in bad[:MAX_STORED_ERROR_ROWS]]
    batch.preview = [
        {
            "row": r.row,
            "name": r.name,
            "code": r.code,
            "kind": r.kind,
            "parent": r.parent,
            "founded_on": r.founded_on.strftime("%d/%m/%Y") if r.founded_on else "",
        }
        for r in check.rows[:PREVIEW_ROWS]
    ]
    batch.status = BatchStatus.READY if check.ok else BatchStatus.INVALID


def tree_batch_create(*, user: AbstractUser, organization: Organization, upload) -> ImportBatch:
    """Keep an uploaded tree and its check (written, then rolled back). ValidationError: unreadable file."""
    require_org(user, organization)
    name = accepted_upload_name(upload)
    try:
        sheet = parse_tree(upload)
    except ImportFileError as exc:
        raise ValidationError(str(exc)) from None
    batch = ImportBatch(organization=organization, user=user, file_name=name, kind=BatchKind.ORGANIZATIONS)
    _apply(batch, tree_import(user=user, organization=organization, sheet=sheet, commit=False))
    upload.seek(0)
    with audited(user):
        batch.file.save(name, upload, save=False)
        batch.save()
    return batch


def tree_batch_confirm(*, user: AbstractUser, batch: ImportBatch) -> int:
    """Import a previewed tree, checked again against the tree as it is now; all or nothing, once."""
    require_org(user, batch.organization)
    sheet = read_kept_file(batch, parse_tree)
    with audited(user):
        locked = ImportBatch.objects.select_for_update().select_related("organization").get(pk=batch.pk)
        if locked.status == BatchStatus.IMPORTED:
            raise ValidationError(_("Tệp này đã được nhập rồi."))
        check = tree_import(user=user, organization=locked.organization, sheet=sheet, commit=True)
        if check.ok:
            locked.status, locked.imported_count, locked.imported_at = (
                BatchStatus.IMPORTED,
                check.created,
                timezone.now(),
            )
        else:
            _apply(locked, check)
        locked.save()
    batch.refresh_from_db()
    if not check.ok:
        raise ValidationError(_("Tệp có lỗi; chưa nhập tổ chức nào."))
    return check.created
