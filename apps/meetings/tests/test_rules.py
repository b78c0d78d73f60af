"""Attendance, quorum and vote validity against hand-computed cases.

The roll of cell A (see conftest.cell_roll) on the meeting's date:
  6 full members (An, Bình, Cường, Dung, Em, Giang), 1 probationary (Hải),
  2 exempted (Khánh, Lan), 1 temporarily transferred out (Minh), 1 temporarily transferred in,
  full (Nga), 1 suspended (Phúc).
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.meetings import rules, services
from apps.meetings.models import Attendance, Kind, Presence, Vote, VoteKind
from apps.members.models import Status


@pytest.fixture
def started(cell_roll, secretary_a, today):
    meeting = services.meeting_create(user=secretary_a, organization=cell_roll.cell, kind=Kind.REGULAR, date=today)
    services.meeting_start(user=secretary_a, meeting=meeting)
    return meeting


def mark(user, meeting, members, presence, reason=""):
    for m in members:
        services.attendance_mark(user=user, meeting=meeting, member=m, presence=presence, reason=reason)


def counts(meeting):
    return rules.count_roll(meeting.roll.all(), meeting.rule_set)


@pytest.mark.django_db
def test_roll_lists_every_member_of_the_cell_on_the_date_with_their_status(started, cell_roll):
    statuses = {a.member.full_name: a.member_status for a in started.roll.select_related("member")}
    assert statuses == {
        "Nguyễn Văn An": Status.FULL,
        "Trần Thị Bình": Status.FULL,
        "Lê Văn Cường": Status.FULL,
        "Phạm Thị Dung": Status.FULL,
        "Hoàng Văn Em": Status.FULL,
        "Võ Thị Giang": Status.FULL,
        "Đặng Văn Hải": Status.PROBATIONARY,
        "Bùi Văn Khánh": Status.EXEMPTED,
        "Đỗ Thị Lan": Status.EXEMPTED,
        "Ngô Văn Minh": Status.TEMP_OUT,
        "Lý Thị Nga": Status.TEMP_IN,
        "Trương Văn Phúc": Status.SUSPENDED,
    }
    # Vietnamese order: by given name.
    assert [a.member.given_name for a in started.roll.all()] == [
        "An",
        "Bình",
        "Cường",
        "Dung",
        "Em",
        "Giang",
        "Hải",
        "Khánh",
        "Lan",
        "Minh",
        "Nga",
        "Phúc",
    ]


@pytest.mark.django_db
def test_case_mixed_roll_attendance_and_vote_base(started, cell_roll, secretary_a):
    """Present: An..Em (5), Hải (probationary), Nga (temp in), Khánh (exempted, present);
    Giang excused; Lan (exempted) absent.
    Attendance base = 6 full + Hải + Nga + Khánh (exempted, present) = 9; present 8 → 88,89 %.
    Vote base = 6 full − Giang (excused) + Nga + Khánh = 7; all 7 present."""
    c = cell_roll
    mark(secretary_a, started, [*c.full[:5], c.probationary, c.temp_in, c.exempted_present], Presence.PRESENT)
    mark(secretary_a, started, [c.full[5]], Presence.EXCUSED, "Ốm")
    n = counts(started)
    assert (n.on_roll, n.base, n.present, n.excused, n.unexcused, n.unmarked) == (12, 9, 8, 1, 0, 0)
    assert n.outside == 3  # Minh (temp out), Phúc (suspended), Lan (exempted, absent)
    assert n.rate == Decimal("88.89")
    assert (n.vote_base, n.voters_present) == (7, 7)


@pytest.mark.django_db
def test_case_exempted_member_present_is_counted(started, cell_roll, secretary_a):
    c = cell_roll
    mark(secretary_a, started, c.full, Presence.PRESENT)
    before = counts(started)
    mark(secretary_a, started, [c.exempted_present], Presence.PRESENT)
    after = counts(started)
    assert (after.base - before.base, after.present - before.present) == (1, 1)
    assert after.vote_base - before.vote_base == 1


@pytest.mark.django_db
def test_case_exempted_member_absent_is_outside_both_bases(started, cell_roll, secretary_a):
    c = cell_roll
    mark(secretary_a, started, [*c.full, c.probationary, c.temp_in], Presence.PRESENT)
    mark(secretary_a, started, [c.exempted_absent, c.exempted_present], Presence.EXCUSED, "Tuổi cao")
    n = counts(started)
    # 6 full + Hải + Nga, all present; the two exempted members do not lower the rate.
    assert (n.base, n.present, n.rate) == (8, 8, Decimal("100.00"))
    assert n.vote_base == 7


@pytest.mark.django_db
def test_case_temporarily_transferred_out_shown_but_outside_base(started, cell_roll, secretary_a):
    c = cell_roll
    row = started.roll.get(member=c.temp_out)
    assert row.member_status == Status.TEMP_OUT
    with pytest.raises(ValidationError):
        services.attendance_mark(user=secretary_a, meeting=started, member=c.temp_out, presence=Presence.PRESENT)
    row.refresh_from_db()
    assert row.presence == Presence.UNMARKED
    assert not rules.in_attendance_base(row, started.rule_set)
    assert not rules.in_vote_base(row, started.rule_set)


@pytest.mark.django_db
def test_case_temporarily_transferred_in_counted_here(started, cell_roll, secretary_a):
    c = cell_roll
    row = started.roll.get(member=c.temp_in)
    assert rules.in_attendance_base(row, started.rule_set)
    mark(secretary_a, started, [c.temp_in], Presence.UNEXCUSED)
    row.refresh_from_db()
    assert rules.in_attendance_base(row, started.rule_set) and rules.in_vote_base(row, started.rule_set)


@pytest.mark.django_db
def test_case_suspended_member_excluded(started, cell_roll, secretary_a):
    c = cell_roll
    mark(secretary_a, started, [*c.full, c.probationary, c.temp_in], Presence.PRESENT)
    n = counts(started)
    # 6 full + Hải + Nga; Phúc (suspended), Minh (temp out), Khánh and Lan (exempted, unmarked) outside.
    assert (n.base, n.present, n.vote_base) == (8, 8, 7)
    with pytest.raises(ValidationError):
        services.attendance_mark(user=secretary_a, meeting=started, member=c.suspended, presence=Presence.PRESENT)


@pytest.mark.django_db
def test_case_excused_absence_lowers_attendance_but_leaves_vote_base(started, cell_roll, secretary_a):
    c = cell_roll
    mark(secretary_a, started, [*c.full[:4], c.probationary, c.temp_in], Presence.PRESENT)
    mark(secretary_a, started, c.full[4:], Presence.EXCUSED, "Đi công tác")
    n = counts(started)
    # Attendance: 6/8 = 75 %. Vote base: 6 full + Nga − 2 excused = 5.
    assert (n.base, n.present, n.excused, n.rate) == (8, 6, 2, Decimal("75.00"))
    assert n.vote_base == 5
    assert started.roll.get(member=c.full[4]).reason == "Đi công tác"


@pytest.mark.django_db
def test_case_unexcused_absence_stays_in_vote_base(started, cell_roll, secretary_a):
    c = cell_roll
    mark(secretary_a, started, [*c.full[:4], c.probationary, c.temp_in], Presence.PRESENT)
    mark(secretary_a, started, c.full[4:], Presence.UNEXCUSED)
    n = counts(started)
    # Vote base 7 (6 full + Nga), only 5 of them present: a resolution needs 4 (more than 3,5).
    assert (n.base, n.present, n.unexcused, n.vote_base, n.voters_present) == (8, 6, 2, 7, 5)
    assert rules.vote_is_valid(VoteKind.ORDINARY, 4, n.vote_base) is True
    assert rules.vote_is_valid(VoteKind.ORDINARY, 3, n.vote_base) is False


def test_vote_validity_more_than_half_and_two_thirds():
    assert rules.vote_is_valid(VoteKind.ORDINARY, 4, 7) is True  # 4 > 3,5
    assert rules.vote_is_valid(VoteKind.ORDINARY, 3, 6) is False  # exactly half is not more than half
    assert rules.vote_is_valid(VoteKind.ORDINARY, 4, 6) is True
    assert rules.vote_is_valid(VoteKind.ADMISSION, 5, 7) is True  # 5 ≥ 4,67
    assert rules.vote_is_valid(VoteKind.ADMISSION, 4, 7) is False
    assert rules.vote_is_valid(VoteKind.RECOGNITION, 4, 6) is True  # exactly two thirds
    assert rules.vote_is_valid(VoteKind.STRIKE_OFF, 3, 6) is False
    assert rules.vote_is_valid(VoteKind.ORDINARY, 0, 0) is False


@pytest.mark.django_db
def test_recorded_vote_applies_the_rule_to_the_meeting_base(started, cell_roll, secretary_a):
    c = cell_roll
    mark(secretary_a, started, [*c.full, c.probationary, c.temp_in, c.exempted_present], Presence.PRESENT)
    # Vote base: 6 full + Nga + Khánh = 8.
    ordinary = services.vote_record(
        user=secretary_a,
        meeting=started,
        kind=VoteKind.ORDINARY,
        subject="Nghị quyết tháng",
        votes_for=5,
        votes_against=2,
        votes_abstain=1,
    )
    assert (ordinary.base, ordinary.is_valid) == (8, True)
    half = services.vote_record(
        user=secretary_a, meeting=started, kind=VoteKind.ORDINARY, subject="Kiến nghị", votes_for=4, votes_against=4
    )
    assert half.is_valid is False
    admission = services.vote_record(
        user=secretary_a,
        meeting=started,
        kind=VoteKind.ADMISSION,
        subject="Kết nạp quần chúng X",
        votes_for=5,
        votes_against=3,
    )
    assert admission.is_valid is False  # 5 < 2/3 of 8
    admission = services.vote_record(
        user=secretary_a,
        meeting=started,
        kind=VoteKind.ADMISSION,
        subject="Kết nạp quần chúng Y",
        votes_for=6,
        votes_against=2,
    )
    assert admission.is_valid is True


@pytest.mark.django_db
def test_bad_input_vote_count_above_base_changes_nothing(started, cell_roll, secretary_a):
    c = cell_roll
    mark(secretary_a, started, [*c.full, c.probationary, c.temp_in], Presence.PRESENT)
    with pytest.raises(ValidationError) as exc:
        services.vote_record(
            user=secretary_a,
            meeting=started,
            kind=VoteKind.ORDINARY,
            subject="Nghị quyết",
            votes_for=7,
            votes_against=1,
        )
    assert "Tổng số phiếu (8) vượt quá số đảng viên làm căn cứ biểu quyết (7)" in str(exc.value)
    assert Vote.objects.count() == 0


@pytest.mark.django_db
def test_bad_input_vote_count_above_present_voters_changes_nothing(started, cell_roll, secretary_a):
    c = cell_roll
    mark(secretary_a, started, [*c.full[:4], c.probationary, c.temp_in], Presence.PRESENT)
    mark(secretary_a, started, c.full[4:], Presence.UNEXCUSED)
    with pytest.raises(ValidationError) as exc:
        services.vote_record(
            user=secretary_a, meeting=started, kind=VoteKind.ORDINARY, subject="Nghị quyết", votes_for=6
        )
    assert "vượt quá số đảng viên chính thức có mặt (5)" in str(exc.value)
    assert Vote.objects.count() == 0


@pytest.mark.django_db
def test_bad_input_roll_entry_for_member_of_another_cell_changes_nothing(started, cell_roll, secretary_a):
    before = list(Attendance.objects.order_by("pk").values_list("pk", "presence"))
    with pytest.raises(ValidationError) as exc:
        services.attendance_mark(
            user=secretary_a, meeting=started, member=cell_roll.outsider, presence=Presence.PRESENT
        )
    assert "Đồng chí Mai Văn Quang không có trong danh sách đảng viên của Chi bộ khu phố 1" in str(exc.value)
    assert list(Attendance.objects.order_by("pk").values_list("pk", "presence")) == before
    assert not Attendance.objects.filter(member=cell_roll.outsider).exists()


@pytest.mark.django_db
def test_roll_follows_membership_on_the_meeting_date(tree, make_member, admin_user, secretary_a, today, rule_set):
    from datetime import timedelta

    from apps.members.services import member_transfer_internal

    cell = tree["cell_a"]
    stays = make_member(cell, "Phan Văn Sơn")
    leaves = make_member(cell, "Tạ Thị Thu")
    member_transfer_internal(user=admin_user, member=leaves, target=tree["cell_b"], on=today - timedelta(days=1))
    entries = rules.roll_for(cell, today - timedelta(days=2))
    assert [e.member.pk for e in entries] == [stays.pk, leaves.pk]
    entries = rules.roll_for(cell, today)
    assert [e.member.pk for e in entries] == [stays.pk]
    assert [e.member.pk for e in rules.roll_for(tree["cell_b"], today)] == [leaves.pk]


@pytest.mark.django_db
def test_all_present_button_leaves_members_outside_the_base(started, cell_roll, secretary_a):
    c = cell_roll
    mark(secretary_a, started, [c.full[0]], Presence.EXCUSED, "Ốm")
    n = services.attendance_all_present(user=secretary_a, meeting=started)
    assert n == 7  # 12 on the roll − Minh, Phúc (outside) − Khánh, Lan (exempted) − An (already marked)
    assert started.roll.get(member=c.full[0]).presence == Presence.EXCUSED
    for member in (c.temp_out, c.suspended, c.exempted_present, c.exempted_absent):
        assert started.roll.get(member=member).presence == Presence.UNMARKED
    n = counts(started)
    # Base 6 full + Hải + Nga = 8, present 7.
    assert (n.base, n.present, n.rate) == (8, 7, Decimal("87.50"))


@pytest.mark.django_db
def test_database_rates_match_the_rules_on_the_mixed_roll(started, cell_roll, secretary_a):
    from apps.meetings import selectors

    c = cell_roll
    mark(secretary_a, started, [*c.full[:5], c.probationary, c.temp_in, c.exempted_present], Presence.PRESENT)
    mark(secretary_a, started, [c.full[5]], Presence.EXCUSED, "Ốm")
    started.refresh_from_db()
    services.meeting_finish(user=secretary_a, meeting=started)
    started.refresh_from_db()
    rate = selectors.attendance_rate([started])
    # The same 8 present of 9 as test_case_mixed_roll_attendance_and_vote_base, counted in SQL.
    assert (rate.present, rate.base, rate.value) == (8, 9, Decimal("88.89"))
