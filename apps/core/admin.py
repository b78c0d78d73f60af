"""Admin building blocks shared by the apps."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .services import audited


class SuperuserOnly:
    """Reference data that only system administrators edit (rule sets), never deleted."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False


class NoDeleteInline:
    """An inline of reference data: rows are never deleted from the admin."""

    can_delete = False

    def has_delete_permission(self, request, obj=None):
        return False


class ReferenceAdmin(admin.ModelAdmin):
    """Admin of reference data (see apps.core.reference): retire, never delete."""

    actions = ["retire_selected"]

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=gettext_lazy("Ngừng sử dụng"), permissions=["change"])
    def retire_selected(self, request, queryset):
        count = 0
        with audited(request.user):
            for item in queryset:
                if getattr(item, item.retire_field):
                    item.retire()
                    count += 1
        self.message_user(
            request,
            _("Đã ngừng sử dụng %(count)s mục; hồ sơ cũ vẫn hiển thị chúng.") % {"count": count},
            messages.SUCCESS,
        )
