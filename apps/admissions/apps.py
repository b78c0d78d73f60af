from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdmissionsConfig(AppConfig):
    name = "apps.admissions"
    verbose_name = _("Kết nạp đảng viên")
    nav = [(_("Kết nạp"), "admissions:list", "change")]
    nav_order = 35

    def ready(self):
        from auditlog.registry import auditlog

        from apps.members.pages import detail_sections

        from .models import AdmissionCase, AdmissionStep, DeclaredDay, LifecycleRuleSet, Sponsor
        from .selectors import member_page_section

        for model in (AdmissionCase, AdmissionStep, Sponsor, LifecycleRuleSet, DeclaredDay):
            auditlog.register(model)
        detail_sections.append(member_page_section)
