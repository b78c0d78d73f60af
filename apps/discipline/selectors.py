"""Reads of discipline decisions, used by the classification engine as well as by the views."""

from __future__ import annotations

from django.db.models import Count, Q

from apps.accounts.models import User
from apps.core.access import record_reads
from apps.core.scoping import CHANGE, INSPECT, scope_for

from .models import Discipline


def member_page_section(user: User, member) -> dict:
    """The member page's disciplines in the user's reach; opening them is a sensitive read, logged."""
    disciplines = list(Discipline.objects.restrict(user).filter(member=member).order_by("-decided_on"))
    record_reads(user, disciplines, where="member_page")
    scope = scope_for(user)
    may = member.is_current and (
        scope.reaches_org(member.organization, CHANGE) or scope.reaches_org(member.organization, INSPECT)
    )
    return {"disciplines": disciplines, "can_discipline": may}


def disciplines_in_year(
    *, year: int, member=None, organization=None, include_revoked: bool = False, include_sub_organizations: bool = False
):
    """Decisions taken in `year` (by `decided_on`) on a member, or on an organization and the
    members inside its subtree. Revoked decisions (revoked_on set) are left out unless asked for."""
    if (member is None) == (organization is None):
        raise ValueError("give exactly one of member or organization")
    qs = Discipline.objects.filter(decided_on__year=year)
    if member is not None:
        qs = qs.filter(member=member)
    else:
        inside = Q(subject_path__startswith=organization.path)
        cond = Q(organization=organization) | (Q(member__isnull=False) & inside)
        if include_sub_organizations:
            cond |= Q(organization__isnull=False) & inside
        qs = qs.filter(cond)
    if not include_revoked:
        qs = qs.filter(revoked_on__isnull=True)
    return qs


def has_discipline_in_year(member=None, organization=None, *, year: int, include_revoked: bool = False) -> bool:
    """True when the member, or the organization or any member inside its subtree, was disciplined
    by a decision dated in `year` that has not been revoked. Blocks the "excellent" level."""
    return disciplines_in_year(
        year=year, member=member, organization=organization, include_revoked=include_revoked
    ).exists()


def figures_by_form(user: User, *, year: int, organization=None) -> list[dict]:
    """Disciplines decided in the year, within the user's reach, counted by form and subject kind."""
    qs = Discipline.objects.restrict(user).filter(decided_on__year=year)
    if organization is not None:
        qs = qs.filter(subject_path__startswith=organization.path)
    return list(
        qs.values("form")
        .annotate(
            members=Count("pk", filter=Q(member__isnull=False)),
            organizations=Count("pk", filter=Q(organization__isnull=False)),
            total=Count("pk"),
        )
        .order_by("form")
    )
