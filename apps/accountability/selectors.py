"""Reads of the accountability area, each within the reader's reach and the privacy rules."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from apps.accounts.models import User
from apps.core.roles import PRIVATE_READING_ROLES
from apps.core.scoping import INSPECT, VIEW, Access, scope_for
from apps.members.models import CURRENT_STATUSES, Member
from apps.organizations.models import Organization

from .models import ExamStatus, Manifestation, RemediationAction, RemediationPlan, SelfExamination

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
    def percent(self):
        return (self.completed * 100 / self.members) if self.members else None


def completion_counts(user: User, year: int, organization: Organization | None = None) -> list[CellCount]:
    """Per cell in reach: current members (the base), self-examinations completed and started.
    Counts only: no content, no names."""
    orgs = Organization.objects.restrict(user, VIEW).current().cells()
    if organization is not None:
        orgs = orgs.filter(path__startswith=organization.path)
    orgs = list(orgs.order_by("path"))
    ids = [o.pk for o in orgs]
    members = dict(
        Member.objects.filter(organization_id__in=ids, status__in=CURRENT_STATUSES)
        .values("organization_id")
        .annotate(n=Count("pk"))
        .values_list("organization_id", "n")
    )
    exams = (
        SelfExamination.objects.filter(organization_id__in=ids, year=year, member__status__in=CURRENT_STATUSES)
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
