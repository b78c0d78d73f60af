from django.contrib import admin

from .models import MeetingRuleSet, Theme


@admin.register(MeetingRuleSet)
class MeetingRuleSetAdmin(admin.ModelAdmin):
    list_display = ("name", "regulation", "valid_from", "valid_to", "min_attendance_pct", "min_minutes")


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("title", "category", "month", "year", "organization", "is_active")
    list_filter = ("category", "is_active")
    search_fields = ("title",)
