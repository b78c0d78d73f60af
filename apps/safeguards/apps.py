from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafeguardsConfig(AppConfig):
    name = "apps.safeguards"
    verbose_name = _("Bảo vệ dữ liệu cá nhân")
    # "admin" is no role action: only a system administrator (scope.is_admin) holds it, so the
    # entry shows in the administrator's menu alone (apps.core.navigation._holds).
    nav = [(_("Nhật ký dữ liệu cá nhân"), "safeguards:index", "admin")]
    nav_order = 95
