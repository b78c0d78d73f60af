"""Reads for cell meetings: plans, the roll's figures, compliance alerts and attendance rates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.periods import Period, month_end, quarter_of
from apps.members.models import Member
from apps.organizations.models import CELL_KINDS, Organization, OversightAssignment

from . import rules
from .models import (
    CELL_MEETING_KINDS,
    HELD_STATUSES,
    REGULAR_KINDS,
    THEMATIC_KINDS,
    Attendance,
    Backfill,
    Meeting,
    MeetingRuleSet,
    MeetingStatus,
    Presence,
)


def rule_set_for(meeting: Meeting) -> MeetingRuleSet:
    return meeting.rule_set or MeetingRuleSet.in_force_on(meeting.date)


def meeting_counts(meeting: Meeting) -> rules.Counts:
    return rules.count_roll(meeting.roll.all(), rule_set_for(meeting))


def cells_under(organization: Organization):
    return (
        Organization.objects.filter(path__startswith=organization.path, kind__in=CELL_KINDS).current().order_by("path")
    )


def default_organization(user: User):
    """The organization a user works in: the shallowest one they may change, else their own cell."""
    org = Organization.objects.restrict(user, "change").current().order_by("depth", "path").first()
    if org is None:
        org = Organization.objects.restrict(user).current().order_by("depth", "path").first()
    if org is None:
        member = getattr(user, "member", None) if hasattr(user, "member") else None
        org = member.organization if member else None
    return org


# --- The plan -----------------------------------------------------------------------------------


def plan_by_quarter(user: User, organization: Organization, year: int) -> list[dict]:
    meetings = (
        Meeting.objects.restrict(user)
        .filter(organization=organization, date__year=year)
        .select_related("resolution_drafter", "theme_set_by")
        .prefetch_related("contributions__member")
        .order_by("date", "start_time", "pk")
    )
    quarters = [
        {"quarter": q, "months": [{"month": 3 * (q - 1) + i, "meetings": []} for i in (1, 2, 3)]} for q in (1, 2, 3, 4)
    ]
    for meeting in meetings:
        meeting.presenters = [c for c in meeting.contributions.all() if c.assigned]
        quarters[meeting.quarter - 1]["months"][(meeting.date.month - 1) % 3]["meetings"].append(meeting)
    return quarters


def plan_overview(user: User, organization: Organization, year: int) -> list[dict]:
    """For a parent organization: each cell's meetings by month."""
    cells = list(cells_under(organization))
    meetings = (
        Meeting.objects.restrict(user)
        .filter(organization__in=cells, date__year=year)
        .exclude(status=MeetingStatus.CANCELLED)
    )
    grid: dict[int, dict[int, list]] = {c.pk: {m: [] for m in range(1, 13)} for c in cells}
    for meeting in meetings.order_by("date"):
        grid[meeting.organization_id][meeting.date.month].append(meeting)
    return [{"cell": c, "months": [grid[c.pk][m] for m in range(1, 13)]} for c in cells]


# --- Compliance ---------------------------------------------------------------------------------


@dataclass
class CellCompliance:
    """One cell over a period: the months and quarters whose meeting is due and not held, and the
    current ones still to come (not yet due: the cell has until their last day)."""

    cell: Organization
    missing_months: list[int] = field(default_factory=list)
    missing_quarters: list[int] = field(default_factory=list)
    pending_month: int | None = None
    pending_quarter: int | None = None

    @property
    def has_gap(self) -> bool:
        return bool(self.missing_months or self.missing_quarters)


@dataclass
class Compliance:
    organization: Organization
    period: Period
    cells: list[CellCompliance] = field(default_factory=list)
    short: list = field(default_factory=list)
    overseer_missed: list = field(default_factory=list)
    unexcused: list = field(default_factory=list)
    streaks: list = field(default_factory=list)

    @property
    def no_regular(self) -> list[Organization]:
        return [row.cell for row in self.cells if row.missing_months]

    @property
    def no_thematic(self) -> list[Organization]:
        return [row.cell for row in self.cells if row.missing_quarters]

    @property
    def pending_regular(self) -> list[Organization]:
        return [row.cell for row in self.cells if row.pending_month]

    @property
    def pending_thematic(self) -> list[Organization]:
        return [row.cell for row in self.cells if row.pending_quarter]

    @property
    def gaps(self) -> list[CellCompliance]:
        return [row for row in self.cells if row.has_gap]

    @property
    def total(self) -> int:
        return len(self.gaps) + sum(len(x) for x in (self.short, self.overseer_missed, self.unexcused, self.streaks))

    def by_child(self, children) -> list[dict]:
        """Per organization directly under this one: its cells, those with a gap, those still to
        meet (a province reads its grassroots committees, not 3.000 cell names)."""
        rows = {child.path: {"organization": child, "cells": 0, "gaps": 0, "pending": 0} for child in children}
        width = len(next(iter(rows), ""))  # siblings' paths have one length (Organization.path)
        for row in self.cells:
            summary = rows.get(row.cell.path[:width])
            if summary is None:
                continue
            summary["cells"] += 1
            summary["gaps"] += row.has_gap
            summary["pending"] += bool(row.pending_month or row.pending_quarter)
        return [r for r in rows.values() if r["cells"]]


def backfills_for(organization: Organization) -> list[Backfill]:
    """Openings for past months made on the organization, the committees above it or the cells under it."""
    from apps.organizations.models import line_paths

    line = Q(organization__path__in=line_paths(organization.path)) | Q(organization__path__startswith=organization.path)
    return list(Backfill.objects.filter(line).select_related("organization", "opened_by").order_by("-opened_at")[:50])


def cells_during(organization: Organization, period: Period):
    """The cells under `organization` that existed at some point of `period` (ended ones included)."""
    return (
        Organization.objects.filter(path__startswith=organization.path, kind__in=CELL_KINDS)
        .existed_during(period.start, period.end)
        .order_by("sort_key", "pk")
        # What the compliance lists read of a cell: a province loads 3.000 of them.
        .only("name", "path", "kind", "parent_id", "founded_on", "ended_on", "sort_key")
    )


def compliance(
    user: User, organization: Organization, period: Period | None = None, today: date | None = None
) -> Compliance:
    """Each cell's regular meetings by month and thematic meetings by quarter over `period` (this
    month by default). A month or quarter is due once it has ended: before that a cell that has not
    met yet is pending, not missing. Months before a cell was founded or after it ended are not due."""
    today = today or timezone.localdate()
    period = period or Period.month_of(today)
    result = Compliance(organization, period)
    cells = list(cells_during(organization, period))
    # The cells' meetings by path, not by a list of thousands of ids (a province has 3.000 cells).
    under = Q(organization__path__startswith=organization.path, organization__kind__in=CELL_KINDS)
    held = Meeting.objects.restrict(user).filter(
        under, date__range=(period.start, period.end), status__in=HELD_STATUSES
    )
    regular, thematic = set(), set()
    for cell_id, kind, day in held.values_list("organization_id", "kind", "date"):
        if kind in REGULAR_KINDS:
            regular.add((cell_id, day.month))
        if kind in THEMATIC_KINDS:
            thematic.add((cell_id, quarter_of(day.month)))
    for cell in cells:
        row = CellCompliance(cell)
        for month in period.months:
            start, end = date(period.year, month, 1), month_end(period.year, month)
            if start > today or not cell.existed_between(start, end) or (cell.pk, month) in regular:
                continue
            if end < today:
                row.missing_months.append(month)
            else:
                row.pending_month = month
        for quarter in period.quarters:
            start = date(period.year, 3 * quarter - 2, 1)
            end = month_end(period.year, 3 * quarter)
            if start > today or not cell.existed_between(start, end) or (cell.pk, quarter) in thematic:
                continue
            if end < today:
                row.missing_quarters.append(quarter)
            else:
                row.pending_quarter = quarter
        result.cells.append(row)
    held_list = list(held.select_related("organization", "higher_representative", "rule_set").order_by("date", "pk"))
    for meeting in held_list:
        if meeting.kind not in CELL_MEETING_KINDS:
            continue
        need = rules.required_minutes(meeting.kind, rule_set_for(meeting))
        if meeting.duration_minutes is None or meeting.duration_minutes < need:
            result.short.append({"meeting": meeting, "minutes": meeting.duration_minutes, "required": need})
    # Committee members who follow a cell and missed its meetings.
    assignments = list(
        OversightAssignment.objects.filter(
            organization__path__startswith=organization.path, organization__kind__in=CELL_KINDS
        ).select_related("member", "organization")
    )
    present = set(
        Attendance.objects.filter(
            meeting__in=held_list, presence=Presence.PRESENT, member_id__in={a.member_id for a in assignments}
        ).values_list("meeting_id", "member_id")
    )
    for meeting in held_list:
        if meeting.kind not in CELL_MEETING_KINDS:
            continue
        for a in assignments:
            if a.organization_id != meeting.organization_id or a.starts_on > meeting.date:
                continue
            if a.ends_on and a.ends_on < meeting.date:
                continue
            if meeting.higher_representative_id == a.member_id or (meeting.pk, a.member_id) in present:
                continue
            result.overseer_missed.append({"member": a.member, "meeting": meeting})
    absences = (
        Attendance.objects.filter(meeting__in=held_list, presence=Presence.UNEXCUSED)
        .select_related("member", "meeting__organization")
        .order_by("meeting__date", "member__sort_key")
    )
    result.unexcused = list(absences)
    # Months running count from January to the period's end, whatever the period (a year or a
    # first quarter has them loaded already).
    if period.start.month == 1:
        year_so_far = held_list
    else:
        january_on = Meeting.objects.restrict(user).filter(
            under, date__range=(date(period.year, 1, 1), period.end), status__in=HELD_STATUSES
        )
        year_so_far = list(january_on.select_related("organization", "rule_set").order_by("date", "pk"))
    result.streaks = absence_streaks(year_so_far)
    return result


def absence_streaks(held_meetings) -> list[dict]:
    """Members absent without reason from the cell's meetings in N months running of the year.

    A ground for striking off (QĐ 24 §8.1); flagged for the cell to consider, never acted upon.
    """
    by_cell: dict[int, list] = {}
    for m in held_meetings:
        if m.kind in CELL_MEETING_KINDS:
            by_cell.setdefault(m.organization_id, []).append(m)
    flags = []
    for meetings in by_cell.values():
        rule_set = rule_set_for(meetings[0])
        need = rule_set.absence_streak_months
        absent_ids = set(
            Attendance.objects.filter(meeting__in=meetings, presence=Presence.UNEXCUSED).values_list(
                "member_id", flat=True
            )
        )
        if not absent_ids:
            continue
        rows = Attendance.objects.filter(meeting__in=meetings, member_id__in=absent_ids).values_list(
            "member_id", "meeting__date", "presence"
        )
        months: dict[int, dict[int, bool]] = {}
        for member_id, day, presence in rows:
            absent = presence == Presence.UNEXCUSED
            # A month counts as absent when the member missed every meeting of it without reason.
            current = months.setdefault(member_id, {}).get(day.month)
            months[member_id][day.month] = absent if current is None else (current and absent)
        for member_id, by_month in months.items():
            run = best = 0
            end = None
            for month in range(1, 13):
                if by_month.get(month):
                    run += 1
                    if run >= best:
                        best, end = run, month
                elif month in by_month:
                    run = 0
            if best >= need:
                flags.append(
                    {"member_id": member_id, "months": best, "until": end, "organization": meetings[0].organization}
                )
    if flags:
        from apps.members.models import Member

        names = {m.pk: m for m in Member.objects.filter(pk__in=[f["member_id"] for f in flags])}
        for f in flags:
            f["member"] = names[f["member_id"]]
    return flags


# --- Rates --------------------------------------------------------------------------------------


@dataclass
class Rate:
    present: int
    base: int

    @property
    def value(self) -> Decimal | None:
        return rules.rate_of(self.present, self.base)


def roll_figures(meeting_ids) -> dict[int, tuple[int, int, int]]:
    """Per meeting, counted in the database: (base members, of them present, exempted present)."""
    from django.db.models import Count

    from apps.members.models import Status

    base_q = Q(member_status__in=rules.BASE_STATUSES)
    rows = (
        Attendance.objects.filter(meeting_id__in=meeting_ids)
        .values("meeting_id")
        .annotate(
            base=Count("pk", filter=base_q),
            present=Count("pk", filter=base_q & Q(presence=Presence.PRESENT)),
            exempted_present=Count("pk", filter=Q(member_status=Status.EXEMPTED, presence=Presence.PRESENT)),
        )
        .order_by()
    )
    return {r["meeting_id"]: (r["base"], r["present"], r["exempted_present"]) for r in rows}


def _sum_rate(meetings, figures) -> Rate:
    present = base = 0
    for meeting in meetings:
        b, p, e = figures.get(meeting.pk, (0, 0, 0))
        if rule_set_for(meeting).exempted_present_in_base:
            b, p = b + e, p + e
        present, base = present + p, base + b
    return Rate(present, base)


def attendance_rate(meetings) -> Rate:
    """Attendance over held meetings: the present and the base, each summed over the meetings."""
    meetings = [m for m in meetings if m.status in HELD_STATUSES]
    return _sum_rate(meetings, roll_figures([m.pk for m in meetings]))


def thematic_quality_share(meetings) -> Rate:
    thematic = [m for m in meetings if m.status in HELD_STATUSES and m.kind in THEMATIC_KINDS]
    good = 0
    for meeting in thematic:
        quality = getattr(meeting, "quality", None)
        if quality is not None and quality.final_meets_quality:
            good += 1
    return Rate(good, len(thematic))


def rates(user: User, organization: Organization, period: Period, compare: int | None = None) -> dict:
    """Attendance for the organization's subtree over a period (a month, quarter or year) against
    the same months of another year, by quarter, by directly subordinate organization (or, for a
    cell, by meeting), and the share of thematic meetings judged up to quality. Every figure
    carries its base."""

    def held_in(y):
        within = period.in_year(y)
        return list(
            Meeting.objects.restrict(user)
            .filter(
                organization__path__startswith=organization.path,
                date__range=(within.start, within.end),
                status__in=HELD_STATUSES,
            )
            .select_related("rule_set", "quality", "organization")
            .order_by("date", "pk")
        )

    year = period.year
    compare = compare or year - 1
    this_year, last_year = held_in(year), held_in(compare)
    figures = roll_figures([m.pk for m in this_year + last_year])
    children = list(Organization.objects.restrict(user).filter(parent=organization).current().order_by("sort_key"))

    def under(meetings, child):
        return [m for m in meetings if m.organization.path.startswith(child.path)]

    per_child = [
        {
            "organization": child,
            "rate": _sum_rate(under(this_year, child), figures),
            "previous": _sum_rate(under(last_year, child), figures),
            "thematic": thematic_quality_share(under(this_year, child)),
            "count": len(under(this_year, child)),
        }
        for child in children
    ]
    per_quarter = []
    for q in period.quarters:
        months = range(3 * (q - 1) + 1, 3 * q + 1)
        per_quarter.append(
            {
                "quarter": q,
                "rate": _sum_rate([m for m in this_year if m.date.month in months], figures),
                "previous": _sum_rate([m for m in last_year if m.date.month in months], figures),
            }
        )
    per_meeting = []
    if organization.is_cell:
        for m in this_year:
            rate = _sum_rate([m], figures)
            per_meeting.append({"meeting": m, "rate": rate})
    return {
        "year": year,
        "period": period,
        "previous_year": compare,
        "total": _sum_rate(this_year, figures),
        "previous": _sum_rate(last_year, figures),
        "thematic": thematic_quality_share(this_year),
        "thematic_previous": thematic_quality_share(last_year),
        "per_child": per_child,
        "per_quarter": per_quarter,
        "per_meeting": per_meeting,
        "rule_sets": sorted({str(rule_set_for(m)) for m in this_year}),
    }


# --- Minutes ------------------------------------------------------------------------------------


def minutes_prefill(meeting: Meeting) -> dict[str, str]:
    """A first draft for empty minutes: section I starts from the direction the cell's previous
    meeting resolved (what this month reports on), the discussion from the presenters it assigned."""
    draft: dict[str, str] = {}
    previous = (
        Meeting.objects.filter(organization=meeting.organization_id, date__lt=meeting.date, status__in=HELD_STATUSES)
        .order_by("-date", "-pk")
        .first()
    )
    last = previous.minutes_versions.order_by("-version").first() if previous else None
    if previous and last and last.direction.strip():
        resolution = _("nghị quyết số %(n)s") % {"n": last.number} if last.number else _("nghị quyết")
        draft["results"] = (
            _("Thực hiện phương hướng tháng trước (%(resolution)s ngày %(day)s):")
            % {
                "resolution": resolution,
                "day": previous.date.strftime("%d/%m/%Y"),
            }
            + "\n"
            + last.direction.strip()
        )
    presenters = meeting.contributions.filter(assigned=True).select_related("member").order_by("pk")
    lines = [
        _("- Đồng chí %(name)s trình bày: %(topic)s") % {"name": c.member.full_name, "topic": c.topic}
        if c.topic
        else _("- Đồng chí %(name)s phát biểu.") % {"name": c.member.full_name}
        for c in presenters
    ]
    if lines:
        draft["discussion"] = "\n".join(lines)
    return draft


# --- A member's own view ------------------------------------------------------------------------


def upcoming_for(user: User, member: Member, today: date):
    """The member's cell's meetings still to be held, soonest first, with their documents."""
    return (
        Meeting.objects.restrict(user)
        .filter(organization=member.organization_id, date__gte=today)
        .exclude(status__in=[MeetingStatus.CANCELLED, *HELD_STATUSES])
        .prefetch_related("documents")
        .order_by("date", "start_time", "pk")
    )


def member_overview(user: User) -> dict:
    member = getattr(user, "member", None) if hasattr(user, "member") else None
    if member is None:
        return {"member": None}
    upcoming = upcoming_for(user, member, timezone.localdate())
    attendance = (
        Attendance.objects.restrict(user)
        .filter(member=member)
        .select_related("meeting")
        .order_by("-meeting__date")[:24]
    )
    notifications = user.meeting_notifications.order_by("-created_at")[:20]
    return {
        "member": member,
        "upcoming": list(upcoming),
        "attendance": list(attendance),
        "notifications": list(notifications),
    }


def visible_meetings(user: User, organization=None, year=None):
    qs = Meeting.objects.restrict(user).select_related("organization")
    if organization is not None:
        qs = qs.filter(Q(organization=organization) | Q(organization__path__startswith=organization.path))
    if year:
        qs = qs.filter(date__year=year)
    return qs
