from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResolutionsConfig(AppConfig):
    name = "apps.resolutions"
    verbose_name = _("Nghị quyết, chỉ tiêu, nhiệm vụ")
    nav = [(_("Nghị quyết, chỉ tiêu"), "resolutions:index", "view"), (_("Nhiệm vụ"), "resolutions:tasks", "view")]
    nav_order = 47

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        for model in (
            models.Resolution,
            models.Target,
            models.TargetRevision,
            models.Result,
            models.ResultClosure,
            models.Task,
            models.TaskReview,
            models.WorkingRules,
            models.WorkingArea,
        ):
            auditlog.register(model)
