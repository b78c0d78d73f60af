from django.contrib import admin

from apps.core.admin import ReferenceAdmin

from .models import AccessRecord, Manifestation


@admin.register(Manifestation)
class ManifestationAdmin(ReferenceAdmin):
    list_display = ("number", "group", "resolution", "wording_confirmed", "active", "text")
    list_filter = ("resolution", "group", "wording_confirmed", "active")
    list_editable = ("wording_confirmed",)


@admin.register(AccessRecord)
class AccessRecordAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "kind", "object_id", "member", "opening", "basis")
    list_filter = ("kind",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
