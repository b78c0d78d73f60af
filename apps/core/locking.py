"""Approval locks a record; a change after it is a correction with its reason.

The meetings app set the rule for minutes (apps/meetings/services.py: `minutes_approve`,
`minutes_correct`): once adopted they are locked, and a later change is made only as a correction
that says why, while what was approved stays readable. Records kept as evidence (log entries,
remediation plans, inspection conclusions) follow the same rule with these pieces:

* `Approvable`: `approved_at`, `approved_by`, `correction_reason`; `is_approved`/`is_locked`.
* `approve(record, user)`: stamps the approval (inside the caller's `audited()` block).
* `require_unlocked(record)`: refuses any change to a locked record (meetings: no edits at all).
* `allow_change(record, reason)`: for records that may be corrected after approval: free before
  it; after it, only with a reason, kept on the record. The audit log (django-auditlog) keeps each
  save's old and new values and who made it, so the approved text stays in the history
  (`apps.core.history.change_history`), and `Versioned` refuses a save made from a stale page.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Approvable(models.Model):
    approved_at = models.DateTimeField(gettext_lazy("duyệt lúc"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("người duyệt"),
    )
    correction_reason = models.CharField(gettext_lazy("lý do sửa đổi"), max_length=255, blank=True)

    class Meta:
        abstract = True

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None

    @property
    def is_locked(self) -> bool:
        return self.is_approved


def approve(record: Approvable, user, *, save: bool = True) -> None:
    """Lock `record` as approved by `user`; refused if it already is."""
    if record.is_approved:
        raise ValidationError(_("Hồ sơ này đã được duyệt."))
    record.approved_at, record.approved_by = timezone.now(), user
    if save:
        record.save()


def require_unlocked(record: Approvable, message: str | None = None) -> None:
    if record.is_locked:
        raise ValidationError(message or _("Hồ sơ này đã được duyệt và khóa; không thể sửa."))


def allow_change(record: Approvable, reason: str = "") -> None:
    """A change to `record`: free before approval; after it, only as a correction with its reason."""
    reason = (reason or "").strip()
    if not record.is_locked:
        return
    if not reason:
        raise ValidationError(
            {"correction_reason": _("Hồ sơ đã được duyệt và khóa: chỉ sửa khi ghi rõ lý do sửa đổi.")}
        )
    record.correction_reason = reason[:255]
