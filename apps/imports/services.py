"""Member lists in and out of Excel, with the headings Vietnamese officials write.

Import is three steps, each usable alone (the benchmark times them separately):
`parse_workbook(file)` reads the sheet (openpyxl read-only) and finds the heading row;
`check_rows(sheet, ...)` turns rows into unsaved members and names every problem row by row,
in memory, with one query per chunk of card numbers and citizen IDs;
`import_members(...)` does both and, only if no row has a problem, inserts everything in one
transaction (members and their admission/recognition history) through the bulk path in
`_insert_rows` (COPY on PostgreSQL, one prepared statement run many times on SQLite).
Upload → preview → confirm keeps the file in an `ImportBatch` (`batch_create`, `batch_confirm`).
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import attrgetter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, connections
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel
from openpyxl.utils.exceptions import InvalidFileException

from apps.core.cleaning import tidy
from apps.core.files import check_size, original_name
from apps.core.plausibility import surely_plausible
from apps.core.scoping import CHANGE, scope_for
from apps.core.services import audited, require_org
from apps.core.text import fold, split_full_name
from apps.core.xlsx import MAX_ROWS as EXCEL_MAX_ROWS
from apps.core.xlsx import PackageRefused, PackageUnreadable, check_package
from apps.members.identifiers import identifier_clashes
from apps.members.models import (
    PROBATION_MONTHS,
    Education,
    Gender,
    Member,
    MemberNameKey,
    PoliticalTheory,
    Status,
    StatusChange,
    StatusChangeKind,
)
from apps.members.services import MIN_ADMISSION_AGE, validate_member
from apps.organizations.models import CELL_KINDS, Organization

from .models import BatchStatus, ImportBatch

HEADING_SCAN_ROWS = 30  # officials put titles above the table; look this far for the headings
PREVIEW_ROWS = 1000  # rows kept for the preview page
MAX_STORED_ERROR_ROWS = 5000
QUERY_CHUNK = 900  # values per IN (...) query, under SQLite's 999 parameters
INSERT_CHUNK = 2000


def _gc_paused(function):
    """Pause Python's cycle collector while a whole sheet is held in memory.

    The collector's full passes walk every live object, and an import keeps 100.000 rows and
    members alive: with it running, parsing and checking take about 40 % longer. Reference
    counting still frees everything that is not a cycle; the collector resumes afterwards.
    """

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return wrapper


# ---------------------------------------------------------------------------------------------
# Headings. Keys are folded (see `heading_key`): no diacritics, no punctuation, single spaces.
# ---------------------------------------------------------------------------------------------
HEADING_ALIASES: dict[str, tuple[str, ...]] = {
    "full_name": (
        "ho va ten",
        "ho ten",
        "ho va ten dang vien",
        "ho ten dang vien",
        "ho va ten khai sinh",
        "ten dang vien",
        "dang vien",
    ),
    "family_middle": ("ho va ten dem", "ho va chu dem", "ho dem", "ho va dem", "ho lot", "ho va ten lot"),
    "family_name": ("ho",),
    "middle_name": ("ten dem", "chu dem", "dem", "ten lot"),
    "given_name": ("ten", "ten goi"),
    "gender": ("gioi tinh", "nam nu", "gioi", "phai"),
    "male_mark": ("nam",),
    "female_mark": ("nu",),
    "birth_date": ("ngay sinh", "nam sinh", "ngay thang nam sinh", "sinh ngay", "ngay thang sinh"),
    "ethnicity": ("dan toc",),
    "religion": ("ton giao",),
    "hometown": ("que quan", "que", "nguyen quan"),
    "residence": (
        "noi o hien nay",
        "noi cu tru",
        "dia chi",
        "noi o",
        "cho o hien nay",
        "noi thuong tru",
        "thuong tru",
        "dia chi thuong tru",
        "dia chi cu tru",
        "dia chi lien he",
        "noi o hien tai",
    ),
    "citizen_id": (
        "so cccd",
        "cccd",
        "so dinh danh",
        "so dinh danh ca nhan",
        "ma dinh danh",
        "cmnd",
        "so cmnd",
        "cccd cmnd",
        "so cccd cmnd",
        "cmnd cccd",
        "so cmnd cccd",
        "can cuoc",
        "so can cuoc",
        "can cuoc cong dan",
        "so can cuoc cong dan",
    ),
    "phone": ("dien thoai", "sdt", "so dien thoai", "so dt", "dt", "di dong", "dien thoai di dong", "dtdd"),
    "email": ("email", "e mail", "thu dien tu", "dia chi email"),
    "general_education": ("giao duc pho thong", "gdpt", "trinh do van hoa", "van hoa", "hoc van", "trinh do hoc van"),
    "education": (
        "trinh do chuyen mon",
        "chuyen mon",
        "tdcm",
        "trinh do chuyen mon nghiep vu",
        "chuyen mon nghiep vu",
        "hoc vi",
        "trinh do dao tao",
    ),
    "political_theory": (
        "ly luan chinh tri",
        "llct",
        "trinh do ly luan chinh tri",
        "trinh do llct",
        "ly luan",
        "trinh do ly luan",
    ),
    "occupation": ("nghe nghiep", "nghe nghiep hien nay", "cong viec", "cong viec hien nay"),
    "position": ("chuc vu", "chuc vu chinh quyen doan the", "chuc vu chinh quyen", "chuc danh", "chuc vu hien nay"),
    "admission_date": (
        "ngay vao dang",
        "ngay ket nap",
        "ngay ket nap dang",
        "ngay vao dang du bi",
        "vao dang",
        "ngay ket nap vao dang",
    ),
    "full_membership_date": (
        "ngay chinh thuc",
        "ngay cong nhan chinh thuc",
        "ngay vao dang chinh thuc",
        "ngay cong nhan dang vien chinh thuc",
        "chinh thuc",
        "ngay dang chinh thuc",
    ),
    "card_number": ("so the", "so the dang vien", "so the dv", "the dang vien", "so the dang", "so the dang vien so"),
    "cell": (
        "chi bo",
        "chi bo sinh hoat",
        "sinh hoat tai chi bo",
        "to chuc dang",
        "noi sinh hoat",
        "chi bo truc thuoc",
    ),
    "status": ("tinh trang", "trang thai"),
    "ignored": ("stt", "tt", "so tt", "so thu tu", "ghi chu"),
}
HEADINGS: dict[str, str] = {alias: key for key, aliases in HEADING_ALIASES.items() for alias in aliases}
DATE_KEYS = ("birth_date", "admission_date", "full_membership_date")
TEXT_LIMITS = {  # model max_length of the free-text fields
    f.name: f.max_length
    for f in Member._meta.get_fields()
    if getattr(f, "max_length", None)
    and f.name
    in (
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
}

_PARENS = re.compile(r"\(.*?\)|\[.*?\]")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_DATE_TEXT = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")


def heading_key(text) -> str:
    """ "Họ, tên (*)" → "ho ten"; "Số thẻ ĐV" → "so the dv"; "Nam/Nữ" → "nam nu"."""
    folded = fold(_PARENS.sub(" ", str(text or "")))
    return " ".join(_NON_WORD.sub(" ", folded).split())


def _value_key(text) -> str:
    return " ".join(_NON_WORD.sub(" ", fold(str(text or ""))).split())


# ---------------------------------------------------------------------------------------------
# Choice values, by their labels and the abbreviations officials use.
# ---------------------------------------------------------------------------------------------
GENDER_VALUES = {"nam": Gender.MALE, "male": Gender.MALE, "m": Gender.MALE, "nu": Gender.FEMALE}
GENDER_VALUES.update({"female": Gender.FEMALE, "f": Gender.FEMALE})
THEORY_EXACT = {
    "": PoliticalTheory.NONE,
    "khong": PoliticalTheory.NONE,
    "chua": PoliticalTheory.NONE,
    "chua qua dao tao": PoliticalTheory.NONE,
    "chua dao tao": PoliticalTheory.NONE,
    "sc": PoliticalTheory.ELEMENTARY,
    "tc": PoliticalTheory.INTERMEDIATE,
    "cc": PoliticalTheory.ADVANCED,
    "cn": PoliticalTheory.BACHELOR,
}
THEORY_CONTAINS = (
    ("cu nhan", PoliticalTheory.BACHELOR),
    ("cao cap", PoliticalTheory.ADVANCED),
    ("trung cap", PoliticalTheory.INTERMEDIATE),
    ("so cap", PoliticalTheory.ELEMENTARY),
)
EDUCATION_EXACT = {
    "": Education.NONE,
    "chua ro": Education.NONE,
    "khong": Education.NONE,
    "th": Education.PRIMARY,
    "thcs": Education.LOWER_SECONDARY,
    "thpt": Education.UPPER_SECONDARY,
    "ptth": Education.UPPER_SECONDARY,
    "tc": Education.VOCATIONAL,
    "cd": Education.VOCATIONAL,
    "dh": Education.UNIVERSITY,
    "ths": Education.MASTER,
    "ts": Education.DOCTOR,
    "pgs ts": Education.DOCTOR,
    "gs ts": Education.DOCTOR,
}
EDUCATION_CONTAINS = (
    ("tien si", Education.DOCTOR),
    ("thac si", Education.MASTER),
    ("dai hoc", Education.UNIVERSITY),
    ("cu nhan", Education.UNIVERSITY),
    ("ky su", Education.UNIVERSITY),
    ("bac si", Education.UNIVERSITY),
    ("duoc si", Education.UNIVERSITY),
    ("kien truc su", Education.UNIVERSITY),
    ("cao dang", Education.VOCATIONAL),
    ("trung cap", Education.VOCATIONAL),
    ("so cap", Education.VOCATIONAL),
    ("trung hoc pho thong", Education.UPPER_SECONDARY),
    ("pho thong trung hoc", Education.UPPER_SECONDARY),
    ("trung hoc co so", Education.LOWER_SECONDARY),
    ("tieu hoc", Education.PRIMARY),
)
TRUE_MARKS = {"x", "v", "1", "co", "yes", "true"}


class _Choices:
    """Maps what officials write to a choice code; each distinct text is worked out once."""

    def __init__(self, exact: dict, contains: tuple, choices):
        self.exact = dict(exact)
        # Labels in the current language too (English when the interface is English).
        for code, label in choices:
            self.exact.setdefault(_value_key(str(label)), code)
        self.contains = contains
        self.cache: dict[str, str | None] = {}

    def get(self, text: str) -> str | None:
        try:
            return self.cache[text]
        except KeyError:
            pass
        key = _value_key(text)
        code = self.exact.get(key)
        if code is None:
            code = next((c for fragment, c in self.contains if fragment in key), None)
        self.cache[text] = code
        return code


# ---------------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------------
class ImportFileError(Exception):
    """The file as a whole cannot be read (not .xlsx, corrupt, empty, no heading row)."""


@dataclass
class Sheet:
    """The rows of a member list and what each column means."""

    columns: dict[str, int]  # field key -> column index
    unused_headings: list[str]
    heading_row: int  # 1-based
    rows: list[tuple[int, tuple]] = field(default_factory=list)  # (row number, values)
    sheet_name: str = ""


def _find_headings(row: tuple) -> tuple[dict[str, int], list[str]]:
    columns: dict[str, int] = {}
    unused: list[str] = []
    for index, cell in enumerate(row):
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            continue
        key = HEADINGS.get(heading_key(cell))
        if key is None:
            unused.append(str(cell).strip())
        elif key not in columns:
            columns[key] = index
    return columns, unused


def _is_heading_row(columns: dict[str, int]) -> bool:
    named = "full_name" in columns or "given_name" in columns
    return named and len([k for k in columns if k != "ignored"]) >= 2


def _unreadable() -> ImportFileError:
    return ImportFileError(
        _("Không đọc được tệp: hãy tải lên tệp Excel dạng .xlsx (Excel 2007 trở lên), không phải .xls hay .csv.")
    )


def _open_workbook(file):
    """Open the workbook read-only (streaming), after its zip passed the size bounds unread."""
    if hasattr(file, "seek"):
        file.seek(0)
    try:
        check_package(
            file,
            max_uncompressed_bytes=settings.IMPORT_MAX_UNCOMPRESSED_BYTES,
            max_ratio=settings.IMPORT_MAX_COMPRESSION_RATIO,
            max_entries=settings.IMPORT_MAX_ZIP_ENTRIES,
        )
    except PackageUnreadable as exc:
        raise _unreadable() from exc
    except PackageRefused as exc:
        raise ImportFileError(str(exc)) from exc
    try:
        return load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise _unreadable() from exc
    except Exception as exc:  # openpyxl raises many kinds of errors on a damaged file
        raise ImportFileError(_("Tệp Excel bị hỏng hoặc không đúng định dạng .xlsx.")) from exc


def _too_many_rows(max_rows: int) -> ImportFileError:
    return ImportFileError(
        _("Tệp có hơn %(max)s dòng đảng viên; hãy chia danh sách thành nhiều tệp (mỗi tệp đến %(max)s dòng).")
        % {"max": f"{max_rows:,}".replace(",", ".")}
    )


@_gc_paused
def parse_workbook(file) -> Sheet:
    """Read the member list of a .xlsx file (path or file object): the first sheet with a heading row.

    Raises ImportFileError with a Vietnamese message when the file cannot be used, and as soon as
    the sheet passes settings.IMPORT_MAX_ROWS data rows or Excel's last row (a tiny file can number
    a row 10^12, and the reader yields every empty row before it), without reading further.
    """
    max_rows = settings.IMPORT_MAX_ROWS
    workbook = _open_workbook(file)
    try:
        for worksheet in workbook.worksheets:
            try:
                # A wrong <dimension> (some tools write "A1") would make openpyxl stop early.
                worksheet.reset_dimensions()
                rows = worksheet.iter_rows(values_only=True)
                sheet = None
                for number, row in enumerate(rows, start=1):
                    if sheet is None:
                        if number > HEADING_SCAN_ROWS:
                            break
                        columns, unused = _find_headings(row)
                        if _is_heading_row(columns):
                            sheet = Sheet(columns, unused, number, sheet_name=worksheet.title)
                        continue
                    if any(v is not None and v != "" for v in row):
                        sheet.rows.append((number, row))
                        if len(sheet.rows) > max_rows:
                            raise _too_many_rows(max_rows)
                    elif number > EXCEL_MAX_ROWS:
                        # A row numbered beyond Excel's last: the reader would yield the gap's empty rows.
                        raise ImportFileError(_("Tệp Excel bị hỏng hoặc không đúng định dạng .xlsx."))
            except ImportFileError:
                raise
            except Exception as exc:
                raise ImportFileError(_("Tệp Excel bị hỏng hoặc không đúng định dạng .xlsx.")) from exc
            if sheet is not None:
                return sheet
    finally:
        workbook.close()
    raise ImportFileError(
        _(
            "Không tìm thấy dòng tiêu đề: bảng cần có cột “Họ và tên” (hoặc “Họ”, “Tên”) cùng các cột "
            "như “Ngày sinh”, “Ngày vào Đảng” trong 30 dòng đầu của trang tính."
        )
    )


# ---------------------------------------------------------------------------------------------
# Checking
# ---------------------------------------------------------------------------------------------
def _text(value) -> str:
    if value.__class__ is str:
        return tidy(" ".join(value.split()))  # NFC, no control characters (apps.core.cleaning)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return tidy(" ".join(str(value).split()))


def _digits(value, lengths: tuple[int, ...] = ()) -> str:
    """A number typed into Excel loses its leading zeros: 1080012345 → "001080012345" for a CCCD."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = str(int(value))
        for length in lengths:
            if len(text) < length and len(text) >= length - 3:
                return text.zfill(length)
        return text
    return _text(value).replace(" ", "").replace(".", "")


class _BadDate(ValueError):
    pass


def _date(value) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1900 <= value <= 2100 and float(value).is_integer():
            raise _BadDate(_("“%(value)s” chỉ có năm; hãy ghi đủ ngày/tháng/năm.") % {"value": int(value)})
        try:
            return from_excel(value).date()
        except (ValueError, OverflowError, TypeError):
            raise _BadDate(_("“%(value)s” không phải ngày.") % {"value": value}) from None
    text = _text(value)
    match = _DATE_TEXT.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _ISO_DATE.match(text)
        if not match:
            if text.isdigit() and len(text) == 4:
                raise _BadDate(_("“%(value)s” chỉ có năm; hãy ghi đủ ngày/tháng/năm.") % {"value": text})
            raise _BadDate(_("“%(value)s” không phải ngày (ghi theo dạng dd/mm/yyyy).") % {"value": text})
        year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise _BadDate(_("“%(value)s” không phải ngày có thật.") % {"value": text}) from None


@dataclass
class RowResult:
    row: int
    member: Member
    cell_name: str
    messages: list[str]


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


class _Cells:
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
            keys = {_value_key(cell.name), _value_key(cell.short_name), _value_key(cell.code)}
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
        text = _text(value)
        if not text:
            return None, _("Thiếu chi bộ.")
        key = _value_key(text)
        found = self.by_key.get(key) or self.by_key.get(key.removeprefix("chi bo "))
        if not found:
            return None, _("Không có chi bộ “%(cell)s” trong %(org)s.") % {"cell": text, "org": self.target.name}
        if len({c.pk for c in found}) > 1:
            return None, _("Có nhiều chi bộ tên “%(cell)s”; hãy ghi mã chi bộ.") % {"cell": text}
        return found[0], None


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


_MEMBER_FIELDS = Member._meta.concrete_fields
_MEMBER_POSITION = {f.attname: i for i, f in enumerate(_MEMBER_FIELDS)}
_MEMBER_DEFAULTS = [f.get_default() for f in _MEMBER_FIELDS]


def _new_member(**values) -> Member:
    """An unsaved Member built from positional values, Django's own fast path (as `Model.from_db`).

    Keyword construction looks up every field and its default per instance, which for 100.000
    rows is a third of the checking time.
    """
    args = _MEMBER_DEFAULTS.copy()
    for name, value in values.items():
        args[_MEMBER_POSITION[name]] = value
    return Member(*args)


def _surely_valid(birth: dt.date, admission: dt.date, full: dt.date | None, today: dt.date) -> bool:
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


@_gc_paused
def check_rows(sheet: Sheet, *, user, organization: Organization) -> CheckResult:
    """Turn the sheet's rows into unsaved members and name every problem, row by row."""
    require_org(user, organization)
    file_errors: list[str] = []
    if organization.ended_on:
        file_errors.append(_("Tổ chức đảng này đã kết thúc hoạt động."))
    cols = sheet.columns
    label_birth, label_admission, label_full = _("Ngày sinh"), _("Ngày vào Đảng"), _("Ngày chính thức")
    if "given_name" not in cols and "full_name" not in cols:
        file_errors.append(_("Tệp thiếu cột “Họ và tên”."))
    for key, label in (("birth_date", label_birth), ("admission_date", label_admission)):
        if key not in cols:
            file_errors.append(_("Tệp thiếu cột “%(column)s”.") % {"column": label})
    if "gender" not in cols and "male_mark" not in cols and "female_mark" not in cols:
        file_errors.append(_("Tệp thiếu cột “Giới tính”."))
    cells = _Cells(user, organization)
    if not cells.single and "cell" not in cols:
        file_errors.append(
            _("Tệp thiếu cột “Chi bộ”: khi nhập vào %(org)s, mỗi dòng phải ghi chi bộ sinh hoạt.")
            % {"org": organization.name}
        )

    today = timezone.localdate()
    education_choices = _Choices(EDUCATION_EXACT, EDUCATION_CONTAINS, Education.choices)
    theory_choices = _Choices(THEORY_EXACT, THEORY_CONTAINS, PoliticalTheory.choices)
    msg_no_name, msg_no_gender = _("Thiếu họ và tên."), _("Thiếu giới tính.")
    msg_no_birth, msg_no_admission = _("Thiếu ngày sinh."), _("Thiếu ngày vào Đảng.")
    text_limits = [(name, limit, str(Member._meta.get_field(name).verbose_name)) for name, limit in TEXT_LIMITS.items()]

    # A column missing from the sheet reads as an extra empty cell at the end of every row.
    width = max(cols.values(), default=0) + 1
    at = {key: cols.get(key, width) for key in HEADING_ALIASES}
    has = {key: key in cols for key in HEADING_ALIASES}
    results: list[RowResult] = []
    first_card: dict[str, int] = {}
    first_cid: dict[str, int] = {}

    for number, raw in sheet.rows:
        raw = (*raw[:width], *(None,) * (width - len(raw)), None)
        messages: list[str] = []

        if has["given_name"]:
            given = _text(raw[at["given_name"]])
            family, middle = _text(raw[at["family_name"]]), _text(raw[at["middle_name"]])
            if has["family_middle"] and not family:
                family, middle, _last = split_full_name(_text(raw[at["family_middle"]]) + " x")
        else:
            family, middle, given = split_full_name(_text(raw[at["full_name"]]))
        if not given:
            messages.append(msg_no_name)
        elif not family:
            messages.append(_("Thiếu họ (chỉ có tên “%(name)s”).") % {"name": given})

        gender = ""
        raw_gender = _text(raw[at["gender"]])
        if raw_gender:
            gender = GENDER_VALUES.get(_value_key(raw_gender), "")
            if not gender:
                messages.append(_("Giới tính “%(value)s” không rõ (ghi Nam hoặc Nữ).") % {"value": raw_gender})
        elif has["male_mark"] or has["female_mark"]:
            male = _value_key(_text(raw[at["male_mark"]])) in TRUE_MARKS
            female = _value_key(_text(raw[at["female_mark"]])) in TRUE_MARKS
            if male != female:
                gender = Gender.MALE if male else Gender.FEMALE
            else:
                messages.append(msg_no_gender)
        else:
            messages.append(msg_no_gender)

        dates = []
        for key, label, missing in (
            ("birth_date", label_birth, msg_no_birth),
            ("admission_date", label_admission, msg_no_admission),
            ("full_membership_date", label_full, None),
        ):
            try:
                day = _date(raw[at[key]])
            except _BadDate as exc:
                day = None
                messages.append(f"{label}: {exc}")
            else:
                if day is None and missing:
                    messages.append(missing)
            dates.append(day)
        birth, admission, full = dates

        raw_education = _text(raw[at["education"]])
        education = education_choices.get(raw_education)
        if education is None:
            messages.append(
                _("Trình độ chuyên môn “%(value)s” không rõ (ví dụ: Đại học, Thạc sĩ, Trung cấp).")
                % {"value": raw_education}
            )
        raw_theory = _text(raw[at["political_theory"]])
        theory = theory_choices.get(raw_theory)
        if theory is None:
            messages.append(
                _("Lý luận chính trị “%(value)s” không rõ (Sơ cấp, Trung cấp, Cao cấp, Cử nhân).")
                % {"value": raw_theory}
            )
        general = raw[at["general_education"]]
        if isinstance(general, dt.date):  # Excel turned "12/12" into a date
            general = f"{general.day}/{general.month}"

        cell, cell_error = cells.resolve(raw[at["cell"]])
        if cell_error:
            messages.append(cell_error)

        citizen_id = _digits(raw[at["citizen_id"]], (12, 9)) or None
        card_number = _digits(raw[at["card_number"]]) or None
        member = _new_member(
            family_name=family,
            middle_name=middle,
            given_name=given,
            gender=gender,
            birth_date=birth,
            ethnicity=_text(raw[at["ethnicity"]]) or "Kinh",
            religion=_text(raw[at["religion"]]) or "Không",
            hometown=_text(raw[at["hometown"]]),
            residence=_text(raw[at["residence"]]),
            phone=_digits(raw[at["phone"]], (10,)),
            email=_text(raw[at["email"]]),
            education=education or "",
            general_education=_text(general),
            political_theory=theory or "",
            occupation=_text(raw[at["occupation"]]),
            position=_text(raw[at["position"]]),
            admission_date=admission,
            full_membership_date=full,
        )
        member.organization = cell or organization
        for name, limit, label in text_limits:
            if len(getattr(member, name) or "") > limit:
                messages.append(_("%(field)s dài quá %(limit)s ký tự.") % {"field": label.capitalize(), "limit": limit})
        if member.email:
            try:
                validate_email(member.email)
            except ValidationError:
                messages.append(_("Email “%(value)s” không hợp lệ.") % {"value": member.email})

        # The member sheet's own rules (future dates, age at admission, 12 months of probation);
        # citizen ID and card number are checked below for the whole file at once.
        if birth is None or admission is None or not _surely_valid(birth, admission, full, today):
            try:
                validate_member(member)
            except ValidationError as exc:
                for field_messages in exc.message_dict.values():
                    messages.extend(field_messages)
        if citizen_id and not (citizen_id.isdigit() and len(citizen_id) in (9, 12)):
            messages.append(
                _("Số CCCD “%(value)s” phải gồm 12 chữ số (hoặc 9 chữ số với CMND cũ).") % {"value": citizen_id}
            )
        if card_number and (len(card_number) > 20 or not card_number.replace("-", "").isalnum()):
            messages.append(_("Số thẻ đảng viên “%(value)s” không hợp lệ.") % {"value": card_number})
        if card_number:
            if card_number in first_card:
                messages.append(
                    _("Số thẻ đảng viên %(value)s trùng với dòng %(row)s.")
                    % {"value": card_number, "row": first_card[card_number]}
                )
            else:
                first_card[card_number] = number
        if citizen_id:
            if citizen_id in first_cid:
                messages.append(
                    _("Số CCCD %(value)s trùng với dòng %(row)s.") % {"value": citizen_id, "row": first_cid[citizen_id]}
                )
            else:
                first_cid[citizen_id] = number
        member.citizen_id, member.card_number = citizen_id, card_number
        results.append(RowResult(number, member, (cell or organization).name, messages))

    if not sheet.rows:
        file_errors.append(_("Trang tính không có dòng dữ liệu nào dưới dòng tiêu đề."))

    # Against the registry, through the one check of apps.members.identifiers: a holder is named
    # only inside the user's reach, and out-of-reach hits are recorded and throttled. Each number's
    # first row in the file is checked, in the order of the rows.
    checked: list[tuple[RowResult, str]] = []
    for result in results:
        member = result.member
        if member.card_number and first_card.get(member.card_number) == result.row:
            checked.append((result, "card_number"))
        if member.citizen_id and first_cid.get(member.citizen_id) == result.row:
            checked.append((result, "citizen_id"))
    found = identifier_clashes(user, [(field, getattr(r.member, field)) for r, field in checked])
    for position, message in sorted(found.items()):
        checked[position][0].messages.append(message)
    return CheckResult(organization=organization, sheet=sheet, rows=results, file_errors=file_errors)


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------
class ImportRejected(Exception):
    def __init__(self, check: CheckResult):
        super().__init__(_("Tệp có lỗi; chưa nhập đảng viên nào."))
        self.check = check


def _allocate_ids(model, count: int) -> list[int] | None:
    """Primary keys for `count` new rows, taken before inserting so that history rows can point at them.

    PostgreSQL hands them out from the table's sequence (safe with concurrent writers); SQLite has
    one writer at a time and the import holds the write lock (BEGIN IMMEDIATE) from its first
    statement, so the next ids are simply the ones after the largest ever used.
    """
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, count]
            )
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor == "sqlite":
            qn = connection.ops.quote_name
            cursor.execute(f"SELECT MAX({qn(column)}) FROM {qn(table)}")  # noqa: S608 - quoted model names
            largest = cursor.fetchone()[0] or 0
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            largest = max(largest, row[0] if row else 0)
            return list(range(largest + 1, largest + 1 + count))
    return None


# Field types whose Python values (str, int, bool, None) go to the driver unchanged.
_PLAIN_TYPES = {
    "CharField",
    "TextField",
    "EmailField",
    "SlugField",
    "URLField",
    "ForeignKey",
    "OneToOneField",
    "IntegerField",
    "BigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "BooleanField",
}


def _insert_rows(model, attnames: list[str], rows: list[tuple], constants: dict | None = None) -> list[int]:
    """Insert rows (tuples in `attnames` order; `constants` the same for every row); returns their ids.

    `bulk_create` compiles SQL for every batch (35 rows at a time on SQLite) and prepares every
    value through its field; for 100.000 members and 200.000 history rows that costs more than
    reading the file. Here one statement is prepared and run many times by the driver, and only
    the values that need it (dates on SQLite) are converted, by the field's own database rules.
    """
    constants = constants or {}
    ids = _allocate_ids(model, len(rows))
    if ids is None:  # another database engine: the portable path
        objs = [model(**dict(zip(attnames, row, strict=True)), **constants) for row in rows]
        return [obj.pk for obj in model.objects.bulk_create(objs, batch_size=INSERT_CHUNK)]
    conn = connections[model.objects.db]
    qn = conn.ops.quote_name
    by_attname = {f.attname: f for f in model._meta.concrete_fields if not f.primary_key}
    rest = [name for name in by_attname if name not in attnames and name not in constants]
    tail = tuple(
        by_attname[name].get_db_prep_save(
            constants[name] if name in constants else by_attname[name].get_default(), conn
        )
        for name in (*constants, *rest)
    )
    names = [*attnames, *constants, *rest]
    columns = ", ".join([qn(model._meta.pk.column), *(qn(by_attname[name].column) for name in names)])
    placeholders = ", ".join(["%s"] * (len(names) + 1))
    sql = f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608 - quoted names
    convert = [
        (position + 1, by_attname[name])
        for position, name in enumerate(attnames)
        if by_attname[name].get_internal_type() not in _PLAIN_TYPES
    ]
    params = []
    for pk, row in zip(ids, rows, strict=True):
        values = [pk, *row, *tail]
        for position, model_field in convert:
            values[position] = model_field.get_db_prep_save(values[position], conn)
        params.append(values)
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            # COPY is PostgreSQL's bulk path: one stream instead of a statement per row.
            copy_sql = f"COPY {qn(model._meta.db_table)} ({columns}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for values in params:
                    copy.write_row(values)
        else:
            for chunk in _chunks(params, 5 * INSERT_CHUNK):
                cursor.executemany(sql, chunk)
    return ids


MEMBER_ATTNAMES = [f.attname for f in Member._meta.concrete_fields if not f.primary_key]
HISTORY_ATTNAMES = ["member_id", "kind", "date", "status", "organization_id"]
NAME_KEY_ATTNAMES = ["member_id", "key", "sort_key", "org_path", "status"]


def _insert(members: list[Member], *, user, source: str = "") -> int:
    """Insert members and their first history steps (admission, and recognition if full).

    The bulk path sends no signals, so the audit log gets no entry per member; instead each
    member's first history step names who imported them, when and from which file, and the batch
    itself is audited.
    """
    for member in members:
        member.status = Status.FULL if member.full_membership_date else Status.PROBATIONARY
        member.status_since = member.full_membership_date or member.admission_date
        member.refresh_derived()
    values_of = attrgetter(*MEMBER_ATTNAMES)
    ids = _insert_rows(Member, MEMBER_ATTNAMES, [values_of(m) for m in members])
    admitted, recognized = str(StatusChangeKind.ADMITTED), str(StatusChangeKind.RECOGNIZED)
    probationary, full = str(Status.PROBATIONARY), str(Status.FULL)
    history = []
    for member, pk in zip(members, ids, strict=True):
        member.pk = pk
        member._state.adding = False
        history.append((pk, admitted, member.admission_date, probationary, member.organization_id))
        if member.full_membership_date:
            history.append((pk, recognized, member.full_membership_date, full, member.organization_id))
    now = timezone.now()
    note = _("Nhập từ Excel%(source)s bởi %(user)s lúc %(at)s") % {
        "source": f" ({source})" if source else "",
        "user": user,
        "at": timezone.localtime(now).strftime("%d/%m/%Y %H:%M"),
    }
    _insert_rows(StatusChange, HISTORY_ATTNAMES, history, {"note": note, "recorded_at": now})
    keys = [(m.pk, key, m.sort_key, m.org_path, m.status) for m in members for key in m.name_keys()]
    _insert_rows(MemberNameKey, NAME_KEY_ATTNAMES, keys)
    return len(members)


@_gc_paused
def import_members(*, user, organization: Organization, file=None, sheet: Sheet | None = None) -> int:
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
                return _insert([r.member for r in check.rows], user=user, source=getattr(file, "name", ""))
    except IntegrityError:
        raise ImportFileError(_CHANGED_MESSAGE) from None
    # Raised after the block, so that what the check recorded (apps.members.identifiers) is kept.
    raise ImportRejected(check)


# Someone registered the same card or CCCD between the check and the insert.
_CHANGED_MESSAGE = _lazy("Sổ đảng viên vừa thay đổi trong lúc nhập; hãy xem trước và xác nhận lại.")


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
        "found": sorted(check.sheet.columns, key=check.sheet.columns.get),
        "unused": check.sheet.unused_headings,
        "heading_row": check.sheet.heading_row,
    }
    batch.status = BatchStatus.READY if check.ok else BatchStatus.INVALID


@_gc_paused
def batch_create(*, user, organization: Organization, upload) -> ImportBatch:
    """Keep an uploaded file and its preview. Raises ValidationError if the file cannot be read."""
    require_org(user, organization)
    name = original_name(getattr(upload, "name", ""))
    if not name.lower().endswith((".xlsx", ".xlsm")):
        raise ValidationError(_("Chỉ nhận tệp Excel .xlsx. Nếu tệp là .xls, hãy mở bằng Excel và lưu lại dạng .xlsx."))
    check_size(upload, settings.IMPORT_MAX_UPLOAD_BYTES)
    try:
        sheet = parse_workbook(upload)
    except ImportFileError as exc:
        raise ValidationError(str(exc)) from None
    check = check_rows(sheet, user=user, organization=organization)
    batch = ImportBatch(organization=organization, user=user, file_name=name)
    _apply_check(batch, check)
    upload.seek(0)
    with audited(user):
        batch.file.save(name, upload, save=False)
        batch.save()
    return batch


@_gc_paused
def batch_confirm(*, user, batch: ImportBatch) -> int:
    """Import a previewed file, checking it again against the registry as it is now.

    All or nothing: any problem leaves the registry unchanged and the batch shows the problems.
    The batch row is locked, so a double click cannot import the same file twice.
    """
    require_org(user, batch.organization)
    if batch.status == BatchStatus.IMPORTED:
        raise ValidationError(_("Tệp này đã được nhập rồi."))
    try:
        with batch.file.open("rb") as handle:
            sheet = parse_workbook(handle)
    except (ImportFileError, OSError) as exc:
        raise ValidationError(str(exc)) from None
    rejected = False
    try:
        with audited(user):
            locked = ImportBatch.objects.select_for_update().select_related("organization").get(pk=batch.pk)
            if locked.status == BatchStatus.IMPORTED:
                raise ValidationError(_("Tệp này đã được nhập rồi."))
            check = check_rows(sheet, user=user, organization=locked.organization)
            if check.ok:
                locked.imported_count = _insert(
                    [r.member for r in check.rows],
                    user=user,
                    source=_("tệp %(file)s, lần tải số %(batch)s") % {"file": locked.file_name, "batch": locked.pk},
                )
                locked.status = BatchStatus.IMPORTED
                locked.imported_at = timezone.now()
                locked.save(update_fields=["status", "imported_count", "imported_at"])
            else:
                _apply_check(locked, check)
                locked.save()
                rejected = True
    except IntegrityError:
        raise ValidationError(str(_CHANGED_MESSAGE)) from None
    batch.refresh_from_db()
    if rejected:
        raise ValidationError(_("Tệp có lỗi; chưa nhập đảng viên nào."))
    return batch.imported_count


def heading_help() -> list[tuple[str, str]]:
    """The headings the import understands, for the upload page."""
    return [
        (_("Họ và tên"), _("“Họ và tên”, “Họ tên”, hoặc ba cột “Họ”, “Tên đệm” (“Chữ đệm”), “Tên”")),
        (_("Giới tính"), _("“Giới tính”, “Nam/Nữ” — ghi Nam hoặc Nữ")),
        (_("Ngày sinh"), _("“Ngày sinh”, “Năm sinh” — dd/mm/yyyy hoặc ô ngày của Excel")),
        (_("Ngày vào Đảng"), _("“Ngày vào Đảng”, “Ngày kết nạp”")),
        (_("Ngày chính thức"), _("“Ngày chính thức”, “Ngày công nhận chính thức” — để trống nếu còn dự bị")),
        (_("Số thẻ đảng viên"), _("“Số thẻ”, “Số thẻ đảng viên”, “Số thẻ ĐV”")),
        (_("Số CCCD"), _("“Số CCCD”, “CCCD”, “Số định danh”, “CMND”")),
        (_("Chi bộ"), _("“Chi bộ” — tên hoặc mã chi bộ; bắt buộc khi nhập vào đảng bộ")),
        (
            _("Các cột khác"),
            _(
                "“Dân tộc”, “Tôn giáo”, “Quê quán”, “Nơi ở hiện nay” (“Nơi cư trú”, “Địa chỉ”), “Điện thoại” "
                "(“SĐT”), “Email”, “Giáo dục phổ thông”, “Trình độ chuyên môn” (“Chuyên môn”), “Lý luận chính "
                "trị” (“LLCT”: Sơ cấp, Trung cấp, Cao cấp, Cử nhân), “Nghề nghiệp”, “Chức vụ”"
            ),
        ),
    ]
