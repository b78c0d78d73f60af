"""Created and updated times of the records integrators copy (apps.api's change feed).

`Timestamped` adds `created_at` and `updated_at`; `updated_at` moves on every save, including a
save with `update_fields` (which would otherwise leave an `auto_now` field out). Writes that skip
`save()` must set it themselves: `apps.core.bulk.insert` fills both, and a queryset `.update()` of
such a model passes `**touch(Model)`.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Timestamped(models.Model):
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and len(update_fields) and "updated_at" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "updated_at"]
        super().save(*args, **kwargs)


def touch(model, now=None) -> dict:
    """`{"updated_at": now}` for a queryset `.update()` of a Timestamped model, else nothing."""
    if not issubclass(model, Timestamped):
        return {}
    return {"updated_at": now or timezone.now()}


def auto_time_fields(model) -> list[str]:
    """The attnames of the model's auto_now / auto_now_add fields (filled by bulk writers)."""
    return [
        f.attname
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
