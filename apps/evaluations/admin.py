"""Rule sets are edited by system administrators in the admin (superusers only).

They are reference data (apps.core.reference): never deleted, retired with "Ngừng sử dụng".
"""

from django.contrib import admin

from apps.core.admin import NoDeleteInline, ReferenceAdmin, SuperuserOnly

from .models import Criterion, Frame, Level, RuleSet


class LevelInline(NoDeleteInline, admin.TabularInline):
    model = Level
    extra = 0


class FrameInline(NoDeleteInline, admin.TabularInline):
    model = Frame
    extra = 0
    show_change_link = True


class CriterionInline(NoDeleteInline, admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(RuleSet)
class RuleSetAdmin(SuperuserOnly, ReferenceAdmin):
    list_display = (
        "name",
        "subject",
        "regulation",
        "guidance",
        "effective_from",
        "effective_to",
        "cap_percent",
        "active",
    )
    list_filter = ("subject", "active")
    inlines = [LevelInline, FrameInline]


@admin.register(Frame)
class FrameAdmin(SuperuserOnly, ReferenceAdmin):
    list_display = ("name", "rule_set", "form", "active")
    inlines = [CriterionInline]
