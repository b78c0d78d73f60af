"""Fixtures for cell meetings: the rule set in force and a cell whose roll exercises every rule."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from apps.meetings.models import Attendance, Kind, Meeting, MeetingRuleSet, MeetingStatus, Presence
from apps.members.models import Status, StatusChange, StatusChangeKind
from apps.members.services import member_change_status


@pytest.fixture
def rule_set(db):
    """The 2025 rule set (seeded by migration; recreated if a transactional test flushed it)."""
    found = MeetingRuleSet.objects.filter(valid_to__isnull=True).first()
    if found is None:
        found = MeetingRuleSet.objects.create(
            name="Sinh hoạt chi bộ theo Chỉ thị 50-CT/TW",
            regulation="50-CT/TW; 42-HD/BTCTW",
            valid_from=dt.date(2025, 10, 28),
        )
    return found


@pytest.fixture
def today():
    return timezone.localdate()


def make_temp_in(admin_user, member, organization, on):
    """A member temporarily transferred in (the registry records it as a dated step)."""
    member.status, member.status_since = Status.TEMP_IN, on
    member.save(update_fields=["status", "status_since"])
    StatusChange.objects.create(
        member=member, kind=StatusChangeKind.TEMP_IN, date=on, status=Status.TEMP_IN, organization=organization
    )
    return member


@pytest.fixture
def cell_roll(tree, make_member, admin_user, today, rule_set):
    """Cell A with: 6 full members, 1 probationary, 2 exempted, 1 temporarily transferred out,
    1 temporarily transferred in (full), 1 suspended. Cell B has one member of its own."""
    cell = tree["cell_a"]
    changed_on = today - dt.timedelta(days=5)
    full = [
        make_member(cell, name)
        for name in (
            "Nguyễn Văn An",
            "Trần Thị Bình",
            "Lê Văn Cường",
            "Phạm Thị Dung",
            "Hoàng Văn Em",
            "Võ Thị Giang",
        )
    ]
    probationary = make_member(
        cell,
        "Đặng Văn Hải",
        admission_date=today - dt.timedelta(days=100),
        full_membership_date=None,
        birth_date=dt.date(1995, 1, 1),
    )
    exempted_present = make_member(
        cell,
        "Bùi Văn Khánh",
        birth_date=dt.date(1940, 1, 1),
        admission_date=dt.date(1965, 1, 1),
        full_membership_date=dt.date(1966, 1, 1),
    )
    exempted_absent = make_member(
        cell,
        "Đỗ Thị Lan",
        birth_date=dt.date(1942, 1, 1),
        admission_date=dt.date(1966, 1, 1),
        full_membership_date=dt.date(1967, 1, 1),
    )
    for m in (exempted_present, exempted_absent):
        member_change_status(user=admin_user, member=m, kind=StatusChangeKind.EXEMPTED, on=changed_on)
    temp_out = make_member(cell, "Ngô Văn Minh")
    member_change_status(
        user=admin_user,
        member=temp_out,
        kind=StatusChangeKind.TEMP_OUT,
        on=changed_on,
        other_organization_name="Chi bộ ngoài tỉnh",
    )
    temp_in = make_temp_in(admin_user, make_member(cell, "Lý Thị Nga"), cell, changed_on)
    suspended = make_member(cell, "Trương Văn Phúc")
    member_change_status(user=admin_user, member=suspended, kind=StatusChangeKind.SUSPENDED, on=changed_on)
    outsider = make_member(tree["cell_b"], "Mai Văn Quang")
    for m in (*full, probationary, exempted_present, exempted_absent, temp_out, temp_in, suspended, outsider):
        m.refresh_from_db()
    return SimpleNamespace(
        cell=cell,
        full=full,
        probationary=probationary,
        exempted_present=exempted_present,
        exempted_absent=exempted_absent,
        temp_out=temp_out,
        temp_in=temp_in,
        suspended=suspended,
        outsider=outsider,
    )


def held_meeting(
    cell, day, *, kind=Kind.REGULAR, present=(), excused=(), unexcused=(), minutes=100, rule_set=None, **fields
):
    """A held meeting written directly (for selector tests that need past months)."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(19, 0)))
    meeting = Meeting.objects.create(
        organization=cell,
        kind=kind,
        date=day,
        status=MeetingStatus.HELD,
        started_at=start,
        ended_at=start + dt.timedelta(minutes=minutes),
        rule_set=rule_set,
        **fields,
    )
    for members, presence in (
        (present, Presence.PRESENT),
        (excused, Presence.EXCUSED),
        (unexcused, Presence.UNEXCUSED),
    ):
        for m in members:
            Attendance.objects.create(
                meeting=meeting, member=m, member_status=m.status, is_full_member=True, presence=presence
            )
    return meeting
