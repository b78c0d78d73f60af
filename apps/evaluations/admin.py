"""Rule sets are edited by system administrators in the admin (superusers only)."""

from django.contrib import admin

from .models import Criterion, Frame, Level, RuleSet


class SuperuserOnly:
    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class LevelInline(admin.TabularInline):
    model = Level
    extra = 0


class FrameInline(admin.TabularInline):
    model = Frame
    extra = 0
    show_change_link = True


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(RuleSet)
class RuleSetAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ("name", "subject", "regulation", "guidance", "effective_from", "effective_to", "cap_percent")
    list_filter = ("subject",)
    inlines = [LevelInline, FrameInline]


@admin.register(Frame)
class FrameAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ("name", "rule_set", "form")
    inlines = [CriterionInline]
