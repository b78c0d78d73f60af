"""Pure arithmetic of targets: which results fall in a period, how they roll up over time and
across organizations, and how a value is judged against its target. No queries here: the
selectors load every row once and these functions work on them.

Roll-up (`Rollup`): SUM adds the organizations' figures and the periods' figures; MEAN averages
them (a rate such as "tỷ lệ chi bộ hoàn thành tốt nhiệm vụ"). A target broken down to the levels
below takes its figure from them, never from a result of its own.

Judging (`judge`) a value against the target of a year or of the term, with `elapsed` the share of
that span gone by at the end of the period looked at (1 when the span is over):
- the span is over: MET when the value satisfies the target (≥ for "higher is better",
  ≤ for "lower is better"), else NOT_MET;
- SUM, higher is better: MET as soon as reached; ON_TRACK when at least `target × elapsed`;
  else AT_RISK;
- SUM, lower is better: NOT_MET as soon as exceeded; AT_RISK above `target × elapsed`; else ON_TRACK;
- MEAN: ON_TRACK when the value so far satisfies the target, else AT_RISK.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Judgement(models.TextChoices):
    MET = "met", _("Đạt")
    NOT_MET = "not_met", _("Không đạt")
    AT_RISK = "at_risk", _("Có nguy cơ không đạt")
    ON_TRACK = "on_track", _("Đúng tiến độ")
    NO_DATA = "no_data", _("Chưa có số liệu")
    NO_TARGET = "no_target", _("Chưa đặt chỉ tiêu")


SUM = "sum"
HIGHER = "higher"


@dataclass(frozen=True)
class Figure:
    """One result as the arithmetic needs it: the months it covers (year, first month, last month)."""

    target_id: int
    year: int
    first_month: int
    last_month: int
    value: Decimal


def months_of(quarter: int | None, month: int | None) -> tuple[int, int]:
    if month:
        return month, month
    if quarter:
        return 3 * quarter - 2, 3 * quarter
    return 1, 12


def combine(values: Iterable[Decimal | None], rollup: str) -> Decimal | None:
    present = [v for v in values if v is not None]
    if not present:
        return None
    if rollup == SUM:
        return sum(present, Decimal(0))
    return (sum(present, Decimal(0)) / len(present)).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Span:
    """Months (year, month) from `start` to `end` inclusive, as (year * 12 + month - 1) ordinals."""

    start: int
    end: int

    @classmethod
    def of(cls, year: int, first_month: int, last_year: int | None = None, last_month: int | None = None) -> Span:
        last_year = year if last_year is None else last_year
        last_month = first_month if last_month is None else last_month
        return cls(year * 12 + first_month - 1, last_year * 12 + last_month - 1)

    def holds(self, figure: Figure) -> bool:
        return (
            self.start <= figure.year * 12 + figure.first_month - 1
            and figure.year * 12 + figure.last_month - 1 <= self.end
        )


class Tree:
    """A breakdown: targets by id, their parts, their figures; values computed on demand, cached."""

    def __init__(self, targets: Iterable, figures: Iterable[Figure]):
        self.targets = {t.pk: t for t in targets}
        self.parts: dict[int, list[int]] = {}
        for t in self.targets.values():
            if t.parent_id and t.parent_id in self.targets:
                self.parts.setdefault(t.parent_id, []).append(t.pk)
        self.figures: dict[int, list[Figure]] = {}
        for f in figures:
            self.figures.setdefault(f.target_id, []).append(f)
        self._cache: dict[tuple[int, Span], Decimal | None] = {}

    def value(self, target_id: int, span: Span) -> Decimal | None:
        key = (target_id, span)
        if key in self._cache:
            return self._cache[key]
        target = self.targets[target_id]
        parts = self.parts.get(target_id)
        if parts:
            result = combine((self.value(p, span) for p in parts), target.rollup)
        else:
            result = combine((f.value for f in self.figures.get(target_id, ()) if span.holds(f)), target.rollup)
        self._cache[key] = result
        return result


def satisfies(value: Decimal, target: Decimal, direction: str) -> bool:
    return value >= target if direction == HIGHER else value <= target


def judge(value: Decimal | None, target: Decimal | None, *, direction: str, rollup: str, elapsed: Decimal) -> str:
    if target is None:
        return Judgement.NO_TARGET
    if value is None:
        return Judgement.NO_DATA
    ok = satisfies(value, target, direction)
    if elapsed >= 1:
        return Judgement.MET if ok else Judgement.NOT_MET
    if rollup == SUM:
        expected = target * elapsed
        if direction == HIGHER:
            if ok:
                return Judgement.MET
            return Judgement.ON_TRACK if value >= expected else Judgement.AT_RISK
        if not ok:
            return Judgement.NOT_MET
        return Judgement.AT_RISK if value > expected else Judgement.ON_TRACK
    return Judgement.ON_TRACK if ok else Judgement.AT_RISK


def share(count: int, total: int) -> Decimal | None:
    """count / total in percent, two decimals (None when nothing is counted)."""
    if not total:
        return None
    return (Decimal(count) * 100 / total).quantize(Decimal("0.01"))
