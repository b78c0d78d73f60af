"""Reads of the review: the published classification table, campaign progress, a member's history."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext as _

from apps.core.templatetags.vn import format_decimal
from apps.organizations.models import GRASSROOTS_KINDS, Kind, Organization

from .models import Evaluation, NotClassifiedReason, RuleSet, State, Subject, Target, TargetSubject
from .rules import largest_remainder

LEVEL_CODES = (1, 2, 3, 4)


@dataclass
class YearColumn:
    year: int
    rule_set: RuleSet | None
    labels: dict[int, str]
    counts: dict[int, int]
    percents: dict[int, Decimal]
    classified: int
    not_classified: int
    reasons: list[tuple[str, int]]
    undecided: int
    total: int
    distinguished: int = 0
    places: int = 1  # decimals of the percentages

    def at_least(self, code: int) -> tuple[int, Decimal | None]:
        """Count and percentage (of those classified) at `code` or better."""
        count = sum(self.counts.get(c, 0) for c in LEVEL_CODES if c <= code)
        if not self.classified:
            return count, None
        return count, sum((self.percents[c] for c in LEVEL_CODES if c <= code), Decimal(0))


@dataclass
class Section:
    subject: str
    title: str
    unit: str
    columns: list[YearColumn]
    key: str = ""  # the page's id for the section, when the subject alone does not tell it

    @property
    def anchor(self) -> str:
        return self.key or self.subject

    @property
    def rows(self):
        """One row per level: (code, label, [(count, percent, label if it differs), ...])."""
        out = []
        latest = self.columns[-1] if self.columns else None
        for code in LEVEL_CODES:
            label = latest.labels.get(code, "") if latest else ""
            cells = []
            for col in self.columns:
                own = col.labels.get(code, "")
                cells.append((col.counts.get(code, 0), col.percents.get(code), own if own != label else ""))
            out.append((code, label, cells))
        return out

    @property
    def has_distinction(self) -> bool:
        return any(c.rule_set and c.rule_set.distinction_label for c in self.columns)


@dataclass
class TargetProgress:
    target: Target
    label: str
    actual_year: int | None
    actual: Decimal | None
    count: int = 0
    base: int = 0

    @property
    def met(self) -> bool | None:
        if self.actual is None:
            return None
        return self.actual >= self.target.percent


@dataclass
class Table:
    organization: Organization
    years: list[int]
    members: Section
    organizations: Section
    own: list[tuple[int, Evaluation | None]] = field(default_factory=list)
    targets: list[TargetProgress] = field(default_factory=list)
    places: int = 1  # decimals of the percentages
    # The subordinate organizations by level, when they mix levels (a district or a province):
    # grassroots organizations apart from the cells under them, as reports count them.
    by_level: list[Section] = field(default_factory=list)

    @property
    def sections(self) -> list[Section]:
        return [self.members, self.organizations, *self.by_level]

    @property
    def rule_sets(self) -> list[RuleSet]:
        seen = {}
        for section in self.sections:
            for col in section.columns:
                if col.rule_set and col.rule_set.pk not in seen:
                    seen[col.rule_set.pk] = col.rule_set
        return list(seen.values())


def _labels(rule_set: RuleSet | None) -> dict[int, str]:
    if rule_set is None:
        return {}
    return {lv.code: lv.label for lv in rule_set.levels.all()}


_COLUMN_FIELDS = ("state", "level__code", "not_classified_reason", "distinguished", "rule_set_id", "organization__kind")


def _column(rows: list[dict], year: int, subject: str, rule_sets: dict) -> YearColumn:
    """A year's counts from its evaluation rows; `rule_sets` caches the sets already loaded."""
    rule_set_ids = Counter(r["rule_set_id"] for r in rows)
    key = rule_set_ids.most_common(1)[0][0] if rule_set_ids else (subject, year)
    if key not in rule_sets:
        sets = RuleSet.objects.prefetch_related("levels")
        rule_sets[key] = sets.get(pk=key) if rule_set_ids else sets.for_year(subject, year).first()
    rule_set = rule_sets[key]
    counts = {code: 0 for code in LEVEL_CODES}
    reasons: Counter = Counter()
    undecided = distinguished = 0
    for r in rows:
        if r["state"] == State.DECIDED:
            counts[r["level__code"]] = counts.get(r["level__code"], 0) + 1
            distinguished += 1 if r["distinguished"] else 0
        elif r["state"] == State.NOT_CLASSIFIED:
            reasons[r["not_classified_reason"] or NotClassifiedReason.OTHER] += 1
        else:
            undecided += 1
    return YearColumn(
        year=year,
        rule_set=rule_set,
        labels=_labels(rule_set),
        counts=counts,
        percents={},
        classified=sum(counts.values()),
        not_classified=sum(reasons.values()),
        reasons=[(str(NotClassifiedReason(k).label), n) for k, n in sorted(reasons.items())],
        undecided=undecided,
        total=len(rows),
        distinguished=distinguished,
    )


def _set_percents(column: YearColumn, places: int) -> None:
    """Percentages of those classified, with `places` decimals, summing to exactly 100."""
    column.places = places
    if column.classified:
        shares = largest_remainder([column.counts[c] for c in LEVEL_CODES], places)
        column.percents = dict(zip(LEVEL_CODES, shares, strict=True))


def classification_table(organization: Organization, years: list[int], places: int | None = None) -> Table:
    """The table officials publish: members and subordinate organizations at each level, counts and
    percentages of those classified (which sum to exactly 100), years side by side, targets.

    `places`: decimals of the percentages (1 or 2), chosen by the person printing; by default the
    rule set's. Either way the largest remainder keeps the sum exact."""
    years = sorted(set(years))
    under = Evaluation.objects.filter(org_path__startswith=organization.path)
    rule_sets: dict = {}
    members = Section(
        Subject.MEMBER,
        _("Đảng viên"),
        _("đảng viên"),
        [
            _column(
                list(under.filter(year=y, subject=Subject.MEMBER).values(*_COLUMN_FIELDS)), y, Subject.MEMBER, rule_sets
            )
            for y in years
        ],
    )
    subordinate = under.filter(subject=Subject.ORGANIZATION).exclude(organization=organization)
    org_rows = {y: list(subordinate.filter(year=y).values(*_COLUMN_FIELDS)) for y in years}
    orgs = Section(
        Subject.ORGANIZATION,
        _("Tổ chức đảng trực thuộc"),
        _("tổ chức"),
        [_column(org_rows[y], y, Subject.ORGANIZATION, rule_sets) for y in years],
    )
    levels = [
        ("grassroots", _("Tổ chức cơ sở đảng"), _("tổ chức cơ sở đảng"), GRASSROOTS_KINDS),
        ("cells", _("Chi bộ trực thuộc đảng ủy cơ sở"), _("chi bộ"), (Kind.CELL,)),
    ]
    split = {
        key: {y: [r for r in org_rows[y] if r["organization__kind"] in kinds] for y in years}
        for key, *_, kinds in levels
    }
    by_level = []
    if all(any(rows.values()) for rows in split.values()):  # both levels present, else the section above is it
        by_level = [
            Section(
                Subject.ORGANIZATION,
                title,
                unit,
                [_column(split[key][y], y, Subject.ORGANIZATION, rule_sets) for y in years],
                key=key,
            )
            for key, title, unit, _kinds in levels
        ]
    if places not in (1, 2):  # the latest year's rule set decides
        latest = next((c.rule_set for c in reversed(members.columns) if c.rule_set), None)
        places = latest.percent_places if latest else 1
    for section in (members, orgs, *by_level):
        for column in section.columns:
            _set_percents(column, places)
    own_rows = {
        e.year: e
        for e in Evaluation.objects.filter(
            organization=organization, subject=Subject.ORGANIZATION, year__in=years, state=State.DECIDED
        ).select_related("level", "rule_set")
    }
    table = Table(
        organization, years, members, orgs, own=[(y, own_rows.get(y)) for y in years], places=places, by_level=by_level
    )
    table.targets = target_progress(table)
    return table


def target_progress(table: Table) -> list[TargetProgress]:
    """Targets for the years shown and the next one, each against the latest result we have."""
    if not table.years:
        return []
    last = table.years[-1]
    targets = Target.objects.filter(organization=table.organization, year__in=[*table.years, last + 1]).order_by(
        "year", "subject"
    )
    out = []
    for target in targets:
        year = target.year if target.year in table.years else last
        index = table.years.index(year)
        if target.subject == TargetSubject.SELF:
            own = dict(table.own).get(year)
            actual = None
            if own is not None and own.level is not None:
                actual = Decimal(100) if own.level.code <= target.level_code else Decimal(0)
            out.append(TargetProgress(target, _target_label(target, table), year if own else None, actual))
            continue
        section = table.members if target.subject == TargetSubject.MEMBERS else table.organizations
        column = section.columns[index]
        count, pct = column.at_least(target.level_code)
        out.append(
            TargetProgress(
                target,
                _target_label(target, table),
                year if pct is not None else None,
                pct,
                count=count,
                base=column.classified,
            )
        )
    return out


def _target_label(target: Target, table: Table) -> str:
    if target.text:
        return target.text
    rule_set = RuleSet.objects.for_year(
        Subject.MEMBER if target.subject == TargetSubject.MEMBERS else Subject.ORGANIZATION, target.year
    ).first()
    level = rule_set.level(target.level_code) if rule_set else None
    label = level.label.lower() if level else str(target.level_code)
    who = TargetSubject(target.subject).label.lower()
    return _("%(pct)s%% %(who)s đạt mức “%(label)s” trở lên") % {
        "pct": format_decimal(target.percent, 0 if target.percent == int(target.percent) else 1),
        "who": who,
        "label": label,
    }


def available_years(organization: Organization) -> list[int]:
    return sorted(
        Evaluation.objects.filter(org_path__startswith=organization.path).values_list("year", flat=True).distinct()
    )


def campaign_summary(campaign) -> list[dict]:
    """Per organization of the campaign: how many members at each step."""
    rows = (
        campaign.evaluations.filter(subject=Subject.MEMBER)
        .values("organization_id", "organization__name", "organization__path", "state")
        .annotate(n=Count("pk"))
        .order_by("organization__path")
    )
    out: dict[int, dict] = {}
    for r in rows:
        entry = out.setdefault(
            r["organization_id"],
            {"id": r["organization_id"], "name": r["organization__name"], "states": Counter(), "total": 0},
        )
        entry["states"][r["state"]] += r["n"]
        entry["total"] += r["n"]
    return list(out.values())


def member_history(member) -> list[Evaluation]:
    return list(
        Evaluation.objects.filter(member=member)
        .select_related("level", "rule_set", "organization", "review_level", "proposed_level")
        .prefetch_related("revisions__old_level", "revisions__new_level")
        .order_by("-year")
    )
