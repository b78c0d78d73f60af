"""Reads over the tree, including the tree as it stood on a past date."""

from datetime import date

from django.contrib.auth.models import AbstractUser
from django.db.models import Q

from apps.core.text import title_sort_key

from .models import Organization, OrganizationVersion


def parents_on(day: date) -> dict[int, int | None]:
    """organization id -> parent id, as the tree stood on `day` (organizations alive that day)."""
    versions = OrganizationVersion.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gt=day)
    ).values_list("organization_id", "parent_id")
    return dict(versions)


def subtree_ids_on(organization: Organization, day: date) -> set[int]:
    """Ids of `organization` and everything under it on `day`, by the dated history."""
    parents = parents_on(day)
    children: dict[int | None, list[int]] = {}
    for org_id, parent_id in parents.items():
        children.setdefault(parent_id, []).append(org_id)
    found, stack = set(), [organization.pk]
    while stack:
        org_id = stack.pop()
        if org_id in found:
            continue
        found.add(org_id)
        stack.extend(children.get(org_id, ()))
    return found


def name_on(organization: Organization, day: date) -> str:
    version = (
        organization.versions.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .first()
    )
    return version.name if version else organization.name


def tree_rows(user: AbstractUser, root: Organization | None = None):
    """Organizations the user may see, in tree order, for the tree page."""
    qs = Organization.objects.restrict(user).select_related("parent")
    if root is not None:
        qs = qs.filter(path__startswith=root.path)
    return qs.order_by("path")


def tree_on(user: AbstractUser, day: date) -> list[dict]:
    """The tree as it stood on `day`, limited to organizations the user may see: rows of
    {"org", "name", "depth"} in tree order, with the names and parents of that day."""
    parents = parents_on(day)
    visible = {o.pk: o for o in Organization.objects.restrict(user).filter(pk__in=list(parents))}
    names = dict(
        OrganizationVersion.objects.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gt=day),
            organization_id__in=list(visible),
        ).values_list("organization_id", "name")
    )
    children: dict[int | None, list[int]] = {}
    for org_id in visible:
        parent_id = parents.get(org_id)
        children.setdefault(parent_id if parent_id in visible else None, []).append(org_id)
    for ids in children.values():
        ids.sort(key=lambda pk: title_sort_key(names.get(pk, visible[pk].name)))
    rows, stack = [], [(pk, 0) for pk in reversed(children.get(None, []))]
    while stack:
        org_id, depth = stack.pop()
        rows.append({"org": visible[org_id], "name": names.get(org_id, visible[org_id].name), "depth": depth})
        stack.extend((child, depth + 1) for child in reversed(children.get(org_id, [])))
    return rows


def parent_chain(organization: Organization, user: AbstractUser) -> list[Organization]:
    """Ancestors from the root down that the user may see (for the breadcrumb)."""
    return list(organization.ancestors().restrict(user))


def picker_search(user: AbstractUser, text: str, actions) -> list[Organization]:
    """Current organizations the user reaches by any of `actions` whose name matches `text` with or
    without diacritics (every word typed, in any order), or whose code is `text`; at most
    pickers.LIMIT + 1. Names are compared folded here: a province's reach is a few thousand short
    rows of (pk, name), read once per search, and nothing of it goes to the page."""
    from apps.core.pickers import LIMIT
    from apps.core.text import fold

    first, *others = actions
    qs = Organization.objects.restrict(user, first)
    for action in others:
        qs = qs | Organization.objects.restrict(user, action)
    qs = qs.current().distinct()
    words = fold(text).split()
    code = text.strip().lower()
    matched = [
        pk
        for pk, name, org_code in qs.order_by("sort_key", "pk").values_list("pk", "name", "code")
        if all(w in fold(name) for w in words) or (org_code or "").lower() == code
    ]
    chosen = matched[: LIMIT + 1]
    rows = Organization.objects.filter(pk__in=chosen).select_related("parent").in_bulk()
    return [rows[pk] for pk in chosen]


def picker_describe(organization: Organization) -> str:
    """An organization as a picker shows it: its name and its parent's, so same names are told apart."""
    parent = organization.parent if organization.parent_id else None
    if parent is not None:
        return f"{organization.name} ({parent.name})"
    return organization.name
