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


def test_one_page_layout_for_both_files_a4_party_margins_and_a_times_metric_font():
    import re

    from apps.core.documents import PAGE

    doc = _doc()
    doc.recipients = ["Đảng ủy phường Bình Thắng (để báo cáo)", "Lưu chi bộ"]
    document = docx.Document(io.BytesIO(doc.to_docx()))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4, not US Letter
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert tuple(round(m.mm) for m in margins) == (PAGE.top, PAGE.bottom, PAGE.left, PAGE.right)
    assert document.styles["Normal"].font.name == "Times New Roman"
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "Nơi nhận:\n- Đảng ủy phường Bình Thắng (để báo cáo),\n- Lưu chi bộ." in cells
    pdf = doc.to_pdf()
    width, height = (float(v) for v in re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)", pdf).groups())
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
    assert b"LiberationSerif" in pdf and b"DejaVu" not in pdf  # Times New Roman's metrics, embedded
