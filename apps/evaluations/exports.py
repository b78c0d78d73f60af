"""The classification table as .xlsx and as a PDF report in the party's document layout."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.documents import PartyDocument
from apps.core.templatetags.vn import format_int, format_percent
from apps.core.xlsx import Column, xlsx_response

from .selectors import Table


def _pct(value, places: int = 1) -> str:
    return format_percent(value, places) if value is not None else ""


def table_rows(table: Table, *, text_numbers: bool = False) -> list[list]:
    """Rows of the table: a section heading, one row per level, the base, the not classified."""
    rows: list[list] = []
    for section in table.sections:
        rows.append([section.title.upper(), *([""] * (2 * len(table.years)))])
        for code, label, cells in section.rows:
            row = [f"{code}. {label}"]
            for count, pct, own in cells:
                if text_numbers:
                    row += [format_int(count) + (f" ({own})" if own else ""), _pct(pct, table.places)]
                else:
                    row += [count, float(pct) if pct is not None else None]
            rows.append(row)
        if section.has_distinction:
            row = [_("   trong đó: tiêu biểu")]
            for col in section.columns:
                row += [format_int(col.distinguished) if text_numbers else col.distinguished, ""]
            rows.append(row)
        for label, attr in (
            (_("Tổng số được xếp loại (cơ sở tính tỷ lệ)"), "classified"),
            (_("Không xếp loại"), "not_classified"),
            (_("Chưa có kết quả"), "undecided"),
            (_("Tổng số"), "total"),
        ):
            row = [label]
            for col in section.columns:
                value = getattr(col, attr)
                row += [
                    format_int(value) if text_numbers else value,
                    (format_percent(100, table.places) if attr == "classified" and value else "")
                    if text_numbers
                    else (100.0 if attr == "classified" and value else None),
                ]
            rows.append(row)
    return rows


def table_xlsx(table: Table):
    columns = [Column(_("Nội dung"), 52)]
    for year in table.years:
        columns += [
            Column(_("Năm %(year)s – số lượng") % {"year": year}, 16),
            Column(_("Năm %(year)s – tỷ lệ (%%)") % {"year": year}, 16),
        ]
    rows = table_rows(table)
    rows.append([""])
    for rule_set in table.rule_sets:
        rows.append([_("Căn cứ: %(name)s (%(citation)s)") % {"name": rule_set.name, "citation": rule_set.citation}])
    rows.append([_("Tỷ lệ tính trên số được xếp loại; làm tròn một chữ số thập phân theo phương pháp số dư lớn nhất.")])
    for progress in table.targets:
        rows.append(
            [
                _("Chỉ tiêu năm %(year)s: %(label)s") % {"year": progress.target.year, "label": progress.label},
                progress.count if progress.actual is not None else None,
                float(progress.actual) if progress.actual is not None else None,
            ]
        )
    filename = f"xep-loai-{table.organization.code}-{'-'.join(str(y) for y in table.years)}.xlsx"
    return xlsx_response(filename, columns, rows, sheet_title=_("Xếp loại"))


def table_pdf(table: Table) -> bytes:
    org = table.organization
    parent = org.parent.name if org.parent_id else ""
    years = ", ".join(str(y) for y in table.years)
    doc = PartyDocument(
        title=_("Báo cáo kết quả đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên"),
        subtitle=_("Năm %(years)s") % {"years": years},
        organization=org.name,
        parent_organization=parent,
        place=org.address or "",
        day=timezone.localdate(),
    )
    header = [_("Nội dung")]
    for year in table.years:
        header += [_("Năm %(year)s – số lượng") % {"year": year}, _("Tỷ lệ")]
    doc.table([header, *table_rows(table, text_numbers=True)])
    own = [(y, e) for y, e in table.own if e is not None]
    if own:
        doc.heading(_("Xếp loại %(org)s") % {"org": org.name})
        for year, e in own:
            doc.paragraph(f"{year}: {e.level_label}")
    if table.targets:
        doc.heading(_("Chỉ tiêu"))
        for p in table.targets:
            state = _("chưa có kết quả")
            if p.actual is not None:
                state = _("%(year)s đạt %(pct)s (%(count)s/%(base)s)") % {
                    "year": p.actual_year,
                    "pct": _pct(p.actual, table.places),
                    "count": format_int(p.count),
                    "base": format_int(p.base),
                }
            doc.paragraph(
                _("Năm %(year)s: %(label)s — %(state)s") % {"year": p.target.year, "label": p.label, "state": state}
            )
    doc.heading(_("Căn cứ"))
    for rule_set in table.rule_sets:
        doc.paragraph(f"{rule_set.name} ({rule_set.citation})")
    doc.paragraph(_("Tỷ lệ tính trên số được xếp loại; làm tròn một chữ số thập phân, tổng bằng 100%."))
    doc.signatures = [(_("T/M Ban Thường vụ"), "")]
    return doc.to_pdf()
