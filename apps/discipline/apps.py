from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisciplineConfig(AppConfig):
    name = "apps.discipline"
    verbose_name = _("Kỷ luật")
    nav = [(_("Kỷ luật"), "discipline:list", "view")]
    nav_order = 70

    def ready(self):
        from auditlog.registry import auditlog

        from apps.members.pages import detail_sections

        from .models import Discipline, DisciplineAttachment
        from .selectors import member_page_section

        auditlog.register(Discipline)
        auditlog.register(DisciplineAttachment)
        detail_sections.append(member_page_section)
