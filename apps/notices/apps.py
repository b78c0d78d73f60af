from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "apps.notices"
    verbose_name = _("Thông báo")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.EmailPreference)
        auditlog.register(models.Notice, exclude_fields=["read_at"])
