import datetime as dt

import pytest

from apps.evaluations import rulesets
from apps.evaluations.models import Criterion, Frame, Level, RuleSet


@pytest.fixture(autouse=True)
def rule_sets(db):
    """The shipped sets (the data migration's rows do not survive a transactional test's flush)."""
    rulesets.load(RuleSet, Level, Frame, Criterion)
    return {rs.name: rs for rs in RuleSet.objects.all()}


@pytest.fixture
def cell_of(make_member):
    """`cell_of(org, n)` → n members named distinctly, full members since 2010."""

    def make(org, n, prefix="Đảng Viên", **fields):
        return [make_member(org, f"Nguyễn {prefix} {chr(65 + i // 26)}{chr(65 + i % 26)}", **fields) for i in range(n)]

    return make


def dates(year):
    return {
        "self_review_due": dt.date(year, 12, 5),
        "review_due": dt.date(year, 12, 15),
        "decision_due": dt.date(year, 12, 31),
    }
