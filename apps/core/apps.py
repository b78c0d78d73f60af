from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    verbose_name = _("Lõi hệ thống")

    def ready(self):
        from django.contrib import admin

        from . import cleaning

        # Every text that enters (forms, API, model saves) is cleaned in one place.
        cleaning.install()

        # Django's admin bypasses organization scoping, so it is for system administrators only;
        # everyone else works in the product's own pages.
        admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser
        admin.site.site_header = _("Chi Bộ Số — quản trị hệ thống")
        admin.site.site_title = _("Chi Bộ Số")
