import datetime as dt

import pytest

from apps.admissions.models import StepKind
from apps.admissions.services import case_create, step_record
from apps.core.roles import Role


@pytest.fixture
def full_members(tree, make_member):
    """Three full members of cell A (so 2/3 of 3 is 2)."""
    return [make_member(tree["cell_a"], name) for name in ("Lê Văn An", "Trần Thị Bình", "Phạm Văn Cường")]


@pytest.fixture
def case(admin_user, tree):
    return case_create(
        user=admin_user,
        organization=tree["cell_a"],
        family_name="Võ",
        middle_name="Thị",
        given_name="Hạnh",
        gender="female",
        birth_date=dt.date(1998, 3, 15),
        general_education="12/12",
        occupation="Giáo viên",
    )


@pytest.fixture
def advance(admin_user, full_members):
    """Record the case's steps up to (not including) `until`, on the given dates."""

    def run(case, until, dates=None, user=None):
        user = user or admin_user
        d = {
            StepKind.INTRODUCTION: dt.date(2025, 6, 2),
            StepKind.CLASS: dt.date(2025, 6, 10),
            StepKind.APPLICATION: dt.date(2025, 6, 12),
            StepKind.SPONSORS: dt.date(2025, 6, 13),
            StepKind.BIOGRAPHY: dt.date(2025, 6, 20),
            StepKind.CELL_VOTE: dt.date(2025, 6, 25),
            StepKind.PROPOSAL: dt.date(2025, 6, 30),
            StepKind.DECISION: dt.date(2025, 7, 7),
            StepKind.CEREMONY: dt.date(2025, 7, 20),
            StepKind.REVIEW_VOTE: dt.date(2026, 7, 10),
            StepKind.RECOGNITION: dt.date(2026, 7, 17),
        }
        d.update(dates or {})
        extra: dict = {
            StepKind.INTRODUCTION: {"introduced_by": "youth_union", "body": "Đoàn phường"},
            StepKind.CLASS: {"number": "123/GCN"},
            StepKind.SPONSORS: {"sponsors": [(m, dt.date(2020, 1, 1)) for m in full_members[:2]]},
            StepKind.BIOGRAPHY: {"person": "Đảng ủy phường", "note": "Đạt"},
            StepKind.CELL_VOTE: {"votes_for": 3, "votes_against": 0},
            StepKind.PROPOSAL: {"number": "12-TTr/ĐU"},
            StepKind.DECISION: {"number": "45-QĐ/ĐU"},
            StepKind.REVIEW_VOTE: {"votes_for": 3, "votes_against": 0},
            StepKind.RECOGNITION: {"number": "88-QĐ/ĐU"},
        }
        for kind in list(d):
            if kind == until:
                break
            step_record(user=user, case=case, kind=kind, on=d[kind], **extra.get(kind, {}))
        case.refresh_from_db()
        return case

    return run


@pytest.fixture
def sibling_secretary(tree, make_user):
    return make_user("bithu_b", Role.CELL_SECRETARY, tree["cell_b"], include_subtree=False)


@pytest.fixture
def other_ward_staff(tree, make_user):
    return make_user("dangu_dh", Role.COMMITTEE_STAFF, tree["ward2"])
