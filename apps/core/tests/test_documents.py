import io
from datetime import date

import docx

from apps.core.documents import PartyDocument


def _doc():
    d = PartyDocument(
        title="Biên bản sinh hoạt chi bộ",
        organization="Chi bộ khu phố 1",
        parent_organization="Đảng bộ phường Bình Thắng",
        number="05-BB/CB",
        place="Bình Thắng",
        day=date(2019, 4, 19),
    )
    d.heading("I. Nội dung").paragraph("Đồng chí Nguyễn Văn Hùng phát biểu.").table([["Có mặt", "Vắng"], ["20", "2"]])
    d.signatures = [("Thư ký", "Trần Thị Lan"), ("Chủ trì", "Nguyễn Văn Hùng")]
    return d


def test_docx_carries_the_party_header():
    document = docx.Document(io.BytesIO(_doc().to_docx()))
    text = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    text += "\n".join(p.text for p in document.paragraphs)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "CHI BỘ KHU PHỐ 1" in text
    assert "Bình Thắng, ngày 19 tháng 04 năm 2019" in text
    assert "BIÊN BẢN SINH HOẠT CHI BỘ" in text


def test_pdf_renders():
    pdf = _doc().to_pdf()
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 1000
