from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "apps.inspections"
    verbose_name = _("Kiểm tra, giám sát")
    nav = [(_("Kiểm tra, giám sát"), "inspections:index", "view")]
    nav_order = 60

    def ready(self):
        from auditlog.registry import auditlog

        from apps.discipline.pages import detail_sections

        from . import models
        from .selectors import discipline_page_section

        for model in (
            models.InspectionPlan,
            models.Inspection,
            models.Remedy,
            models.Complaint,
            models.DisciplineBasis,
            models.InspectionAttachment,
            models.ComplaintAttachment,
        ):
            auditlog.register(model)
        detail_sections.append(discipline_page_section)
