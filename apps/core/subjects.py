"""Rows about a member or about an organization (discipline, logbook, remediation, review targets).

Each is scoped by its subject's organization: a member's cell, or the organization itself.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .scoping import ScopedQuerySet


class SubjectQuerySet(ScopedQuerySet):
    scope_org = "subject_org"
    scope_path = "subject_path"
    scope_member = "member"


class SubjectMixin(models.Model):
    """A row about a member or about an organization, scoped by the subject's organization."""

    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("đảng viên")
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tổ chức đảng"),
    )
    subject_org = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", editable=False
    )
    subject_path = models.CharField(max_length=255, editable=False, db_index=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=False, organization__isnull=True)
                | Q(member__isnull=True, organization__isnull=False),
                name="%(app_label)s_%(class)s_one_subject",
            )
        ]

    @property
    def subject(self):
        return self.member or self.organization

    def set_subject(self):
        if self.member_id:
            self.subject_org = self.member.organization
        else:
            self.subject_org = self.organization
        self.subject_path = self.subject_org.path
