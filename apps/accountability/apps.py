from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    name = "apps.accountability"
    verbose_name = _("Tự soi, tự sửa")
