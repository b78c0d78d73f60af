"""Writing .xlsx files: one sheet, a bold heading row, column widths, dates shown dd/mm/yyyy.

The workbook is streamed: rows are turned into SpreadsheetML and compressed into the zip as they
come, so an HTTP download starts at once; memory holds only the distinct texts (the shared
string table, written last, as Excel itself stores text). Writing the XML directly is about five
times faster than openpyxl's write-only mode (which builds a cell object per value); the package
is the minimal one Excel, LibreOffice and openpyxl read (content types, workbook, one worksheet,
shared strings, styles).
Any app (member lists, reports) can use `write_xlsx`, `iter_xlsx` or `xlsx_response`.

Reading someone else's .xlsx: call `check_package` first. An .xlsx is a zip, and a few MB can
expand to gigabytes of XML (a "zip bomb"); `check_package` judges the package from the zip's
central directory alone, decompressing nothing, and refuses it over the bounds. Python's zipfile
never hands out more than the size the central directory declares, so a parser reading the
package afterwards (openpyxl) stays within what was checked.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

DATE_FORMAT = "dd/mm/yyyy"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 1_048_576  # Excel's limit
_EPOCH = dt.datetime(1899, 12, 30)
_EPOCH_DATE = _EPOCH.date()
# Excel refuses sheet titles over 31 characters or with these characters.
_BAD_TITLE_CHARS = str.maketrans({c: " " for c in "[]:*?/\\"})
# Characters XML 1.0 does not allow.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_FLUSH_ROWS = 500

# Cell styles (indexes into cellXfs below): 0 normal, 1 bold heading, 2 date.
_HEADING_STYLE = 1
_DATE_STYLE = 2

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    '<Relationship Id="rId3" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<bookViews><workbookView activeTab="0"/></bookViews>'
    '<sheets><sheet name={name} sheetId="1" r:id="rId1"/></sheets>'
    "</workbook>"
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    f'<numFmts count="1"><numFmt numFmtId="164" formatCode="{DATE_FORMAT}"/></numFmts>'
    '<fonts count="2">'
    '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    "</fonts>"
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment vertical="center" wrapText="1"/></xf>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


class PackageRefused(ValueError):
    """An .xlsx refused unread; str() is a Vietnamese message for the user."""


class PackageUnreadable(PackageRefused):
    """Not a zip at all (a .csv or an old .xls renamed, random bytes), or one no reader should open."""


def _size_text(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".").replace(".", ",") + " MB"


def check_package(
    file,
    *,
    max_uncompressed_bytes: int,
    max_ratio: int,
    max_entries: int,
    ratio_floor: int = 1024 * 1024,
) -> None:
    """Refuse an .xlsx (path or seekable file) that would expand beyond the bounds; decompress nothing.

    Bounds: the number of parts, the total uncompressed size, and each part's compression ratio
    (parts larger than `ratio_floor` only; small parts compress as they like). Raises
    PackageUnreadable when it is not a zip or uses compression or encryption Excel does not,
    PackageRefused when over a bound.
    """
    position = file.tell() if hasattr(file, "tell") else None
    try:
        with zipfile.ZipFile(file) as package:
            infos = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise PackageUnreadable(_("Tệp không phải là tệp Excel .xlsx.")) from exc
    finally:
        if position is not None:
            file.seek(position)
    if len(infos) > max_entries:
        raise PackageRefused(
            _("Tệp Excel có quá nhiều thành phần (%(count)s, tối đa %(max)s); không đọc tệp này.")
            % {"count": len(infos), "max": max_entries}
        )
    total = 0
    for info in infos:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & 0x1:
            raise PackageUnreadable(_("Tệp Excel được nén hoặc mã hóa theo cách Excel không dùng."))
        total += info.file_size
        if info.file_size > ratio_floor and info.file_size > max_ratio * max(info.compress_size, 1):
            raise PackageRefused(
                _(
                    "Tệp Excel nén bất thường (phần %(part)s nở ra %(ratio)s lần khi giải nén), có thể là tệp "
                    "độc hại; không đọc tệp này. Hãy mở tệp bằng Excel và lưu lại."
                )
                % {
                    "part": info.filename[:80],
                    "ratio": f"{info.file_size // max(info.compress_size, 1):,}".replace(",", "."),
                }
            )
    if total > max_uncompressed_bytes:
        raise PackageRefused(
            _(
                "Tệp Excel quá lớn khi giải nén (%(size)s, tối đa %(max)s); không đọc tệp này. "
                "Hãy chia danh sách thành nhiều tệp."
            )
            % {"size": _size_text(total), "max": _size_text(max_uncompressed_bytes)}
        )


@dataclass(frozen=True)
class Column:
    heading: str
    width: float = 15


def _sheet_title(title: str) -> str:
    return (str(title).translate(_BAD_TITLE_CHARS).strip() or "Sheet1")[:31]


def _string_item(text: str) -> str:
    text = escape(_ILLEGAL_XML.sub("", text))
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f"<si><t{space}>{text}</t></si>"


class _Strings:
    """The shared string table, as Excel writes it: each distinct text stored once, cells hold its index."""

    def __init__(self):
        self.index: dict[str, int] = {}

    def cell(self, ref: str, text: str, style: str = "") -> str:
        number = self.index.get(text)
        if number is None:
            number = self.index[text] = len(self.index)
        return f'<c r="{ref}"{style} t="s"><v>{number}</v></c>'

    def xml(self) -> Iterator[str]:
        yield (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{len(self.index)}" uniqueCount="{len(self.index)}">'
        )
        batch = []
        for text in self.index:
            batch.append(_string_item(text))
            if len(batch) >= 5000:
                yield "".join(batch)
                batch.clear()
        batch.append("</sst>")
        yield "".join(batch)


def _cell(strings: _Strings, ref: str, value) -> str:
    """One cell of SpreadsheetML; "" for an empty cell."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return strings.cell(ref, value)
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, float) and not math.isfinite(value):
        return strings.cell(ref, str(value))
    if isinstance(value, int | float | Decimal):
        return f'<c r="{ref}"><v>{value}</v></c>'
    if isinstance(value, dt.datetime):
        delta = value.replace(tzinfo=None) - _EPOCH
        return f'<c r="{ref}" s="{_DATE_STYLE}"><v>{delta.days + delta.seconds / 86400}</v></c>'
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="{_DATE_STYLE}"><v>{(value - _EPOCH_DATE).days}</v></c>'
    return strings.cell(ref, str(value))


class _Sink:
    """A write-only file for zipfile that hands back what was written since the last call."""

    def __init__(self):
        self.parts: list[bytes] = []

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def iter_xlsx(
    columns: Sequence[Column | str], rows: Iterable[Sequence], *, sheet_title: str = "Sheet1"
) -> Iterator[bytes]:
    """Yield the bytes of an .xlsx file holding `rows` under a bold heading row.

    Values may be str, int, float, Decimal, bool, None or date/datetime (stored as real Excel
    dates, shown dd/mm/yyyy). Strings stay text, so "001080000001" keeps its leading zeros.
    """
    columns = [c if isinstance(c, Column) else Column(str(c)) for c in columns]
    letters = [get_column_letter(i) for i in range(1, max(len(columns), 1) + 1)]
    sink = _Sink()
    strings = _Strings()
    dimension = ""
    if hasattr(rows, "__len__") and columns:
        # Readers (openpyxl read-only) scan the whole sheet when the size is not given up front.
        dimension = f'<dimension ref="A1:{letters[len(columns) - 1]}{len(rows) + 1}"/>'
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=3) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES)
        package.writestr("_rels/.rels", _ROOT_RELS)
        package.writestr("xl/workbook.xml", _WORKBOOK.format(name=quoteattr(_sheet_title(sheet_title))))
        package.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        package.writestr("xl/styles.xml", _STYLES)
        with package.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            cols = "".join(
                f'<col min="{i}" max="{i}" width="{c.width}" customWidth="1"/>' for i, c in enumerate(columns, 1)
            )
            heading = "".join(
                strings.cell(f"{letters[i]}1", str(c.heading), f' s="{_HEADING_STYLE}"') for i, c in enumerate(columns)
            )
            sheet.write(
                (
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                    f"{dimension}"
                    '<sheetViews><sheetView workbookViewId="0">'
                    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                    "</sheetView></sheetViews>"
                    '<sheetFormatPr defaultRowHeight="15"/>'
                    f"{'<cols>' + cols + '</cols>' if cols else ''}"
                    f'<sheetData><row r="1">{heading}</row>'
                ).encode()
            )
            yield sink.take()
            buffer: list[str] = []
            number = 1
            for row in rows:
                number += 1
                if number > MAX_ROWS:
                    raise ValueError("Excel holds at most 1.048.576 rows.")
                cells = "".join([_cell(strings, f"{letters[i]}{number}", v) for i, v in enumerate(row)])
                buffer.append(f'<row r="{number}">{cells}</row>')
                if len(buffer) >= _FLUSH_ROWS:
                    sheet.write("".join(buffer).encode())
                    buffer.clear()
                    yield sink.take()
            buffer.append("</sheetData></worksheet>")
            sheet.write("".join(buffer).encode())
        yield sink.take()
        with package.open("xl/sharedStrings.xml", "w", force_zip64=True) as shared:
            for part in strings.xml():
                shared.write(part.encode())
    yield sink.take()


def write_xlsx(
    target, columns: Sequence[Column | str], rows: Iterable[Sequence], *, sheet_title: str = "Sheet1"
) -> int:
    """Write the .xlsx to `target` (a path or a binary file). Returns the number of data rows."""
    counter = None if hasattr(rows, "__len__") else _Counter(rows)
    chunks = iter_xlsx(columns, rows if counter is None else counter, sheet_title=sheet_title)
    if isinstance(target, str | bytes) or hasattr(target, "__fspath__"):
        with open(target, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
    else:
        for chunk in chunks:
            target.write(chunk)
    return len(rows) if counter is None else counter.count


class _Counter:
    def __init__(self, rows):
        self.rows = rows
        self.count = 0

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            yield row


def xlsx_response(filename: str, columns: Sequence[Column | str], rows: Iterable[Sequence], **kwargs):
    """A streamed HTTP download of the rows: the first bytes leave before the last row is read."""
    response = StreamingHttpResponse(iter_xlsx(columns, rows, **kwargs), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response
