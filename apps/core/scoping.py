"""The one door through which every organization-owned row is read or written.

A user's reach comes from their role assignments: an organization alone, or with its subtree,
and, for a member, their own record. Every organization-owned model gets its manager from
`ScopedQuerySet`; views, exports, htmx partials and the API load rows only through
`Model.objects.restrict(user, action)`, so a row out of scope answers 404 exactly like a row
that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q
from django.utils import timezone

VIEW = "view"
CHANGE = "change"
INSPECT = "inspect"


@dataclass(frozen=True)
class Scope:
    is_admin: bool = False
    # action -> organization paths whose whole subtree is reached
    subtrees: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # action -> organization ids reached alone
    orgs: dict[str, frozenset[int]] = field(default_factory=dict)
    member_id: int | None = None

    def reaches_org(self, org, action: str = VIEW) -> bool:
        if self.is_admin:
            return True
        if org.pk in self.orgs.get(action, ()):
            return True
        return any(org.path.startswith(p) for p in self.subtrees.get(action, ()))

    @property
    def has_any_org(self) -> bool:
        return self.is_admin or any(self.subtrees.values()) or any(self.orgs.values())


def scope_for(user) -> Scope:
    """Compute (once per request) what the user reaches."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    cached = getattr(user, "_scope_cache", None)
    if cached is not None:
        return cached
    from apps.accounts.roles import ROLE_ACTIONS

    today = timezone.localdate()
    subtrees: dict[str, set[str]] = {}
    orgs: dict[str, set[int]] = {}
    assignments = user.role_assignments.active_on(today).select_related("organization")
    for assignment in assignments:
        for action in ROLE_ACTIONS[assignment.role]:
            if assignment.include_subtree:
                subtrees.setdefault(action, set()).add(assignment.organization.path)
            else:
                orgs.setdefault(action, set()).add(assignment.organization_id)
    member = getattr(user, "member", None) if hasattr(user, "member") else None
    scope = Scope(
        is_admin=user.is_superuser,
        subtrees={a: tuple(sorted(p)) for a, p in subtrees.items()},
        orgs={a: frozenset(ids) for a, ids in orgs.items()},
        member_id=member.pk if member else None,
    )
    user._scope_cache = scope
    return scope


class ScopedQuerySet(models.QuerySet):
    """Querysets of organization-owned rows.

    Subclasses name the lookups that lead from a row to its organization:
    `scope_org` (the organization id, e.g. "organization"), `scope_path` (its materialized
    path, e.g. "organization__path"), and `scope_member` (the member a row is about, or None),
    which lets a member see their own rows.
    """

    scope_org: str = "organization"
    scope_path: str = "organization__path"
    scope_member: str | None = None

    def restrict(self, user, action: str = VIEW):
        scope = scope_for(user)
        if scope.is_admin:
            return self
        condition = Q(pk__in=[])
        for path in scope.subtrees.get(action, ()):
            condition |= Q(**{f"{self.scope_path}__startswith": path})
        ids = scope.orgs.get(action)
        if ids:
            condition |= Q(**{f"{self.scope_org}__in": ids})
        if action == VIEW and scope.member_id and self.scope_member:
            condition |= Q(**{self.scope_member: scope.member_id})
        return self.filter(condition)

    def in_subtree(self, organization):
        return self.filter(**{f"{self.scope_path}__startswith": organization.path})
