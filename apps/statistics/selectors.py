"""The figures of an organization on a date or over a period, computed in the database.

Every figure follows the tree as it stood (`organizations.selectors.subtree_ids_on`) and each
member's dated history (`Member.objects.in_organizations_on`, the same answer as
`Member.state_on`): a 2019 figure for a district abolished since still counts its 2019 wards.
Counts are grouped in SQL (one query for all the member dimensions of a date), never per member.

The caller has loaded the organization through the scoping door (a view's `get_scoped`, the API's
`restrict`): the figures are the organization's own, whatever the members' organizations are
today (a member who moved to another province in 2021 still counts in the ward's 2019 figures).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Case, CharField, Count, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Trim
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.text import fold, title_sort_key
from apps.evaluations.selectors import Table, available_years, classification_table
from apps.meetings.models import HELD_STATUSES, Meeting
from apps.meetings.models import Kind as MeetingKind
from apps.meetings.selectors import Rate, attendance_rate, thematic_quality_share
from apps.members.models import (
    CURRENT_STATUSES,
    Award,
    AwardKind,
    Education,
    Gender,
    Member,
    PoliticalTheory,
    Status,
    StatusChange,
    StatusChangeKind,
    TrainingKind,
    TrainingRecord,
)
from apps.organizations.models import GRASSROOTS_KINDS, Kind, Organization, OrganizationVersion, Sector
from apps.organizations.selectors import subtree_ids_on

# Age and seniority bands (lower bound in full years, key, label). The layout of the periodical
# member statistics table has not been confirmed against an official form: the bands are the
# ones the committees' reports commonly print.
AGE_BANDS = (
    (0, "18_30", gettext_lazy("Từ 18 đến 30 tuổi")),
    (31, "31_40", gettext_lazy("Từ 31 đến 40 tuổi")),
    (41, "41_50", gettext_lazy("Từ 41 đến 50 tuổi")),
    (51, "51_60", gettext_lazy("Từ 51 đến 60 tuổi")),
    (61, "61_70", gettext_lazy("Từ 61 đến 70 tuổi")),
    (71, "over_70", gettext_lazy("Trên 70 tuổi")),
)
SENIORITY_BANDS = (
    (0, "under_10", gettext_lazy("Dưới 10 năm")),
    (10, "10_19", gettext_lazy("Từ 10 đến dưới 20 năm")),
    (20, "20_29", gettext_lazy("Từ 20 đến dưới 30 năm")),
    (30, "30_39", gettext_lazy("Từ 30 đến dưới 40 năm")),
    (40, "40_plus", gettext_lazy("Từ 40 năm trở lên")),
)
NONE_KEY = "none"  # the key of a blank theory level or education
MAJORITY_ETHNICITY = "kinh"  # folded; every other recorded ethnicity is an ethnic minority
NO_RELIGION = ("", "khong")  # folded


def band_key(bands, years: int) -> str:
    """The band of a whole number of years (the same bands the SQL computes)."""
    key = bands[0][1]
    for lower, k, _label in bands:
        if years >= lower:
            key = k
    return key


def _band_case(field_name: str, bands, day: date) -> Case:
    """SQL for `band_key(bands, full years from field to day)`: full years >= N exactly when the
    date is on or before `day` minus N years."""
    whens = [
        When(**{f"{field_name}__gt": day - relativedelta(years=lower)}, then=Value(prev_key))
        for (lower, _k, _l), (_pl, prev_key, _pll) in zip(bands[1:], bands[:-1], strict=True)
    ]
    return Case(*whens, default=Value(bands[-1][1]), output_field=CharField())


# --- Members on a date --------------------------------------------------------------------------


@dataclass
class MemberFigures:
    organization: Organization
    day: date
    total: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_gender: dict[str, int] = field(default_factory=dict)
    by_age_band: dict[str, int] = field(default_factory=dict)
    by_age_gender: dict[str, dict[str, int]] = field(default_factory=dict)
    by_ethnicity: dict[str, int] = field(default_factory=dict)
    by_religion: dict[str, int] = field(default_factory=dict)
    by_education: dict[str, int] = field(default_factory=dict)
    by_theory_level: dict[str, int] = field(default_factory=dict)
    by_seniority: dict[str, int] = field(default_factory=dict)
    ethnic_minorities: int = 0
    religious: int = 0

    @property
    def women(self) -> int:
        return self.by_gender.get(Gender.FEMALE, 0)

    # Rows (key, label, count) in a fixed order, for tables, charts and exports.
    def status_rows(self):
        return [(s.value, s.label, self.by_status[s.value]) for s in Status if s.value in self.by_status]

    def gender_rows(self):
        return [(g.value, g.label, self.by_gender[g.value]) for g in Gender]

    def age_rows(self):
        return [(k, label, self.by_age_band[k]) for _l, k, label in AGE_BANDS]

    def seniority_rows(self):
        return [(k, label, self.by_seniority[k]) for _l, k, label in SENIORITY_BANDS]

    def theory_rows(self):
        return [(_key(c.value), c.label, self.by_theory_level[_key(c.value)]) for c in PoliticalTheory]

    def education_rows(self):
        return [(_key(c.value), c.label, self.by_education[_key(c.value)]) for c in Education]

    def ethnicity_rows(self):
        return [(k, k, n) for k, n in self.by_ethnicity.items()]

    def religion_rows(self):
        return [(k, k, n) for k, n in self.by_religion.items()]


def _key(value: str) -> str:
    return value or NONE_KEY


def _text_key(value: str, blank: str) -> str:
    return " ".join((value or "").split()) or blank


def members_on(organization: Organization, day: date):
    """The members whose organization on `day` lay in `organization`'s subtree as it stood that
    day, in a current status that day (`status_on` annotated)."""
    ids = subtree_ids_on(organization, day)
    return Member.objects.in_organizations_on(ids, day).filter(status_on__in=CURRENT_STATUSES)


def member_figures(organization: Organization, day: date) -> MemberFigures:
    """Members on `day` by status, gender, age band (and gender), ethnicity, religion, education,
    political theory level and party seniority: one grouped query (plus the tree's)."""
    rows = (
        members_on(organization, day)
        .annotate(age_band=_band_case("birth_date", AGE_BANDS, day))
        .annotate(seniority_band=_band_case("admission_date", SENIORITY_BANDS, day))
        .values(
            "status_on",
            "gender",
            "ethnicity",
            "religion",
            "education",
            "political_theory",
            "age_band",
            "seniority_band",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    counters: dict[str, Counter] = {k: Counter() for k in ("status", "gender", "age", "eth", "rel", "edu", "lt", "sen")}
    pyramid: dict[str, Counter] = {k: Counter() for _l, k, _label in AGE_BANDS}
    minorities = religious = 0
    for r in rows:
        n = r["n"]
        counters["status"][r["status_on"]] += n
        counters["gender"][r["gender"]] += n
        counters["age"][r["age_band"]] += n
        pyramid[r["age_band"]][r["gender"]] += n
        ethnicity = _text_key(r["ethnicity"], _("Chưa rõ"))
        religion = _text_key(r["religion"], "Không")
        counters["eth"][ethnicity] += n
        counters["rel"][religion] += n
        counters["edu"][_key(r["education"])] += n
        counters["lt"][_key(r["political_theory"])] += n
        counters["sen"][r["seniority_band"]] += n
        if r["ethnicity"] and fold(r["ethnicity"]).strip() != MAJORITY_ETHNICITY:
            minorities += n
        if fold(religion).strip() not in NO_RELIGION:
            religious += n
    return MemberFigures(
        organization=organization,
        day=day,
        total=sum(counters["status"].values()),
        by_status={s: counters["status"][s] for s in CURRENT_STATUSES if counters["status"][s]},
        by_gender={g.value: counters["gender"][g.value] for g in Gender},
        by_age_band={k: counters["age"][k] for _l, k, _label in AGE_BANDS},
        by_age_gender={k: {g.value: pyramid[k][g.value] for g in Gender} for _l, k, _label in AGE_BANDS},
        by_ethnicity=dict(sorted(counters["eth"].items(), key=lambda kv: (-kv[1], kv[0]))),
        by_religion=dict(sorted(counters["rel"].items(), key=lambda kv: (-kv[1], kv[0]))),
        by_education={_key(c.value): counters["edu"][_key(c.value)] for c in Education},
        by_theory_level={_key(c.value): counters["lt"][_key(c.value)] for c in PoliticalTheory},
        by_seniority={k: counters["sen"][k] for _l, k, _label in SENIORITY_BANDS},
        ethnic_minorities=minorities,
        religious=religious,
    )


def member_totals(organization: Organization, days: list[date]) -> list[tuple[date, int]]:
    """How many members on each of `days` (growth over years): one count a day."""
    return [(day, members_on(organization, day).count()) for day in days]


# --- The tree over a period ---------------------------------------------------------------------


def tree_spans(organization: Organization, start: date, end: date) -> list[tuple[date, date, frozenset[int]]]:
    """The period cut where the tree changed: (first day, last day, the subtree's ids those days).
    Consecutive spans with the same subtree are joined; most periods are one span."""
    cuts: set[date] = set()
    for name in ("valid_from", "valid_to"):
        found = OrganizationVersion.objects.filter(**{f"{name}__gt": start, f"{name}__lte": end})
        cuts.update(d for d in found.values_list(name, flat=True) if d is not None)
    bounds = sorted({start, *cuts})
    spans: list[tuple[date, date, frozenset[int]]] = []
    for i, first in enumerate(bounds):
        last = bounds[i + 1] - timedelta(days=1) if i + 1 < len(bounds) else end
        ids = frozenset(subtree_ids_on(organization, first))
        if spans and spans[-1][2] == ids:
            spans[-1] = (spans[-1][0], last, ids)
        else:
            spans.append((first, last, ids))
    return spans


# --- Movement over a period ---------------------------------------------------------------------


MOVEMENT_KEYS = (
    ("admitted", gettext_lazy("Kết nạp")),
    ("recognized", gettext_lazy("Công nhận chính thức")),
    ("transferred_in", gettext_lazy("Chuyển đến")),
    ("transferred_out", gettext_lazy("Chuyển đi")),
    ("exempted", gettext_lazy("Miễn công tác và sinh hoạt")),
    ("struck_off", gettext_lazy("Xóa tên")),
    ("dismissed", gettext_lazy("Cho ra khỏi Đảng")),
    ("expelled", gettext_lazy("Khai trừ")),
    ("deceased", gettext_lazy("Từ trần")),
)
_STEP_KINDS = {
    "admitted": (StatusChangeKind.ADMITTED, StatusChangeKind.READMITTED),
    "recognized": (StatusChangeKind.RECOGNIZED,),
    "exempted": (StatusChangeKind.EXEMPTED,),
    "struck_off": (StatusChangeKind.STRUCK_OFF,),
    "dismissed": (StatusChangeKind.DISMISSED,),
    "expelled": (StatusChangeKind.EXPELLED,),
    "deceased": (StatusChangeKind.DECEASED,),
}


@dataclass
class Movement:
    organization: Organization
    start: date
    end: date
    counts: dict[str, int]

    def __getattr__(self, name):
        counts = self.__dict__.get("counts", {})
        if name in counts:
            return counts[name]
        raise AttributeError(name)

    def rows(self):
        return [(key, label, self.counts[key]) for key, label in MOVEMENT_KEYS]


def movement(organization: Organization, start: date, end: date) -> Movement:
    """Steps dated in [start, end] at an organization inside the subtree as it stood that day.

    A transfer inside the system counts in when it comes from outside the subtree, out when it
    goes outside; between two cells of the subtree it is neither. One aggregate query a span."""
    totals: Counter = Counter()
    internal = StatusChangeKind.TRANSFER_INTERNAL
    for first, last, ids in tree_spans(organization, start, end):
        inside = Q(organization__in=ids)
        came_from_inside = Q(other_organization__in=ids)
        aggregates = {key: Count("pk", filter=inside & Q(kind__in=kinds)) for key, kinds in _STEP_KINDS.items()}
        aggregates["transferred_in"] = Count(
            "pk",
            filter=inside & (Q(kind=StatusChangeKind.TRANSFER_IN) | (Q(kind=internal) & ~came_from_inside)),
        )
        aggregates["transferred_out"] = Count(
            "pk",
            filter=(inside & Q(kind=StatusChangeKind.TRANSFER_OUT)) | (Q(kind=internal) & came_from_inside & ~inside),
        )
        found = (
            StatusChange.objects.filter(date__range=(first, last))
            .filter(inside | (Q(kind=internal) & came_from_inside))
            .aggregate(**aggregates)
        )
        totals.update({k: v or 0 for k, v in found.items()})
    return Movement(organization, start, end, {key: totals[key] for key, _label in MOVEMENT_KEYS})


@dataclass
class Training:
    """Members sent to a course in a period (its start in the period, whatever its result):
    counts by kind, and by kind and course title (seed 002 separates "hoàn chỉnh kiến thức" from
    the advanced course, and master's from bachelor's degrees, by the title)."""

    organization: Organization
    start: date
    end: date
    courses: list[tuple[str, str, int]]  # (kind, title, count) in the order of TrainingKind

    @property
    def by_kind(self) -> dict[str, int]:
        totals: Counter = Counter()
        for kind, _title, n in self.courses:
            totals[kind] += n
        return {k: totals[k] for k in TrainingKind.values if totals[k]}

    def rows(self):
        """(kind label, [(title, count), ...], total) for the kinds with courses."""
        labels = dict(TrainingKind.choices)
        return [
            (labels[kind], [(t, n) for k, t, n in self.courses if k == kind and t], total)
            for kind, total in self.by_kind.items()
        ]


def _counted_where_they_were(records, day: str, organization: Organization, start: date, end: date, **groups):
    """Counts of member records dated (field `day`) in [start, end] whose member was in the subtree,
    as it stood, on that day (`Member.state_on` of that day), grouped by `groups` (name →
    expression). One query a span of the tree."""
    org_then = Subquery(
        Member.objects.filter(pk=OuterRef("member_id")).with_state_on(OuterRef(day)).values("org_on")[:1]
    )
    counts: Counter = Counter()
    for first, last, ids in tree_spans(organization, start, end):
        found = (
            records.filter(**{f"{day}__range": (first, last)})
            .annotate(org_then=org_then)
            .filter(org_then__in=ids)
            .annotate(**groups)
            .values_list(*groups)
            .annotate(n=Count("pk"))
            .order_by()
        )
        counts.update({tuple(row[:-1]): row[-1] for row in found})
    return counts


def training(organization: Organization, start: date, end: date) -> Training:
    """Training records started in [start, end] by members of the subtree on the course's first day."""
    counts = _counted_where_they_were(
        TrainingRecord.objects.all(), "starts_on", organization, start, end, course_kind=F("kind"), course=Trim("title")
    )
    order = {k: i for i, k in enumerate(TrainingKind.values)}
    courses = sorted(
        ((k, t, n) for (k, t), n in counts.items()), key=lambda c: (order[c[0]], -c[2], title_sort_key(c[1]))
    )
    return Training(organization, start, end, courses)


def awards(organization: Organization, start: date, end: date) -> list[tuple[str, int]]:
    """Awards and party badges decided in [start, end] for members of the subtree on the decision's
    day: (name, count), badges first by years, then awards by their form (Giấy khen, Bằng khen …)."""
    counts = _counted_where_they_were(
        Award.objects.exclude(date=None),
        "date",
        organization,
        start,
        end,
        award_kind=F("kind"),
        years=F("badge_years"),
        form=Trim("name"),
    )
    badges: Counter = Counter()
    forms: Counter = Counter()
    for (kind, years, form), n in counts.items():
        if kind == AwardKind.BADGE:
            badges[years] += n
        else:
            forms[form] += n
    rows = [
        (_("Huy hiệu %(y)s năm tuổi Đảng") % {"y": y}, n) for y, n in sorted(badges.items(), key=lambda b: b[0] or 0)
    ]
    return rows + sorted(forms.items(), key=lambda f: (-f[1], title_sort_key(f[0])))


# --- Organizations on a date --------------------------------------------------------------------


@dataclass
class OrganizationFigures:
    organization: Organization
    day: date
    by_kind: dict[str, int]
    by_sector: dict[str, int]
    grassroots: int
    grassroots_committees: int
    grassroots_cells: int
    grassroots_by_sector: dict[str, int]
    committees_by_sector: dict[str, int]
    grassroots_cells_by_sector: dict[str, int]
    subordinate_cells: int

    def kind_rows(self):
        return [(k.value, k.label, self.by_kind[k.value]) for k in Kind if self.by_kind.get(k.value)]

    def sector_rows(self, counts: dict[str, int] | None = None):
        counts = self.by_sector if counts is None else counts
        return [(s.value, s.label, counts[s.value]) for s in Sector if counts.get(s.value)]


def organization_figures(organization: Organization, day: date) -> OrganizationFigures:
    """The organizations under `organization` on `day` (itself apart) by kind and by sector, and
    the grassroots organizations (committees and cells) apart from the cells under committees."""
    ids = subtree_ids_on(organization, day) - {organization.pk}
    rows = list(Organization.objects.filter(pk__in=ids).values("kind", "sector").annotate(n=Count("pk")).order_by())
    by_kind: Counter = Counter()
    by_sector: Counter = Counter()
    grassroots_sector: Counter = Counter()
    committees_sector: Counter = Counter()
    cells_sector: Counter = Counter()
    for r in rows:
        by_kind[r["kind"]] += r["n"]
        by_sector[r["sector"]] += r["n"]
        if r["kind"] in GRASSROOTS_KINDS:
            grassroots_sector[r["sector"]] += r["n"]
        if r["kind"] == Kind.GRASSROOTS_COMMITTEE:
            committees_sector[r["sector"]] += r["n"]
        if r["kind"] == Kind.GRASSROOTS_CELL:
            cells_sector[r["sector"]] += r["n"]
    return OrganizationFigures(
        organization=organization,
        day=day,
        by_kind={k.value: by_kind[k.value] for k in Kind},
        by_sector={s.value: by_sector[s.value] for s in Sector},
        grassroots=by_kind[Kind.GRASSROOTS_COMMITTEE] + by_kind[Kind.GRASSROOTS_CELL],
        grassroots_committees=by_kind[Kind.GRASSROOTS_COMMITTEE],
        grassroots_cells=by_kind[Kind.GRASSROOTS_CELL],
        grassroots_by_sector={s.value: grassroots_sector[s.value] for s in Sector},
        committees_by_sector={s.value: committees_sector[s.value] for s in Sector},
        grassroots_cells_by_sector={s.value: cells_sector[s.value] for s in Sector},
        subordinate_cells=by_kind[Kind.CELL],
    )


# --- Meetings over a period ---------------------------------------------------------------------


@dataclass
class MeetingFigures:
    organization: Organization
    start: date
    end: date
    held_by_kind: dict[str, int]
    attendance: Rate
    thematic: Rate
    by_quarter: list[tuple[int, int, Rate]] = field(default_factory=list)  # (year, quarter, rate)

    @property
    def held(self) -> int:
        return sum(self.held_by_kind.values())

    def kind_rows(self):
        return [(k.value, k.label, self.held_by_kind[k.value]) for k in MeetingKind]


def held_meetings(organization: Organization, start: date, end: date) -> list[Meeting]:
    """Meetings held in [start, end] by organizations inside the subtree as it stood that day."""
    spans = tree_spans(organization, start, end)
    where = Q()
    for first, last, ids in spans:
        where |= Q(date__range=(first, last), organization__in=ids)
    return list(
        Meeting.objects.filter(where, status__in=HELD_STATUSES)
        .select_related("rule_set", "quality")
        .order_by("date", "pk")
    )


def meeting_figures(organization: Organization, start: date, end: date) -> MeetingFigures:
    """Held meetings by kind, the attendance rate (present over base, summed over the meetings, by
    each meeting's rule set) and the share of thematic meetings judged up to quality."""
    meetings = held_meetings(organization, start, end)
    kinds = Counter(m.kind for m in meetings)
    return MeetingFigures(
        organization=organization,
        start=start,
        end=end,
        held_by_kind={k.value: kinds[k.value] for k in MeetingKind},
        attendance=attendance_rate(meetings),
        thematic=thematic_quality_share(meetings),
    )


def attendance_by_quarter(organization: Organization, year: int) -> list[dict]:
    """Attendance by quarter of `year` against the same quarter of the year before."""
    meetings = held_meetings(organization, date(year - 1, 1, 1), date(year, 12, 31))
    rows = []
    for quarter in (1, 2, 3, 4):
        months = range(3 * quarter - 2, 3 * quarter + 1)

        def of(y, months=months):
            return [m for m in meetings if m.date.year == y and m.date.month in months]

        rows.append({"quarter": quarter, "rate": attendance_rate(of(year)), "previous": attendance_rate(of(year - 1))})
    return rows


# --- Classification -----------------------------------------------------------------------------


def classification(organization: Organization, last_year: int, years: int = 5) -> Table | None:
    """The classification table for the years with results, up to `last_year` (the last `years`)."""
    found = [y for y in available_years(organization) if y <= last_year][-years:]
    if not found:
        return None
    return classification_table(organization, found)


# --- Growth -------------------------------------------------------------------------------------


def year_ends(day: date, years: int = 10) -> list[date]:
    """The last day of each of the `years` years up to `day` (the last one is `day` itself)."""
    ends = [date(y, 12, 31) for y in range(day.year - years + 1, day.year)]
    return [*ends, day]
