"""Discipline decisions (Charter art. 35) on a member or on an organization."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.files import Attachment, PrivateFileField
from apps.core.scoping import ScopedQuerySet
from apps.core.subjects import SubjectMixin, SubjectQuerySet
from apps.core.versioning import Versioned


class Form(models.TextChoices):
    REPRIMAND = "reprimand", _("Khiển trách")
    WARNING = "warning", _("Cảnh cáo")
    REMOVAL = "removal", _("Cách chức")
    EXPULSION = "expulsion", _("Khai trừ")
    DISSOLUTION = "dissolution", _("Giải tán")


# The forms the Charter allows for each kind of subject.
FORMS_FOR_ORGANIZATION = (Form.REPRIMAND, Form.WARNING, Form.DISSOLUTION)
FORMS_FOR_FULL_MEMBER = (Form.REPRIMAND, Form.WARNING, Form.REMOVAL, Form.EXPULSION)
FORMS_FOR_PROBATIONARY = (Form.REPRIMAND, Form.WARNING)


class DisciplineQuerySet(SubjectQuerySet):
    """Scoped by the subject's organization: the member's cell, or the organization itself."""

    def in_year(self, year: int):
        return self.filter(decided_on__year=year)

    def in_force(self):
        return self.filter(revoked_on__isnull=True)


class Discipline(Versioned, SubjectMixin):
    # The two relations are named here so that member.disciplines and organization.disciplines read.
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disciplines",
        verbose_name=_("đảng viên"),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disciplines",
        verbose_name=_("tổ chức đảng bị kỷ luật"),
    )
    form = models.CharField(_("hình thức"), max_length=16, choices=Form.choices)
    deciding_body = models.CharField(_("cấp quyết định"), max_length=255)
    decision = models.CharField(_("số quyết định"), max_length=100, blank=True)
    decided_on = models.DateField(_("ngày quyết định"))
    effective_on = models.DateField(_("ngày có hiệu lực"), null=True, blank=True)
    reason = models.TextField(_("nội dung vi phạm"))
    appealed_on = models.DateField(_("ngày khiếu nại"), null=True, blank=True)
    appeal_result = models.TextField(_("kết quả giải quyết khiếu nại"), blank=True)
    revoked_on = models.DateField(_("ngày xóa bỏ/thay đổi quyết định"), null=True, blank=True)

    objects = DisciplineQuerySet.as_manager()

    class Meta(SubjectMixin.Meta):
        verbose_name = _("kỷ luật")
        verbose_name_plural = _("kỷ luật")
        ordering = ["-decided_on", "-pk"]

    def __str__(self):
        return f"{self.get_form_display()} – {self.member or self.organization}"


class DisciplineAttachmentQuerySet(ScopedQuerySet):
    scope_org = "discipline__subject_org"
    scope_path = "discipline__subject_path"


class DisciplineAttachment(Attachment):
    """The decision's documents (the signed decision, the appeal, its answer)."""

    discipline = models.ForeignKey(
        Discipline, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("quyết định kỷ luật")
    )
    file = PrivateFileField(_("tệp"), prefix="discipline")

    objects = DisciplineAttachmentQuerySet.as_manager()

    class Meta(Attachment.Meta):
        verbose_name = _("tài liệu quyết định kỷ luật")
        verbose_name_plural = _("tài liệu quyết định kỷ luật")
