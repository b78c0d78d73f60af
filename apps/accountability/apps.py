from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    name = "apps.accountability"
    verbose_name = _("Tự soi, tự sửa")
    nav = [(_("Tự soi, tự sửa"), "accountability:index")]
    nav_order = 50

    def ready(self):
        from auditlog.registry import auditlog

        from apps.evaluations.pages import evidence_counts, evidence_sections, summary_links
        from apps.members.pages import detail_sections

        from . import models, selectors

        evidence_sections.append(selectors.evaluation_section)
        evidence_counts.append(selectors.evaluation_counts)
        summary_links.append(selectors.evaluation_summary_link)
        detail_sections.append(selectors.member_page_section)

        for model in (
            models.Manifestation,
            models.SelfExamination,
            models.SelfExaminationItem,
            models.Opening,
            models.Commitment,
            models.LogbookEntry,
            models.RemediationPlan,
            models.RemediationAction,
            models.PlanAttachment,
            models.ReviewGroup,
            models.ReviewTarget,
            models.RotatingReview,
        ):
            auditlog.register(model)
