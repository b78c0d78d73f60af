"""Issue 16 #10: rotating reviews leave out exempted members and are tied to the meetings
where they happen."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from apps.accountability import services
from apps.accountability.models import RotatingReview
from apps.meetings.models import Meeting
from apps.members.models import StatusChangeKind
from apps.members.services import member_change_status


def _meeting(org, day, status="planned", kind="regular"):
    return Meeting.objects.create(organization=org, date=day, kind=kind, status=status)


def test_exempted_and_suspended_members_are_not_brought_round(people, tree, make_member, admin_user):
    old = make_member(tree["cell_a"], "Lê Văn Cao")
    member_change_status(user=admin_user, member=old, kind=StatusChangeKind.EXEMPTED, on=dt.date(2024, 3, 1))
    away = make_member(tree["cell_a"], "Đỗ Văn Đình")
    member_change_status(user=admin_user, member=away, kind=StatusChangeKind.SUSPENDED, on=dt.date(2024, 3, 1))
    rows = services.rotating_schedule(user=people["sec_a"], organization=tree["cell_a"], start=dt.date(2025, 1, 1))
    assert [r.member.full_name for r in rows] == ["Nguyễn Văn Hùng"]
    assert not RotatingReview.objects.filter(member__in=[old, away]).exists()


def test_turns_are_tied_to_the_cell_meetings(people, tree, make_member):
    make_member(tree["cell_a"], "Lê Thị An")
    january = _meeting(tree["cell_a"], dt.date(2025, 1, 10), status="held")
    _meeting(tree["cell_a"], dt.date(2025, 1, 3), status="cancelled")
    _meeting(tree["cell_b"], dt.date(2025, 2, 5))
    rows = services.rotating_schedule(user=people["sec_a"], organization=tree["cell_a"], start=dt.date(2025, 1, 1))
    assert [(r.member.given_name, r.meeting) for r in rows] == [("An", january), ("Hùng", None)]
    done = services.rotating_done(user=people["sec_a"], review=rows[0])
    assert (done.meeting, done.done_on) == (january, dt.date(2025, 1, 10))
    # The second turn: no meeting yet, and another cell's meeting is refused.
    other = Meeting.objects.get(organization=tree["cell_b"])
    for meeting, message in (
        (None, "Hãy chọn cuộc sinh hoạt chi bộ đã kiểm điểm đảng viên này."),
        (other, "Cuộc sinh hoạt được chọn không phải của chi bộ này hoặc chưa diễn ra."),
    ):
        with pytest.raises(ValidationError) as err:
            services.rotating_done(user=people["sec_a"], review=rows[1], meeting=meeting)
        assert err.value.message_dict["meeting"] == [message]
    rows[1].refresh_from_db()
    assert (rows[1].meeting, rows[1].done_on) == (None, None)


def test_the_page_records_a_turn_at_a_meeting(people, tree, client_for, admin_user):
    held = _meeting(tree["cell_a"], dt.date(2025, 3, 12), status="held")
    (row,) = services.rotating_schedule(user=people["sec_a"], organization=tree["cell_a"], start=dt.date(2025, 3, 1))
    client = client_for(people["sec_a"])
    page = client.get("/tu-soi-tu-sua/xoay-vong/").content.decode()
    assert f'<option value="{held.pk}" selected>' in page
    client.post(f"/tu-soi-tu-sua/xoay-vong/{row.pk}/xong/", {"meeting": held.pk})
    row.refresh_from_db()
    assert row.done_on == dt.date(2025, 3, 12)
    # A member exempted after being scheduled is shown as skipping the turn, with no button.
    (later,) = services.rotating_schedule(user=people["sec_a"], organization=tree["cell_a"], start=dt.date(2025, 4, 1))
    member_change_status(
        user=admin_user, member=people["hung"], kind=StatusChangeKind.EXEMPTED, on=dt.date(2025, 3, 20)
    )
    page = client.get("/tu-soi-tu-sua/xoay-vong/").content.decode()
    assert "bỏ lượt" in page
    assert f"/tu-soi-tu-sua/xoay-vong/{later.pk}/xong/" not in page
    client.post(f"/tu-soi-tu-sua/xoay-vong/{later.pk}/xong/", {"meeting": held.pk})
    later.refresh_from_db()
    assert later.done_on is None
