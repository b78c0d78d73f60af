"""Reads: a resolution's target table with roll-up (a constant number of queries whatever the
number of organizations below), the implementing plans of the level below, task lists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet

from apps.accounts.models import User
from apps.core.periods import Period
from apps.core.scoping import VIEW, scope_for
from apps.organizations.models import Organization, line_paths

from .models import Level, Resolution, Result, ResultClosure, Target, TargetRevision, Task
from .rules import Figure, Judgement, Span, Tree, judge, months_of, share


@dataclass
class Row:
    target: Target
    depth: int
    period_value: Decimal | None
    last_year_value: Decimal | None
    year_to_date: Decimal | None
    year_target: Decimal | None
    year_judgement: str
    term_to_date: Decimal | None
    term_judgement: str
    parts: list[Row] = field(default_factory=list)
    visible: bool = True

    @property
    def against_last_year(self) -> Decimal | None:
        """This period's figure in percent of the same period last year."""
        if self.period_value is None or not self.last_year_value:
            return None
        return (self.period_value * 100 / self.last_year_value).quantize(Decimal("0.01"))

    @property
    def against_plan(self) -> Decimal | None:
        """The year so far in percent of the year's target."""
        if self.year_to_date is None or not self.year_target:
            return None
        return (self.year_to_date * 100 / self.year_target).quantize(Decimal("0.01"))

    @property
    def year_judgement_label(self) -> str:
        return str(Judgement(self.year_judgement).label)

    @property
    def term_judgement_label(self) -> str:
        return str(Judgement(self.term_judgement).label)


@dataclass
class Table:
    resolution: Resolution
    period: Period
    rows: list[Row]
    years: list[int]

    def _count(self, attr: str) -> tuple[int, int]:
        judged = [getattr(r, attr) for r in self.rows if getattr(r, attr) != Judgement.NO_TARGET]
        return sum(1 for j in judged if j == Judgement.MET), len(judged)

    @property
    def year_met(self) -> tuple[int, int]:
        return self._count("year_judgement")

    @property
    def term_met(self) -> tuple[int, int]:
        return self._count("term_judgement")

    @property
    def year_share(self) -> Decimal | None:
        return share(*self.year_met)

    @property
    def term_share(self) -> Decimal | None:
        return share(*self.term_met)


def _elapsed(first: int, last: int, upto: int, today: dt.date) -> Decimal:
    """The share of the months [first, last] (ordinals year * 12 + month - 1) gone by when the
    period looked at ends at month `upto`: 1 only when the span is looked at to its end and is
    over; otherwise the months fully past by then (this month is not yet past)."""
    now = today.year * 12 + today.month - 1
    if upto >= last and now > last:
        return Decimal(1)
    done = min(upto, now - 1) - first + 1
    total = last - first + 1
    return max(Decimal(0), min(Decimal(total - 1), Decimal(done))) / total


def figures(target_ids: list[int]) -> list[Figure]:
    rows = (
        Result.objects.filter(target_id__in=target_ids)
        .values_list("target_id", "year", "quarter", "month", "value")
        .order_by()
    )
    out = []
    for target_id, year, quarter, month, value in rows:
        first, last = months_of(quarter, month)
        out.append(Figure(target_id, year, first, last, value))
    return out


def target_table(user: User, resolution: Resolution, period: Period, today: dt.date) -> Table:
    """Every target of the resolution with its breakdown below (the parts the user reaches listed,
    the figures of all rolled up): 4 queries, whatever the number of organizations."""
    tops = list(resolution.targets.filter(parent__isnull=True).select_related("organization", "owner"))
    everything = list(
        Target.objects.vouched("the breakdown of targets of a resolution loaded through the door")
        .filter(root_id__in=[t.pk for t in tops])
        .exclude(parent__isnull=True)
        .select_related("organization")
        .order_by("org_path", "position", "pk")
    )
    scope = scope_for(user)
    tree = Tree([*tops, *everything], figures([t.pk for t in tops] + [t.pk for t in everything]))
    years = resolution.years or [period.year]
    term_first, term_last = years[0] * 12, years[-1] * 12 + 11
    first, last = period.start.month, period.end.month
    y = period.year
    now_span = Span.of(y, first, y, last)
    last_year_span = Span.of(y - 1, first, y - 1, last)
    ytd_span = Span.of(y, 1, y, last)
    term_span = Span(term_first, y * 12 + last - 1)
    upto = y * 12 + last - 1

    def row(target: Target, depth: int) -> Row:
        ytd = tree.value(target.pk, ytd_span)
        year_target = target.year_value(y)
        term_value = tree.value(target.pk, term_span) if target.rollup == "sum" else ytd
        r = Row(
            target=target,
            depth=depth,
            period_value=tree.value(target.pk, now_span),
            last_year_value=tree.value(target.pk, last_year_span),
            year_to_date=ytd,
            year_target=year_target,
            year_judgement=judge(
                ytd,
                year_target,
                direction=target.direction,
                rollup=target.rollup,
                elapsed=_elapsed(y * 12, y * 12 + 11, upto, today),
            ),
            term_to_date=term_value,
            term_judgement=judge(
                term_value,
                target.term_value,
                direction=target.direction,
                rollup=target.rollup,
                elapsed=_elapsed(term_first, term_last, upto, today),
            ),
            visible=scope.reaches_path(target.organization_id, target.org_path, VIEW),
        )
        r.parts = [row(tree.targets[p], depth + 1) for p in tree.parts.get(target.pk, [])]
        return r

    return Table(resolution, period, [row(t, 0) for t in tops], years)


def flatten(rows: list[Row]) -> list[Row]:
    out: list[Row] = []
    for r in rows:
        if r.visible:
            out.append(r)
        out.extend(flatten(r.parts))
    return out


def promised_on(target: Target, moment: dt.datetime) -> TargetRevision | None:
    """What the target promised at `moment`: the last revision recorded by then."""
    return target.revisions.filter(recorded_at__lte=moment).order_by("-recorded_at", "-pk").first()


@dataclass
class Adoption:
    organization: Organization
    resolution: Resolution | None

    @property
    def on_time(self) -> bool | None:
        if self.resolution is None:
            return None
        above = self.resolution.implements
        due = above.plan_due if above is not None else None
        return due is None or self.resolution.issued_on <= due


def adoptions(user: User, resolution: Resolution) -> list[Adoption]:
    """The organizations directly below the issuer and the plan (resolution) each adopted to
    implement this one, if any: the earliest, with its date."""
    below = list(
        Organization.objects.restrict(user)
        .filter(parent_id=resolution.organization_id)
        .existed_during(resolution.issued_on, resolution.issued_on)
        .order_by("sort_key", "pk")
    )
    plans: dict[int, Resolution] = {}
    for r in (
        Resolution.objects.restrict(user)
        .filter(implements=resolution)
        .select_related("implements")
        .order_by("issued_on", "pk")
    ):
        plans.setdefault(r.organization_id, r)
    return [Adoption(o, plans.get(o.pk)) for o in below]


def closed(target: Target, period: Period) -> ResultClosure | None:
    """A closure covering this period at the target's organization or above (the year, its quarter or the month)."""
    q = Q(quarter__isnull=True, month__isnull=True)
    if period.quarter:
        q |= Q(quarter=period.quarter, month__isnull=True)
    if period.month:
        q |= Q(month=period.month)
    return (
        ResultClosure.objects.vouched("closures above the target's organization, loaded through the door")
        .filter(org_path__in=line_paths(target.org_path), year=period.year)
        .filter(q)
        .first()
    )


def tasks_for(user: User) -> QuerySet[Task]:
    return Task.objects.restrict(user, VIEW).select_related("organization", "owner_member", "owner_organization")


def resolutions_for(user: User) -> QuerySet[Resolution]:
    return Resolution.objects.restrict(user, VIEW).select_related("organization", "term")


def level_choices_for(organization: Organization) -> list[tuple[str, str]]:
    return [(k, str(v)) for k, v in Level.choices]
