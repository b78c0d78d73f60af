from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    name = "apps.accountability"
    verbose_name = _("Tự soi, tự sửa")
    nav = [(_("Tự soi, tự sửa"), "accountability:index")]
    nav_order = 50

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        for model in (
            models.Manifestation,
            models.SelfExamination,
            models.SelfExaminationItem,
            models.Opening,
            models.Commitment,
            models.LogbookEntry,
            models.RemediationPlan,
            models.RemediationAction,
            models.PlanAttachment,
            models.ReviewGroup,
            models.ReviewTarget,
            models.RotatingReview,
        ):
            auditlog.register(model)
