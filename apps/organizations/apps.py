from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "apps.organizations"
    nav = [(_("Tổ chức"), "organizations:tree", "view")]
    nav_order = 10
    verbose_name = _("Tổ chức đảng")

    def ready(self):
        from auditlog.registry import auditlog

        from apps.core import pickers

        from . import models, selectors

        pickers.register(
            "organization",
            url_name="core:pick_organization",
            search=selectors.picker_search,
            describe=selectors.picker_describe,
        )

        auditlog.register(
            models.Organization, exclude_fields=["sort_key", "created_at", "updated_at"]
        )  # sort_key derives from the name; the times are in the row
        for model in (
            models.OrganizationEvent,
            models.Term,
            models.CommitteePost,
            models.OversightAssignment,
        ):
            auditlog.register(model)
