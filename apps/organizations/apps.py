from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "apps.organizations"
    nav = [(_("Tổ chức"), "organizations:tree", "view")]
    nav_order = 10
    verbose_name = _("Tổ chức đảng")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Organization, exclude_fields=["sort_key"])  # derived from the name
        for model in (
            models.OrganizationEvent,
            models.Term,
            models.CommitteePost,
            models.OversightAssignment,
        ):
            auditlog.register(model)
