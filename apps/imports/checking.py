"""Checking a member list: each row becomes an unsaved member and a list of what is wrong with it.

One small reader per column (or group of columns that make one field) appends its messages;
`check_rows` runs them over every row, then checks the numbers that must be unique across the
file and against the registry. Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.plausibility import surely_plausible
from apps.core.scoping import CHANGE, scope_for
from apps.core.services import require_org
from apps.core.text import split_full_name
from apps.members.identifiers import identifier_clashes
from apps.members.models import (
    PROBATION_MONTHS,
    Education,
    Gender,
    Member,
    PoliticalTheory,
    Status,
    StatusChangeKind,
)
from apps.members.services import MIN_ADMISSION_AGE, transfer_in_problem, validate_member
from apps.organizations.models import CELL_KINDS, Organization

from .headings import HEADING_ALIASES
from .parsing import (
    EDUCATION_CONTAINS,
    EDUCATION_EXACT,
    GENDER_VALUES,
    THEORY_CONTAINS,
    THEORY_EXACT,
    TRUE_MARKS,
    BadDate,
    Choices,
    Sheet,
    cell_date,
    cell_digits,
    cell_text,
    gc_paused,
    value_key,
)

MAX_STORED_ERROR_ROWS = 5000
# The free-text fields whose length the model bounds.
TEXT_FIELDS = (
    "family_name",
    "middle_name",
    "given_name",
    "ethnicity",
    "religion",
    "hometown",
    "residence",
    "phone",
    "email",
    "general_education",
    "occupation",
    "position",
    "card_number",
)


@dataclass
class RowResult:
    row: int
    member: Member
    cell_name: str
    messages: list[str]
    transferred_in_on: dt.date | None = None  # came by transfer on that day, from…
    transferred_from: str = ""


@dataclass
class CheckResult:
    organization: Organization
    sheet: Sheet
    rows: list[RowResult]
    file_errors: list[str]

    @property
    def error_rows(self) -> list[RowResult]:
        return [r for r in self.rows if r.messages]

    @property
    def ok(self) -> bool:
        return not self.file_errors and not any(r.messages for r in self.rows)

    def errors_json(self, limit: int = MAX_STORED_ERROR_ROWS) -> list[dict]:
        out = [{"row": None, "name": "", "messages": list(self.file_errors)}] if self.file_errors else []
        for r in self.error_rows[:limit]:
            out.append({"row": r.row, "name": r.member.full_name, "messages": r.messages})
        return out


class Cells:
    """The cells a row may name, among those in the target organization's subtree the user may change."""

    def __init__(self, user, organization: Organization):
        self.target = organization
        self.single = organization.is_cell
        self.by_key: dict[str, list[Organization]] = {}
        self.cache: dict = {}  # a file names the same few cells on every row
        if self.single:
            return
        scope = scope_for(user)
        cells = Organization.objects.in_subtree(organization).current().filter(kind__in=CELL_KINDS)
        for cell in cells:
            if not scope.reaches_org(cell, CHANGE):
                continue
            keys = {value_key(cell.name), value_key(cell.short_name), value_key(cell.code)}
            keys |= {k.removeprefix("chi bo ") for k in keys if k.startswith("chi bo ")}
            for key in keys - {""}:
                self.by_key.setdefault(key, []).append(cell)

    def resolve(self, value) -> tuple[Organization | None, str | None]:
        if self.single:
            return self.target, None
        try:
            return self.cache[value]
        except KeyError:
            pass
        except TypeError:  # an unhashable value cannot come from a sheet, but be safe
            return self._resolve(value)
        result = self.cache[value] = self._resolve(value)
        return result

    def _resolve(self, value) -> tuple[Organization | None, str | None]:
        text = cell_text(value)
        if not text:
            return None, _("Thiếu chi bộ.")
        key = value_key(text)
        found = self.by_key.get(key) or self.by_key.get(key.removeprefix("chi bo "))
        if not found:
            return None, _("Không có chi bộ “%(cell)s” trong %(org)s.") % {"cell": text, "org": self.target.name}
        if len({c.pk for c in found}) > 1:
            return None, _("Có nhiều chi bộ tên “%(cell)s”; hãy ghi mã chi bộ.") % {"cell": text}
        return found[0], None


_MEMBER_FIELDS = Member._meta.concrete_fields
_MEMBER_POSITION = {f.attname: i for i, f in enumerate(_MEMBER_FIELDS)}
_MEMBER_DEFAULTS = [f.get_default() for f in _MEMBER_FIELDS]


def new_member(**values) -> Member:
    """An unsaved Member built from positional values, Django's own fast path (as `Model.from_db`).

    Keyword construction looks up every field and its default per instance, which for 100.000
    rows is a third of the checking time.
    """
    args = _MEMBER_DEFAULTS.copy()
    for name, value in values.items():
        args[_MEMBER_POSITION[name]] = value
    return Member(*args)


def surely_valid(birth: dt.date, admission: dt.date, full: dt.date | None, today: dt.date) -> bool:
    """A quick test that a row passes `validate_member`'s date rules; when in doubt, say no.

    Calling `validate_member` (relativedelta) for 100.000 good rows costs seconds, so rows that
    pass this plain comparison skip it; every other row gets the real rules and their messages.
    """
    if not surely_plausible(birth, admission, full, today):  # the shared date rules (apps.core.plausibility)
        return False
    if birth.month == 2 and birth.day == 29 or admission.month == 2 and admission.day == 29:
        return False
    if admission < birth.replace(year=birth.year + MIN_ADMISSION_AGE):
        return False
    return full is None or full >= admission.replace(year=admission.year + PROBATION_MONTHS // 12)


class _Row:
    """One padded row and where each column sits; a column missing from the sheet reads as the empty
    cell at the end."""

    __slots__ = ("at", "has", "values")

    def __init__(self, at: dict[str, int], has: dict[str, bool], values: tuple):
        self.at, self.has, self.values = at, has, values

    def __getitem__(self, key: str):
        return self.values[self.at[key]]


# --- One reader per column: each returns the field's value and appends its messages. ---


def read_name(row: _Row, messages: list[str]) -> tuple[str, str, str]:
    if row.has["given_name"]:
        given = cell_text(row["given_name"])
        family, middle = cell_text(row["family_name"]), cell_text(row["middle_name"])
        if row.has["family_middle"] and not family:
            family, middle, _last = split_full_name(cell_text(row["family_middle"]) + " x")
    else:
        family, middle, given = split_full_name(cell_text(row["full_name"]))
    if not given:
        messages.append(_("Thiếu họ và tên."))
    elif not family:
        messages.append(_("Thiếu họ (chỉ có tên “%(name)s”).") % {"name": given})
    return family, middle, given


def read_gender(row: _Row, messages: list[str]) -> str:
    written = cell_text(row["gender"])
    if written:
        gender = GENDER_VALUES.get(value_key(written), "")
        if not gender:
            messages.append(_("Giới tính “%(value)s” không rõ (ghi Nam hoặc Nữ).") % {"value": written})
        return gender
    if row.has["male_mark"] or row.has["female_mark"]:  # a mark in a "Nam" or a "Nữ" column
        male = value_key(cell_text(row["male_mark"])) in TRUE_MARKS
        female = value_key(cell_text(row["female_mark"])) in TRUE_MARKS
        if male != female:
            return Gender.MALE if male else Gender.FEMALE
    messages.append(_("Thiếu giới tính."))
    return ""


def read_date(row: _Row, key: str, label: str, missing: str | None, messages: list[str]) -> dt.date | None:
    try:
        day = cell_date(row[key])
    except BadDate as exc:
        messages.append(f"{label}: {exc}")
        return None
    if day is None and missing:
        messages.append(missing)
    return day


def read_choice(row: _Row, key: str, choices: Choices, unknown: str, messages: list[str]) -> str:
    written = cell_text(row[key])
    code = choices.get(written)
    if code is None:
        messages.append(unknown % {"value": written})
    return code or ""


def read_general_education(row: _Row) -> str:
    value = row["general_education"]
    if isinstance(value, dt.date):  # Excel turned "12/12" into a date
        value = f"{value.day}/{value.month}"
    return cell_text(value)


def read_citizen_id(row: _Row, messages: list[str]) -> str | None:
    value = cell_digits(row["citizen_id"], (12, 9)) or None
    if value and not (value.isdigit() and len(value) in (9, 12)):
        messages.append(_("Số CCCD “%(value)s” phải gồm 12 chữ số (hoặc 9 chữ số với CMND cũ).") % {"value": value})
    return value


def read_card_number(row: _Row, messages: list[str]) -> str | None:
    value = cell_digits(row["card_number"]) or None
    if value and (len(value) > 20 or not value.replace("-", "").isalnum()):
        messages.append(_("Số thẻ đảng viên “%(value)s” không hợp lệ.") % {"value": value})
    return value


# The statuses a list may carry besides probationary and full, each with the step that led there.
IMPORTED_STEPS: dict[str, str] = {
    Status.TEMP_OUT: StatusChangeKind.TEMP_OUT,
    Status.EXEMPTED: StatusChangeKind.EXEMPTED,
    Status.SUSPENDED: StatusChangeKind.SUSPENDED,
    Status.TRANSFERRED_OUT: StatusChangeKind.TRANSFER_OUT,
    Status.STRUCK_OFF: StatusChangeKind.STRUCK_OFF,
    Status.DISMISSED: StatusChangeKind.DISMISSED,
    Status.EXPELLED: StatusChangeKind.EXPELLED,
    Status.DECEASED: StatusChangeKind.DECEASED,
}


def read_status(
    row: _Row, statuses: Choices, dates: tuple, today: dt.date, messages: list[str]
) -> tuple[str, dt.date | None]:
    """The member's status and since when: as written (the export's labels or codes), or, left
    empty, probationary or full by the full membership date."""
    admission, full = dates
    base = Status.FULL if full else Status.PROBATIONARY
    written = cell_text(row["status"])
    if not written:
        return base, full or admission
    status = statuses.get(written)
    if status is None:
        messages.append(
            _("Tình trạng “%(value)s” không rõ (ghi như tệp xuất, ví dụ: Chính thức, Dự bị).") % {"value": written}
        )
        return base, full or admission
    if status == Status.TEMP_IN:
        messages.append(
            _("Đảng viên sinh hoạt tạm thời không nhập từ danh sách: hãy ghi ở trang chuyển sinh hoạt tạm thời đến.")
        )
        return base, full or admission
    if status in (Status.PROBATIONARY, Status.FULL):
        if status != base:
            messages.append(
                _("Tình trạng “Chính thức” cần ngày chính thức.")
                if status == Status.FULL
                else _("Tình trạng “Dự bị” nhưng đã có ngày chính thức.")
            )
        return base, full or admission
    since = read_date(row, "status_since", _("Ngày tình trạng"), _("Thiếu ngày tình trạng."), messages)
    if since is not None:
        start = full or admission
        if start and since < start:
            messages.append(
                _("Ngày tình trạng %(day)s trước ngày %(start)s.")
                % {"day": since.strftime("%d/%m/%Y"), "start": start.strftime("%d/%m/%Y")}
            )
        elif since > today:
            messages.append(_("Ngày tình trạng ở tương lai."))
    return status, since


def missing_columns(columns: dict[str, int], organization: Organization, cells: Cells) -> list[str]:
    """What the file as a whole lacks: the organization still working, and the required columns."""
    errors = []
    if organization.ended_on:
        errors.append(_("Tổ chức đảng này đã kết thúc hoạt động."))
    if "given_name" not in columns and "full_name" not in columns:
        errors.append(_("Tệp thiếu cột “Họ và tên”."))
    for key, label in (("birth_date", _("Ngày sinh")), ("admission_date", _("Ngày vào Đảng"))):
        if key not in columns:
            errors.append(_("Tệp thiếu cột “%(column)s”.") % {"column": label})
    if "gender" not in columns and "male_mark" not in columns and "female_mark" not in columns:
        errors.append(_("Tệp thiếu cột “Giới tính”."))
    if not cells.single and "cell" not in columns:
        errors.append(
            _("Tệp thiếu cột “Chi bộ”: khi nhập vào %(org)s, mỗi dòng phải ghi chi bộ sinh hoạt.")
            % {"org": organization.name}
        )
    return errors


class _FirstRow:
    """The first row of the file that gave each number; a later row with it is a duplicate."""

    def __init__(self, message: str):
        self.rows: dict[str, int] = {}
        self.message = message

    def see(self, value: str | None, number: int, messages: list[str]) -> None:
        if not value:
            return
        first = self.rows.setdefault(value, number)
        if first != number:
            messages.append(self.message % {"value": value, "row": first})

    def is_first(self, value: str | None, number: int) -> bool:
        return bool(value) and self.rows.get(value) == number


PROGRESS_EVERY = 2000  # rows between two progress reports


@gc_paused
def check_rows(sheet: Sheet, *, user, organization: Organization, on_progress=None) -> CheckResult:
    """Turn the sheet's rows into unsaved members and name every problem, row by row.
    `on_progress(rows checked)` is called every PROGRESS_EVERY rows (a background task's page)."""
    require_org(user, organization)
    cols = sheet.columns
    cells = Cells(user, organization)
    file_errors = missing_columns(cols, organization, cells)
    if not sheet.rows:
        file_errors.append(_("Trang tính không có dòng dữ liệu nào dưới dòng tiêu đề."))

    today = timezone.localdate()
    education = Choices(EDUCATION_EXACT, EDUCATION_CONTAINS, Education.choices)
    theory = Choices(THEORY_EXACT, THEORY_CONTAINS, PoliticalTheory.choices)
    unknown_education = _("Trình độ chuyên môn “%(value)s” không rõ (ví dụ: Đại học, Thạc sĩ, Trung cấp).")
    unknown_theory = _("Lý luận chính trị “%(value)s” không rõ (Sơ cấp, Trung cấp, Cao cấp, Cử nhân).")
    dates = (
        ("birth_date", _("Ngày sinh"), _("Thiếu ngày sinh.")),
        ("admission_date", _("Ngày vào Đảng"), _("Thiếu ngày vào Đảng.")),
        ("full_membership_date", _("Ngày chính thức"), None),
    )
    limits = [
        (name, field.max_length, str(field.verbose_name).capitalize())
        for name in TEXT_FIELDS
        if (field := Member._meta.get_field(name)).max_length
    ]
    statuses = Choices({value_key(code): code for code in Status.values}, (), Status.choices)
    cards = _FirstRow(_("Số thẻ đảng viên %(value)s trùng với dòng %(row)s."))
    cids = _FirstRow(_("Số CCCD %(value)s trùng với dòng %(row)s."))

    width = max(cols.values(), default=0) + 1
    at = {key: cols.get(key, width) for key in HEADING_ALIASES}
    has = {key: key in cols for key in HEADING_ALIASES}
    results: list[RowResult] = []
    for count, (number, raw) in enumerate(sheet.rows):
        if on_progress is not None and count and count % PROGRESS_EVERY == 0:
            on_progress(count)
        row = _Row(at, has, (*raw[:width], *(None,) * (width - len(raw)), None))
        messages: list[str] = []
        family, middle, given = read_name(row, messages)
        gender = read_gender(row, messages)
        birth, admission, full = (read_date(row, key, label, missing, messages) for key, label, missing in dates)
        member = new_member(
            family_name=family,
            middle_name=middle,
            given_name=given,
            gender=gender,
            birth_date=birth,
            ethnicity=cell_text(row["ethnicity"]) or "Kinh",
            religion=cell_text(row["religion"]) or "Không",
            hometown=cell_text(row["hometown"]),
            residence=cell_text(row["residence"]),
            phone=cell_digits(row["phone"], (10,)),
            email=cell_text(row["email"]),
            education=read_choice(row, "education", education, unknown_education, messages),
            general_education=read_general_education(row),
            political_theory=read_choice(row, "political_theory", theory, unknown_theory, messages),
            occupation=cell_text(row["occupation"]),
            position=cell_text(row["position"]),
            admission_date=admission,
            full_membership_date=full,
        )
        member.status, member.status_since = read_status(row, statuses, (admission, full), today, messages)
        cell, cell_error = cells.resolve(row["cell"])
        if cell_error:
            messages.append(cell_error)
        member.organization = cell or organization
        for name, limit, label in limits:
            if len(getattr(member, name) or "") > limit:
                messages.append(_("%(field)s dài quá %(limit)s ký tự.") % {"field": label, "limit": limit})
        if member.email:
            try:
                validate_email(member.email)
            except ValidationError:
                messages.append(_("Email “%(value)s” không hợp lệ.") % {"value": member.email})
        # The member sheet's own rules (future dates, age at admission, 12 months of probation).
        if birth is None or admission is None or not surely_valid(birth, admission, full, today):
            try:
                validate_member(member)
            except ValidationError as exc:
                for field_messages in exc.message_dict.values():
                    messages.extend(field_messages)
        member.citizen_id = read_citizen_id(row, messages)
        member.card_number = read_card_number(row, messages)
        cards.see(member.card_number, number, messages)
        cids.see(member.citizen_id, number, messages)
        arrived = read_date(row, "transferred_in_on", _("Ngày chuyển đến"), None, messages)
        if arrived is not None and (problem := transfer_in_problem(member, arrived, today)):
            messages.append(problem)
        source = cell_text(row["transferred_from"])
        if source and arrived is None:
            messages.append(_("Có nơi chuyển đến “%(value)s” nhưng thiếu ngày chuyển đến.") % {"value": source})
        result = RowResult(number, member, (cell or organization).name, messages, arrived, source)
        results.append(result)

    # Against the registry, through the one check of apps.members.identifiers: a holder is named
    # only inside the user's reach, and out-of-reach hits are recorded and throttled. Each number's
    # first row in the file is checked, in the order of the rows.
    checked: list[tuple[RowResult, str]] = []
    for result in results:
        member = result.member
        if cards.is_first(member.card_number, result.row):
            checked.append((result, "card_number"))
        if cids.is_first(member.citizen_id, result.row):
            checked.append((result, "citizen_id"))
    found = identifier_clashes(user, [(field, getattr(r.member, field)) for r, field in checked])
    for position, message in sorted(found.items()):
        checked[position][0].messages.append(message)
    return CheckResult(organization=organization, sheet=sheet, rows=results, file_errors=file_errors)
