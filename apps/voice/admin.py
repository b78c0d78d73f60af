"""Petition rule sets are edited by system administrators (superusers only): the answer deadline
is set here, and listed as unconfirmed until someone confirms it. A set is never deleted."""

from django.contrib import admin

from apps.core.admin import SuperuserOnly

from .models import PetitionRuleSet


@admin.register(PetitionRuleSet)
class PetitionRuleSetAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ("name", "regulation", "effective_from", "effective_to", "answer_days", "working_days", "active")
    readonly_fields = ("code",)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else ()

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions
