import datetime as dt
from decimal import Decimal

from apps.resolutions.rules import Judgement, judge, share
from apps.resolutions.selectors import _elapsed


def j(value, target, direction="higher", rollup="sum", elapsed="1"):
    return judge(
        None if value is None else Decimal(value),
        None if target is None else Decimal(target),
        direction=direction,
        rollup=rollup,
        elapsed=Decimal(elapsed),
    )


def test_higher_is_better_at_the_end():
    assert j("40", "40") == Judgement.MET
    assert j("39", "40") == Judgement.NOT_MET


def test_lower_is_better_at_the_end():
    # "Tỷ lệ hộ nghèo dưới 1,5 %": 1,2 meets it, 1,6 does not.
    assert j("1.2", "1.5", "lower", "mean") == Judgement.MET
    assert j("1.5", "1.5", "lower", "mean") == Judgement.MET
    assert j("1.6", "1.5", "lower", "mean") == Judgement.NOT_MET


def test_sum_in_progress_against_the_share_of_the_year_gone():
    # Half the year gone, 40 due: 20 is on track, 19 at risk, 40 already met.
    assert j("20", "40", elapsed="0.5") == Judgement.ON_TRACK
    assert j("19", "40", elapsed="0.5") == Judgement.AT_RISK
    assert j("40", "40", elapsed="0.5") == Judgement.MET
    # Lower is better (at most 4 violations a year): 3 by mid-year is at risk, 5 is already lost.
    assert j("2", "4", "lower", elapsed="0.5") == Judgement.ON_TRACK
    assert j("3", "4", "lower", elapsed="0.5") == Judgement.AT_RISK
    assert j("5", "4", "lower", elapsed="0.5") == Judgement.NOT_MET


def test_mean_in_progress_and_missing():
    assert j("91", "90", rollup="mean", elapsed="0.5") == Judgement.ON_TRACK
    assert j("89", "90", rollup="mean", elapsed="0.5") == Judgement.AT_RISK
    assert j(None, "90") == Judgement.NO_DATA
    assert j("90", None) == Judgement.NO_TARGET


def test_elapsed_share():
    year = (2024 * 12, 2024 * 12 + 11)
    # Looking at Q2 2024 from 2026: 6 of 12 months.
    assert _elapsed(*year, 2024 * 12 + 5, dt.date(2026, 1, 5)) == Decimal("0.5")
    # The whole year, looked at after it: over.
    assert _elapsed(*year, 2024 * 12 + 11, dt.date(2025, 1, 1)) == 1
    # The whole year looked at on 15/12/2024: 11 months gone, not over.
    assert _elapsed(*year, 2024 * 12 + 11, dt.date(2024, 12, 15)) == Decimal(11) / 12


def test_share():
    assert share(3, 4) == Decimal("75.00")
    assert share(0, 0) is None
