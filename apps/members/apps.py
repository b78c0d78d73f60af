from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "apps.members"
    nav = [(_("Đảng viên"), "members:list")]
    nav_order = 20
    verbose_name = _("Đảng viên")

    def ready(self):
        from auditlog.registry import auditlog

        from apps.core import pickers

        from . import models, selectors

        pickers.register(
            "member", url_name="core:pick_member", search=selectors.picker_search, describe=selectors.picker_describe
        )

        auditlog.register(
            models.Member, exclude_fields=["search_name", "sort_key", "org_path", "created_at", "updated_at"]
        )
        auditlog.register(models.StatusChange)
        auditlog.register(models.Award)
        auditlog.register(models.TrainingRecord)
        auditlog.register(models.LifecycleRuleSet)
        auditlog.register(models.Exemption)
