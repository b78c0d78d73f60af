"""The minutes and the resolution of a meeting in the party's document layout (.docx and PDF)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.documents import PartyDocument
from apps.core.templatetags.vn import format_date, format_percent
from apps.core.text import vn_sorted

from .models import Presence
from .rules import in_attendance_base
from .selectors import meeting_counts, rule_set_for
from .services import current_minutes


def _header(meeting, title: str, number: str = "") -> PartyDocument:
    org = meeting.organization
    parent = org.parent.name if org.parent else ""
    # The locality of the header: the first address found going up the tree (not the meeting room).
    place = org.address or next((a.address for a in reversed(list(org.ancestors())) if a.address), "")
    place = place.split(",")[0].strip()
    return PartyDocument(
        title=title,
        organization=org.name,
        parent_organization=parent,
        number=number,
        place=place,
        day=meeting.date,
        subtitle=_("Sinh hoạt chi bộ %(kind)s tháng %(month)s năm %(year)s")
        % {"kind": meeting.get_kind_display().lower(), "month": meeting.date.month, "year": meeting.date.year},
    )


def _name(member) -> str:
    return member.full_name if member else ""


def minutes_document(meeting) -> PartyDocument:
    minutes = current_minutes(meeting)
    counts = meeting_counts(meeting)
    doc = _header(meeting, _("Biên bản"))
    start = timezone.localtime(meeting.started_at).strftime("%H:%M") if meeting.started_at else "…"
    end = timezone.localtime(meeting.ended_at).strftime("%H:%M") if meeting.ended_at else "…"
    doc.paragraph(
        _("Thời gian: bắt đầu lúc %(start)s, kết thúc lúc %(end)s ngày %(day)s. Địa điểm: %(place)s.")
        % {"start": start, "end": end, "day": format_date(meeting.date), "place": meeting.place or "…"}
    )
    doc.paragraph(
        _("Chủ trì: đồng chí %(chair)s. Thư ký: đồng chí %(taker)s.")
        % {"chair": _name(meeting.chair) or "…", "taker": _name(meeting.minute_taker) or "…"}
    )
    doc.heading(_("I. Thành phần"))
    rule_set = rule_set_for(meeting)
    rows = list(meeting.roll.select_related("member"))
    in_base = [r for r in rows if in_attendance_base(r, rule_set)]
    excused = [r for r in in_base if r.presence == Presence.EXCUSED]
    unexcused = [r for r in in_base if r.presence == Presence.UNEXCUSED]
    outside = [r for r in rows if not in_attendance_base(r, rule_set)]
    doc.paragraph(
        _(
            "Tổng số đảng viên của chi bộ: %(on_roll)s; số đảng viên phải dự (cơ số): %(base)s; có mặt: %(present)s "
            "(%(rate)s); vắng có lý do: %(excused)s; vắng không lý do: %(unexcused)s."
        )
        % {
            "on_roll": counts.on_roll,
            "base": counts.base,
            "present": counts.present,
            "rate": format_percent(counts.rate) if counts.rate is not None else "–",
            "excused": counts.excused,
            "unexcused": counts.unexcused,
        }
    )
    if excused:
        doc.paragraph(
            _("Vắng có lý do: ")
            + "; ".join(f"{r.member.full_name} ({r.reason or _('chưa ghi lý do')})" for r in excused)
            + "."
        )
    if unexcused:
        doc.paragraph(_("Vắng không lý do: ") + ", ".join(r.member.full_name for r in unexcused) + ".")
    if outside:
        doc.paragraph(
            _("Không tính vào số phải dự: ")
            + "; ".join(f"{r.member.full_name} ({r.get_member_status_display().lower()})" for r in outside)
            + "."
        )
    if meeting.higher_representative or meeting.higher_representative_name:
        doc.paragraph(
            _("Đại diện cấp ủy cấp trên dự: %(name)s.")
            % {"name": _name(meeting.higher_representative) or meeting.higher_representative_name}
        )
    if meeting.guests:
        doc.paragraph(_("Khách mời: %(guests)s.") % {"guests": meeting.guests})
    doc.heading(_("II. Nội dung"))
    if meeting.theme:
        doc.paragraph(_("Chủ đề: %(theme)s.") % {"theme": meeting.theme})
    if meeting.agenda:
        doc.paragraph(meeting.agenda)
    if minutes and minutes.discussion:
        doc.paragraph(minutes.discussion)
    spoke = vn_sorted(
        [c for c in meeting.contributions.select_related("member") if c.spoke], key=lambda c: c.member.full_name
    )
    if spoke:
        doc.heading(_("Ý kiến phát biểu"))
        doc.table([[_("Đảng viên"), _("Nội dung")]] + [[c.member.full_name, c.summary] for c in spoke])
    doc.heading(_("III. Kết luận"))
    doc.paragraph(minutes.conclusions if minutes else "")
    votes = list(meeting.votes.all())
    if votes:
        doc.heading(_("Biểu quyết"))
        doc.table(
            [[_("Nội dung"), _("Tán thành"), _("Không tán thành"), _("Không biểu quyết"), _("Cơ số"), _("Kết quả")]]
            + [
                [
                    v.subject,
                    str(v.votes_for),
                    str(v.votes_against),
                    str(v.votes_abstain),
                    str(v.base),
                    _("Hợp lệ") if v.is_valid else _("Không hợp lệ"),
                ]
                for v in votes
            ]
        )
    if minutes and minutes.version > 1:
        doc.paragraph(
            _("Bản sửa đổi lần %(n)s. Lý do: %(reason)s")
            % {"n": minutes.version - 1, "reason": minutes.correction_reason}
        )
    doc.paragraph(_("Biên bản đã được đọc lại và thông qua trước khi bế mạc."))
    doc.signatures = [(_("Thư ký"), _name(meeting.minute_taker)), (_("Chủ trì"), _name(meeting.chair))]
    doc.recipients = [_("Lưu chi bộ")]
    return doc


def resolution_document(meeting) -> PartyDocument:
    minutes = current_minutes(meeting)
    doc = _header(meeting, _("Nghị quyết"), number=(minutes.number if minutes else ""))
    sections = [
        (_("I. Kết quả thực hiện nhiệm vụ"), minutes.results if minutes else ""),
        (_("II. Phương hướng, nhiệm vụ"), minutes.direction if minutes else ""),
        (_("III. Phân công tổ chức thực hiện"), minutes.assignments if minutes else ""),
        (_("IV. Tự đánh giá chất lượng sinh hoạt"), minutes.self_assessment if minutes else ""),
    ]
    for heading, text in sections:
        doc.heading(heading)
        doc.paragraph(text or "")
    doc.signatures = [(_("T/M Chi bộ\nBí thư"), _name(meeting.chair))]
    doc.recipients = _resolution_recipients(meeting.organization)
    return doc


def _resolution_recipients(cell) -> list[str]:
    """A cell's resolution goes to the committee above (to report), the cell's members, and the file."""
    above = [_("%(org)s (để báo cáo)") % {"org": cell.parent.name}] if cell.parent_id else []
    return [*above, _("Đảng viên trong chi bộ"), _("Lưu chi bộ")]
