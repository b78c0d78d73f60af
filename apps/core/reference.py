"""Reference data that records point to (themes, rule sets, criteria, manifestations …).

It is never hard-deleted, not even by a superuser in the admin: an old meeting, evaluation or
self-examination must still show the theme, level or manifestation it was made with. An item that
should no longer be used is retired (its `active` flag, or the model's `retire_field`, set off):
forms stop offering it, old records keep showing it.

- Models mix in `Retirable` (before `models.Model`): `delete()` refuses.
- Relations from records to them use `on_delete=PROTECT`.
- Admin classes use `apps.core.admin.ReferenceAdmin` (no delete permission, no delete action,
  an action "Ngừng sử dụng").
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


class Retirable:
    retire_field = "active"

    def delete(self, *args, **kwargs):
        raise PermissionDenied(
            _("“%(item)s” là dữ liệu danh mục mà hồ sơ dùng tới: không xóa được, hãy chọn “Ngừng sử dụng”.")
            % {"item": self}
        )

    def retire(self) -> None:
        setattr(self, self.retire_field, False)
        self.save(update_fields=[self.retire_field])
