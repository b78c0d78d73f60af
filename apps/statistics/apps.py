from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    """Figures of an organization on a date or over a period: members, movement, organizations,
    meetings, classification; tables, charts, exports and the API. Reads only, nothing to audit."""

    name = "apps.statistics"
    verbose_name = _("Thống kê")
    nav = [(_("Thống kê"), "statistics:index", "view")]
    nav_order = 80
