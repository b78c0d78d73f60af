"""A member's state on a date has one answer: the method, the queryset and the past-date counts
all agree with a plain replay of generated histories (admissions, recognitions, transfers in the
tree and out of it, exemptions and suspensions and their ends, deaths, steps set without a record,
a cell moved to another ward)."""

import datetime as dt
import random

import pytest
from django.utils import timezone

from apps.members.factories import MemberFactory
from apps.members.models import CURRENT_STATUSES, Member, MemberState, Status, StatusChangeKind
from apps.members.selectors import status_counts
from apps.members.services import allowed_changes, member_change_status, member_transfer_internal
from apps.organizations.services import organization_move

NO_RECORD = "no_record"  # the status set by an import or an old tool, without a dated step
MOVE = "move"  # a transfer inside the tree


def _walk(rng, member, cells, user, timeline, today):
    """Apply random dated steps to `member`, appending each (date, status, organization id)."""
    day = timeline[-1][0]
    for _ in range(rng.randint(0, 5)):
        day += dt.timedelta(days=rng.randint(1, 900))
        if day > today:
            return
        member.refresh_from_db()
        kinds = [k for k in allowed_changes(member) if k != StatusChangeKind.RECOGNIZED]
        if member.status in CURRENT_STATUSES:
            kinds += [MOVE, NO_RECORD]
        if member.status == Status.PROBATIONARY and day >= member.probation_end_date:
            kinds.append(StatusChangeKind.RECOGNIZED)
        if not kinds:
            return
        kind = rng.choice(kinds)
        if kind == MOVE:
            target = rng.choice([c for c in cells if c.pk != member.organization_id])
            member_transfer_internal(user=user, member=member, target=target, on=day)
        elif kind == NO_RECORD:
            # Only the member row changes; its `status_since` may even lie before the last step.
            since = rng.choice([day, None, timeline[-1][0] - dt.timedelta(days=30)])
            Member.objects.filter(pk=member.pk).update(status=Status.EXEMPTED, status_since=since)
            day = max(since or timeline[-1][0], timeline[-1][0])
            timeline.append((day, Status.EXEMPTED, member.organization_id))
            return  # nothing can be recorded after it without first recording it
        else:
            member_change_status(
                user=user, member=member, kind=kind, on=day, other_organization_name="Đảng bộ tỉnh khác"
            )
        member.refresh_from_db()
        timeline.append((day, member.status, member.organization_id))


def _generate(rng, tree, user, count, years, probationary_share=0.0) -> dict[int, list]:
    """`count` members admitted in `years` into the three cells, each walked; their timelines by pk."""
    cells = [tree["cell_a"], tree["cell_b"], tree["cell_c"]]
    timelines = {}
    for _ in range(count):
        cell = rng.choice(cells)
        admitted = dt.date(rng.randint(*years), rng.randint(1, 12), rng.randint(1, 28))
        full = None if rng.random() < probationary_share else admitted.replace(year=admitted.year + 1)
        member = MemberFactory(user=user, organization=cell, admission_date=admitted, full_membership_date=full)
        timeline = [(admitted, Status.PROBATIONARY, cell.pk)] + ([(full, Status.FULL, cell.pk)] if full else [])
        _walk(rng, member, cells, user, timeline, timezone.localdate())
        timelines[member.pk] = timeline
    return timelines


def _replay(timeline, day) -> MemberState:
    then = [(status, org) for on, status, org in timeline if on <= day]
    return MemberState(*then[-1]) if then else MemberState("", None)


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_one_answer_for_generated_histories(seed, tree, admin_user):
    rng = random.Random(seed)
    today = timezone.localdate()
    timelines = _generate(rng, tree, admin_user, 30, (1995, 2024), probationary_share=0.3)

    days = {today, dt.date(1994, 12, 31)}
    for timeline in timelines.values():
        for on, *_ in timeline:
            days |= {on, on - dt.timedelta(days=1)}
    days = sorted(d for d in days if d <= today)
    members = list(Member.objects.prefetch_related("status_changes"))
    for day in rng.sample(days, min(len(days), 25)):
        expected = {m.pk: _replay(timelines[m.pk], day) for m in members}
        assert {m.pk: m.state_on(day) for m in members} == expected, day
        annotated = {m.pk: MemberState(m.status_on or "", m.org_on) for m in Member.objects.with_state_on(day)}
        assert annotated == expected, day
        in_a = set(Member.objects.in_organizations_on([tree["cell_a"].pk], day).values_list("pk", flat=True))
        assert in_a == {pk for pk, state in expected.items() if state.organization_id == tree["cell_a"].pk}, day


@pytest.mark.django_db
def test_past_counts_follow_the_tree_as_it_stood(tree, admin_user):
    """Cell B moves from ward Bình Thắng to ward Đông Hòa in 2020: 2019's counts keep it in the first."""
    rng = random.Random(7)
    today = timezone.localdate()
    timelines = _generate(rng, tree, admin_user, 25, (2000, 2018))
    moved_on = dt.date(2020, 1, 1)
    organization_move(user=admin_user, organization=tree["cell_b"], new_parent=tree["ward2"], on=moved_on)

    def wards_cells(day):
        b_in_first = day < moved_on
        first = {tree["ward"].pk, tree["cell_a"].pk} | ({tree["cell_b"].pk} if b_in_first else set())
        second = {tree["ward2"].pk, tree["cell_c"].pk} | (set() if b_in_first else {tree["cell_b"].pk})
        return {"ward": first, "ward2": second}

    for day in (dt.date(2015, 6, 30), dt.date(2019, 12, 31), moved_on, today - dt.timedelta(days=1)):
        for ward, ids in wards_cells(day).items():
            states = [_replay(t, day) for t in timelines.values()]
            there = [s for s in states if s.organization_id in ids]
            counts, current = status_counts(admin_user, tree[ward], on=day)
            by_status = {row["status"]: row["n"] for row in counts}
            expected = {}
            for state in there:
                expected[state.status] = expected.get(state.status, 0) + 1
            assert by_status == expected, (ward, day)
            assert current == sum(1 for s in there if s.is_current), (ward, day)
