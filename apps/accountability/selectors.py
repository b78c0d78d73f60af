"""Reads of the accountability area, each within the reader's reach and the privacy rules."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.access import record_reads
from apps.core.roles import PRIVATE_READING_ROLES
from apps.core.scoping import CHANGE, INSPECT, VIEW, Access, scope_for
from apps.core.templatetags.vn import format_int
from apps.members.models import CURRENT_STATUSES, Member
from apps.organizations.models import Organization

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
    """Overdue actions split by what the user may read: rows they may see, and counts per
    organization for private members' plans they may not read."""
    visible: list = []
    hidden_counts: dict[Organization, int] = {}
    for action in overdue_actions(user, today):
        if plan_access(user, action.plan).allowed:
            visible.append(action)
        else:
            org = action.plan.subject_org
            hidden_counts[org] = hidden_counts.get(org, 0) + 1
    return {
        "visible": visible,
        "hidden": sorted(hidden_counts.items(), key=lambda kv: kv[0].path),
        "total": len(visible) + sum(hidden_counts.values()),
    }


def remediation_figures(user: User, year: int, organization: Organization | None = None, today=None) -> dict:
    today = today or timezone.localdate()
    qs = RemediationAction.objects.restrict(user, VIEW).filter(plan__year=year)
    if organization is not None:
        qs = qs.filter(plan__subject_path__startswith=organization.path)
    return {
        "total": qs.count(),
        "open": qs.open().count(),
        "closed": qs.closed().count(),
        "overdue": qs.overdue(today).count(),
    }


def can_open(user: User, examination) -> bool:
    """Organizations above (reaching the examination with VIEW or INSPECT) may record an opening."""
    scope = scope_for(user)
    return scope.reaches_org(examination.organization, VIEW) or scope.reaches_org(examination.organization, INSPECT)


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
