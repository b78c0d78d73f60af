"""A row's change history as people read it: who, when, each field before and after."""

from django.utils.translation import gettext_lazy as _

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
