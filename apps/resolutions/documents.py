"""Exports: a resolution's target table with results (.xlsx, PDF in the party's layout) and a task list (.xlsx)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.documents import PartyDocument, file_response
from apps.core.templatetags.vn import format_date
from apps.core.xlsx import Column, xlsx_response

from .selectors import Table, flatten
from .templatetags.figures import figure as _num
from .templatetags.figures import percent as _pct


def table_headings(period) -> list[str]:
    return [
        _("STT"),
        _("Chỉ tiêu"),
        _("Đơn vị thực hiện"),
        _("Đơn vị tính"),
        _("Chỉ tiêu năm %(y)s") % {"y": period.year},
        _("Kết quả %(p)s") % {"p": period},
        _("Cùng kỳ năm trước"),
        _("So với cùng kỳ (%)"),
        _("Lũy kế năm"),
        _("So với kế hoạch năm (%)"),
        _("Đánh giá năm"),
        _("Chỉ tiêu nhiệm kỳ"),
        _("Lũy kế nhiệm kỳ"),
        _("Đánh giá nhiệm kỳ"),
    ]


def table_rows(table: Table) -> list[list]:
    rows = []
    number = 0
    for r in flatten(table.rows):
        if r.depth == 0:
            number += 1
            label = str(number)
        else:
            label = f"{number}." + "–" * r.depth
        t = r.target
        rows.append(
            [
                label,
                t.indicator,
                t.organization.name,
                t.unit,
                _num(r.year_target),
                _num(r.period_value),
                _num(r.last_year_value),
                _pct(r.against_last_year),
                _num(r.year_to_date),
                _pct(r.against_plan),
                r.year_judgement_label,
                _num(t.term_value),
                _num(r.term_to_date),
                r.term_judgement_label,
            ]
        )
    return rows


def summary_lines(table: Table) -> list[str]:
    met, total = table.year_met
    term_met, term_total = table.term_met
    return [
        _("Năm %(y)s: %(met)s/%(total)s chỉ tiêu đạt (%(share)s).")
        % {"y": table.period.year, "met": met, "total": total, "share": _pct(table.year_share) or "–"},
        _("Nhiệm kỳ: %(met)s/%(total)s chỉ tiêu đạt (%(share)s).")
        % {"met": term_met, "total": term_total, "share": _pct(table.term_share) or "–"},
    ]


def table_xlsx(resolution, period, table: Table):
    columns = [Column(h, 30 if i == 1 else 14) for i, h in enumerate(table_headings(period))]
    rows = table_rows(table)
    rows.append([])
    rows.extend([[line] for line in summary_lines(table)])
    name = f"chi-tieu-{resolution.pk}-{period.year}{('-' + period.key) if period.key else ''}.xlsx"
    return xlsx_response(name, columns, rows, sheet_title=_("Chỉ tiêu"))


def table_document(resolution, period, table: Table) -> PartyDocument:
    org = resolution.organization
    doc = PartyDocument(
        title=_("Báo cáo kết quả thực hiện các chỉ tiêu"),
        organization=org.name,
        parent_organization=org.parent.name if org.parent_id else "",
        subtitle=_("Nghị quyết số %(n)s – %(p)s") % {"n": resolution.number, "p": period},
        day=timezone.localdate(),
    )
    doc.paragraph(resolution.title)
    heads = table_headings(period)
    keep = [0, 1, 2, 3, 4, 5, 6, 8, 10, 13]
    doc.table([[heads[i] for i in keep]] + [[row[i] for i in keep] for row in table_rows(table)])
    for line in summary_lines(table):
        doc.paragraph(line)
    return doc


def table_pdf(resolution, period, table: Table):
    content = table_document(resolution, period, table).to_pdf()
    return file_response(content, f"chi-tieu-{resolution.pk}-{period.year}.pdf", "pdf")


def tasks_xlsx(rows, today: dt.date):
    columns = [
        Column(_("STT"), 6),
        Column(_("Nội dung công việc"), 50),
        Column(_("Người, tổ chức phụ trách"), 30),
        Column(_("Thuộc tổ chức"), 30),
        Column(_("Thời hạn"), 12),
        Column(_("Tình trạng"), 16),
        Column(_("Trễ hạn"), 10),
        Column(_("Ngày hoàn thành"), 14),
        Column(_("Kết quả"), 40),
    ]

    def lines():
        for i, t in enumerate(rows.iterator(chunk_size=500), start=1):
            yield [
                i,
                t.content,
                str(t.owner),
                t.organization.name,
                format_date(t.deadline),
                t.get_status_display(),
                _("Trễ hạn") if t.is_overdue(today) or t.done_late() else "",
                format_date(t.done_on) if t.done_on else "",
                t.result,
            ]

    return xlsx_response(f"nhiem-vu-{today:%Y%m%d}.xlsx", columns, lines(), sheet_title=_("Nhiệm vụ"))
