"""Dues rule sets are edited by system administrators in the admin (superusers only): values the
regulation leaves unconfirmed are set here, and listed as unconfirmed until someone confirms them.
A set is never deleted; it ends with its "áp dụng đến ngày"."""

from django.contrib import admin

from apps.core.admin import SuperuserOnly

from .models import DuesRuleSet


@admin.register(DuesRuleSet)
class DuesRuleSetAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ("name", "regulation", "effective_from", "effective_to", "insured_rate_bp", "pension_rate_bp")
    readonly_fields = ("code",)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else ()

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions
