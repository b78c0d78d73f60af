"""The one door through which every organization-owned row is read or written.

A user's reach comes from their role assignments: an organization alone, or with its subtree,
and, for a member, their own record. Every organization-owned model gets its manager from
`ScopedQuerySet`; views, exports, htmx partials and the API load rows only through
`Model.objects.restrict(user, action)`, so a row out of scope answers 404 exactly like a row
that does not exist.

Scoping fails loud (`guard_reads`): while a guard is active (the `ScopingGuardMiddleware` during
a request when `settings.SCOPING_GUARD` is "record" or "raise"; the permission matrix around every
request it makes), evaluating a queryset of an organization-owned model that did not pass through
the door is an *unscoped read*, recorded (or raised as `UnscopedRead`) when the code that runs it
is a view, form, template tag, context processor or API module. Through the door means:

* `restrict()` / `restrict_within()` (and so `get_scoped()`) marked the queryset, a mark every
  chained `.filter()`, `.select_related()` … keeps; or
* the queryset hangs off a row already loaded: a related manager or a foreign key of an instance
  (`member.status_changes.all()`, `meeting.organization`) and `prefetch_related` carry Django's
  `instance` hint. This is the allowlist for children of a row read through the door (the parent
  itself was checked when it was read); or
* the queryset is empty by construction (`Model.objects.none()`, a form field's placeholder); or
* the calling module is not one of those (services check reach with `require_org`, selectors take
  the rows the view passes them), or the call is listed in `ALLOWED_UNSCOPED` with its reason.

The caller is the innermost frame of project code (`apps.…`) below the evaluation, so a queryset
built in a view and iterated by its template counts as the view's.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
import re
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone

VIEW = "view"
CHANGE = "change"
INSPECT = "inspect"


@dataclass(frozen=True)
class PrivateRule:
    """How a model's private content is reached; set as `private_rule` on the model.

    `org`: the lookup to the organization whose committee reads the row (its cell);
    `member`: the lookup to the member the row is about (who always reads their own);
    `written`: the field telling when the row was written (a committee role reads rows written
    while it was held); `opening`: the lookup to the self-examination whose openings open the row
    ("pk" for the self-examination itself); `only_about_members`: only rows about a member are
    private, the others are read by plain reach.
    """

    org: str
    member: str = "member"
    written: str = "created_at"
    opening: str | None = None
    only_about_members: bool = False


@dataclass
class Access:
    """Whether a private record's content may be read, and on what basis: "own", "cell_committee",
    "opening" (with the opening), or "scope" for a row that is not private."""

    allowed: bool
    basis: str = ""
    opening: object | None = None


@dataclass(frozen=True)
class Scope:
    is_admin: bool = False
    # action -> organization paths whose whole subtree is reached
    subtrees: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # action -> organization ids reached alone
    orgs: dict[str, frozenset[int]] = field(default_factory=dict)
    member_id: int | None = None
    user_id: int | None = None
    # Private reading. Cell id -> the moment from which the user's committee role there reads
    # private records written in it (None: no lower bound, an assignment older than timed grants).
    private_orgs: dict[int, dt.datetime | None] = field(default_factory=dict)
    # Cells where the user is the secretary (they are shown every private-reading grant there).
    secretary_orgs: frozenset[int] = frozenset()
    # Organizations where the user holds a role other than member: an opening made for one of them
    # lets the user read the opened record.
    opening_orgs: frozenset[int] = frozenset()
    # The scope is recomputed from this moment (the next start or end of one of the user's roles).
    valid_until: dt.datetime | None = None
    computed_at: float = 0.0
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    def reaches_path(self, org_id: int, path: str, action: str = VIEW) -> bool:
        if self.is_admin:
            return True
        if org_id in self.orgs.get(action, ()):
            return True
        return any(path.startswith(p) for p in self.subtrees.get(action, ()))

    def reaches_org(self, org, action: str = VIEW) -> bool:
        return self.reaches_path(org.pk, org.path, action)

    @property
    def has_any_org(self) -> bool:
        return self.is_admin or any(self.subtrees.values()) or any(self.orgs.values())

    # --- private records ------------------------------------------------------------------------

    def is_cell_committee(self, organization) -> bool:
        """The user holds a cell-committee role on this very organization now."""
        return organization is not None and organization.pk in self.private_orgs

    def _reads_written_in(self, org_id, written_at) -> bool:
        if org_id not in self.private_orgs:
            return False
        since = self.private_orgs[org_id]
        return since is None or (written_at is not None and written_at >= since)

    def opened_examinations(self) -> dict:
        """Self-examination id -> the opening that lets this user read it (the latest). Loaded once
        per request, in one query: openings made for an organization where the user holds a role
        other than member, or made by the user while they still reach the examination."""
        cached = self._cache.get("openings")
        if cached is not None:
            return cached
        cached = {}
        if self.user_id and (self.opening_orgs or self.has_any_org):
            opening_model = apps.get_model("accountability", "Opening")
            today = timezone.localdate()
            rows = (
                opening_model.objects.vouched("the door itself: openings made for this user's roles")
                .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
                .filter(Q(opened_by_id=self.user_id) | Q(organization_id__in=self.opening_orgs))
                .select_related("examination")
                .order_by("-opened_at", "-pk")
            )
            for opening in rows:
                exam = opening.examination
                if opening.organization_id in self.opening_orgs or (
                    self.reaches_path(exam.organization_id, exam.org_path, VIEW)
                    or self.reaches_path(exam.organization_id, exam.org_path, INSPECT)
                ):
                    cached.setdefault(opening.examination_id, opening)
        self._cache["openings"] = cached
        return cached

    def may_read_private(self, record) -> Access:
        """Whether the user may read this record's private content (the record itself having been
        loaded through the door, or found by `restrict_private`). No query but the openings, once."""
        rule: PrivateRule = type(record).private_rule
        member_id = getattr(record, f"{rule.member}_id")
        if rule.only_about_members and member_id is None:
            return Access(True, "scope")
        if self.member_id and member_id == self.member_id:
            return Access(True, "own")
        if self._reads_written_in(getattr(record, f"{rule.org}_id"), getattr(record, rule.written)):
            return Access(True, "cell_committee")
        if rule.opening:
            exam_id = record.pk if rule.opening == "pk" else getattr(record, f"{rule.opening}_id")
            opening = self.opened_examinations().get(exam_id) if exam_id else None
            if opening is not None:
                return Access(True, "opening", opening)
        return Access(False)

    def private_q(self, rule: PrivateRule) -> Q:
        """The rows about members whose private content the user may read (see may_read_private)."""
        condition = Q(pk__in=[])
        if self.member_id:
            condition |= Q(**{rule.member: self.member_id})
        unbounded = [org_id for org_id, since in self.private_orgs.items() if since is None]
        if unbounded:
            condition |= Q(**{f"{rule.org}__in": unbounded})
        for org_id, since in self.private_orgs.items():
            if since is not None:
                condition |= Q(**{rule.org: org_id, f"{rule.written}__gte": since})
        if rule.opening:
            opened = list(self.opened_examinations())
            if opened:
                condition |= Q(**{f"{rule.opening}__in": opened})
        return condition

    def reach_q(self, queryset_class, action: str = VIEW) -> Q:
        """The rows of a ScopedQuerySet the user reaches for `action`."""
        if self.is_admin:
            return Q()
        condition = Q(pk__in=[])
        for path in self.subtrees.get(action, ()):
            condition |= Q(**{f"{queryset_class.scope_path}__startswith": path})
        ids = self.orgs.get(action)
        if ids:
            condition |= Q(**{f"{queryset_class.scope_org}__in": ids})
        if action == VIEW and self.member_id and queryset_class.scope_member:
            condition |= Q(**{queryset_class.scope_member: self.member_id})
        return condition


# User id -> when their roles last changed in this process (time.monotonic()): a scope cached on
# any object of that user before then is stale. Other processes compute a fresh scope per request.
_roles_changed: dict[int, float] = {}


def start_of_day(day: dt.date) -> dt.datetime:
    """The first moment of `day` in the project's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def forget_scope(user) -> None:
    """Make every cached scope of this user stale (their roles changed)."""
    if user is None:
        return
    user_id = user if isinstance(user, int) else user.pk
    if not isinstance(user, int) and getattr(user, "_scope_cache", None) is not None:
        del user._scope_cache
    _roles_changed[user_id] = time.monotonic()


def scope_for(user) -> Scope:
    """Compute (once per request) what the user reaches, and whose private records they read.

    Cached on the user object until the next start or end of one of their roles, so an ended role
    stops reaching at once even for an object kept across requests."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    now = timezone.now()
    cached = getattr(user, "_scope_cache", None)
    if (
        cached is not None
        and (cached.valid_until is None or now < cached.valid_until)
        and cached.computed_at > _roles_changed.get(user.pk, -1.0)
    ):
        return cached
    computed_at = time.monotonic()
    from .roles import OPENING_ROLES, PRIVATE_READING_ROLES, ROLE_ACTIONS, Role

    today = timezone.localdate(now)
    subtrees: dict[str, set[str]] = {}
    orgs: dict[str, set[int]] = {}
    private: dict[int, dt.datetime | None] = {}
    secretary: set[int] = set()
    opening: set[int] = set()
    boundaries: list[dt.datetime] = []
    assignments = (
        user.role_assignments.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=now))
        .select_related("organization")
    )
    for assignment in assignments:
        if assignment.starts_on and assignment.starts_on > today:
            boundaries.append(start_of_day(assignment.starts_on))
            continue
        if assignment.ended_at:
            boundaries.append(assignment.ended_at)
        if assignment.ends_on:
            boundaries.append(start_of_day(assignment.ends_on + dt.timedelta(days=1)))
        for action in ROLE_ACTIONS[assignment.role]:
            if assignment.include_subtree:
                subtrees.setdefault(action, set()).add(assignment.organization.path)
            else:
                orgs.setdefault(action, set()).add(assignment.organization_id)
        if assignment.role in PRIVATE_READING_ROLES:
            since = assignment.reach_starts_at
            if assignment.organization_id in private:
                earlier = private[assignment.organization_id]
                since = None if since is None or earlier is None else min(since, earlier)
            private[assignment.organization_id] = since
            if assignment.role == Role.CELL_SECRETARY:
                secretary.add(assignment.organization_id)
        if assignment.role in OPENING_ROLES:
            opening.add(assignment.organization_id)
    member = getattr(user, "member", None) if hasattr(user, "member") else None
    scope = Scope(
        is_admin=user.is_superuser,
        subtrees={a: tuple(sorted(p)) for a, p in subtrees.items()},
        orgs={a: frozenset(ids) for a, ids in orgs.items()},
        member_id=member.pk if member else None,
        user_id=user.pk,
        private_orgs=private,
        secretary_orgs=frozenset(secretary),
        opening_orgs=frozenset(opening),
        valid_until=min(boundaries) if boundaries else None,
        computed_at=computed_at,
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


class UnscopedRead(Exception):
    """An organization-owned queryset evaluated by a view/form/API module without the door."""


# Module patterns whose reads must go through the door.
GUARDED_MODULES = re.compile(
    r"^apps\.(?:\w+\.(?:views|forms|templatetags\.\w+)|api\.\w+|core\.(?:context_processors|navigation))$"
)

# "module:function" -> why this unscoped read is safe. Keep it short: each entry is a door left ajar.
ALLOWED_UNSCOPED: dict[str, str] = {
    # Self-examinations are private: these views load by pk and then ask the scope itself
    # (Scope.may_read_private / restrict_private, through accountability.selectors) or 404.
    "apps.accountability.views:index": "self-examinations listed by selectors.examinations_readable()",
    "apps.accountability.views:_exam_in_reach": "loaded by pk, then selectors.content_access/can_open or 404",
    "apps.accountability.views:year_summary": "the rows of a member loaded by get_scoped() and checked just above",
}

_guard: contextvars.ContextVar[list | None] = contextvars.ContextVar("scoping_guard", default=None)
_raise: contextvars.ContextVar[bool] = contextvars.ContextVar("scoping_guard_raise", default=False)
_SKIPPED_FILES = (__file__,)


@contextmanager
def guard_reads(raise_on_read: bool = False):
    """Record (or raise on) unscoped reads of organization-owned rows inside the block.

    Yields the list of findings, each "module:function:line reads app.Model"."""
    found: list[str] = []
    token, token_raise = _guard.set(found), _raise.set(raise_on_read)
    try:
        yield found
    finally:
        _guard.reset(token)
        _raise.reset(token_raise)


def _guarded_caller():
    """The innermost project frame under this evaluation, if it is a guarded module's."""
    frame = sys._getframe(2)
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if module.startswith("apps.") and frame.f_code.co_filename not in _SKIPPED_FILES:
            if GUARDED_MODULES.match(module) is None:
                return None
            where = f"{module}:{frame.f_code.co_name}"
            if where in ALLOWED_UNSCOPED:
                return None
            return f"{where}:{frame.f_lineno}"
        frame = frame.f_back
    return None


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
    _through_door: bool = False

    # --- scoping fails loud -------------------------------------------------------------------
    def __init_subclass__(cls, **kwargs):
        # A subclass's own restrict() (meetings, campaigns …) marks what it returns as well.
        super().__init_subclass__(**kwargs)
        for name in ("restrict", "restrict_within"):
            own = cls.__dict__.get(name)
            if own is None or getattr(own, "_marks_door", False):
                continue

            def marked(self, *args, _own=own, **kwargs):
                qs = _own(self, *args, **kwargs)
                return qs._door() if isinstance(qs, ScopedQuerySet) else qs

            marked = functools.wraps(own)(marked)
            marked._marks_door = True
            setattr(cls, name, marked)

    def _clone(self):
        clone = super()._clone()
        clone._through_door = self._through_door
        return clone

    def _door(self):
        qs = self._chain()
        qs._through_door = True
        return qs

    def _check_read(self):
        found = _guard.get()
        if found is None or self._through_door or "instance" in self._hints or self.query.is_empty():
            return
        caller = _guarded_caller()
        if caller is None:
            return
        finding = f"{caller} reads {self.model._meta.label} without restrict()"
        if _raise.get():
            raise UnscopedRead(finding)
        if finding not in found:
            found.append(finding)

    def _fetch_all(self):
        if self._result_cache is None:
            self._check_read()
        super()._fetch_all()

    def count(self):
        if self._result_cache is None:
            self._check_read()
        return super().count()

    def exists(self):
        if self._result_cache is None:
            self._check_read()
        return super().exists()

    def aggregate(self, *args, **kwargs):
        self._check_read()
        return super().aggregate(*args, **kwargs)

    def iterator(self, chunk_size=None):
        self._check_read()
        return super().iterator(chunk_size=chunk_size)

    def children_of(self, organization):
        """Rows under `organization`, which the caller loaded through the door (a form's pickers
        for the organization its view loaded with get_scoped). The commented allowlist for
        children of a loaded row where no related manager reaches them (a subtree, a filter)."""
        if getattr(organization, "_state", None) is None or organization.pk is None:
            raise ValueError("children_of() needs a loaded organization")
        return self.in_subtree(organization)._door()

    def vouched(self, reason: str):
        """Mark a queryset derived from a row already loaded through the door (e.g. the members
        holding a post in that organization). `reason` says why, at the call site, where a
        reviewer sees it: this is the commented allowlist for such children."""
        if not reason:
            raise ValueError("vouched() needs a reason")
        return self._door()

    def restricted_to(self, allowed):
        """The rows of this queryset that are also in `allowed` (a queryset through the door, e.g.
        a selector's union of reaches), keeping this one's select_related/ordering."""
        qs = self.filter(pk__in=allowed.values("pk"))
        return qs._door() if getattr(allowed, "_through_door", False) else qs

    # --- the door -----------------------------------------------------------------------------
    def restrict(self, user, action: str = VIEW):
        scope = scope_for(user)
        if scope.is_admin:
            return self._door()
        return self.filter(scope.reach_q(type(self), action))._door()

    def restrict_private(self, user):
        """The rows whose private content the user may read (the model's `private_rule`): their
        own, their cell committee's (written while the role was held), or opened for them; rows
        that are not private, by plain VIEW reach. The same answer as `Scope.may_read_private`."""
        scope = scope_for(user)
        rule: PrivateRule = self.model.private_rule
        condition = scope.private_q(rule)
        if rule.only_about_members:
            condition |= Q(**{f"{rule.member}__isnull": True}) & scope.reach_q(type(self), VIEW)
        return self.filter(condition)._door()

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
        qs = self._door() if whole else self.restrict(user, action)
        return qs.in_subtree(organization)
