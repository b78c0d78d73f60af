"""A seeded-random world of members with dated histories, and a naive recount of it.

`generate()` admits (or takes in by transfer) members into the test tree's three cells and walks
each through random dated steps — recognitions, transfers between cells (across wards too),
exemptions and their ends, suspensions, transfers out, striking off, deaths — through the
registry's own services; cell B moves from ward Bình Thắng to ward Đông Hòa on 01/01/2020. Every
step is also written to the member's timeline, and `Recount` answers each statistic by replaying
those timelines in plain Python (nothing of apps.statistics is used)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from apps.meetings.tests.conftest import rule_set  # noqa: F401 (the meetings' rule set fixture)
from apps.members.factories import MemberFactory
from apps.members.models import CURRENT_STATUSES, Member, Status, StatusChangeKind
from apps.members.services import allowed_changes, member_change_status, member_transfer_internal
from apps.organizations.services import organization_move

MOVED_ON = dt.date(2020, 1, 1)
ETHNICITIES = ("Kinh", "Kinh", "Kinh", "Tày", "Khmer", "Hoa")
RELIGIONS = ("Không", "Không", "Không", "Phật giáo", "Công giáo")
EDUCATIONS = ("", "upper_secondary", "vocational", "university", "university", "master")
THEORIES = ("", "", "elementary", "intermediate", "advanced", "bachelor")
MOVE = "move"


@dataclass
class Step:
    day: dt.date
    kind: str
    status: str
    org: int
    other: int | None = None


@dataclass
class Person:
    pk: int
    gender: str
    birth: dt.date
    admitted: dt.date
    ethnicity: str
    religion: str
    education: str
    theory: str
    steps: list[Step] = field(default_factory=list)

    def state(self, day):
        then = [s for s in self.steps if s.day <= day]
        return (then[-1].status, then[-1].org) if then else ("", None)


def _walk(rng, member, person, cells, user, today):
    day = person.steps[-1].day
    for _ in range(rng.randint(0, 5)):
        day += dt.timedelta(days=rng.randint(30, 1500))
        if day > today:
            return
        member.refresh_from_db()
        kinds = [k for k in allowed_changes(member) if k != StatusChangeKind.RECOGNIZED]
        if member.status in CURRENT_STATUSES:
            kinds += [MOVE, MOVE]
        if member.status == Status.PROBATIONARY and day >= member.probation_end_date:
            kinds.append(StatusChangeKind.RECOGNIZED)
        if not kinds:
            return
        kind = rng.choice(kinds)
        source = member.organization_id
        if kind == MOVE:
            target = rng.choice([c for c in cells if c.pk != member.organization_id])
            member_transfer_internal(user=user, member=member, target=target, on=day)
        else:
            member_change_status(user=user, member=member, kind=kind, on=day, other_organization_name="Tỉnh khác")
        member.refresh_from_db()
        kind_done = StatusChangeKind.TRANSFER_INTERNAL if kind == MOVE else kind
        person.steps.append(
            Step(day, kind_done, member.status, member.organization_id, source if kind == MOVE else None)
        )


def generate(rng, tree, user, count) -> list[Person]:
    cells = [tree["cell_a"], tree["cell_b"], tree["cell_c"]]
    today = timezone.localdate()
    people = []
    moved = False
    for i in range(count):
        if not moved and i == count // 2:
            # Half the members are walked before the tree moves (their steps may lie after it).
            organization_move(user=user, organization=tree["cell_b"], new_parent=tree["ward2"], on=MOVED_ON)
            moved = True
        cell = rng.choice(cells)
        admitted = dt.date(rng.randint(2000, 2023), rng.randint(1, 12), rng.randint(1, 28))
        birth = admitted - relativedelta(years=rng.randint(18, 45), days=rng.randint(0, 364))
        full = None if rng.random() < 0.2 else admitted + relativedelta(years=1)
        if full and full > today:
            full = None
        transferred_in = None
        if rng.random() < 0.15:
            transferred_in = admitted + dt.timedelta(days=rng.randint(400, 3000))
            if transferred_in > today or transferred_in < dt.date(2000, 1, 1):
                transferred_in = None
        fields = {
            "gender": rng.choice(("male", "female")),
            "birth_date": birth,
            "admission_date": admitted,
            "full_membership_date": full,
            "ethnicity": rng.choice(ETHNICITIES),
            "religion": rng.choice(RELIGIONS),
            "education": rng.choice(EDUCATIONS),
            "political_theory": rng.choice(THEORIES),
        }
        extra = {"transferred_in_on": transferred_in, "transferred_from": "Tỉnh khác"} if transferred_in else {}
        member: Member = MemberFactory(user=user, organization=cell, **fields, **extra)  # type: ignore[assignment]
        person = Person(
            member.pk,
            fields["gender"],
            birth,
            admitted,
            fields["ethnicity"],
            fields["religion"],
            fields["education"],
            fields["political_theory"],
        )
        if transferred_in:
            status_then = Status.FULL if full and full <= transferred_in else Status.PROBATIONARY
            person.steps.append(Step(transferred_in, StatusChangeKind.TRANSFER_IN, status_then, cell.pk))
            if full and full > transferred_in:
                person.steps.append(Step(full, StatusChangeKind.RECOGNIZED, Status.FULL, cell.pk))
        else:
            person.steps.append(Step(admitted, StatusChangeKind.ADMITTED, Status.PROBATIONARY, cell.pk))
            if full:
                person.steps.append(Step(full, StatusChangeKind.RECOGNIZED, Status.FULL, cell.pk))
        _walk(rng, member, person, cells, user, today)
        people.append(person)
    return people


def subtree(tree, name, day) -> set[int]:
    """The test tree as it stood on `day`, written out by hand."""
    b_first = day < MOVED_ON
    ward = {tree["ward"].pk, tree["cell_a"].pk} | ({tree["cell_b"].pk} if b_first else set())
    ward2 = {tree["ward2"].pk, tree["cell_c"].pk} | (set() if b_first else {tree["cell_b"].pk})
    return {
        "province": {tree["province"].pk} | ward | ward2,
        "ward": ward,
        "ward2": ward2,
        "cell_a": {tree["cell_a"].pk},
        "cell_b": {tree["cell_b"].pk},
        "cell_c": {tree["cell_c"].pk},
    }[name]


def naive_age_band(years):
    if years <= 30:
        return "18_30"
    if years <= 40:
        return "31_40"
    if years <= 50:
        return "41_50"
    if years <= 60:
        return "51_60"
    if years <= 70:
        return "61_70"
    return "over_70"


def naive_seniority(years):
    for limit, key in ((10, "under_10"), (20, "10_19"), (30, "20_29"), (40, "30_39")):
        if years < limit:
            return key
    return "40_plus"


def _tally(values):
    out: dict = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return out


class Recount:
    def __init__(self, people, tree):
        self.people, self.tree = people, tree

    def members(self, name, day) -> dict:
        ids = subtree(self.tree, name, day)
        there = []
        for p in self.people:
            status, org = p.state(day)
            if org in ids and status in CURRENT_STATUSES:
                there.append((p, status))
        return {
            "total": len(there),
            "by_status": _tally(s for _p, s in there),
            "female": sum(1 for p, _s in there if p.gender == "female"),
            "by_age_band": _tally(naive_age_band(relativedelta(day, p.birth).years) for p, _s in there),
            "by_ethnicity": _tally(p.ethnicity for p, _s in there),
            "by_religion": _tally(p.religion for p, _s in there),
            "by_education": _tally(p.education or "none" for p, _s in there),
            "by_theory_level": _tally(p.theory or "none" for p, _s in there),
            "by_seniority": _tally(naive_seniority(relativedelta(day, p.admitted).years) for p, _s in there),
            "ethnic_minorities": sum(1 for p, _s in there if p.ethnicity != "Kinh"),
            "religious": sum(1 for p, _s in there if p.religion != "Không"),
        }

    def movement(self, name, start, end) -> dict:
        out = dict.fromkeys(
            (
                "admitted",
                "recognized",
                "transferred_in",
                "transferred_out",
                "exempted",
                "struck_off",
                "dismissed",
                "expelled",
                "deceased",
            ),
            0,
        )
        simple = {
            StatusChangeKind.ADMITTED: "admitted",
            StatusChangeKind.RECOGNIZED: "recognized",
            StatusChangeKind.EXEMPTED: "exempted",
            StatusChangeKind.STRUCK_OFF: "struck_off",
            StatusChangeKind.DISMISSED: "dismissed",
            StatusChangeKind.EXPELLED: "expelled",
            StatusChangeKind.DECEASED: "deceased",
            StatusChangeKind.TRANSFER_IN: "transferred_in",
            StatusChangeKind.TRANSFER_OUT: "transferred_out",
        }
        for p in self.people:
            for s in p.steps:
                if not start <= s.day <= end:
                    continue
                ids = subtree(self.tree, name, s.day)
                if s.kind == StatusChangeKind.TRANSFER_INTERNAL:
                    if s.org in ids and s.other not in ids:
                        out["transferred_in"] += 1
                    elif s.org not in ids and s.other in ids:
                        out["transferred_out"] += 1
                elif s.kind in simple and s.org in ids:
                    out[simple[s.kind]] += 1
        return out


@pytest.fixture
def world(tree, admin_user):
    people = generate(random.Random(2026), tree, admin_user, 220)
    return Recount(people, tree)
