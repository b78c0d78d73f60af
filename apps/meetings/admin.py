from django.contrib import admin

from apps.core.admin import ReferenceAdmin

from .models import MeetingRuleSet, Theme


@admin.register(MeetingRuleSet)
class MeetingRuleSetAdmin(ReferenceAdmin):
    list_display = ("name", "regulation", "valid_from", "valid_to", "min_attendance_pct", "min_minutes", "active")
    list_filter = ("active",)


@admin.register(Theme)
class ThemeAdmin(ReferenceAdmin):
    list_display = ("title", "category", "month", "year", "organization", "is_active")
    list_filter = ("category", "is_active")
    search_fields = ("title",)
