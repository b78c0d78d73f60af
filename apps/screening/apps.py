from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "apps.screening"
    verbose_name = _("Xem xét xóa tên")
    nav = [(_("Xem xét xóa tên"), "screening:index", "change")]
    nav_order = 47

    def ready(self):
        from auditlog.registry import auditlog

        from apps.members.pages import detail_sections

        from . import models, selectors

        detail_sections.append(selectors.member_page_section)
        auditlog.register(models.ScreeningCase)
