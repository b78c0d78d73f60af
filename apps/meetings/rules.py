"""The rules of cell meetings, as pure functions over the roll and the rule set in force.

- Who is on the roll: the cell's members on the meeting's date, from their dated status history.
- The attendance base (HD 12-HD/BTCTW 2018): members summoned, without exempted members (counted
  when they attend, if the rule set says so), members temporarily transferred out and suspended
  members; members temporarily transferred in are counted here.
- The voting base (QĐ 24-QĐ/TW §9.3): full members, without those temporarily transferred out,
  exempted members who are absent, suspended members and members absent with an accepted reason.
  A resolution needs more than half of it; admission, recognition and striking off need two
  thirds of it (§4.2.3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from apps.members.models import CURRENT_STATUSES, Member, Status

from .models import TWO_THIRDS_KINDS, Kind, Presence

# Statuses whose members are on the roll but never in a base, and cannot be marked present.
OUTSIDE_STATUSES = (Status.TEMP_OUT, Status.SUSPENDED)
# Statuses counted in the attendance base whatever their presence.
BASE_STATUSES = (Status.PROBATIONARY, Status.FULL, Status.TEMP_IN)


@dataclass(frozen=True)
class RollEntry:
    member: Member
    status: str
    is_full: bool


def is_full_on(member: Member, status: str, day: date) -> bool:
    if status == Status.PROBATIONARY:
        return False
    return bool(member.full_membership_date and member.full_membership_date <= day)


def roll_for(organization, day: date) -> list[RollEntry]:
    """The cell's members on `day`, in Vietnamese name order."""
    members = (
        Member.objects.in_organizations_on([organization.pk], day)
        .filter(status_on__in=CURRENT_STATUSES)
        .order_by("sort_key", "pk")
    )
    return [RollEntry(m, m.status_on, is_full_on(m, m.status_on, day)) for m in members]


# --- Counting a roll -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    on_roll: int
    base: int
    present: int
    excused: int
    unexcused: int
    unmarked: int
    outside: int  # shown on the roll but outside the base
    vote_base: int
    voters_present: int

    @property
    def rate(self) -> Decimal | None:
        if not self.base:
            return None
        return (Decimal(self.present) * 100 / Decimal(self.base)).quantize(Decimal("0.01"))


def in_attendance_base(row, rule_set) -> bool:
    if row.member_status in BASE_STATUSES:
        return True
    if row.member_status == Status.EXEMPTED:
        return bool(rule_set.exempted_present_in_base) and row.presence == Presence.PRESENT
    return False


def in_vote_base(row, rule_set) -> bool:
    if not row.is_full_member or row.member_status in OUTSIDE_STATUSES:
        return False
    if row.member_status == Status.TEMP_IN and not rule_set.temp_in_votes:
        return False
    if row.member_status == Status.EXEMPTED:
        return row.presence == Presence.PRESENT
    return row.presence != Presence.EXCUSED


def count_roll(rows, rule_set) -> Counts:
    """Count a roll (Attendance rows or anything with member_status, is_full_member, presence)."""
    rows = list(rows)
    base_rows = [r for r in rows if in_attendance_base(r, rule_set)]
    vote_rows = [r for r in rows if in_vote_base(r, rule_set)]
    return Counts(
        on_roll=len(rows),
        base=len(base_rows),
        present=sum(r.presence == Presence.PRESENT for r in base_rows),
        excused=sum(r.presence == Presence.EXCUSED for r in base_rows),
        unexcused=sum(r.presence == Presence.UNEXCUSED for r in base_rows),
        unmarked=sum(r.presence == Presence.UNMARKED for r in base_rows),
        outside=len(rows) - len(base_rows),
        vote_base=len(vote_rows),
        voters_present=sum(r.presence == Presence.PRESENT for r in vote_rows),
    )


def vote_is_valid(kind: str, votes_for: int, base: int) -> bool:
    """More than half of the base; two thirds for admission, recognition and striking off."""
    if base <= 0:
        return False
    if kind in TWO_THIRDS_KINDS:
        return votes_for * 3 >= base * 2
    return votes_for * 2 > base


def required_minutes(kind: str, rule_set) -> int:
    return rule_set.min_minutes_combined if kind == Kind.COMBINED else rule_set.min_minutes


def rate_of(present: int, base: int) -> Decimal | None:
    if not base:
        return None
    return (Decimal(present) * 100 / Decimal(base)).quantize(Decimal("0.01"))


# --- Quality ------------------------------------------------------------------------------------


def longest_streak(flags: list[bool]) -> int:
    best = run = 0
    for flag in flags:
        run = run + 1 if flag else 0
        best = max(best, run)
    return best


def evaluate_quality(meeting, rule_set) -> dict:
    """Judge a held meeting against the criteria of `rule_set`. Returns results, points, level."""
    from django.utils import timezone

    from .models import Attendance, Meeting

    rows = list(meeting.roll.all())
    counts = count_roll(rows, rule_set)
    checks: dict[str, tuple[bool, str]] = {}
    rate = counts.rate
    checks["attendance"] = (
        rate is not None and rate > Decimal(rule_set.min_attendance_pct),
        f"{_pct(rate)} ({counts.present}/{counts.base})",
    )
    checks["no_unexcused"] = (counts.unexcused <= rule_set.max_unexcused, str(counts.unexcused))
    # Excused absences running in the year, up to and including this meeting.
    earlier = list(
        Meeting.objects.filter(
            organization=meeting.organization,
            date__year=meeting.date.year,
            date__lte=meeting.date,
            kind__in=[k for k in Kind.values if k not in ("committee", "extended_committee")],
        )
        .held()
        .values_list("pk", flat=True)
    )
    if meeting.pk not in earlier:
        earlier.append(meeting.pk)
    history = Attendance.objects.filter(meeting_id__in=earlier).values_list(
        "member_id", "meeting__date", "meeting_id", "presence"
    )
    by_member: dict[int, list] = {}
    for member_id, _day, _meeting_id, presence in sorted(history, key=lambda h: (h[1], h[2])):
        by_member.setdefault(member_id, []).append(presence == Presence.EXCUSED)
    worst = max((longest_streak(flags) for flags in by_member.values()), default=0)
    checks["excused_streak"] = (worst <= rule_set.max_excused_streak, str(worst))
    need = required_minutes(meeting.kind, rule_set)
    duration = meeting.duration_minutes
    checks["duration"] = (
        duration is not None and duration >= need,
        f"{duration if duration is not None else '–'}/{need}",
    )
    late_docs = [d for d in meeting.documents.all() if document_is_late(d, meeting, rule_set)]
    notified = meeting.notified_at is not None and timezone.localtime(meeting.notified_at).date() <= meeting.date
    checks["prepared"] = (notified and not late_docs, f"{len(late_docs)}")
    speakers = len({c.member_id for c in meeting.contributions.all() if c.spoke})
    speak_rate = rate_of(speakers, counts.present)
    checks["speakers"] = (
        speak_rate is not None and speak_rate >= Decimal(rule_set.min_speakers_pct),
        f"{speakers}/{counts.present}",
    )
    minutes = meeting.minutes_versions.order_by("-version").first()
    checks["minutes_complete"] = (bool(minutes and minutes.is_complete), "")
    results = []
    points = 0
    meets = True
    for criterion in rule_set.criteria:
        ok, detail = checks.get(criterion["key"], (False, ""))
        results.append({**criterion, "ok": ok, "detail": detail})
        if ok:
            points += int(criterion.get("points", 0))
        elif criterion.get("mandatory"):
            meets = False
    level = level_for(points, rule_set)
    return {"results": results, "points": points, "meets_quality": meets, "level": level, "counts": counts}


def level_for(points: int, rule_set) -> str:
    for level in sorted(rule_set.levels, key=lambda lv: -lv["min_points"]):
        if points >= level["min_points"]:
            return level["label"]
    return ""


def document_is_late(document, meeting, rule_set) -> bool:
    """Late when posted after the day that is `document_lead_days` before the meeting."""
    from django.utils import timezone

    posted = timezone.localtime(document.posted_at).date()
    return (meeting.date - posted).days < rule_set.document_lead_days


def _pct(value) -> str:
    from apps.core.templatetags.vn import format_percent

    return format_percent(value) if value is not None else "–"
