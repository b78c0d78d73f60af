from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "apps.imports"
    verbose_name = _("Nhập, xuất Excel")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.ImportBatch, exclude_fields=["preview", "columns"])
