from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    verbose_name = _("Tài khoản")
    nav = [(_("Tài khoản"), "accounts:list", "change")]
    nav_order = 90

    def ready(self):
        from auditlog.registry import auditlog
        from axes.models import AccessAttempt
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from . import security  # noqa: F401  (signal receivers)
        from .models import ApiToken, RoleAssignment, User

        auditlog.register(User, exclude_fields=["password", "last_login"])
        auditlog.register(RoleAssignment)
        auditlog.register(ApiToken, exclude_fields=["key_hash", "last_used_at"])
        # An unlock deletes the lock's record; a second factor's secret is never logged.
        auditlog.register(AccessAttempt)
        auditlog.register(TOTPDevice, exclude_fields=["key", "last_t", "throttling_failure_timestamp"])
