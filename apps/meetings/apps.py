from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "apps.meetings"
    verbose_name = _("Sinh hoạt chi bộ")
    nav = [(_("Sinh hoạt chi bộ"), "meetings:index")]
    nav_order = 30

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        for model in (
            models.MeetingRuleSet,
            models.Theme,
            models.Meeting,
            models.Contribution,
            models.MeetingDocument,
            models.Notification,
            models.Attendance,
            models.Minutes,
            models.Vote,
            models.QualityAssessment,
            models.PeriodClosure,
            models.Backfill,
        ):
            auditlog.register(model)
