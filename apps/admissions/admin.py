"""Rule sets and declared days are edited by system administrators in the admin (superusers only);
never deleted: a set ends with its "áp dụng đến ngày", a day is retired."""

from django.contrib import admin

from apps.core.admin import ReferenceAdmin, SuperuserOnly

from .models import DeclaredDay, LifecycleRuleSet


@admin.register(LifecycleRuleSet)
class LifecycleRuleSetAdmin(SuperuserOnly, ReferenceAdmin):
    list_display = ("name", "regulation", "effective_from", "effective_to", "probation_months", "deciding_level")

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj else ()


@admin.register(DeclaredDay)
class DeclaredDayAdmin(SuperuserOnly, ReferenceAdmin):
    list_display = ("date", "name", "is_working_day", "active")
