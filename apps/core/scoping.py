"""The one door through which every organization-owned row is read or written.

A user's reach comes from their role assignments: an organization alone, or with its subtree,
and, for a member, their own record. Every organization-owned model gets its manager from
`ScopedQuerySet`; views, exports, htmx partials and the API load rows only through
`Model.objects.restrict(user, action)`, so a row out of scope answers 404 exactly like a row
that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection, models
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


def prefix_q(field: str, prefix: str) -> Q:
    """`field` starts with `prefix`, written so that the engine's index serves it (for a
    selective key such as a name, where the index should drive the query).

    PostgreSQL uses a varchar_pattern_ops index for LIKE 'p%'. SQLite never uses an index for
    LIKE, so there the prefix is the range [p, p + U+FFFF): exact under its binary collation for
    the ASCII keys stored here (tree paths, folded names).
    """
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__startswith": prefix})
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + "\uffff"})


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
        # LIKE, not a range: on SQLite it keeps a large subtree's list walking the name-order index
        # instead of sorting the whole subtree (PostgreSQL indexes both ways).
        return self.filter(**{f"{self.scope_path}__startswith": organization.path})

    def restrict_within(self, user, organization, action: str = VIEW):
        """`restrict(user, action).in_subtree(organization)`, without the reach condition when
        the organization's whole subtree is already inside it (one prefix test instead of two,
        which lets PostgreSQL count from the index alone)."""
        scope = scope_for(user)
        whole = scope.is_admin or any(organization.path.startswith(p) for p in scope.subtrees.get(action, ()))
        qs = self if whole else self.restrict(user, action)
        return qs.in_subtree(organization)
