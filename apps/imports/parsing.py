"""Reading a member list: the workbook, its heading row, and the values officials type into cells.

`parse_workbook` streams the sheet (openpyxl read-only) after its zip passed the size bounds;
the value parsers turn a cell (text, number or Excel date) into what a member field holds.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import re
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel
from openpyxl.utils.exceptions import InvalidFileException

from apps.core.cleaning import tidy
from apps.core.text import fold
from apps.core.xlsx import MAX_ROWS as EXCEL_MAX_ROWS
from apps.core.xlsx import PackageRefused, PackageUnreadable, check_package
from apps.members.models import Education, Gender, PoliticalTheory

from .headings import HEADING_SCAN_ROWS, find_headings, is_heading_row

_NON_WORD = re.compile(r"[^0-9a-z]+")
_DATE_TEXT = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")


def gc_paused(function):
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


def value_key(text) -> str:
    return " ".join(_NON_WORD.sub(" ", fold(str(text or ""))).split())


# Choice values, by their labels and the abbreviations officials use.
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


class Choices:
    """Maps what officials write to a choice code; each distinct text is worked out once."""

    def __init__(self, exact: dict, contains: tuple, choices):
        self.exact = dict(exact)
        # Labels in the current language too (English when the interface is English).
        for code, label in choices:
            self.exact.setdefault(value_key(str(label)), code)
        self.contains = contains
        self.cache: dict[str, str | None] = {}

    def get(self, text: str) -> str | None:
        try:
            return self.cache[text]
        except KeyError:
            pass
        key = value_key(text)
        code = self.exact.get(key)
        if code is None:
            code = next((c for fragment, c in self.contains if fragment in key), None)
        self.cache[text] = code
        return code


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


def _unreadable() -> ImportFileError:
    return ImportFileError(
        _("Không đọc được tệp: hãy tải lên tệp Excel dạng .xlsx (Excel 2007 trở lên), không phải .xls hay .csv.")
    )


def check_workbook_package(file) -> None:
    """Whether the file can be a workbook within the bounds, from its zip directory alone (milliseconds,
    nothing inflated): the answer an upload gets at once. ImportFileError if not."""
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
    finally:
        if hasattr(file, "seek"):
            file.seek(0)


def open_workbook(file):
    """Open the workbook read-only (streaming), after its zip passed the size bounds unread."""
    check_workbook_package(file)
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


@gc_paused
def parse_workbook(file, headings: dict[str, str] | None = None, is_heading=is_heading_row, not_found=None) -> Sheet:
    """Read the member list (or, with `headings`, another list) of a .xlsx file (path or file
    object): the first sheet with a heading row.

    Raises ImportFileError with a Vietnamese message when the file cannot be used, and as soon as
    the sheet passes settings.IMPORT_MAX_ROWS data rows or Excel's last row (a tiny file can number
    a row 10^12, and the reader yields every empty row before it), without reading further.
    """
    max_rows = settings.IMPORT_MAX_ROWS
    workbook = open_workbook(file)
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
                        columns, unused = find_headings(row, headings)
                        if is_heading(columns):
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
        not_found
        or _(
            "Không tìm thấy dòng tiêu đề: bảng cần có cột “Họ và tên” (hoặc “Họ”, “Tên”) cùng các cột "
            "như “Ngày sinh”, “Ngày vào Đảng” trong 30 dòng đầu của trang tính."
        )
    )


def cell_text(value) -> str:
    if value.__class__ is str:
        return tidy(" ".join(value.split()))  # NFC, no control characters (apps.core.cleaning)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return tidy(" ".join(str(value).split()))


def cell_digits(value, lengths: tuple[int, ...] = ()) -> str:
    """A number typed into Excel loses its leading zeros: 1080012345 → "001080012345" for a CCCD."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = str(int(value))
        for length in lengths:
            if len(text) < length and len(text) >= length - 3:
                return text.zfill(length)
        return text
    return cell_text(value).replace(" ", "").replace(".", "")


class BadDate(ValueError):
    pass


def cell_date(value) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1900 <= value <= 2100 and float(value).is_integer():
            raise BadDate(_("“%(value)s” chỉ có năm; hãy ghi đủ ngày/tháng/năm.") % {"value": int(value)})
        try:
            return from_excel(value).date()
        except (ValueError, OverflowError, TypeError):
            raise BadDate(_("“%(value)s” không phải ngày.") % {"value": value}) from None
    text = cell_text(value)
    match = _DATE_TEXT.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _ISO_DATE.match(text)
        if not match:
            if text.isdigit() and len(text) == 4:
                raise BadDate(_("“%(value)s” chỉ có năm; hãy ghi đủ ngày/tháng/năm.") % {"value": text})
            raise BadDate(_("“%(value)s” không phải ngày (ghi theo dạng dd/mm/yyyy).") % {"value": text})
        year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise BadDate(_("“%(value)s” không phải ngày có thật.") % {"value": text}) from None
