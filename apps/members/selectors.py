"""Reads of the registry: scoped, searched, in Vietnamese order, paged by key (not OFFSET)."""

from dataclasses import dataclass

from django.db.models import Q

from apps.organizations.models import Organization

from .models import Member

PAGE_SIZE = 50


@dataclass
class Page:
    rows: list
    next_cursor: str | None
    organization: Organization | None


def _after(cursor: str) -> Q | None:
    key, _, pk = (cursor or "").rpartition("~")
    if not key or not pk.isdigit():
        return None
    # The redundant `sort_key >= key` lets both engines start the index scan at the cursor.
    return Q(sort_key__gte=key) & (Q(sort_key__gt=key) | Q(pk__gt=int(pk)))


def member_queryset(user, params):
    """Members the user may see, filtered by the list's parameters (org, q, status)."""
    qs = Member.objects.restrict(user)
    organization = None
    org_id = params.get("org")
    if org_id and str(org_id).isdigit():
        organization = Organization.objects.restrict(user).filter(pk=org_id).first()
        if organization is None:
            return Member.objects.none(), None
        qs = qs.filter(organization=organization) if organization.is_cell else qs.in_subtree(organization)
    status = params.get("status")
    if status == "all":
        pass
    elif status:
        qs = qs.filter(status=status)
    else:
        qs = qs.current()
    return qs.search(params.get("q", "")), organization


def member_page(user, params, size: int = PAGE_SIZE) -> Page:
    qs, organization = member_queryset(user, params)
    after = _after(params.get("after", ""))
    if after is not None:
        qs = qs.filter(after)
    rows = list(qs.select_related("organization").order_by("sort_key", "pk")[: size + 1])
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        next_cursor = f"{rows[-1].sort_key}~{rows[-1].pk}"
    return Page(rows=rows, next_cursor=next_cursor, organization=organization)
