"""Every statistic equals a naive recount (a replay of each member's steps in Python) over a
seeded-random world of 220 members, on several dates and periods, before and after a tree move."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.statistics import selectors

ORGS = ("province", "ward", "ward2", "cell_a", "cell_b", "cell_c")


def _nonzero(d):
    return {k: v for k, v in d.items() if v}


@pytest.mark.django_db
def test_member_figures_equal_the_recount(world, tree):
    today = timezone.localdate()
    days = [
        dt.date(1999, 12, 31),  # before the cells were founded: nobody, whatever the registry says
        dt.date(2005, 6, 30),
        dt.date(2015, 12, 31),
        dt.date(2019, 12, 31),
        dt.date(2020, 1, 1),
        dt.date(2022, 7, 15),
        today,
    ]
    checked = 0
    for day in days:
        for name in ORGS:
            expected = world.members(name, day)
            got = selectors.member_figures(tree[name], day)
            assert got.total == expected["total"], (name, day)
            assert got.by_status == expected["by_status"], (name, day)
            assert got.women == expected["female"], (name, day)
            assert got.by_gender["male"] + got.by_gender["female"] == got.total
            assert _nonzero(got.by_age_band) == expected["by_age_band"], (name, day)
            assert got.by_ethnicity == expected["by_ethnicity"], (name, day)
            assert got.by_religion == expected["by_religion"], (name, day)
            assert _nonzero(got.by_education) == expected["by_education"], (name, day)
            assert _nonzero(got.by_theory_level) == expected["by_theory_level"], (name, day)
            assert _nonzero(got.by_seniority) == expected["by_seniority"], (name, day)
            assert got.ethnic_minorities == expected["ethnic_minorities"], (name, day)
            assert got.religious == expected["religious"], (name, day)
            assert sum(got.by_age_gender[k]["female"] for k in got.by_age_band) == got.women
            checked += got.total
    assert checked > 500  # the world is not empty on the dates checked


@pytest.mark.django_db
def test_movement_equals_the_recount(world, tree):
    today = timezone.localdate()
    periods = [
        (dt.date(1990, 1, 1), dt.date(2009, 12, 31)),
        (dt.date(2015, 1, 1), dt.date(2019, 12, 31)),
        (dt.date(2019, 7, 1), dt.date(2020, 6, 30)),  # across the tree move
        (dt.date(2020, 1, 1), today),
        (dt.date(1990, 1, 1), today),
    ]
    moves = 0
    for start, end in periods:
        for name in ORGS:
            expected = world.movement(name, start, end)
            got = selectors.movement(tree[name], start, end).counts
            assert got == expected, (name, start, end)
            moves += sum(got.values())
    assert moves > 300


@pytest.mark.django_db
def test_growth_equals_the_recount(world, tree):
    ends = selectors.year_ends(dt.date(2024, 12, 31), years=6)
    assert ends[0] == dt.date(2019, 12, 31) and ends[-1] == dt.date(2024, 12, 31)
    got = selectors.member_totals(tree["ward"], ends)
    assert got == [(day, world.members("ward", day)["total"]) for day in ends]
