"""Self-examination against the 27 manifestations (NQ 04-NQ/TW), commitments, the
strengths-and-shortcomings log, remediation plans, review working groups and rotating reviews.

A self-examination is private: the member and their cell committee read it; the organizations
above read only counts unless a review or an inspection opens it (`Opening`), and every reading
by someone other than the member is recorded (`AccessRecord`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.files import Attachment, PrivateFileField
from apps.core.locking import Approvable
from apps.core.reference import Retirable
from apps.core.scoping import VIEW, PrivateRule, ScopedQuerySet
from apps.core.subjects import SubjectMixin, SubjectQuerySet
from apps.core.versioning import Versioned


class ManifestationGroup(models.IntegerChoices):
    POLITICAL = 1, _("Suy thoái về tư tưởng chính trị")
    ETHICS = 2, _("Suy thoái về đạo đức, lối sống")
    SELF_EVOLUTION = 3, _("Biểu hiện “tự diễn biến”, “tự chuyển hóa”")


class Manifestation(Retirable, models.Model):
    """Reference data: one of the manifestations listed by a resolution, editable by an administrator."""

    resolution = models.CharField(_("nghị quyết"), max_length=50, default="04-NQ/TW")
    resolution_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    group = models.PositiveSmallIntegerField(_("nhóm"), choices=ManifestationGroup.choices)
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    text = models.TextField(_("nội dung biểu hiện"))
    wording_confirmed = models.BooleanField(
        _("đã đối chiếu nguyên văn"),
        default=False,
        help_text=_("Chưa đối chiếu: quản trị viên cần so với văn bản gốc của nghị quyết và sửa lại."),
    )
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("biểu hiện suy thoái")
        verbose_name_plural = _("biểu hiện suy thoái")
        ordering = ["resolution", "number"]
        constraints = [models.UniqueConstraint(fields=["resolution", "number"], name="manifestation_unique_number")]

    def __str__(self):
        return f"({self.number}) {self.text[:80]}"


class Degree(models.TextChoices):
    UNASSESSED = "", _("— chưa tự đánh giá —")
    NONE = "none", _("Không có biểu hiện")
    SLIGHT = "slight", _("Có biểu hiện ở mức độ nhẹ")
    CLEAR = "clear", _("Có biểu hiện rõ")
    SERIOUS = "serious", _("Có biểu hiện nghiêm trọng")


class ExamStatus(models.TextChoices):
    DRAFT = "draft", _("Đang tự soi")
    COMPLETED = "completed", _("Đã hoàn thành")


class SelfExaminationQuerySet(ScopedQuerySet):
    scope_org = "organization"
    scope_path = "org_path"
    scope_member = "member"

    def completed(self):
        return self.filter(status=ExamStatus.COMPLETED)


class SelfExamination(Versioned, models.Model):
    """A member's yearly handbook of self-examination against the manifestations.

    `objects.restrict(user, VIEW)` tells which rows a user *reaches* (for counts); whether they may
    read the content is `scope_for(user).may_read_private(exam)` (lists: `objects.restrict_private(user)`),
    and reading goes through `services.examination_read`, which records it. Never list content
    from `restrict()` alone."""

    private_rule = PrivateRule(org="organization", member="member", written="created_at", opening="pk")

    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="self_examinations", verbose_name=_("đảng viên")
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("chi bộ"),
    )
    org_path = models.CharField(max_length=255, editable=False, db_index=True)
    year = models.PositiveSmallIntegerField(_("năm"))
    status = models.CharField(_("tình trạng"), max_length=16, choices=ExamStatus.choices, default=ExamStatus.DRAFT)
    self_assessment = models.TextField(_("tự nhận xét chung"), blank=True)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    objects = SelfExaminationQuerySet.as_manager()

    class Meta:
        verbose_name = _("sổ tự soi, tự sửa")
        verbose_name_plural = _("sổ tự soi, tự sửa")
        ordering = ["-year", "org_path", "pk"]
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="self_exam_member_year")]

    def __str__(self):
        return f"{self.member} – {self.year}"


class SelfExaminationItem(models.Model):
    examination = models.ForeignKey(SelfExamination, on_delete=models.CASCADE, related_name="items")
    manifestation = models.ForeignKey(Manifestation, on_delete=models.PROTECT, related_name="+")
    # Every item starts unassessed, so a book is completed only when each has an answer.
    degree = models.CharField(_("mức độ"), max_length=16, choices=Degree.choices, default=Degree.UNASSESSED, blank=True)
    note = models.TextField(_("ghi chú, biểu hiện cụ thể"), blank=True)

    class Meta:
        verbose_name = _("mục tự soi")
        verbose_name_plural = _("mục tự soi")
        ordering = ["manifestation__number"]
        constraints = [models.UniqueConstraint(fields=["examination", "manifestation"], name="self_exam_item_unique")]


class OpeningQuerySet(ScopedQuerySet):
    scope_org = "examination__organization"
    scope_path = "examination__org_path"


class Opening(models.Model):
    """A recorded decision to let an organization above read a private self-examination."""

    examination = models.ForeignKey(
        SelfExamination, on_delete=models.PROTECT, related_name="openings", verbose_name=_("sổ tự soi")
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tổ chức được xem"),
    )
    review_target = models.ForeignKey(
        "accountability.ReviewTarget",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="openings",
        verbose_name=_("đợt dự, gợi ý kiểm điểm"),
    )
    inspection = models.ForeignKey(
        "inspections.Inspection",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="openings",
        verbose_name=_("cuộc kiểm tra, giám sát"),
    )
    reason = models.TextField(_("lý do"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người mở")
    )
    opened_at = models.DateTimeField(_("mở lúc"), default=timezone.now)
    ends_on = models.DateField(_("hết hạn xem"), null=True, blank=True)

    objects = OpeningQuerySet.as_manager()

    class Meta:
        verbose_name = _("mở xem sổ tự soi")
        verbose_name_plural = _("mở xem sổ tự soi")
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_target__isnull=False) | Q(inspection__isnull=False), name="opening_has_basis"
            )
        ]


class AccessKind(models.TextChoices):
    SELF_EXAMINATION = "self_examination", _("Sổ tự soi, tự sửa")
    DISCIPLINE = "discipline", _("Kỷ luật")
    REMEDIATION = "remediation", _("Kế hoạch khắc phục")
    EVALUATION = "evaluation", _("Kiểm điểm, xếp loại đảng viên")


class ReadPlace(models.TextChoices):
    """Where a sensitive record was shown."""

    EXAM_PAGE = "exam_page", _("Trang sổ tự soi")
    PLAN_PAGE = "plan_page", _("Trang kế hoạch khắc phục")
    DISCIPLINE_PAGE = "discipline_page", _("Trang quyết định kỷ luật")
    MEMBER_PAGE = "member_page", _("Trang hồ sơ đảng viên")
    YEAR_SUMMARY = "year_summary", _("Bảng tổng hợp cuối năm")
    EVALUATION_PAGE = "evaluation_page", _("Trang kiểm điểm, xếp loại")
    INSPECTION_PAGE = "inspection_page", _("Trang cuộc kiểm tra, đơn khiếu nại, tố cáo")
    API = "api", _("API")
    EXPORT = "export", _("Tệp xuất")


class AccessRecord(models.Model):
    """Who read which sensitive record, when, on what basis and where (the page or export).
    Written only by `apps.core.access.record_read`, the one log of sensitive reads."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("lúc"), default=timezone.now)
    kind = models.CharField(_("loại hồ sơ"), max_length=24, choices=AccessKind.choices)
    object_id = models.PositiveBigIntegerField(_("mã hồ sơ"))
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("đảng viên")
    )
    opening = models.ForeignKey(Opening, on_delete=models.PROTECT, null=True, blank=True, related_name="accesses")
    basis = models.CharField(_("căn cứ"), max_length=255, blank=True)
    place = models.CharField(_("xem ở"), max_length=64, blank=True, choices=ReadPlace.choices)

    class Meta:
        verbose_name = _("lượt xem hồ sơ nhạy cảm")
        verbose_name_plural = _("nhật ký xem hồ sơ nhạy cảm")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["kind", "object_id"], name="access_kind_object")]


class CommitmentKind(models.TextChoices):
    STUDY_FOLLOW = "study_follow", _("Đăng ký học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh")
    EXAMPLE = "example", _("Cam kết nêu gương (cán bộ)")


class CommitmentResult(models.TextChoices):
    PENDING = "", _("Chưa đánh giá")
    GOOD = "good", _("Thực hiện tốt")
    DONE = "done", _("Có thực hiện")
    NOT_DONE = "not_done", _("Chưa thực hiện")


class CommitmentQuerySet(ScopedQuerySet):
    scope_org = "organization"
    scope_path = "org_path"
    scope_member = "member"


class Commitment(models.Model):
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="commitments", verbose_name=_("đảng viên")
    )
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", editable=False
    )
    org_path = models.CharField(max_length=255, editable=False, db_index=True)
    year = models.PositiveSmallIntegerField(_("năm"))
    kind = models.CharField(
        _("loại"), max_length=16, choices=CommitmentKind.choices, default=CommitmentKind.STUDY_FOLLOW
    )
    content = models.TextField(_("nội dung đăng ký, cam kết"))
    registered_on = models.DateField(_("ngày đăng ký"))
    result = models.CharField(_("kết quả cuối năm"), max_length=16, choices=CommitmentResult.choices, blank=True)
    review_note = models.TextField(_("nhận xét của chi bộ"), blank=True)
    reviewed_on = models.DateField(_("ngày chi bộ nhận xét"), null=True, blank=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("đăng ký, cam kết")
        verbose_name_plural = _("đăng ký, cam kết")
        ordering = ["-year", "org_path", "member__sort_key", "kind"]
        constraints = [models.UniqueConstraint(fields=["member", "year", "kind"], name="commitment_unique_year_kind")]


class NoteKind(models.TextChoices):
    STRENGTH = "strength", _("Ưu điểm")
    SHORTCOMING = "shortcoming", _("Hạn chế, khuyết điểm")


class NoteSource(models.TextChoices):
    MEETING = "meeting", _("Sinh hoạt chi bộ, hội nghị")
    INSPECTION = "inspection", _("Kiểm tra, giám sát")
    FEEDBACK = "feedback", _("Ý kiến phản ánh")
    REVIEW = "review", _("Kiểm điểm")
    OTHER = "other", _("Khác")


class LogbookEntry(Versioned, Approvable, SubjectMixin):
    """One dated line of the strengths-and-shortcomings log of a member or an organization.
    Corrected while open; confirmed (approved) by the cell or committee, it is locked and a later
    change needs its reason (apps.core.locking)."""

    date = models.DateField(_("ngày"))
    kind = models.CharField(_("loại"), max_length=16, choices=NoteKind.choices)
    source = models.CharField(_("nguồn"), max_length=16, choices=NoteSource.choices)
    source_detail = models.CharField(_("căn cứ (cuộc họp, văn bản...)"), max_length=255, blank=True)
    content = models.TextField(_("nội dung"))
    inspection = models.ForeignKey(
        "inspections.Inspection",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cuộc kiểm tra liên quan"),
    )
    remediation_plan = models.ForeignKey(
        "accountability.RemediationPlan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kế hoạch khắc phục liên quan"),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)

    objects = SubjectQuerySet.as_manager()

    class Meta(SubjectMixin.Meta):
        verbose_name = _("mục sổ theo dõi ưu điểm, hạn chế")
        verbose_name_plural = _("sổ theo dõi ưu điểm, hạn chế")
        ordering = ["-date", "-pk"]


class RemediationPlan(Versioned, Approvable, SubjectMixin):
    """A plan to fix shortcomings, of a member (often from their self-examination) or of an organization.
    Its text and actions are corrected and added to while open; approved, it is locked and a later
    change (a new action included) needs its reason (apps.core.locking)."""

    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("tên kế hoạch"), max_length=255)
    owner_name = models.CharField(_("người chịu trách nhiệm"), max_length=255)
    shortcomings = models.TextField(_("hạn chế, khuyết điểm cần khắc phục"), blank=True)
    examination = models.ForeignKey(
        SelfExamination,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("từ sổ tự soi"),
    )
    inspection = models.ForeignKey(
        "inspections.Inspection",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("từ kết luận kiểm tra"),
    )
    review_target = models.ForeignKey(
        "accountability.ReviewTarget",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("sau đợt dự, gợi ý kiểm điểm"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # A member's plan is as private as their self-examination (opened with it); an organization's is not.
    private_rule = PrivateRule(
        org="subject_org", member="member", written="created_at", opening="examination", only_about_members=True
    )

    objects = SubjectQuerySet.as_manager()

    class Meta(SubjectMixin.Meta):
        verbose_name = _("kế hoạch khắc phục")
        verbose_name_plural = _("kế hoạch khắc phục")
        ordering = ["-year", "subject_path", "pk"]

    def __str__(self):
        return self.title

    @property
    def is_private(self) -> bool:
        """A member's own plan is as private as their self-examination."""
        return self.member_id is not None


class ActionQuerySet(ScopedQuerySet):
    scope_org = "plan__subject_org"
    scope_path = "plan__subject_path"
    scope_member = "plan__member"

    def open(self):
        return self.filter(done_on__isnull=True)

    def closed(self):
        return self.filter(done_on__isnull=False)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(done_on__isnull=True, deadline__lt=today)

    def failed(self):
        """Actions whose last follow-up check failed (reopened with a new deadline)."""
        return self.filter(done_on__isnull=True, check_passed=False)


class RemediationAction(Versioned, models.Model):
    plan = models.ForeignKey(RemediationPlan, on_delete=models.PROTECT, related_name="actions")
    action = models.TextField(_("việc làm khắc phục"))
    deadline = models.DateField(_("thời hạn"))
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    check_on = models.DateField(_("ngày hậu kiểm tra"), null=True, blank=True)
    check_passed = models.BooleanField(_("đạt yêu cầu"), null=True, blank=True)
    check_result = models.TextField(_("kết quả hậu kiểm tra"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # A failed follow-up check reopens the action with a new deadline; this counts the failures.
    failed_checks = models.PositiveSmallIntegerField(_("số lần hậu kiểm tra chưa đạt"), default=0)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("việc khắc phục")
        verbose_name_plural = _("việc khắc phục")
        ordering = ["deadline", "pk"]


class PlanAttachmentQuerySet(ScopedQuerySet):
    scope_org = "plan__subject_org"
    scope_path = "plan__subject_path"
    scope_member = "plan__member"


class PlanAttachment(Attachment):
    """A remediation plan's documents (the plan as adopted, reports of what was done). A member's
    plan is private: its documents are read only through the plan's page (_plan_for)."""

    plan = models.ForeignKey(
        RemediationPlan, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("kế hoạch khắc phục")
    )
    file = PrivateFileField(_("tệp"), prefix="remediation")

    objects = PlanAttachmentQuerySet.as_manager()

    class Meta(Attachment.Meta):
        verbose_name = _("tài liệu kế hoạch khắc phục")
        verbose_name_plural = _("tài liệu kế hoạch khắc phục")


class ReviewGroupQuerySet(ScopedQuerySet):
    scope_org = "organization"
    scope_path = "organization__path"


class ReviewGroup(models.Model):
    """A working group a standing committee forms to attend and suggest points for chosen reviews."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("cấp ủy thành lập")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    name = models.CharField(_("tên đoàn"), max_length=255)
    decision = models.CharField(_("số quyết định"), max_length=100, blank=True)
    composition = models.TextField(_("thành phần đoàn"), blank=True)

    objects = ReviewGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("đoàn dự, gợi ý kiểm điểm")
        verbose_name_plural = _("đoàn dự, gợi ý kiểm điểm")
        ordering = ["-year", "pk"]

    def __str__(self):
        return self.name


class TargetMode(models.TextChoices):
    IN_DEPTH = "in_depth", _("Kiểm điểm sâu (gợi ý kiểm điểm)")
    ATTEND = "attend", _("Dự kiểm điểm")


class SubjectKind(models.TextChoices):
    COLLECTIVE = "collective", _("Tập thể")
    INDIVIDUAL = "individual", _("Cá nhân")


class ReviewTargetQuerySet(SubjectQuerySet):
    """Scoped by the subject's organization, like every row about a member or an organization: the
    reviewed cell (its secretary and committee) and the committees above it reach the targets
    addressed to it and to its members, and a member those addressed to them. The group's own
    committee reaches them too (a subject is always inside the group's organization)."""

    def active(self):
        """Targets still on their group's list (not withdrawn, e.g. a duplicate)."""
        return self.filter(withdrawn_on__isnull=True)

    def addressed_to(self, user):
        """Targets whose subject the user reaches (the suggestions addressed to them)."""
        return self.restrict(user, VIEW)

    def of_groups(self, user, action: str = VIEW):
        """Targets of the groups whose committee the user reaches for `action`."""
        return self.restrict(user, action).filter(group__in=ReviewGroup.objects.restrict(user, action))

    def for_user(self, user):
        """What the user reaches: the targets addressed to them and those of their committees' groups."""
        either = self.restrict(user, VIEW) | self.filter(group__in=ReviewGroup.objects.restrict(user, VIEW))
        return either._door()


class ReviewTarget(SubjectMixin):
    group = models.ForeignKey(ReviewGroup, on_delete=models.PROTECT, related_name="targets")
    mode = models.CharField(_("hình thức"), max_length=16, choices=TargetMode.choices, default=TargetMode.IN_DEPTH)
    subject_kind = models.CharField(
        _("đối tượng là"), max_length=16, choices=SubjectKind.choices, editable=False, db_index=True
    )
    withdrawn_on = models.DateField(_("rút khỏi danh sách ngày"), null=True, blank=True, editable=False)
    withdrawn_reason = models.CharField(_("lý do rút"), max_length=255, blank=True, editable=False)
    reason = models.TextField(_("lý do chọn"), blank=True)
    review_on = models.DateField(_("ngày kiểm điểm"), null=True, blank=True)
    suggestions = models.TextField(_("nội dung gợi ý"), blank=True)
    follow_up = models.TextField(_("theo dõi khắc phục sau kiểm điểm"), blank=True)
    follow_up_done = models.BooleanField(_("đã hậu kiểm tra"), default=False)

    objects = ReviewTargetQuerySet.as_manager()

    class Meta(SubjectMixin.Meta):
        verbose_name = _("đối tượng dự, gợi ý kiểm điểm")
        verbose_name_plural = _("đối tượng dự, gợi ý kiểm điểm")
        ordering = ["group", "pk"]
        constraints = [
            *SubjectMixin.Meta.constraints,
            # A subject is on a group's list once (a withdrawn row does not count).
            models.UniqueConstraint(
                fields=["group", "member"],
                condition=Q(member__isnull=False, withdrawn_on__isnull=True),
                name="review_target_member_once",
            ),
            models.UniqueConstraint(
                fields=["group", "organization"],
                condition=Q(organization__isnull=False, withdrawn_on__isnull=True),
                name="review_target_organization_once",
            ),
        ]

    def __str__(self):
        return f"{self.group} – {self.subject}"

    def set_subject(self):
        super().set_subject()
        self.subject_kind = SubjectKind.INDIVIDUAL if self.member_id else SubjectKind.COLLECTIVE

    def save(self, *args, **kwargs):
        if not self.subject_kind:
            self.subject_kind = SubjectKind.INDIVIDUAL if self.member_id else SubjectKind.COLLECTIVE
        super().save(*args, **kwargs)


class RotatingReviewQuerySet(ScopedQuerySet):
    scope_org = "organization"
    scope_path = "org_path"
    scope_member = "member"


class RotatingReview(models.Model):
    """One turn of a cell's rotating review schedule: a member reviewed at a given meeting month."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("chi bộ")
    )
    org_path = models.CharField(max_length=255, editable=False, db_index=True)
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("đảng viên")
    )
    scheduled_on = models.DateField(_("tháng dự kiến"))
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kiểm điểm tại cuộc sinh hoạt"),
    )
    done_on = models.DateField(_("ngày đã kiểm điểm"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    objects = RotatingReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("lượt kiểm điểm xoay vòng")
        verbose_name_plural = _("kiểm điểm xoay vòng")
        ordering = ["scheduled_on", "pk"]
