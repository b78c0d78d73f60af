"""Party documents (minutes, resolutions, reports) as .docx and PDF, in the party's layout.

The header follows the party's document layout: the issuing organization (with its parent above it)
and the document number on the left, "ĐẢNG CỘNG SẢN VIỆT NAM" and the place and date on the right,
then the title, the body and the signature blocks. One `PartyDocument` renders to both formats.
"""

from __future__ import annotations

import dataclasses
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings

from .cleaning import xml_safe

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"


@dataclass(frozen=True)
class Page:
    """The page of a party document (Hướng dẫn 36-HD/VPTW): A4, margins in millimetres, Times New
    Roman. The PDF embeds Liberation Serif, drawn to Times New Roman's metrics, so both files break
    their lines alike; a .docx opened where Times New Roman is missing falls back the same way."""

    width: int = 210
    height: int = 297
    top: int = 20
    bottom: int = 20
    left: int = 30
    right: int = 15
    font: str = "Times New Roman"
    size: int = 13
    title_size: int = 14


PAGE = Page()


@dataclass
class PartyDocument:
    title: str
    organization: str
    parent_organization: str = ""
    number: str = ""
    place: str = ""
    day: date | None = None
    subtitle: str = ""
    # Blocks: ("heading", text) | ("paragraph", text) | ("table", [[cell, ...], ...])
    blocks: list[tuple[str, object]] = field(default_factory=list)
    # Signature blocks: (role line, name), e.g. ("T/M CHI BỘ\nBÍ THƯ", "Nguyễn Văn A")
    signatures: list[tuple[str, str]] = field(default_factory=list)
    # Nơi nhận: where the document goes ("Đảng ủy phường (để báo cáo)", "Lưu chi bộ"), bottom left.
    recipients: list[str] = field(default_factory=list)

    @property
    def recipient_lines(self) -> list[str]:
        """The block as printed: "- Đảng ủy …," on each line, the last one closed with a full stop."""
        last = len(self.recipients) - 1
        return [f"- {name}{'.' if i == last else ','}" for i, name in enumerate(self.recipients)]

    def heading(self, text: str) -> PartyDocument:
        self.blocks.append(("heading", text))
        return self

    def paragraph(self, text: str) -> PartyDocument:
        self.blocks.append(("paragraph", text))
        return self

    def table(self, rows: list[list[str]]) -> PartyDocument:
        self.blocks.append(("table", rows))
        return self

    @property
    def place_and_date(self) -> str:
        if not self.day:
            return self.place
        d = self.day
        return f"{self.place}, ngày {d.day:02d} tháng {d.month:02d} năm {d.year}".lstrip(", ")

    def xml_safe(self) -> PartyDocument:
        """A copy whose every text has the characters XML cannot hold removed.

        Text is cleaned on the way in (apps.core.cleaning), but a row saved before that, or text
        from elsewhere, must never make a document fail: both generators write XML.
        """

        def clean(value):
            if isinstance(value, str):
                return xml_safe(value)
            if isinstance(value, list | tuple):
                return type(value)(clean(v) for v in value)
            if value is None or isinstance(value, int | float | date):
                return value
            return xml_safe(str(value))

        changes = {f.name: clean(getattr(self, f.name)) for f in dataclasses.fields(self) if f.name != "day"}
        return dataclasses.replace(self, **changes)

    def to_docx(self) -> bytes:
        if not getattr(self, "_xml_safe", False):
            return self.xml_safe()._mark_safe().to_docx()
        from docx import Document
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml.ns import qn
        from docx.shared import Mm, Pt

        doc = Document()
        section = doc.sections[0]
        section.page_width, section.page_height = Mm(PAGE.width), Mm(PAGE.height)
        section.top_margin, section.bottom_margin = Mm(PAGE.top), Mm(PAGE.bottom)
        section.left_margin, section.right_margin = Mm(PAGE.left), Mm(PAGE.right)
        style = doc.styles["Normal"]
        style.font.name = PAGE.font
        style.element.rPr.rFonts.set(qn("w:eastAsia"), PAGE.font)  # the font for every script, not Latin only
        style.font.size = Pt(PAGE.size)
        header = doc.add_table(rows=1, cols=2)
        header.alignment = WD_TABLE_ALIGNMENT.CENTER
        left, right = header.rows[0].cells
        left.paragraphs[0].text = self.parent_organization.upper()
        p = left.add_paragraph()
        p.add_run(self.organization.upper()).bold = True
        left.add_paragraph("*")
        if self.number:
            left.add_paragraph(f"Số {self.number}")
        for para in left.paragraphs:
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = right.paragraphs[0].add_run("ĐẢNG CỘNG SẢN VIỆT NAM")
        r.bold = True
        r.underline = True
        right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        p = right.add_paragraph()
        p.add_run(self.place_and_date).italic = True
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title = doc.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = title.add_run(self.title.upper())
        run.bold = True
        run.font.size = Pt(PAGE.title_size)
        if self.subtitle:
            sub = doc.add_paragraph(self.subtitle)
            sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for kind, content in self.blocks:
            if kind == "heading":
                doc.add_paragraph().add_run(str(content)).bold = True
            elif kind == "paragraph":
                for line in str(content).splitlines() or [""]:
                    doc.add_paragraph(line)
            elif kind == "table":
                rows = content
                table = doc.add_table(rows=len(rows), cols=max(len(r) for r in rows) if rows else 1)
                table.style = "Table Grid"
                for i, row in enumerate(rows):
                    for j, value in enumerate(row):
                        table.cell(i, j).text = str(value)
        # One signature: Nơi nhận at its left, as the layout has it; two: Nơi nhận below them.
        beside = bool(self.recipients) and len(self.signatures) == 1
        if self.signatures:
            sig = doc.add_table(rows=1, cols=len(self.signatures) + beside)
            cells = sig.rows[0].cells
            if beside:
                self._docx_recipients(cells[0])
            for cell, (role, name) in zip(cells[beside:], self.signatures, strict=True):
                cell.paragraphs[0].add_run(role.upper()).bold = True
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
                cell.add_paragraph("\n\n")
                p = cell.add_paragraph()
                p.add_run(name).bold = True
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if self.recipients and not beside:
            self._docx_recipients(doc.add_table(rows=1, cols=1).rows[0].cells[0])
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()

    def _docx_recipients(self, cell) -> None:
        from docx.shared import Pt

        heading = cell.paragraphs[0].add_run("Nơi nhận:")
        heading.bold = heading.italic = True
        heading.font.size = Pt(PAGE.size - 1)
        for line in self.recipient_lines:
            cell.add_paragraph().add_run(line).font.size = Pt(PAGE.size - 2)

    def _mark_safe(self) -> PartyDocument:
        self._xml_safe = True
        return self

    def to_pdf(self) -> bytes:
        if not getattr(self, "_xml_safe", False):
            return self.xml_safe()._mark_safe().to_pdf()
        from reportlab.lib import colors
        from reportlab.lib.enums import TA_CENTER
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.lib.units import mm
        from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

        _register_fonts()
        base = ParagraphStyle("base", fontName="Serif", fontSize=PAGE.size, leading=PAGE.size * 1.3)
        center = ParagraphStyle("center", parent=base, alignment=TA_CENTER)
        bold_center = ParagraphStyle("bold_center", parent=center, fontName="Serif-Bold")
        title_style = ParagraphStyle(
            "title", parent=bold_center, fontSize=PAGE.title_size, leading=PAGE.title_size * 1.4, spaceBefore=12
        )
        heading = ParagraphStyle("heading", parent=base, fontName="Serif-Bold", spaceBefore=6)

        def para(text, style=base):
            return Paragraph(_escape(text).replace("\n", "<br/>"), style)

        left = [
            para(self.parent_organization.upper(), center),
            para(self.organization.upper(), bold_center),
            para("*", center),
        ]
        if self.number:
            left.append(para(f"Số {self.number}", center))
        right = [
            Paragraph("<u>ĐẢNG CỘNG SẢN VIỆT NAM</u>", bold_center),
            Paragraph(f"<i>{_escape(self.place_and_date)}</i>", center),
        ]
        half = (PAGE.width - PAGE.left - PAGE.right) / 2 * mm
        story = [Table([[left, right]], colWidths=[half, half]), para(self.title.upper(), title_style)]
        if self.subtitle:
            story.append(para(self.subtitle, center))
        story.append(Spacer(1, 6 * mm))
        for kind, content in self.blocks:
            if kind == "heading":
                story.append(para(str(content), heading))
            elif kind == "paragraph":
                story.append(para(str(content)))
            elif kind == "table":
                data = [[para(str(v)) for v in row] for row in content]
                table = Table(data, repeatRows=1)
                table.setStyle(
                    TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")])
                )
                story.append(table)
        small = ParagraphStyle("small", parent=base, fontSize=PAGE.size - 2, leading=(PAGE.size - 2) * 1.3)
        received = [Paragraph("<b><i>Nơi nhận:</i></b>", base), *(para(line, small) for line in self.recipient_lines)]
        beside = bool(self.recipients) and len(self.signatures) == 1
        if self.signatures:
            cells = [
                [para(role.upper(), bold_center), Spacer(1, 18 * mm), para(name, bold_center)]
                for role, name in self.signatures
            ]
            story += [Spacer(1, 8 * mm), Table([[received, *cells] if beside else cells])]
        if self.recipients and not beside:
            story += [Spacer(1, 6 * mm), *received]
        out = io.BytesIO()
        SimpleDocTemplate(
            out,
            pagesize=(PAGE.width * mm, PAGE.height * mm),
            leftMargin=PAGE.left * mm,
            rightMargin=PAGE.right * mm,
            topMargin=PAGE.top * mm,
            bottomMargin=PAGE.bottom * mm,
            title=self.title,
        ).build(story)
        return out.getvalue()


def _escape(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_fonts_registered = False


def _register_fonts() -> None:
    global _fonts_registered
    if _fonts_registered:
        return
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, file in (
        ("Serif", "LiberationSerif-Regular.ttf"),
        ("Serif-Bold", "LiberationSerif-Bold.ttf"),
        ("Serif-Italic", "LiberationSerif-Italic.ttf"),
        ("Serif-BoldItalic", "LiberationSerif-BoldItalic.ttf"),
    ):
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    # <i> and <b> inside a paragraph pick the matching face.
    for bold, italic, name in (
        (0, 0, "Serif"),
        (1, 0, "Serif-Bold"),
        (0, 1, "Serif-Italic"),
        (1, 1, "Serif-BoldItalic"),
    ):
        addMapping("Serif", bold, italic, name)
    _fonts_registered = True


def file_response(content: bytes, filename: str, kind: str):
    """An attachment response for "docx", "pdf" or "xlsx" content."""
    from django.http import HttpResponse

    types = {
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pdf": "application/pdf",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    response = HttpResponse(content, content_type=types[kind])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)
