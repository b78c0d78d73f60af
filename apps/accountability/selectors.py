"""Reads of the accountability area, each within the reader's reach and the privacy rules."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.access import record_reads
from apps.core.periods import Period
from apps.core.roles import PRIVATE_READING_ROLES
from apps.core.scoping import CHANGE, INSPECT, VIEW, Access, scope_for
from apps.core.templatetags.vn import format_int
from apps.members.models import CURRENT_STATUSES, Member
from apps.members.selectors import status_counts
from apps.organizations.models import Organization
from apps.organizations.selectors import subtree_ids_on

from .models import (
    Commitment,
    ExamStatus,
    LogbookEntry,
    Manifestation,
    NoteKind,
    RemediationAction,
    RemediationPlan,
    ReviewTarget,
    SelfExamination,
    TargetMode,
)

# Who reads a private record is answered by the request's one Scope (apps/core/scoping.py):
# `scope_for(user).may_read_private(record)` for a row, `Model.objects.restrict_private(user)` for
# lists. The functions below are thin names for it kept for the callers.
CELL_COMMITTEE_ROLES = PRIVATE_READING_ROLES

__all__ = ["Access"]


def manifestations():
    """The active manifestations; the reference list is loaded if the table is empty (a flushed
    test database, or a deployment whose data migration was lost in a migration reset)."""
    if not Manifestation.objects.exists():
        from .reference import load

        load(Manifestation)
    return Manifestation.objects.filter(active=True).order_by("number")


def is_cell_committee(user: User, organization) -> bool:
    """The user holds a cell-committee role on this very organization now."""
    return scope_for(user).is_cell_committee(organization)


def is_own(user: User, member) -> bool:
    return member is not None and scope_for(user).member_id == member.pk


def content_access(user: User, examination) -> Access:
    """Who reads a self-examination's content: the member, their cell committee, or an opening."""
    return scope_for(user).may_read_private(examination)


def plan_access(user: User, plan: RemediationPlan) -> Access:
    """A member's remediation plan is as private as their self-examination; an organization's is not."""
    return scope_for(user).may_read_private(plan)


def examinations_readable(user: User):
    """Self-examinations whose content the user may read (for lists)."""
    return SelfExamination.objects.restrict_private(user).select_related("member", "organization")


@dataclass
class CellCount:
    organization: Organization
    members: int
    completed: int
    started: int

    @property
    def in_progress(self) -> int:
        """Started and not yet completed."""
        return self.started - self.completed

    @property
    def percent(self):
        return (self.completed * 100 / self.members) if self.members else None


def completion_counts(user: User, year: int, organization: Organization | None = None) -> list[CellCount]:
    """Per cell in reach: the members of that year (the base, as they stood on 31/12 of a past
    year, today for this year), self-examinations completed and started.
    Counts only: no content, no names."""
    import datetime as dt

    orgs = Organization.objects.restrict(user, VIEW).current().cells()
    if organization is not None:
        orgs = orgs.filter(path__startswith=organization.path)
    orgs = list(orgs.order_by("path"))
    ids = [o.pk for o in orgs]
    day = min(timezone.localdate(), dt.date(year, 12, 31))
    base = Member.objects.in_organizations_on(ids, day).filter(status_on__in=CURRENT_STATUSES, admission_date__lte=day)
    members = dict(base.values("org_on").annotate(n=Count("pk")).values_list("org_on", "n"))
    exams = (
        SelfExamination.objects.filter(organization_id__in=ids, year=year, member_id__in=base.values("pk"))
        .values("organization_id")
        .annotate(completed=Count("pk", filter=Q(status=ExamStatus.COMPLETED)), started=Count("pk"))
    )
    by_org = {row["organization_id"]: row for row in exams}
    return [
        CellCount(
            organization=o,
            members=members.get(o.pk, 0),
            completed=by_org.get(o.pk, {}).get("completed", 0),
            started=by_org.get(o.pk, {}).get("started", 0),
        )
        for o in orgs
    ]


def overdue_actions(user: User, today=None):
    """Overdue remediation actions in reach (cell and the committees above see them)."""
    return (
        RemediationAction.objects.restrict(user, VIEW)
        .overdue(today)
        .select_related("plan", "plan__member", "plan__organization", "plan__subject_org")
        .order_by("deadline", "pk")
    )


def overdue_summary(user: User, today=None) -> dict:
    """Overdue items split by what the user may read: remediation actions they may see, counts per
    organization for private members' plans they may not read, and the inspection remedies past
    their deadline (a remedy whose re-check failed is not done). `total` counts them all."""
    visible: list = []
    hidden_counts: dict[Organization, int] = {}
    for action in overdue_actions(user, today):
        if plan_access(user, action.plan).allowed:
            visible.append(action)
        else:
            org = action.plan.subject_org
            hidden_counts[org] = hidden_counts.get(org, 0) + 1
    remedies = list(remedies_overdue(user, today))
    return {
        "visible": visible,
        "hidden": sorted(hidden_counts.items(), key=lambda kv: kv[0].path),
        "remedies": remedies,
        "total": len(visible) + sum(hidden_counts.values()) + len(remedies),
    }


def remediation_figures(user: User, year: int, organization: Organization | None = None, today=None) -> dict:
    """Actions of the year's plans: an action whose follow-up check failed is reopened, so it is
    open (not done) and overdue once its new deadline passes. Inspection remedies past their
    deadline are counted beside them."""
    today = today or timezone.localdate()
    qs = RemediationAction.objects.restrict(user, VIEW).filter(plan__year=year)
    remedies = remedies_overdue(user, today).filter(inspection__concluded_on__year=year)
    if organization is not None:
        qs = qs.filter(plan__subject_path__startswith=organization.path)
        remedies = remedies.filter(inspection__subject_path__startswith=organization.path)
    return {
        "total": qs.count(),
        "open": qs.open().count(),
        "closed": qs.closed().count(),
        "overdue": qs.overdue(today).count(),
        "failed": qs.failed().count(),
        "remedies_overdue": remedies.count(),
    }


def can_open(user: User, examination) -> bool:
    """Organizations above (reaching the examination with VIEW or INSPECT) may record an opening."""
    scope = scope_for(user)
    return scope.reaches_org(examination.organization, VIEW) or scope.reaches_org(examination.organization, INSPECT)


# --- Review working groups: counts by mode and subject --------------------------------------------


@dataclass
class ReviewCounts:
    """Subjects reviewed in a period under an organization: in depth (the group's own review) and
    attended, collectives and individuals, each counted once (a subject reviewed in depth is not
    counted again as attended). `members` and `organizations` are the base on the period's last
    day, from the dated history (not today's registry)."""

    period: Period
    organization: Organization | None
    in_depth_collectives: int = 0
    in_depth_individuals: int = 0
    attended_collectives: int = 0
    attended_individuals: int = 0
    undated: int = 0  # targets of the period's year with no review date (counted in a whole year only)
    members: int = 0
    organizations: int = 0

    @property
    def in_depth(self) -> int:
        return self.in_depth_collectives + self.in_depth_individuals

    @property
    def attended(self) -> int:
        return self.attended_collectives + self.attended_individuals

    @property
    def individuals(self) -> int:
        return self.in_depth_individuals + self.attended_individuals

    @property
    def collectives(self) -> int:
        return self.in_depth_collectives + self.attended_collectives

    @property
    def individuals_percent(self):
        return self.individuals * 100 / self.members if self.members else None

    @property
    def collectives_percent(self):
        return self.collectives * 100 / self.organizations if self.organizations else None

    def rows(self) -> list[tuple[str, int, int, int]]:
        """(mode, collectives, individuals, total), for the table and the export."""
        return [
            (str(TargetMode.IN_DEPTH.label), self.in_depth_collectives, self.in_depth_individuals, self.in_depth),
            (str(TargetMode.ATTEND.label), self.attended_collectives, self.attended_individuals, self.attended),
        ]


def review_targets_for(user: User):
    """Review targets the user reaches: their committees' groups, and those addressed to them."""
    return ReviewTarget.objects.for_user(user)


def review_counts(user: User, period: Period, organization: Organization | None = None) -> ReviewCounts:
    """Review targets whose subject is under `organization` (default: all the user reaches),
    reviewed in `period`: by the review date, or, for a target without one, by its group's year
    when the period is a whole year."""
    qs = review_targets_for(user).active()
    if organization is not None:
        qs = qs.filter(subject_path__startswith=organization.path)
    dated = Q(review_on__gte=period.start, review_on__lte=period.end)
    undated = Q(review_on__isnull=True, group__year=period.year)
    whole_year = period.month is None and period.quarter is None
    rows = list(qs.filter(dated | undated if whole_year else dated).values_list("mode", "member_id", "organization_id"))
    deep = {(m, o) for mode, m, o in rows if mode == TargetMode.IN_DEPTH}
    attended = {(m, o) for mode, m, o in rows if mode == TargetMode.ATTEND} - deep
    counts = ReviewCounts(
        period=period,
        organization=organization,
        in_depth_collectives=sum(1 for m, o in deep if m is None),
        in_depth_individuals=sum(1 for m, o in deep if m is not None),
        attended_collectives=sum(1 for m, o in attended if m is None),
        attended_individuals=sum(1 for m, o in attended if m is not None),
        undated=0 if whole_year else qs.filter(undated).count(),
    )
    if organization is not None:
        day = min(period.end, timezone.localdate())
        counts.members = status_counts(user, organization, on=day)[1]
        ids = subtree_ids_on(organization, day)
        counts.organizations = len(ids)
    return counts


def targets_addressed(user: User, year: int | None = None):
    """Suggestions addressed to the user's cell (and the committees above it) and to its members."""
    qs = (
        ReviewTarget.objects.addressed_to(user)
        .active()
        .select_related("group", "group__organization", "member", "organization")
    )
    if year is not None:
        qs = qs.filter(group__year=year)
    return qs.order_by("-group__year", "subject_path", "pk")


# --- Slow to remediate ------------------------------------------------------------------------------


@dataclass
class SlowSubject:
    """A collective or an individual with remediation not done in time: overdue actions (their own
    plans) or inspection remedies, and follow-up checks that failed."""

    subject: object  # Member or Organization
    organization: Organization
    overdue: int = 0
    failed: int = 0
    oldest: object = None  # the earliest missed deadline
    plans: list = field(default_factory=list)

    @property
    def is_member(self) -> bool:
        return isinstance(self.subject, Member)


def remedies_overdue(user: User, today=None):
    """Inspection remedies not done by their deadline (a remedy whose check failed is not done),
    in the user's reach as conductor or as subject."""
    from apps.inspections.selectors import remedies_for

    today = today or timezone.localdate()
    return (
        remedies_for(user)
        .filter(Q(done_on__isnull=True) | Q(check_passed=False), deadline__lt=today)
        .select_related("inspection", "inspection__subject_member", "inspection__subject_organization")
        .order_by("deadline", "pk")
    )


def slow_to_remediate(user: User, today=None, organization: Organization | None = None) -> dict:
    """Collectives and individuals slow to remediate, worst first, and the counts per cell of
    members whose private plans the user may not read."""
    today = today or timezone.localdate()
    late = Q(done_on__isnull=True, deadline__lt=today)
    actions = (
        RemediationAction.objects.restrict(user, VIEW)
        .filter(late | Q(done_on__isnull=True, check_passed=False))
        .select_related("plan", "plan__member", "plan__organization", "plan__subject_org")
    )
    remedies = remedies_overdue(user, today)
    if organization is not None:
        actions = actions.filter(plan__subject_path__startswith=organization.path)
        remedies = remedies.filter(inspection__subject_path__startswith=organization.path)
    scope = scope_for(user)
    found: dict[tuple, SlowSubject] = {}
    hidden: dict[Organization, set] = {}

    def row(subject, org) -> SlowSubject:
        key = (type(subject).__name__, subject.pk)
        if key not in found:
            found[key] = SlowSubject(subject=subject, organization=org)
        return found[key]

    for a in actions:
        plan = a.plan
        if not scope.may_read_private(plan).allowed:
            hidden.setdefault(plan.subject_org, set()).add(plan.member_id)
            continue
        r = row(plan.subject, plan.subject_org)
        if a.done_on is None and a.deadline < today:
            r.overdue += 1
            r.oldest = min(r.oldest or a.deadline, a.deadline)
        if a.check_passed is False:
            r.failed += 1
        if plan not in r.plans:
            r.plans.append(plan)
    for remedy in remedies:
        insp = remedy.inspection
        subject = insp.subject_member or insp.subject_organization
        org = subject.organization if insp.subject_member_id else subject
        r = row(subject, org)
        r.overdue += 1
        r.oldest = min(r.oldest or remedy.deadline, remedy.deadline)
        if remedy.check_passed is False:
            r.failed += 1
    rows = sorted(found.values(), key=lambda r: (-(r.overdue + r.failed), r.oldest or today, r.organization.path))
    return {
        "collectives": [r for r in rows if not r.is_member],
        "individuals": [r for r in rows if r.is_member],
        "hidden": sorted(((org, len(ids)) for org, ids in hidden.items()), key=lambda kv: kv[0].path),
    }


# --- Evidence for the year-end review ----------------------------------------------------------


@dataclass
class Evidence:
    """What the year's records say about a member or a collective, within the reader's reach:
    the basis of the year-end review (seed 004: the log feeds the evaluation)."""

    year: int
    member: Member | None
    organization: Organization | None
    entries: list
    disciplines: list
    suggestions: list
    plans: list
    open_actions: list
    hidden_plans: int
    inspections: list
    commitments: list

    @property
    def subject(self):
        return self.member or self.organization

    @property
    def strengths(self) -> list:
        return [e for e in self.entries if e.kind == NoteKind.STRENGTH]

    @property
    def shortcomings(self) -> list:
        return [e for e in self.entries if e.kind == NoteKind.SHORTCOMING]

    @property
    def is_empty(self) -> bool:
        return not any(
            (self.entries, self.disciplines, self.suggestions, self.open_actions, self.inspections, self.hidden_plans)
        )


def _about(qs, member, organization, member_field="member", org_field="organization"):
    if member is not None:
        return qs.filter(**{member_field: member})
    return qs.filter(**{org_field: organization})


def evidence_for(user: User, *, year: int, member=None, organization=None, where: str = "year_summary") -> Evidence:
    """The evidence about one subject for `year`, in a fixed number of queries whatever the
    number of entries. Discipline and members' plans are sensitive reads: recorded as read
    `where` they are shown. A member's plans are listed only as `may_read_private` allows;
    the others are counted."""
    from apps.discipline.models import Discipline
    from apps.inspections.models import Inspection

    if (member is None) == (organization is None):
        raise ValueError("give exactly one of member or organization")
    entries = list(
        _about(LogbookEntry.objects.restrict(user, VIEW), member, organization)
        .filter(date__year=year)
        .select_related("recorded_by", "inspection")
        .order_by("date", "pk")
    )
    disciplines = list(
        _about(Discipline.objects.restrict(user, VIEW), member, organization)
        .filter(decided_on__year=year)
        .order_by("decided_on", "pk")
    )
    suggestions = list(
        _about(ReviewTarget.objects.restrict(user, VIEW), member, organization)
        .filter(group__year=year)
        .select_related("group", "group__organization")
        .order_by("review_on", "pk")
    )
    reached_plans = _about(RemediationPlan.objects.restrict(user, VIEW), member, organization).filter(year__lte=year)
    plans = list(
        _about(RemediationPlan.objects.restrict_private(user), member, organization)
        .filter(year__lte=year)
        .prefetch_related("actions")
        .order_by("year", "pk")
    )
    readable_ids = {p.pk for p in plans}
    hidden_plans = reached_plans.exclude(pk__in=readable_ids).filter(actions__done_on__isnull=True).distinct().count()
    # Plans of earlier years stay in the evidence while something is left to do.
    plans = [p for p in plans if p.year == year or any(a.done_on is None for a in p.actions.all())]
    open_actions = [a for p in plans for a in p.actions.all() if a.done_on is None]
    for a in open_actions:
        a.plan = next(p for p in plans if p.pk == a.plan_id)
    inspections = list(
        (Inspection.objects.restrict(user, VIEW) | Inspection.objects.restrict(user, INSPECT))
        .filter(**({"subject_member": member} if member is not None else {"subject_organization": organization}))
        .filter(Q(concluded_on__year=year) | Q(concluded_on__isnull=True, period_start__year=year))
        .exclude(findings="", conclusion="")
        .distinct()
        .select_related("organization")
        .prefetch_related("remedies")
        .order_by("concluded_on", "pk")
    )
    commitments = list(Commitment.objects.restrict(user, VIEW).filter(member=member, year=year)) if member else []
    record_reads(user, [*disciplines, *plans], where=where)
    return Evidence(
        year=year,
        member=member,
        organization=organization,
        entries=entries,
        disciplines=disciplines,
        suggestions=suggestions,
        plans=plans,
        open_actions=open_actions,
        hidden_plans=hidden_plans,
        inspections=inspections,
        commitments=commitments,
    )


def may_see_summary(user: User, *, member=None, organization=None) -> bool:
    """Who opens the year-end summary: the member, their cell committee, those who may change
    the cell's (or the collective's) records, and the inspection commission reaching it."""
    scope = scope_for(user)
    if member is not None:
        return (
            is_own(user, member)
            or scope.is_cell_committee(member.organization)
            or scope.reaches_org(member.organization, CHANGE)
            or scope.reaches_org(member.organization, INSPECT)
        )
    return scope.reaches_org(organization, CHANGE) or scope.reaches_org(organization, INSPECT)


def summary_url(user: User, *, year: int, member=None, organization=None) -> str:
    """The year-end summary's address, or "" when the user may not open it."""
    if not may_see_summary(user, member=member, organization=organization):
        return ""
    if member is not None:
        return reverse("accountability:year_summary", args=[member.pk, year])
    return reverse("accountability:org_year_summary", args=[organization.pk, year])


def evaluation_summary_link(user: User, evaluation) -> str:
    """The evaluation page links its subject's year-end summary (no content read there)."""
    member = evaluation.member if evaluation.member_id else None
    organization = None if member is not None else evaluation.organization
    return summary_url(user, year=evaluation.year, member=member, organization=organization)


def evaluation_section(user: User, evaluation) -> dict | None:
    """Beside an evaluation's review forms: the year's evidence about its subject."""
    member = evaluation.member if evaluation.member_id else None
    organization = None if member is not None else evaluation.organization
    url = summary_url(user, year=evaluation.year, member=member, organization=organization)
    if not url and not (member is not None and is_own(user, member)):
        return None
    return {
        "template": "accountability/partials/evidence.html",
        "evidence": evidence_for(
            user, year=evaluation.year, member=member, organization=organization, where="evaluation_page"
        ),
        "summary_url": url,
        "today": timezone.localdate(),
    }


def evaluation_counts(user: User, evaluations) -> dict:
    """For the decision page: per evaluation, how many log entries, disciplines and open
    remediation actions the year holds about its subject (counts only, no content), with the
    summary's address. Five queries whatever the number of rows and entries."""
    from apps.discipline.models import Discipline

    evaluations = list(evaluations)
    if not evaluations:
        return {}
    years = {e.year for e in evaluations}
    member_ids = {e.member_id for e in evaluations if e.member_id}
    org_ids = {e.organization_id for e in evaluations if not e.member_id}

    def grouped(qs, date_field):
        rows = (
            qs.filter(Q(member_id__in=member_ids) | Q(organization_id__in=org_ids), **{f"{date_field}__in": years})
            .values("member_id", "organization_id", date_field)
            .annotate(n=Count("pk"))
        )
        found: dict = {}
        for r in rows:
            key = ("m", r["member_id"]) if r["member_id"] else ("o", r["organization_id"])
            found[(key, r[date_field])] = found.get((key, r[date_field]), 0) + r["n"]
        return found

    entries = grouped(LogbookEntry.objects.restrict(user, VIEW).annotate(year=ExtractYear("date")), "year")
    disciplines = grouped(Discipline.objects.restrict(user, VIEW).annotate(year=ExtractYear("decided_on")), "year")
    open_actions: dict = {}
    for r in (
        RemediationAction.objects.restrict(user, VIEW)
        .open()
        .filter(Q(plan__member_id__in=member_ids) | Q(plan__organization_id__in=org_ids), plan__year__lte=max(years))
        .values("plan__member_id", "plan__organization_id", "plan__year")
        .annotate(n=Count("pk"))
    ):
        key = ("m", r["plan__member_id"]) if r["plan__member_id"] else ("o", r["plan__organization_id"])
        open_actions.setdefault(key, []).append((r["plan__year"], r["n"]))
    scope = scope_for(user)
    result = {}
    for e in evaluations:
        key = ("m", e.member_id) if e.member_id else ("o", e.organization_id)
        n_entries = entries.get((key, e.year), 0)
        n_disc = disciplines.get((key, e.year), 0)
        n_open = sum(n for y, n in open_actions.get(key, []) if y <= e.year)
        label = _("Sổ theo dõi: %(entries)s mục · kỷ luật: %(disc)s · việc khắc phục chưa xong: %(open)s") % {
            "entries": format_int(n_entries),
            "disc": format_int(n_disc),
            "open": format_int(n_open),
        }
        if e.member_id:
            reach = scope.reaches_org(e.organization, CHANGE) or scope.reaches_org(e.organization, INSPECT)
            url = reverse("accountability:year_summary", args=[e.member_id, e.year]) if reach else ""
        else:
            reach = scope.reaches_org(e.organization, CHANGE) or scope.reaches_org(e.organization, INSPECT)
            url = reverse("accountability:org_year_summary", args=[e.organization_id, e.year]) if reach else ""
        result[e.pk] = {"label": label, "url": url}
    return result


def member_page_section(user: User, member) -> dict:
    """The member page links the year-end summaries (this year and last) for those who may open them."""
    year = timezone.localdate().year
    links = [(y, summary_url(user, year=y, member=member)) for y in (year, year - 1)]
    return {"year_summaries": [(y, url) for y, url in links if url]}
