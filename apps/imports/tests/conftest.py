import io

import pytest
from openpyxl import Workbook


@pytest.fixture
def xlsx():
    """Build an .xlsx upload from rows: xlsx([headings, row, row, ...], name="ds.xlsx")."""

    def build(rows, name="danh-sach.xlsx", number_formats=None):
        workbook = Workbook()
        sheet = workbook.active
        for row in rows:
            sheet.append(row)
        for coordinate, fmt in (number_formats or {}).items():
            sheet[coordinate].number_format = fmt
        buffer = io.BytesIO()
        workbook.save(buffer)
        buffer.seek(0)
        buffer.name = name
        return buffer

    return build


HEADINGS = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Ngày vào Đảng", "Ngày chính thức", "Số thẻ ĐV", "Số CCCD"]


@pytest.fixture
def good_rows():
    return [
        HEADINGS,
        [1, "Nguyễn Văn Hùng", "Nam", "15/03/1980", "19/05/2010", "19/05/2011", "10000001", "001080000001"],
        [2, "Trần Thị Lan", "Nữ", "2/9/1985", "03-02-2015", "03.02.2016", "10000002", "001085000002"],
        [3, "Lê Hoàng Nam", "Nam", "01/01/1990", "07/11/2022", "", "", ""],
    ]
