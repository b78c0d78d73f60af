"""Reads over the tree, including the tree as it stood on a past date."""

from datetime import date

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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


def tree_rows(user, root: Organization | None = None):
    """Organizations the user may see, in tree order, for the tree page."""
    qs = Organization.objects.restrict(user).select_related("parent")
    if root is not None:
        qs = qs.filter(path__startswith=root.path)
    return qs.order_by("path")


def tree_on(user, day: date) -> list[dict]:
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
        ids.sort(key=lambda pk: names.get(pk, visible[pk].name))
    rows, stack = [], [(pk, 0) for pk in reversed(children.get(None, []))]
    while stack:
        org_id, depth = stack.pop()
        rows.append({"org": visible[org_id], "name": names.get(org_id, visible[org_id].name), "depth": depth})
        stack.extend((child, depth + 1) for child in reversed(children.get(org_id, [])))
    return rows


def parent_chain(organization: Organization, user) -> list[Organization]:
    """Ancestors from the root down that the user may see (for the breadcrumb)."""
    return list(organization.ancestors().restrict(user))


# Stored derivations and tree bookkeeping: not shown in the change history.
HIDDEN_FIELDS = {"id", "path", "depth", "search_name", "sort_key", "org_path"}


def change_history(instance, limit: int = 50) -> list[dict]:
    """Auditlog entries of one row: who, when, what, and each field's value before and after."""
    from auditlog.models import LogEntry

    shown = {
        str(f.verbose_name)
        for f in type(instance)._meta.concrete_fields
        if f.name not in HIDDEN_FIELDS and getattr(f, "editable", True)
    }
    entries = LogEntry.objects.get_for_object(instance).select_related("actor").order_by("-timestamp", "-pk")[:limit]
    rows = []
    for entry in entries:
        changes = []
        for label, values in entry.changes_display_dict.items():
            if str(label) not in shown:
                continue
            before = _display(values[0]) if values else ""
            after = _display(values[1]) if len(values) > 1 else ""
            if before or after:
                changes.append({"field": label, "before": before, "after": after})
        if not changes and entry.action != LogEntry.Action.CREATE:
            continue
        rows.append(
            {
                "when": entry.timestamp,
                "who": entry.actor.get_username() if entry.actor else "",
                "action": ACTION_LABELS.get(entry.action, ""),
                "changes": changes,
            }
        )
    return rows


ACTION_LABELS = {0: _("Tạo mới"), 1: _("Sửa"), 2: _("Xóa"), 3: _("Xem")}


def _display(value) -> str:
    return "" if value in (None, "None") else str(value)
