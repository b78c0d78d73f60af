"""Training records from Excel (the sheet `members:training_export` writes): the member list's
rules — the package checked before it is read, the same row bound, every row checked, nothing
written unless every row is good (all or nothing)."""

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.core.scoping import CHANGE
from apps.core.services import audited, require_org
from apps.core.text import fold
from apps.members.models import Member, TrainingKind, TrainingRecord, TrainingResult
from apps.members.services import sync_theory_levels, validate_training
from apps.organizations.models import Organization

from .headings import heading_key
from .parsing import BadDate, cell_date, cell_digits, cell_text, parse_workbook

# Heading → field, from the export's headings (and a few variants officials type).
TRAINING_HEADINGS: dict[str, str] = {
    heading_key(alias): key
    for key, aliases in {
        "card_number": ("Số thẻ đảng viên", "Số thẻ", "Số thẻ ĐV"),
        "full_name": ("Họ và tên", "Họ tên"),
        "kind": ("Loại đào tạo", "Loại"),
        "title": ("Tên khóa học, văn bằng", "Tên khóa học", "Văn bằng"),
        "institution": ("Cơ sở đào tạo", "Nơi đào tạo"),
        "starts_on": ("Từ ngày", "Ngày bắt đầu"),
        "ends_on": ("Đến ngày", "Ngày kết thúc"),
        "result": ("Kết quả",),
        "grade": ("Xếp loại",),
        "certificate": ("Số văn bằng, chứng chỉ", "Số chứng chỉ"),
    }.items()
    for alias in aliases
}
REQUIRED = ("card_number", "kind", "institution", "starts_on")


def _is_heading(columns: dict[str, int]) -> bool:
    return "card_number" in columns and "kind" in columns


def _choice_keys(choices) -> dict[str, str]:
    keys = {}
    for value, label in choices:
        keys[fold(str(label))] = value
        keys[fold(value)] = value
    return keys


@dataclass
class TrainingCheck:
    records: list[TrainingRecord] = field(default_factory=list)
    errors: list[tuple[int | None, str]] = field(default_factory=list)  # (row number, message)

    @property
    def ok(self) -> bool:
        return not self.errors


def check_training(sheet, *, user: AbstractUser, organization: Organization) -> TrainingCheck:
    """Every row read and checked; members found by card number inside the organization's subtree
    the user may change (one query)."""
    result = TrainingCheck()
    missing = [k for k in REQUIRED if k not in sheet.columns]
    if missing:
        labels = {
            "card_number": _("Số thẻ đảng viên"),
            "kind": _("Loại đào tạo"),
            "institution": _("Cơ sở đào tạo"),
            "starts_on": _("Từ ngày"),
        }
        result.errors.append((None, _("Thiếu cột: %(cols)s.") % {"cols": ", ".join(str(labels[k]) for k in missing)}))
        return result
    col = sheet.columns

    def value(row, key):
        return row[col[key]] if key in col and col[key] < len(row) else None

    cards = {cell_digits(value(row, "card_number")) for _n, row in sheet.rows}
    members = {
        m.card_number: m
        for m in Member.objects.restrict_within(user, organization, CHANGE).filter(card_number__in=cards - {""})
    }
    kinds = _choice_keys(TrainingKind.choices)
    results = _choice_keys(TrainingResult.choices)
    for number, row in sheet.rows:
        messages: list[str] = []
        card = cell_digits(value(row, "card_number"))
        member = members.get(card)
        if not card:
            messages.append(_("thiếu số thẻ đảng viên"))
        elif member is None:
            messages.append(
                _("không có đảng viên số thẻ %(card)s trong %(org)s") % {"card": card, "org": organization.name}
            )
        name = cell_text(value(row, "full_name"))
        if member is not None and name and fold(name) != fold(member.full_name):
            messages.append(
                _("số thẻ %(card)s là của %(name)s, không phải %(given)s")
                % {"card": card, "name": member.full_name, "given": name}
            )
        kind = kinds.get(fold(cell_text(value(row, "kind"))), "")
        if not kind:
            messages.append(_("loại đào tạo “%(v)s” không có trong danh mục") % {"v": cell_text(value(row, "kind"))})
        result_text = cell_text(value(row, "result"))
        outcome = results.get(fold(result_text), "") if result_text else TrainingResult.PASSED
        if not outcome:
            messages.append(_("kết quả “%(v)s” không có trong danh mục") % {"v": result_text})
        dates: dict[str, Any] = {}
        for key in ("starts_on", "ends_on"):
            try:
                dates[key] = cell_date(value(row, key))
            except BadDate as exc:
                messages.append(str(exc))
                dates[key] = None
        if member is not None and kind and outcome and not messages:
            record = TrainingRecord(
                member=member,
                kind=kind,
                title=cell_text(value(row, "title")),
                institution=cell_text(value(row, "institution")),
                starts_on=dates["starts_on"],
                ends_on=dates["ends_on"],
                result=outcome,
                grade=cell_text(value(row, "grade")),
                certificate=cell_text(value(row, "certificate")),
            )
            try:
                validate_training(record)
            except ValidationError as exc:
                messages.extend(m for ms in exc.message_dict.values() for m in ms)
            else:
                result.records.append(record)
        if messages:
            result.errors.append((number, "; ".join(messages)))
    if not sheet.rows:
        result.errors.append((None, _("Tệp không có dòng nào.")))
    return result


def import_training(*, user: AbstractUser, organization: Organization, file, confirm: bool) -> TrainingCheck:
    """Check the file; with `confirm` and no error, write every record in one transaction (each
    audited) and derive the members' theory levels. ImportFileError when unreadable."""
    require_org(user, organization)
    sheet = parse_workbook(
        file,
        headings=TRAINING_HEADINGS,
        is_heading=_is_heading,
        not_found=_("Không tìm thấy dòng tiêu đề: bảng cần có cột “Số thẻ đảng viên” và “Loại đào tạo”."),
    )
    check = check_training(sheet, user=user, organization=organization)
    if check.ok and confirm:
        with audited(user):
            for record in check.records:
                record.save()
            sync_theory_levels({r.member_id for r in check.records})
    return check
