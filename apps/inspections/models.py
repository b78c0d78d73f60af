"""Inspection and supervision by committees and their inspection commissions (QĐ 296-QĐ/TW),
their conclusions and required remedies, and complaints and denunciations."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.files import Attachment, PrivateFileField
from apps.core.locking import Approvable
from apps.core.scoping import ScopedQuerySet
from apps.core.versioning import Versioned


class Body(models.TextChoices):
    COMMITTEE = "committee", _("Cấp ủy, ban thường vụ")
    COMMISSION = "commission", _("Ủy ban kiểm tra")
    CELL = "cell", _("Chi bộ")


class Kind(models.TextChoices):
    PERIODIC = "periodic", _("Kiểm tra định kỳ")
    THEMATIC = "thematic", _("Kiểm tra chuyên đề")
    UNSCHEDULED = "unscheduled", _("Kiểm tra đột xuất")
    SIGNS_OF_VIOLATION = "signs", _("Kiểm tra khi có dấu hiệu vi phạm")
    SELF_INSPECTION = "self", _("Tự kiểm tra")
    SUPERVISION_CONTINUOUS = "sup_continuous", _("Giám sát thường xuyên")
    SUPERVISION_THEMATIC = "sup_thematic", _("Giám sát chuyên đề")


SUPERVISION_KINDS = (Kind.SUPERVISION_CONTINUOUS, Kind.SUPERVISION_THEMATIC)


class Status(models.TextChoices):
    PLANNED = "planned", _("Trong kế hoạch")
    IN_PROGRESS = "in_progress", _("Đang tiến hành")
    CONCLUDED = "concluded", _("Đã kết luận")
    CLOSED = "closed", _("Đã hoàn thành khắc phục")


class Conclusion(models.TextChoices):
    GOOD = "good", _("Thực hiện tốt")
    SHORTCOMINGS = "shortcomings", _("Có hạn chế, khuyết điểm")
    VIOLATION = "violation", _("Có vi phạm")
    DISCIPLINE = "discipline", _("Có vi phạm đến mức phải xem xét kỷ luật")


class OwnedQuerySet(ScopedQuerySet):
    """Scoped by the organization that conducts the work (its committee or commission)."""

    scope_org = "organization"
    scope_path = "org_path"


class InspectionPlan(models.Model):
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("tổ chức đảng")
    )
    org_path = models.CharField(max_length=255, editable=False, db_index=True)
    body = models.CharField(_("cơ quan ban hành"), max_length=16, choices=Body.choices, default=Body.COMMITTEE)
    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("tên kế hoạch"), max_length=255)
    number = models.CharField(_("số kế hoạch"), max_length=100, blank=True)
    content = models.TextField(_("nội dung, trọng tâm"), blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("kế hoạch kiểm tra, giám sát")
        verbose_name_plural = _("kế hoạch kiểm tra, giám sát")
        ordering = ["-year", "org_path", "pk"]

    def __str__(self):
        return self.title


class Inspection(Versioned, Approvable, models.Model):
    """An inspection or supervision and its conclusion. The conclusion and its remedies are corrected
    and added to until the conclusion is issued (approved); then it is locked and a later change
    needs its reason (apps.core.locking)."""

    plan = models.ForeignKey(
        InspectionPlan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name=_("thuộc kế hoạch"),
    )
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("tổ chức tiến hành")
    )
    org_path = models.CharField(max_length=255, editable=False, db_index=True)
    body = models.CharField(_("chủ thể"), max_length=16, choices=Body.choices, default=Body.COMMITTEE)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("nội dung kiểm tra, giám sát"), max_length=255)
    subject_member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("đảng viên được kiểm tra"),
    )
    subject_organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tổ chức đảng được kiểm tra"),
    )
    subject_path = models.CharField(max_length=255, editable=False, db_index=True)
    team = models.TextField(_("đoàn (tổ) kiểm tra"), blank=True)
    period_start = models.DateField(_("từ ngày"), null=True, blank=True)
    period_end = models.DateField(_("đến ngày"), null=True, blank=True)
    status = models.CharField(_("tình trạng"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    findings = models.TextField(_("kết quả kiểm tra (ưu điểm, hạn chế, vi phạm)"), blank=True)
    conclusion = models.CharField(_("kết luận"), max_length=16, choices=Conclusion.choices, blank=True)
    conclusion_text = models.TextField(_("nội dung kết luận"), blank=True)
    concluded_on = models.DateField(_("ngày kết luận"), null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("cuộc kiểm tra, giám sát")
        verbose_name_plural = _("cuộc kiểm tra, giám sát")
        ordering = ["-period_start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(subject_member__isnull=False, subject_organization__isnull=True)
                | Q(subject_member__isnull=True, subject_organization__isnull=False),
                name="inspection_one_subject",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def subject(self):
        return self.subject_member or self.subject_organization

    @property
    def is_supervision(self) -> bool:
        return self.kind in SUPERVISION_KINDS

    def get_status_display(self) -> str:
        """An inspection not yet begun reads "in the plan" only when it belongs to a plan."""
        if self.status == Status.PLANNED and self.plan_id is None:
            return str(_("Chưa tiến hành (ngoài kế hoạch)"))
        return str(Status(self.status).label)


class RemedyQuerySet(ScopedQuerySet):
    scope_org = "inspection__organization"
    scope_path = "inspection__org_path"

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(done_on__isnull=True, deadline__lt=today)


class Remedy(Versioned, models.Model):
    """A remedy the conclusion requires, with the check that it was done."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="remedies")
    requirement = models.TextField(_("yêu cầu khắc phục"))
    deadline = models.DateField(_("thời hạn"))
    done_on = models.DateField(_("ngày báo cáo hoàn thành"), null=True, blank=True)
    checked_on = models.DateField(_("ngày kiểm tra lại"), null=True, blank=True)
    check_passed = models.BooleanField(_("đạt yêu cầu"), null=True, blank=True)
    check_result = models.TextField(_("kết quả kiểm tra lại"), blank=True)

    objects = RemedyQuerySet.as_manager()

    class Meta:
        verbose_name = _("yêu cầu khắc phục")
        verbose_name_plural = _("yêu cầu khắc phục")
        ordering = ["deadline", "pk"]


class ComplaintKind(models.TextChoices):
    COMPLAINT = "complaint", _("Khiếu nại")
    DENUNCIATION = "denunciation", _("Tố cáo")


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    HANDLING = "handling", _("Đang giải quyết")
    ANSWERED = "answered", _("Đã trả lời")


class Complaint(Versioned):
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("nơi tiếp nhận")
    )
    org_path = models.CharField(max_length=255, editable=False, db_index=True)
    kind = models.CharField(_("loại đơn"), max_length=16, choices=ComplaintKind.choices)
    received_on = models.DateField(_("ngày nhận"))
    sender = models.CharField(_("người gửi"), max_length=255, blank=True, help_text=_("Để trống nếu đơn nặc danh"))
    about_member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("đảng viên bị khiếu nại, tố cáo"),
    )
    about = models.CharField(_("đối tượng (nếu không phải đảng viên trong hệ thống)"), max_length=255, blank=True)
    content = models.TextField(_("nội dung"))
    status = models.CharField(
        _("tình trạng"), max_length=16, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED
    )
    handling = models.TextField(_("quá trình giải quyết"), blank=True)
    answered_on = models.DateField(_("ngày trả lời"), null=True, blank=True)
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("cuộc kiểm tra liên quan"),
    )

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn khiếu nại, tố cáo")
        verbose_name_plural = _("đơn khiếu nại, tố cáo")
        ordering = ["-received_on", "-pk"]


class DisciplineBasisQuerySet(ScopedQuerySet):
    """Scoped like the decision it explains: by the disciplined member's cell or organization."""

    scope_org = "discipline__subject_org"
    scope_path = "discipline__subject_path"


class DisciplineBasis(models.Model):
    """Where a discipline decision started: the inspection conclusion that called for it and/or the
    complaint or denunciation that led to it (complaint → inspection → conclusion → discipline)."""

    discipline = models.OneToOneField(
        "discipline.Discipline", on_delete=models.PROTECT, related_name="basis", verbose_name=_("quyết định kỷ luật")
    )
    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="discipline_bases",
        verbose_name=_("kết luận kiểm tra"),
    )
    complaint = models.ForeignKey(
        Complaint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="discipline_bases",
        verbose_name=_("đơn khiếu nại, tố cáo"),
    )

    objects = DisciplineBasisQuerySet.as_manager()

    class Meta:
        verbose_name = _("căn cứ kỷ luật")
        verbose_name_plural = _("căn cứ kỷ luật")
        constraints = [
            models.CheckConstraint(
                condition=Q(inspection__isnull=False) | Q(complaint__isnull=False), name="discipline_basis_named"
            )
        ]


class InspectionAttachmentQuerySet(ScopedQuerySet):
    scope_org = "inspection__organization"
    scope_path = "inspection__org_path"


class InspectionAttachment(Attachment):
    """An inspection's documents: the conclusion as signed, the report, the subject's answer."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("cuộc kiểm tra, giám sát")
    )
    file = PrivateFileField(_("tệp"), prefix="inspections")

    objects = InspectionAttachmentQuerySet.as_manager()

    class Meta(Attachment.Meta):
        verbose_name = _("tài liệu kiểm tra, giám sát")
        verbose_name_plural = _("tài liệu kiểm tra, giám sát")


class ComplaintAttachmentQuerySet(ScopedQuerySet):
    scope_org = "complaint__organization"
    scope_path = "complaint__org_path"


class ComplaintAttachment(Attachment):
    """A complaint's documents: the letter received, the answer sent."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("đơn khiếu nại, tố cáo")
    )
    file = PrivateFileField(_("tệp"), prefix="complaints")

    objects = ComplaintAttachmentQuerySet.as_manager()

    class Meta(Attachment.Meta):
        verbose_name = _("tài liệu đơn khiếu nại, tố cáo")
        verbose_name_plural = _("tài liệu đơn khiếu nại, tố cáo")
