"""Reads of the registry: scoped, searched, in Vietnamese order, paged by key (not OFFSET)."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractUser
from django.db.models import Count, Q

from apps.core.scoping import VIEW, scope_for
from apps.core.text import fold
from apps.organizations.models import Organization
from apps.organizations.selectors import subtree_ids_on

from .models import CURRENT_STATUSES, Member, MemberNameKey, Status, key_prefix

PAGE_SIZE = 50


@dataclass
class Page:
    rows: list
    next_cursor: str | None
    organization: Organization | None


def _after(cursor: str, pk_field: str = "pk") -> Q | None:
    key, _, pk = (cursor or "").rpartition("~")
    if not key or not pk.isdigit():
        return None
    # The redundant `sort_key >= key` lets both engines start the index scan at the cursor.
    return Q(sort_key__gte=key) & (Q(sort_key__gt=key) | Q(**{f"{pk_field}__gt": int(pk)}))


def _is_name_search(text: str) -> bool:
    digits = text.replace(" ", "").replace(".", "")
    return bool(text) and not (digits.isdigit() and len(digits) >= 3)


def _scoped(model, user: AbstractUser, params, organization):
    """The model's rows in the user's reach, inside the chosen organization, by the list's status."""
    if organization is None:
        qs = model.objects.restrict(user)
    elif organization.is_cell and model is Member:
        # A cell's list walks the (organization, sort_key, id) index: already in name order.
        cell = organization.descendants(include_self=True).values_list("pk", flat=True)
        qs = model.objects.restrict(user).filter(organization__in=list(cell))
    else:
        qs = model.objects.restrict_within(user, organization)
    status = params.get("status")
    if status == "all":
        return qs
    if status:
        return qs.filter(status=status)
    return qs.filter(status__in=CURRENT_STATUSES)


def _chosen_organization(user: AbstractUser, params):
    """(organization chosen by ?org=, refused): refused when the id is not in the user's reach."""
    org_id = params.get("org")
    if not (org_id and str(org_id).isdigit()):
        return None, False
    organization = Organization.objects.restrict(user).filter(pk=org_id).first()
    return organization, organization is None


def member_queryset(user: AbstractUser, params):
    """Members the user may see, filtered by the list's parameters (org, q, status)."""
    organization, refused = _chosen_organization(user, params)
    if refused:
        return Member.objects.none(), None
    qs = _scoped(Member, user, params, organization)
    return qs.search(params.get("q", "")), organization


def member_page(user: AbstractUser, params, size: int | None = None) -> Page:
    """One page of the list, in Vietnamese order, after the cursor.

    A name search pages over the name keys first (an index range already in order and inside
    the user's reach) and then loads those members; other lists page over the members directly.
    """
    size = size or PAGE_SIZE
    text = (params.get("q") or "").strip()
    after = _after(params.get("after", ""))
    if _is_name_search(text):
        organization, refused = _chosen_organization(user, params)
        if refused:
            return Page(rows=[], next_cursor=None, organization=None)
        keys = _scoped(MemberNameKey, user, params, organization).filter(key_prefix(fold(text)))
        if after is not None:
            keys = keys.filter(_after(params["after"], pk_field="member_id"))
        ids = list(keys.order_by("sort_key", "member_id").values_list("member_id", flat=True)[: size + 1])
        qs = Member.objects.restrict(user).filter(pk__in=ids)
    else:
        qs, organization = member_queryset(user, params)
        if after is not None:
            qs = qs.filter(after)
    rows = list(qs.select_related("organization").order_by("sort_key", "pk")[: size + 1])
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        next_cursor = f"{rows[-1].sort_key}~{rows[-1].pk}"
    return Page(rows=rows, next_cursor=next_cursor, organization=organization)


PICKER_LIMIT = 300
INDENT = "\u00a0\u00a0"  # two no-break spaces a level


def org_picker(user: AbstractUser, organization: Organization | None) -> list[tuple]:
    """A bounded list of organizations for the list's filter: the chosen one's ancestors in reach,
    itself and its current children (at most PICKER_LIMIT); without a choice, the top of the
    user's reach and its children. Rows are (organization, indent), the organization an instance
    or a light row with its pk, name, code and depth; the indent is the string of
    no-break spaces to print before the name, computed here once rather than looped over in the
    template. Two queries, whatever the tree's size."""
    visible = Organization.objects.restrict(user)
    if organization is None:
        tops = _scope_tops(user)
        if not tops:
            return []
        if len(tops) > 1:
            return [(o, "") for o in tops]
        organization = tops[0]
    chain = [*organization.ancestors().restrict(user), organization]
    children = _options(visible.current().filter(parent=organization))
    base = chain[0].depth
    if not children and len(chain) > 1:
        # A leaf (a cell): offer its siblings beside it instead.
        siblings = _options(visible.current().filter(parent_id=organization.parent_id))
        if organization.pk not in {s.pk for s in siblings}:
            siblings.append(organization)
        indent = INDENT * (organization.depth - base)
        return [(o, INDENT * (o.depth - base)) for o in chain[:-1]] + [(s, indent) for s in siblings]
    indent = INDENT * (organization.depth + 1 - base)
    return [(o, INDENT * (o.depth - base)) for o in chain] + [(c, indent) for c in children]


def _options(qs) -> list:
    """Up to PICKER_LIMIT organizations by name, as light rows (pk, name, code, depth): a province
    offers some 250 grassroots committees, and building model instances for them costs more than
    the query."""
    return list(qs.order_by("sort_key").values_list("pk", "name", "code", "depth", named=True)[:PICKER_LIMIT])


def _scope_tops(user: AbstractUser) -> list[Organization]:
    """The highest current organizations the user reaches (one indexed query)."""
    scope = scope_for(user)
    if scope.is_admin:
        qs = Organization.objects.filter(parent__isnull=True)
    else:
        paths, ids = scope.subtrees.get(VIEW, ()), scope.orgs.get(VIEW, ())
        if not paths and not ids:
            return []
        qs = Organization.objects.filter(Q(path__in=paths) | Q(pk__in=ids))
    found = list(qs.current().order_by("path")[:50])
    tops = [o for o in found if not any(o.path.startswith(t.path) and o.pk != t.pk for t in found)]
    return sorted(tops, key=lambda o: o.name)


def status_counts(user: AbstractUser, organization: Organization, on: date | None = None) -> tuple[list[dict], int]:
    """Members of an organization's subtree by status, and how many are current.

    Without a date: today's registry. With a date: the tree as it stood that day (moves, merges
    and splits since then undone) and each member's state and organization that day, from the
    dated history — so a report for 2019 still counts the 2019 tree.
    """
    if on is None:
        members = Member.objects.restrict_within(user, organization)
        found = dict(members.values_list("status").annotate(n=Count("pk")).order_by())
    else:
        members = Member.objects.restrict(user).in_organizations_on(subtree_ids_on(organization, on), on)
        found = dict(members.values_list("status_on").annotate(n=Count("pk")).order_by())
    counts = [{"status": s.value, "label": s.label, "n": found[s.value]} for s in Status if found.get(s.value)]
    return counts, sum(n for status, n in found.items() if status in CURRENT_STATUSES)


def picker_search(user: AbstractUser, text: str, actions) -> list[Member]:
    """Current members the user reaches by any of `actions` whose name (without diacritics) or card
    number matches `text`, for a member picker: at most pickers.LIMIT + 1, so the picker can say
    there are more. Through the scoping door, so a cell's secretary finds no one outside the cell."""
    from apps.core.pickers import LIMIT

    first, *others = actions
    qs = Member.objects.restrict(user, first)
    for action in others:
        qs = qs | Member.objects.restrict(user, action)
    found = (
        qs.filter(status__in=CURRENT_STATUSES)
        .search(text)
        .distinct()
        .select_related("organization")
        .order_by("sort_key", "pk")
    )
    return list(found[: LIMIT + 1])


def picker_describe(member: Member) -> str:
    """A member as a picker shows them: name, cell, birth year, so namesakes are told apart."""
    parts = [member.full_name, member.organization.name]
    if member.birth_date:
        parts.append(str(member.birth_date.year))
    return " · ".join(parts)
