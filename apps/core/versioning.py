"""Optimistic locking: a record carries a version; a save made from a stale copy is refused.

- Models inherit `Versioned`: `version` starts at 1 and every save of an existing row adds one.
- Edit forms take `apps.core.forms.VersionedFormMixin`: a hidden `version` field holds the version the page showed.
- Services take `expected_version` and call `check_version(obj, expected_version)` inside their
  `audited()` block, before saving: the row is locked, and if someone saved it since, the write is
  refused with `StaleVersion`, whose message lists each change made meanwhile, field by field,
  with who made it and when (read from the audit log).
- The API sends the version as `ETag` on a record's GET and honours `If-Match` on writes
  (412 Precondition Failed when stale), see apps.api.views.
"""

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class VersionedSave:
    """Adds one to the field named `version_field` on every save of an existing row."""

    version_field = "version"

    def save(self, *args, **kwargs):
        name = self.version_field
        update_fields = kwargs.get("update_fields")
        if not self._state.adding and (update_fields is None or len(update_fields)):
            setattr(self, name, (getattr(self, name) or 0) + 1)
            if update_fields is not None and name not in update_fields:
                kwargs["update_fields"] = [*update_fields, name]
        super().save(*args, **kwargs)

    @property
    def current_version(self) -> int:
        return getattr(self, self.version_field)

    @property
    def etag(self) -> str:
        return f'"{self.current_version}"'


class Versioned(VersionedSave, models.Model):
    version = models.PositiveIntegerField(gettext_lazy("phiên bản"), default=1, editable=False)

    class Meta:
        abstract = True


class StaleVersion(ValidationError):
    """The record was saved by someone else after the copy being saved was read."""

    def __init__(self, obj, expected: int, current: int):
        self.expected, self.current = expected, current
        self.changes = changes_since(obj, expected)
        message = _(
            "Hồ sơ này đã được sửa sau khi đồng chí mở trang (phiên bản %(expected)s, nay là %(current)s); "
            "thay đổi của đồng chí chưa được lưu. Hãy mở lại trang để xem bản mới rồi sửa lại."
        ) % {"expected": expected, "current": current}
        super().__init__([message, *self.changes], code="stale")


def _display(field, value) -> str:
    if value in (None, "None", ""):
        return _("(trống)")
    if field is not None and field.choices:
        labels = {str(k): str(v) for k, v in field.flatchoices}
        return labels.get(str(value), str(value))
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        day = parse_date(str(value)) if value else None
        if day:
            return day.strftime("%d/%m/%Y")
    return str(value)


def changes_since(obj, version: int) -> list[str]:
    """One line per field changed by each save that made a version after `version`."""
    model = type(obj)
    name = getattr(obj, "version_field", "version")
    lines = []
    entries = (
        LogEntry.objects.get_for_object(obj)
        .filter(action=LogEntry.Action.UPDATE)
        .select_related("actor")
        .order_by("timestamp", "pk")
    )
    for entry in entries:
        changes = entry.changes_dict or {}
        try:
            made = int(changes.get(name, [None, None])[1])
        except (TypeError, ValueError, IndexError):
            continue
        if made <= version:
            continue
        actor = entry.actor
        who = (actor.get_full_name() or actor.get_username()) if actor else _("hệ thống")
        when = timezone.localtime(entry.timestamp).strftime("%H:%M %d/%m/%Y")
        for changed, pair in changes.items():
            try:
                field = model._meta.get_field(changed)
            except FieldDoesNotExist:
                continue
            if not field.editable or not isinstance(pair, list | tuple) or len(pair) != 2:
                continue
            lines.append(
                _("%(field)s: %(before)s → %(after)s, sửa bởi %(who)s lúc %(when)s")
                % {
                    "field": capfirst(str(field.verbose_name)),
                    "before": _display(field, pair[0]),
                    "after": _display(field, pair[1]),
                    "who": who,
                    "when": when,
                }
            )
    return lines


def parse_version(value) -> int | None:
    """A version from a form, a JSON body or an `If-Match` header ("3", 3, W/"3"); None if absent."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationError(_("Phiên bản không hợp lệ."), code="invalid_version")
    text = str(value).strip()
    if text == "*":  # If-Match: * means "whatever version there is"
        return None
    if text.startswith("W/"):
        text = text[2:]
    text = text.strip('"')
    if not text.isdigit():
        raise ValidationError(_("Phiên bản không hợp lệ."), code="invalid_version")
    return int(text)


def check_version(obj, expected_version) -> None:
    """Inside the write's transaction: lock the row; refuse if it moved past `expected_version`.

    `expected_version` None means the caller did not say (internal calls): nothing is checked.
    """
    expected = parse_version(expected_version)
    if expected is None or obj.pk is None:
        return
    name = getattr(obj, "version_field", "version")
    current = type(obj)._base_manager.select_for_update().filter(pk=obj.pk).values_list(name, flat=True).first()
    if current is None:
        return
    if current != expected:
        raise StaleVersion(obj, expected, current)
    setattr(obj, name, current)
