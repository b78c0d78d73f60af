from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuesConfig(AppConfig):
    name = "apps.dues"
    verbose_name = _("Đảng phí")
    nav = [(_("Đảng phí"), "dues:index", "view")]
    nav_order = 45

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        for model in (
            models.DuesRuleSet,
            models.DuesBasis,
            models.DuesExemption,
            models.DuesReceipt,
            models.DuesEntry,
            models.DuesMonthClose,
            models.Remittance,
            models.DuesImport,
        ):
            auditlog.register(model)
