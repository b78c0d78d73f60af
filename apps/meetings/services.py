"""Writes for cell meetings. Each checks reach, validates, changes nothing on bad input, and is audited."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.files import DOCUMENT_KINDS, original_name, validate_upload
from apps.core.locking import approve
from apps.core.scoping import CHANGE, scope_for
from apps.core.services import audited, require_org
from apps.core.templatetags.vn import format_date
from apps.core.versioning import check_version
from apps.members.models import Member, Status
from apps.notices.models import Topic as NoticeTopic
from apps.notices.services import notify
from apps.organizations.models import CELL_KINDS, Organization, OversightAssignment, line_paths

from . import rules
from .models import (
    CELL_MEETING_KINDS,
    HELD_STATUSES,
    Attendance,
    Backfill,
    Contribution,
    Kind,
    Meeting,
    MeetingDocument,
    MeetingRuleSet,
    MeetingStatus,
    Minutes,
    Notification,
    PeriodClosure,
    Presence,
    QualityAssessment,
    Theme,
    Vote,
    VoteKind,
)

MINUTES_FIELDS = ("number", "discussion", "conclusions", "results", "direction", "assignments", "self_assessment")


# --- Periods ------------------------------------------------------------------------------------


def closed_reason(organization: Organization, day: date, *, today: date | None = None) -> str | None:
    """Why meetings dated `day` can no longer be entered or moved for `organization`, or None.

    A month is closed when the organization or one above it has closed its figures
    (`PeriodClosure`), or when more than the rule set's entry window has passed since it ended and
    the committee above has not opened it for entering paper records (`Backfill`).
    """
    today = today or timezone.localdate()
    closure = (
        PeriodClosure.objects.filter(
            organization__path__in=line_paths(organization.path), year=day.year, month=day.month
        )
        .select_related("organization")
        .first()
    )
    if closure:
        return _("Tháng %(month)s/%(year)s đã được %(org)s chốt số liệu sinh hoạt; không thể ghi thêm hay sửa.") % {
            "month": day.month,
            "year": day.year,
            "org": closure.organization.name,
        }
    if past_entry_window(day, today) and not Backfill.objects.covering(organization, day, today).exists():
        return _(
            "Tháng %(month)s/%(year)s đã khóa sổ: chỉ được ghi sinh hoạt trong %(days)s ngày sau khi hết tháng. "
            "Sổ sách giấy của tháng này được ghi khi cấp ủy cấp trên mở ghi bổ sung."
        ) % {"month": day.month, "year": day.year, "days": MeetingRuleSet.in_force_on(day).entry_window_days}
    return None


def past_entry_window(day: date, today: date) -> bool:
    """More than the rule set's entry window has passed since the end of `day`'s month."""
    month_end = date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    return (today - month_end).days > MeetingRuleSet.in_force_on(day).entry_window_days


def _backfill_for(organization: Organization, day: date) -> Backfill | None:
    """The opening a meeting dated `day` is entered under, if the entry window alone would refuse it."""
    today = timezone.localdate()
    return Backfill.objects.covering(organization, day, today).first() if past_entry_window(day, today) else None


def _require_open(organization, day, field="date"):
    reason = closed_reason(organization, day)
    if reason:
        raise ValidationError({field: reason})


def _require_unlocked(meeting: Meeting):
    if meeting.is_locked:
        raise ValidationError(_("Biên bản cuộc sinh hoạt này đã được thông qua và khóa; không thể sửa."))
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("Cuộc sinh hoạt này đã bị hủy."))


def _require_cell(organization):
    if organization.kind not in CELL_KINDS:
        raise ValidationError(
            _("Chỉ chi bộ mới tổ chức sinh hoạt chi bộ; “%(org)s” không phải chi bộ.") % {"org": organization.name}
        )
    if organization.ended_on:
        raise ValidationError(_("Chi bộ này đã kết thúc hoạt động."))


def _member_of_cell(member: Member | None, meeting_or_org, day: date, field: str):
    """Refuse a member who is not in the cell's roll on `day`."""
    if member is None:
        return
    organization = meeting_or_org.organization if isinstance(meeting_or_org, Meeting) else meeting_or_org
    if not any(e.member.pk == member.pk for e in rules.roll_for(organization, day)):
        raise ValidationError(
            {
                field: _("Đồng chí %(name)s không sinh hoạt tại %(org)s vào ngày %(day)s.")
                % {"name": member.full_name, "org": organization.name, "day": format_date(day)}
            }
        )


# --- Planning -----------------------------------------------------------------------------------


def meeting_create(
    *,
    user: User,
    organization: Organization,
    kind: str,
    date: date,
    start_time: time | None = None,
    place: str = "",
    theme: str = "",
    theme_ref: Theme | None = None,
    agenda: str = "",
    resolution_drafter: Member | None = None,
    presenters: list[tuple[Member, str]] | None = None,
) -> Meeting:
    require_org(user, organization)
    _require_cell(organization)
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Loại sinh hoạt không hợp lệ.")})
    if date is None:
        raise ValidationError({"date": _("Hãy nhập ngày sinh hoạt.")})
    _require_open(organization, date)
    _member_of_cell(resolution_drafter, organization, date, "resolution_drafter")
    for member, _topic in presenters or []:
        _member_of_cell(member, organization, date, "presenters")
    if theme_ref and not theme:
        theme = theme_ref.title
    with audited(user):
        meeting = Meeting.objects.create(
            organization=organization,
            kind=kind,
            date=date,
            start_time=start_time,
            place=place.strip(),
            theme=theme.strip(),
            theme_ref=theme_ref,
            agenda=agenda,
            resolution_drafter=resolution_drafter,
            rule_set=_rule_set_row(date),
            backfill=_backfill_for(organization, date),
        )
        for member, topic in presenters or []:
            Contribution.objects.create(meeting=meeting, member=member, topic=topic, assigned=True)
    return meeting


def _rule_set_row(day):
    rule_set = MeetingRuleSet.in_force_on(day)
    return rule_set if rule_set.pk else None


PLAN_FIELDS = ("kind", "date", "start_time", "place", "theme", "theme_ref", "agenda", "resolution_drafter")


def meeting_update(*, user: User, meeting: Meeting, expected_version=None, **fields) -> Meeting:
    require_org(user, meeting.organization)
    _require_unlocked(meeting)
    new_date = fields.get("date", meeting.date)
    if new_date is None:
        raise ValidationError({"date": _("Hãy nhập ngày sinh hoạt.")})
    if new_date != meeting.date:
        _require_open(meeting.organization, meeting.date)
        if meeting.status in HELD_STATUSES or meeting.status == MeetingStatus.IN_PROGRESS:
            raise ValidationError({"date": _("Cuộc sinh hoạt đã diễn ra; không thể đổi ngày.")})
    _require_open(meeting.organization, new_date)
    if "resolution_drafter" in fields:
        _member_of_cell(fields["resolution_drafter"], meeting, new_date, "resolution_drafter")
    changed = [k for k in PLAN_FIELDS if k in fields and getattr(meeting, k) != fields[k]]
    for key in changed:
        setattr(meeting, key, fields[key])
    if changed:
        with audited(user):
            check_version(meeting, expected_version)
            meeting.save(update_fields=changed)
    return meeting


def meeting_cancel(*, user: User, meeting: Meeting, reason: str) -> Meeting:
    require_org(user, meeting.organization)
    _require_unlocked(meeting)
    if meeting.status in HELD_STATUSES:
        raise ValidationError(_("Cuộc sinh hoạt đã diễn ra; không thể hủy."))
    if not (reason or "").strip():
        raise ValidationError({"cancelled_reason": _("Hãy ghi lý do hủy.")})
    with audited(user):
        meeting.status = MeetingStatus.CANCELLED
        meeting.cancelled_reason = reason.strip()
        meeting.save(update_fields=["status", "cancelled_reason"])
    return meeting


def plan_quarter(
    *,
    user: User,
    organization: Organization,
    year: int,
    quarter: int,
    day: int,
    start_time: time | None = None,
    place: str = "",
    thematic_month: int | None = None,
    thematic_theme: str = "",
) -> list[Meeting]:
    """Plan a quarter: a regular meeting each month on `day` (the last day when shorter), and,
    if asked, the quarter's thematic meeting held together with that month's regular one."""
    require_org(user, organization)
    _require_cell(organization)
    if quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": _("Quý phải từ 1 đến 4.")})
    if not 1 <= day <= 31:
        raise ValidationError({"day": _("Ngày trong tháng phải từ 1 đến 31.")})
    months = [3 * (quarter - 1) + i for i in (1, 2, 3)]
    if thematic_month and thematic_month not in months:
        raise ValidationError({"thematic_month": _("Tháng sinh hoạt chuyên đề phải thuộc quý đã chọn.")})
    if thematic_month and not thematic_theme.strip():
        raise ValidationError({"thematic_theme": _("Hãy ghi chủ đề sinh hoạt chuyên đề.")})
    days = [date(year, m, min(day, calendar.monthrange(year, m)[1])) for m in months]
    for d in days:
        _require_open(organization, d)
    created = []
    with audited(user):
        for d in days:
            exists = Meeting.objects.filter(
                organization=organization, date__year=d.year, date__month=d.month, kind__in=CELL_MEETING_KINDS
            ).exclude(status=MeetingStatus.CANCELLED)
            if exists.exists():
                continue
            combined = d.month == thematic_month
            created.append(
                meeting_create(
                    user=user,
                    organization=organization,
                    kind=Kind.COMBINED if combined else Kind.REGULAR,
                    date=d,
                    start_time=start_time,
                    place=place,
                    theme=thematic_theme if combined else "",
                )
            )
    return created


def theme_set_for_cells(
    *, user: User, parent: Organization, on: date, kind: str, theme: str, theme_ref: Theme | None = None
) -> int:
    """The parent organization sets the theme of a month's meetings of `kind` for all its cells;
    a cell without such a meeting that month gets one planned on `on`. Returns the cells touched."""
    require_org(user, parent)
    if theme_ref and not theme:
        theme = theme_ref.title
    if not (theme or "").strip():
        raise ValidationError({"theme": _("Hãy ghi chủ đề.")})
    if kind not in CELL_MEETING_KINDS:
        raise ValidationError({"kind": _("Chỉ đặt chủ đề cho sinh hoạt thường kỳ hoặc chuyên đề.")})
    cells = list(Organization.objects.filter(path__startswith=parent.path, kind__in=CELL_KINDS, ended_on__isnull=True))
    if not cells:
        raise ValidationError(_("Tổ chức này không có chi bộ trực thuộc."))
    for cell in cells:
        _require_open(cell, on)
    touched = 0
    with audited(user):
        for cell in cells:
            meetings = Meeting.objects.filter(
                organization=cell,
                date__year=on.year,
                date__month=on.month,
                kind=kind,
                status__in=[MeetingStatus.PLANNED, MeetingStatus.NOTIFIED],
            )
            if meetings.exists():
                for meeting in meetings:
                    meeting.theme, meeting.theme_ref, meeting.theme_set_by = theme.strip(), theme_ref, parent
                    meeting.save(update_fields=["theme", "theme_ref", "theme_set_by"])
            else:
                Meeting.objects.create(
                    organization=cell,
                    kind=kind,
                    date=on,
                    theme=theme.strip(),
                    theme_ref=theme_ref,
                    theme_set_by=parent,
                    rule_set=_rule_set_row(on),
                )
            touched += 1
    return touched


def presenter_assign(*, user: User, meeting: Meeting, member: Member, topic: str) -> Contribution:
    require_org(user, meeting.organization)
    _require_unlocked(meeting)
    _member_of_cell(member, meeting, meeting.date, "member")
    with audited(user):
        return Contribution.objects.create(meeting=meeting, member=member, topic=topic.strip(), assigned=True)


# --- Preparing ----------------------------------------------------------------------------------


def notification_text(meeting: Meeting) -> str:
    when = format_date(meeting.date)
    if meeting.start_time:
        when = f"{meeting.start_time:%H:%M} {when}"
    return _("Mời đồng chí dự sinh hoạt %(kind)s của %(org)s lúc %(when)s tại %(place)s. Nội dung: %(content)s") % {
        "kind": meeting.get_kind_display().lower(),
        "org": meeting.organization.name,
        "when": when,
        "place": meeting.place or _("(chưa ghi địa điểm)"),
        "content": meeting.theme or meeting.agenda or _("(chưa ghi nội dung)"),
    }


def overseers_of(organization, day):
    return [
        a.member
        for a in OversightAssignment.objects.filter(organization=organization)
        .active_on(day)
        .select_related("member__user")
    ]


def meeting_notify(*, user: User, meeting: Meeting) -> int:
    """Send time, place and content to the cell's members and the committee members who follow it."""
    require_org(user, meeting.organization)
    _require_unlocked(meeting)
    if meeting.status in HELD_STATUSES:
        raise ValidationError(_("Cuộc sinh hoạt đã diễn ra."))
    text = notification_text(meeting)
    recipients = [(e.member, False) for e in roll_entries(meeting)]
    seen = {m.pk for m, _o in recipients}
    recipients += [(m, True) for m in overseers_of(meeting.organization, meeting.date) if m.pk not in seen]
    with audited(user):
        for member, as_overseer in recipients:
            Notification.objects.create(
                organization=meeting.organization,
                meeting=meeting,
                member=member,
                recipient=member.user,
                as_overseer=as_overseer,
                text=text,
            )
            notify(
                member.user,
                NoticeTopic.INVITATION,
                _("Giấy mời sinh hoạt: %(org)s, %(date)s")
                % {"org": meeting.organization.name, "date": format_date(meeting.date)},
                text,
                reverse("meetings:detail", args=[meeting.pk]),
                in_app=False,
            )
        meeting.notified_at = timezone.now()
        fields = ["notified_at"]
        if meeting.status == MeetingStatus.PLANNED:
            meeting.status = MeetingStatus.NOTIFIED
            fields.append("status")
        meeting.save(update_fields=fields)
    return len(recipients)


def document_add(*, user: User, meeting: Meeting, title: str, file) -> MeetingDocument:
    require_org(user, meeting.organization)
    _require_unlocked(meeting)
    if not (title or "").strip():
        raise ValidationError({"title": _("Hãy ghi tên tài liệu.")})
    if not file:
        raise ValidationError({"file": _("Hãy chọn tệp tài liệu.")})
    try:
        validate_upload(file, DOCUMENT_KINDS)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    with audited(user):
        return MeetingDocument.objects.create(
            meeting=meeting,
            title=title.strip(),
            file=file,
            file_name=original_name(file.name),
            posted_at=timezone.now(),
            posted_by=user,
        )


def notification_read(*, user: User, notification: Notification) -> None:
    if notification.recipient_id != user.pk:
        raise PermissionDenied
    if notification.read_at is None:
        with audited(user):
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])


# --- Holding the meeting ------------------------------------------------------------------------


def roll_entries(meeting: Meeting) -> list:
    """Who is summoned: the cell's members on the date; for a cell committee meeting, the
    committee members holding a post in the cell that day (all members when none is recorded)."""
    entries = rules.roll_for(meeting.organization, meeting.date)
    if meeting.kind == Kind.COMMITTEE:
        from apps.organizations.models import CommitteePost

        posts = set(
            CommitteePost.objects.filter(organization=meeting.organization)
            .active_on(meeting.date)
            .values_list("member_id", flat=True)
        )
        if posts:
            entries = [e for e in entries if e.member.pk in posts]
    return entries


def roll_build(meeting: Meeting) -> int:
    """Snapshot the summoned members on the meeting's date into the roll (adds the missing ones)."""
    existing = set(meeting.roll.values_list("member_id", flat=True))
    added = 0
    for entry in roll_entries(meeting):
        if entry.member.pk in existing:
            continue
        Attendance.objects.create(
            meeting=meeting, member=entry.member, member_status=entry.status, is_full_member=entry.is_full
        )
        added += 1
    return added


def meeting_start(
    *,
    user: User,
    meeting: Meeting,
    chair: Member | None = None,
    minute_taker: Member | None = None,
    started_at=None,
) -> Meeting:
    require_org(user, meeting.organization)
    _require_unlocked(meeting)
    _require_open(meeting.organization, meeting.date)
    if meeting.status in HELD_STATUSES:
        raise ValidationError(_("Cuộc sinh hoạt đã kết thúc."))
    if meeting.date > timezone.localdate():
        raise ValidationError(
            _("Chưa đến ngày sinh hoạt (%(day)s); hãy đổi ngày nếu chi bộ họp sớm hơn kế hoạch.")
            % {"day": format_date(meeting.date)}
        )
    with audited(user):
        if meeting.status != MeetingStatus.IN_PROGRESS:
            meeting.status = MeetingStatus.IN_PROGRESS
            meeting.started_at = started_at or timezone.now()
        meeting.chair = chair or meeting.chair
        meeting.minute_taker = minute_taker or meeting.minute_taker
        meeting.rule_set = meeting.rule_set or _rule_set_row(meeting.date)
        meeting.save(update_fields=["status", "started_at", "chair", "minute_taker", "rule_set"])
        roll_build(meeting)
    return meeting


OPENING_FIELDS = (
    "purpose_announced",
    "minute_taker_appointed",
    "attendance_reported",
    "agenda_adopted",
    "minutes_read_back",
)
CONDUCT_FIELDS = (
    *OPENING_FIELDS,
    "chair",
    "minute_taker",
    "higher_representative",
    "higher_representative_name",
    "guests",
)


def meeting_conduct_update(*, user: User, meeting: Meeting, expected_version=None, **fields) -> Meeting:
    """Opening steps, chair, minute-taker, guests and the higher-level representative."""
    require_org(user, meeting.organization)
    _require_unlocked(meeting)
    for field in ("chair", "minute_taker"):
        if fields.get(field) is not None:
            _member_of_cell(fields[field], meeting, meeting.date, field)
    changed = [k for k in CONDUCT_FIELDS if k in fields and getattr(meeting, k) != fields[k]]
    for key in changed:
        setattr(meeting, key, fields[key])
    if changed:
        with audited(user):
            check_version(meeting, expected_version)
            meeting.save(update_fields=changed)
    return meeting


def _roll_row(meeting: Meeting, member: Member) -> Attendance:
    row = meeting.roll.filter(member=member).first()
    if row is None:
        raise ValidationError(
            _("Đồng chí %(name)s không có trong danh sách đảng viên của %(org)s ngày %(day)s.")
            % {"name": member.full_name, "org": meeting.organization.name, "day": format_date(meeting.date)}
        )
    return row


def _require_roll_open(meeting: Meeting):
    _require_unlocked(meeting)
    if meeting.status not in (MeetingStatus.IN_PROGRESS, MeetingStatus.HELD):
        raise ValidationError(_("Cuộc sinh hoạt chưa bắt đầu; hãy bắt đầu sinh hoạt trước khi điểm danh."))


def attendance_mark(*, user: User, meeting: Meeting, member: Member, presence: str, reason: str = "") -> Attendance:
    require_org(user, meeting.organization)
    _require_roll_open(meeting)
    _require_open(meeting.organization, meeting.date)
    if presence not in Presence.values:
        raise ValidationError({"presence": _("Giá trị điểm danh không hợp lệ.")})
    row = _roll_row(meeting, member)
    if row.member_status in rules.OUTSIDE_STATUSES and presence != Presence.UNMARKED:
        raise ValidationError(
            _("Đồng chí %(name)s đang %(status)s; không điểm danh tại chi bộ.")
            % {"name": member.full_name, "status": row.get_member_status_display().lower()}
        )
    with audited(user):
        row.presence = presence
        if presence != Presence.EXCUSED:
            reason = ""
        row.reason = (reason or "").strip()
        row.via_qr = False
        row.marked_at = timezone.now()
        row.save(update_fields=["presence", "reason", "via_qr", "marked_at"])
    return row


def attendance_all_present(*, user: User, meeting: Meeting) -> int:
    """Mark every member still unmarked present, but for those outside the base and the exempted."""
    require_org(user, meeting.organization)
    _require_roll_open(meeting)
    _require_open(meeting.organization, meeting.date)
    # Exempted members are not expected: the secretary ticks them one by one when they come.
    rows = meeting.roll.filter(presence=Presence.UNMARKED).exclude(
        member_status__in=(*rules.OUTSIDE_STATUSES, Status.EXEMPTED)
    )
    now = timezone.now()
    n = 0
    with audited(user):
        for row in rows:
            row.presence, row.marked_at = Presence.PRESENT, now
            row.save(update_fields=["presence", "marked_at"])
            n += 1
    return n


def attendance_checkin(*, user: User, token: str) -> Attendance:
    """A logged-in member checks in by opening the meeting's QR link."""
    meeting = Meeting.objects.filter(checkin_token=token).select_related("organization").first()
    if meeting is None:
        raise ValidationError(_("Mã điểm danh không đúng."))
    member = getattr(user, "member", None) if hasattr(user, "member") else None
    if member is None:
        raise ValidationError(_("Tài khoản của đồng chí chưa gắn với hồ sơ đảng viên."))
    if meeting.status != MeetingStatus.IN_PROGRESS:
        raise ValidationError(_("Cuộc sinh hoạt không đang diễn ra; không thể tự điểm danh."))
    row = _roll_row(meeting, member)
    if row.member_status in rules.OUTSIDE_STATUSES:
        raise ValidationError(
            _("Đồng chí không điểm danh tại chi bộ này trong thời gian chuyển sinh hoạt hoặc đình chỉ.")
        )
    with audited(user):
        row.presence, row.reason, row.via_qr, row.marked_at = Presence.PRESENT, "", True, timezone.now()
        row.save(update_fields=["presence", "reason", "via_qr", "marked_at"])
    return row


def meeting_finish(*, user: User, meeting: Meeting, ended_at=None) -> Meeting:
    require_org(user, meeting.organization)
    _require_unlocked(meeting)
    if meeting.status != MeetingStatus.IN_PROGRESS:
        raise ValidationError(_("Cuộc sinh hoạt không đang diễn ra."))
    # Exempted members left unmarked simply did not come; everyone else must be ticked.
    if (
        meeting.roll.filter(presence=Presence.UNMARKED)
        .exclude(member_status__in=(*rules.OUTSIDE_STATUSES, Status.EXEMPTED))
        .exists()
    ):
        raise ValidationError(_("Còn đảng viên chưa điểm danh; hãy điểm danh đủ trước khi kết thúc."))
    # A typed end time stands (a meeting written up the next day); the click fills only an empty one.
    ended_at = ended_at or meeting.ended_at or timezone.now()
    if meeting.started_at and ended_at <= meeting.started_at:
        raise ValidationError({"ended_at": _("Giờ kết thúc phải sau giờ bắt đầu.")})
    with audited(user):
        meeting.status, meeting.ended_at = MeetingStatus.HELD, ended_at
        meeting.save(update_fields=["status", "ended_at"])
    return meeting


def meeting_set_times(*, user: User, meeting: Meeting, started_at: datetime, ended_at: datetime) -> Meeting:
    """Correct the start and end times before the minutes are approved."""
    require_org(user, meeting.organization)
    _require_unlocked(meeting)
    if meeting.status not in (MeetingStatus.IN_PROGRESS, MeetingStatus.HELD):
        raise ValidationError(_("Cuộc sinh hoạt chưa bắt đầu."))
    if not started_at or not ended_at or ended_at <= started_at:
        raise ValidationError({"ended_at": _("Giờ kết thúc phải sau giờ bắt đầu.")})
    if timezone.localtime(started_at).date() != meeting.date:
        raise ValidationError(
            {"started_at": _("Giờ bắt đầu phải thuộc ngày sinh hoạt %(day)s.") % {"day": format_date(meeting.date)}}
        )
    with audited(user):
        meeting.started_at, meeting.ended_at = started_at, ended_at
        meeting.save(update_fields=["started_at", "ended_at"])
    return meeting


# --- Minutes, contributions, votes --------------------------------------------------------------


def current_minutes(meeting: Meeting) -> Minutes | None:
    return meeting.minutes_versions.order_by("-version").first()


def minutes_save(*, user: User, meeting: Meeting, expected_version=None, **fields) -> Minutes:
    """Write the draft minutes. `expected_version`: the draft's `revision` the writer saw."""
    require_org(user, meeting.organization)
    _require_unlocked(meeting)
    if meeting.status not in (MeetingStatus.IN_PROGRESS, MeetingStatus.HELD):
        raise ValidationError(_("Chỉ ghi biên bản khi cuộc sinh hoạt đang hoặc đã diễn ra."))
    minutes = current_minutes(meeting)
    with audited(user):
        if minutes is None:
            minutes = Minutes(meeting=meeting, version=1, created_by=user)
        else:
            check_version(minutes, expected_version)
        for key in MINUTES_FIELDS:
            if key in fields:
                setattr(minutes, key, (fields[key] or "").strip())
        minutes.save()
    return minutes


def contribution_record(*, user: User, meeting: Meeting, member: Member, summary: str, topic: str = "") -> Contribution:
    """Record what a member said. An assigned presenter's row is completed, others are added."""
    require_org(user, meeting.organization)
    _require_unlocked(meeting)
    row = _roll_row(meeting, member)
    if row.presence != Presence.PRESENT:
        raise ValidationError(
            {"member": _("Đồng chí %(name)s không có mặt trong buổi sinh hoạt.") % {"name": member.full_name}}
        )
    if not (summary or "").strip():
        raise ValidationError({"summary": _("Hãy ghi tóm tắt ý kiến phát biểu.")})
    with audited(user):
        contribution = meeting.contributions.filter(member=member, spoke=False).first() or Contribution(
            meeting=meeting, member=member, topic=topic.strip()
        )
        contribution.spoke, contribution.summary = True, summary.strip()
        if topic.strip():
            contribution.topic = topic.strip()
        contribution.save()
    return contribution


def vote_record(
    *,
    user: User,
    meeting: Meeting,
    kind: str,
    subject: str,
    votes_for: int,
    votes_against: int = 0,
    votes_abstain: int = 0,
) -> Vote:
    require_org(user, meeting.organization)
    _require_unlocked(meeting)
    if meeting.status not in (MeetingStatus.IN_PROGRESS, MeetingStatus.HELD):
        raise ValidationError(_("Chỉ ghi biểu quyết khi cuộc sinh hoạt đang hoặc đã diễn ra."))
    if kind not in VoteKind.values:
        raise ValidationError({"kind": _("Loại biểu quyết không hợp lệ.")})
    if not (subject or "").strip():
        raise ValidationError({"subject": _("Hãy ghi nội dung biểu quyết.")})
    numbers = (votes_for, votes_against, votes_abstain)
    if any(n is None or n < 0 for n in numbers):
        raise ValidationError({"votes_for": _("Số phiếu phải là số không âm.")})
    _require_open(meeting.organization, meeting.date, field="votes_for")
    rule_set = meeting.rule_set or MeetingRuleSet.in_force_on(meeting.date)
    counts = rules.count_roll(meeting.roll.all(), rule_set)
    total = sum(numbers)
    if total > counts.vote_base:
        raise ValidationError(
            {
                "votes_for": _(
                    "Tổng số phiếu (%(total)s) vượt quá số đảng viên làm căn cứ biểu quyết (%(base)s): "
                    "đảng viên chính thức được triệu tập, trừ đảng viên chuyển sinh hoạt tạm thời, miễn sinh hoạt vắng mặt, "
                    "bị đình chỉ và vắng có lý do."
                )
                % {"total": total, "base": counts.vote_base}
            }
        )
    if total > counts.voters_present:
        raise ValidationError(
            {
                "votes_for": _("Tổng số phiếu (%(total)s) vượt quá số đảng viên chính thức có mặt (%(n)s).")
                % {"total": total, "n": counts.voters_present}
            }
        )
    with audited(user):
        return Vote.objects.create(
            meeting=meeting,
            kind=kind,
            subject=subject.strip(),
            votes_for=votes_for,
            votes_against=votes_against,
            votes_abstain=votes_abstain,
            base=counts.vote_base,
            is_valid=rules.vote_is_valid(kind, votes_for, counts.vote_base),
        )


def minutes_approve(*, user: User, meeting: Meeting) -> Minutes:
    """Adopt the minutes and resolution: the meeting and its minutes are locked from now on."""
    require_org(user, meeting.organization)
    _require_unlocked(meeting)
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError(_("Hãy kết thúc cuộc sinh hoạt trước khi thông qua biên bản."))
    minutes = current_minutes(meeting)
    errors = []
    if minutes is None or not minutes.conclusions:
        errors.append(_("Biên bản chưa có kết luận."))
    if meeting.chair is None:
        errors.append(_("Chưa ghi người chủ trì."))
    if meeting.minute_taker is None:
        errors.append(_("Chưa ghi thư ký."))
    # Adopting the minutes adopts the resolution: more than half of the voting base (QĐ 24 §9.3).
    if not meeting.votes.filter(kind=VoteKind.ORDINARY, is_valid=True).exists():
        errors.append(_("Chưa có biểu quyết hợp lệ thông qua nghị quyết, kết luận (quá một nửa cơ số biểu quyết)."))
    if errors or minutes is None:
        raise ValidationError(errors)
    with audited(user):
        approve(minutes, user, save=False)
        minutes.save(update_fields=["approved_at", "approved_by"])
        meeting.status = MeetingStatus.APPROVED
        meeting.save(update_fields=["status"])
    return minutes


def minutes_correct(*, user: User, meeting: Meeting, reason: str, **fields) -> Minutes:
    """Correct approved minutes: a new, approved version with its reason; earlier versions stay."""
    require_org(user, meeting.organization)
    if not meeting.is_locked:
        raise ValidationError(_("Biên bản chưa được thông qua; hãy sửa trực tiếp."))
    if not (reason or "").strip():
        raise ValidationError({"correction_reason": _("Hãy ghi lý do sửa đổi biên bản.")})
    previous = current_minutes(meeting)
    if previous is None:  # a locked meeting has approved minutes; this guards a damaged record
        raise ValidationError(_("Biên bản chưa được thông qua; hãy sửa trực tiếp."))
    with audited(user):
        minutes = Minutes(
            meeting=meeting, version=previous.version + 1, created_by=user, correction_reason=reason.strip()
        )
        for key in MINUTES_FIELDS:
            setattr(minutes, key, (fields.get(key, getattr(previous, key)) or "").strip())
        minutes.approved_at, minutes.approved_by = timezone.now(), user
        minutes.save()
    return minutes


# --- Quality ------------------------------------------------------------------------------------


def quality_self_assess(*, user: User, meeting: Meeting, note: str = "") -> QualityAssessment:
    require_org(user, meeting.organization)
    if meeting.status not in HELD_STATUSES:
        raise ValidationError(_("Chỉ tự đánh giá sau khi cuộc sinh hoạt kết thúc."))
    existing = QualityAssessment.objects.filter(meeting=meeting).first()
    if existing and existing.confirmed_at:
        raise ValidationError(_("Cấp trên đã xác nhận mức chất lượng; không thể tự đánh giá lại."))
    rule_set = meeting.rule_set or MeetingRuleSet.in_force_on(meeting.date)
    if not rule_set.pk:
        raise ValidationError(_("Chưa có bộ quy tắc sinh hoạt chi bộ có hiệu lực vào ngày này."))
    result = rules.evaluate_quality(meeting, rule_set)
    values = {
        "rule_set": rule_set,
        "results": result["results"],
        "points": result["points"],
        "meets_quality": result["meets_quality"],
        "self_level": result["level"],
        "self_note": note.strip(),
        "assessed_by": user,
        "assessed_at": timezone.now(),
    }
    with audited(user):
        assessment, _created = QualityAssessment.objects.update_or_create(meeting=meeting, defaults=values)
    return assessment


def quality_confirm(
    *, user: User, assessment: QualityAssessment, level: str, meets_quality: bool, reason: str = ""
) -> QualityAssessment:
    """The parent organization confirms the self-assessed level or changes it, giving a reason."""
    meeting = assessment.meeting
    parent = meeting.organization.parent
    if parent is None:
        raise ValidationError(_("Chi bộ này không có cấp trên để xác nhận."))
    require_org(user, parent)
    labels = [lv["label"] for lv in assessment.rule_set.levels]
    if level not in labels:
        raise ValidationError(
            {"level": _("Mức chất lượng phải là một trong: %(levels)s.") % {"levels": ", ".join(labels)}}
        )
    changed = level != assessment.self_level or bool(meets_quality) != assessment.meets_quality
    if changed and not (reason or "").strip():
        raise ValidationError({"reason": _("Cấp trên thay đổi mức tự đánh giá thì phải ghi lý do.")})
    with audited(user):
        assessment.confirmed_level = level
        assessment.confirmed_meets_quality = bool(meets_quality)
        assessment.confirm_reason = (reason or "").strip()
        assessment.confirmed_by, assessment.confirmed_by_org, assessment.confirmed_at = user, parent, timezone.now()
        assessment.save(
            update_fields=[
                "confirmed_level",
                "confirmed_meets_quality",
                "confirm_reason",
                "confirmed_by",
                "confirmed_by_org",
                "confirmed_at",
            ]
        )
    return assessment


def period_close(*, user: User, organization: Organization, year: int, month: int) -> PeriodClosure:
    """Close a month's meeting figures for the organization's whole subtree."""
    require_org(user, organization)
    if not 1 <= month <= 12:
        raise ValidationError({"month": _("Tháng phải từ 1 đến 12.")})
    if date(year, month, 1) > timezone.localdate():
        raise ValidationError({"month": _("Không thể chốt số liệu một tháng chưa đến.")})
    if PeriodClosure.objects.filter(organization=organization, year=year, month=month).exists():
        raise ValidationError({"month": _("Tháng này đã được chốt.")})
    with audited(user):
        return PeriodClosure.objects.create(organization=organization, year=year, month=month, closed_by=user)


BACKFILL_DAYS = 90  # how long an opening may stay open: long enough to type a year of notebooks in


def may_open_backfill(user: User, organization: Organization) -> bool:
    """The committee above opens: on a committee for all its cells, on a cell by those who reach its parent."""
    above = organization.parent if organization.is_cell else organization
    return above is not None and scope_for(user).reaches_org(above, CHANGE)


def backfill_open(
    *, user: User, organization: Organization, starts_on: date, ends_on: date, open_until: date, reason: str
) -> Backfill:
    """Open past months for entering meetings kept on paper (ghi bổ sung). Only the committee above
    opens them: on a committee for all its cells, or on one cell by those who reach its parent."""
    if not may_open_backfill(user, organization):
        raise PermissionDenied
    today = timezone.localdate()
    errors = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("Hãy ghi lý do ghi bổ sung (ví dụ: đưa sổ sinh hoạt giấy năm 2020 vào hệ thống).")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("Ngày kết thúc phải từ ngày bắt đầu trở đi.")
    if ends_on and ends_on >= today:
        errors["ends_on"] = _("Ghi bổ sung chỉ dành cho ngày đã qua.")
    if starts_on and organization.founded_on and starts_on < organization.founded_on:
        errors["starts_on"] = _("%(org)s thành lập ngày %(day)s: không ghi sinh hoạt trước ngày đó.") % {
            "org": organization.name,
            "day": format_date(organization.founded_on),
        }
    if open_until and not today <= open_until <= today + timedelta(days=BACKFILL_DAYS):
        errors["open_until"] = _("Hạn ghi bổ sung phải từ hôm nay đến %(day)s (tối đa %(n)s ngày).") % {
            "day": format_date(today + timedelta(days=BACKFILL_DAYS)),
            "n": BACKFILL_DAYS,
        }
    if errors:
        raise ValidationError(errors)
    with audited(user):
        return Backfill.objects.create(
            organization=organization,
            starts_on=starts_on,
            ends_on=ends_on,
            open_until=open_until,
            reason=reason,
            opened_by=user,
        )


def local_datetime(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def days_until(day: date) -> int:
    return (day - timezone.localdate()).days
