from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Pages that put several domains' figures side by side."""

    name = "apps.reports"
    verbose_name = _("Báo cáo tổng hợp")
