"""The periodical member statistics table as .xlsx and as a PDF in the party's document layout.

The layout is the product's own: it has not been confirmed against an official form, and both
files say so, with the date the data stands at and the period of the movement."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.documents import PartyDocument
from apps.core.templatetags.vn import format_date, format_int
from apps.core.xlsx import Column, xlsx_response
from apps.organizations.models import Organization

from .selectors import MemberFigures, Movement, Training


def table_rows(
    figures: MemberFigures, moves: Movement, training: Training, awards: list[tuple[str, int]]
) -> list[tuple[str, str, int]]:
    """(section, line, count) rows of the member statistics table."""
    rows: list[tuple[str, str, int]] = [
        (_("Tổng số"), _("Tổng số đảng viên"), figures.total),
        (_("Tổng số"), _("Đảng viên nữ"), figures.women),
        (_("Tổng số"), _("Đảng viên là người dân tộc thiểu số"), figures.ethnic_minorities),
        (_("Tổng số"), _("Đảng viên theo tôn giáo"), figures.religious),
    ]
    rows += [(_("Tình trạng"), str(label), n) for _k, label, n in figures.status_rows()]
    rows += [(_("Tôn giáo"), label, n) for _k, label, n in figures.religion_rows()]
    rows += [(_("Dân tộc"), label, n) for _k, label, n in figures.ethnicity_rows()]
    rows += [(_("Tuổi đời"), str(label), n) for _k, label, n in figures.age_rows()]
    rows += [(_("Tuổi Đảng"), str(label), n) for _k, label, n in figures.seniority_rows()]
    rows += [(_("Trình độ chuyên môn"), str(label), n) for _k, label, n in figures.education_rows()]
    rows += [(_("Lý luận chính trị"), str(label), n) for _k, label, n in figures.theory_rows()]
    rows += [(_("Biến động trong kỳ"), str(label), n) for _k, label, n in moves.rows()]
    for label, titles, total in training.rows():
        rows.append((_("Đào tạo, bồi dưỡng trong kỳ"), str(label), total))
        rows += [(_("Đào tạo, bồi dưỡng trong kỳ"), f"– {title}", n) for title, n in titles]
    rows += [(_("Khen thưởng trong kỳ"), name, n) for name, n in awards]
    return rows


def _notes(figures: MemberFigures, moves: Movement) -> list[str]:
    return [
        _("Số liệu tại ngày %(day)s; biến động từ %(start)s đến %(end)s.")
        % {"day": format_date(figures.day), "start": format_date(moves.start), "end": format_date(moves.end)},
        _(
            "Số liệu theo cây tổ chức và lịch sử sinh hoạt của từng đảng viên tại ngày đó. Mẫu biểu này chưa được "
            "đối chiếu với biểu mẫu thống kê chính thức."
        ),
    ]


def member_table_xlsx(
    org: Organization, figures: MemberFigures, moves: Movement, training: Training, awards: list[tuple[str, int]]
):
    columns = [Column(_("Mục"), 24), Column(_("Nội dung"), 48), Column(_("Số lượng"), 14)]
    rows: list[list] = [[section, line, n] for section, line, n in table_rows(figures, moves, training, awards)]
    rows.append([""])
    rows += [[note] for note in _notes(figures, moves)]
    filename = f"thong-ke-dang-vien-{org.code}-{figures.day:%Y%m%d}.xlsx"
    return xlsx_response(filename, columns, rows, sheet_title=_("Thống kê đảng viên"))


def member_table_pdf(
    org: Organization, figures: MemberFigures, moves: Movement, training: Training, awards: list[tuple[str, int]]
) -> bytes:
    doc = PartyDocument(
        title=_("Báo cáo thống kê đảng viên"),
        subtitle=_("Số liệu tại ngày %(day)s") % {"day": format_date(figures.day)},
        organization=org.name,
        parent_organization=org.parent.name if org.parent is not None else "",
        place=org.address or "",
        day=timezone.localdate(),
    )
    doc.table(
        [[_("Mục"), _("Nội dung"), _("Số lượng")]]
        + [[section, line, format_int(n)] for section, line, n in table_rows(figures, moves, training, awards)]
    )
    for note in _notes(figures, moves):
        doc.paragraph(note)
    return doc.to_pdf()
