from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "apps.evaluations"
    verbose_name = _("Đánh giá, xếp loại")
    nav = [(_("Đánh giá, xếp loại"), "evaluations:index")]
    nav_order = 40

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        for model in (
            models.RuleSet,
            models.Level,
            models.Frame,
            models.Criterion,
            models.Campaign,
            models.EvaluationRevision,
            models.Target,
        ):
            auditlog.register(model)
        auditlog.register(models.Evaluation, exclude_fields=["org_path"])
