from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    verbose_name = _("Tài khoản")
    nav = [(_("Tài khoản"), "accounts:list", "change")]
    nav_order = 90

    def ready(self):
        from auditlog.registry import auditlog

        from .models import RoleAssignment, User

        auditlog.register(User, exclude_fields=["password", "last_login"])
        auditlog.register(RoleAssignment)
