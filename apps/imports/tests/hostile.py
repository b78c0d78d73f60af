"""Hostile .xlsx files built byte by byte, for the upload tests (nothing here is shipped).

`zip_bomb()` writes a workbook whose one sheet is a few MB compressed and expands to hundreds of
MB of valid row XML, without spending the time to compress that much: a deflate stream cut by
full flushes starts afresh at every cut, so one compressed 1 MB block can be repeated as is.
"""

from __future__ import annotations

import struct
import zlib

from apps.core.xlsx import _CONTENT_TYPES, _ROOT_RELS, _STYLES, _WORKBOOK, _WORKBOOK_RELS

_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Họ và tên</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>Ngày sinh</t></is></c><c r="C1" t="inlineStr"><is><t>Ngày vào Đảng</t></is></c></row>'
).encode()
_SHEET_TAIL = b"</sheetData></worksheet>"
_EMPTY_STRINGS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"></sst>'
)


def _segment(compressor, data: bytes) -> bytes:
    return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)


def write_zip(target, members: list[tuple[str, list[tuple[bytes, int]]]]) -> None:
    """Write a zip whose members are given as [(raw deflate segment, times repeated), ...]; sizes and
    CRCs are computed from the parts, the last segment must end the deflate stream."""
    offset = 0
    central = []
    for name, parts in members:
        raw_name = name.encode()
        compressed = sum(len(chunk) * times for chunk, times in parts)
        # Uncompressed size and CRC: inflate each distinct segment once, then repeat its CRC.
        plain, crc = 0, 0
        for chunk, times in parts:
            data = zlib.decompressobj(-15).decompress(chunk)
            for _ in range(times):
                crc = zlib.crc32(data, crc)
            plain += len(data) * times
        header = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, compressed, plain, len(raw_name), 0)
        target.write(header + raw_name)
        for chunk, times in parts:
            for _ in range(times):
                target.write(chunk)
        central.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                compressed,
                plain,
                len(raw_name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + raw_name
        )
        offset += len(header) + len(raw_name) + compressed
    directory = b"".join(central)
    target.write(directory)
    target.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), len(directory), offset, 0))


def _member(data: bytes) -> list[tuple[bytes, int]]:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return [(compressor.compress(data) + compressor.flush(), 1)]


def _package(sheet: list[tuple[bytes, int]]) -> list[tuple[str, list[tuple[bytes, int]]]]:
    return [
        ("[Content_Types].xml", _member(_CONTENT_TYPES.encode())),
        ("_rels/.rels", _member(_ROOT_RELS.encode())),
        ("xl/workbook.xml", _member(_WORKBOOK.format(name='"Sheet1"').encode())),
        ("xl/_rels/workbook.xml.rels", _member(_WORKBOOK_RELS.encode())),
        ("xl/styles.xml", _member(_STYLES.encode())),
        ("xl/sharedStrings.xml", _member(_EMPTY_STRINGS)),
        ("xl/worksheets/sheet1.xml", sheet),
    ]


def zip_bomb(target, expanded_bytes: int = 900 * 1024 * 1024) -> None:
    """A workbook of member rows, about 1 MB on disk, whose sheet XML is `expanded_bytes` long."""
    row = (
        '<row><c t="inlineStr"><is><t>Nguyễn Văn An</t></is></c><c t="inlineStr"><is><t>01/01/1980</t></is></c>'
        '<c t="inlineStr"><is><t>19/05/2010</t></is></c></row>'
    ).encode()
    block = row * (1024 * 1024 // len(row))
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = _segment(compressor, _SHEET_HEAD)
    body = _segment(compressor, block)
    assert _segment(compressor, block) == body  # each segment starts afresh after a full flush
    tail = compressor.compress(_SHEET_TAIL) + compressor.flush()
    times = max(1, (expanded_bytes - len(_SHEET_HEAD)) // len(block))
    write_zip(target, _package([(head, 1), (body, times), (tail, 1)]))


def far_rows(target, last_row: int = 1_048_576) -> None:
    """A tiny workbook whose second row is numbered `last_row`: readers fill the gap with empty rows."""
    sheet = (
        _SHEET_HEAD
        + (f'<row r="{last_row}"><c r="A{last_row}" t="inlineStr"><is><t>Trần Văn Bình</t></is></c></row>').encode()
        + _SHEET_TAIL
    )
    write_zip(target, _package(_member(sheet)))
