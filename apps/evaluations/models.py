"""Annual review and classification (kiểm điểm, đánh giá, xếp loại chất lượng hằng năm).

The rules change every year or two (132-QĐ/TW 2018 → 124-QĐ/TW 2023 → 366-QĐ/TW 2025), so they
are rows, not constants: a `RuleSet` names its regulation and guidance, its effective dates, its
levels and labels, its criteria frames and points, the thresholds, the cap on the top level and
who is not classified. A year's results are judged by the set in force that year and every result
keeps the set it used.

A `Campaign` is one organization's review of its subtree for a year. Each member and each
organization below gets an `Evaluation` that moves through self-review → review by the cell (its
comments and votes) → decision by the deciding committee. A decided evaluation is locked; a
change is an `EvaluationRevision` with its reason.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.reference import Retirable
from apps.core.scoping import VIEW, ScopedQuerySet, scope_for
from apps.core.versioning import Versioned


class Subject(models.TextChoices):
    MEMBER = "member", _("Đảng viên")
    ORGANIZATION = "organization", _("Tổ chức đảng")


class CapBase(models.TextChoices):
    GOOD_OR_BETTER = "good_or_better", _("Số được xếp loại hoàn thành tốt nhiệm vụ trở lên")
    GOOD_ONLY = "good_only", _("Số được xếp loại hoàn thành tốt nhiệm vụ")
    CLASSIFIED = "classified", _("Số được xếp loại")


class CapGrouping(models.TextChoices):
    GRASSROOTS = "grassroots", _("Trong từng tổ chức cơ sở đảng")
    DECIDER = "decider", _("Trong từng cấp quyết định")


class CapRounding(models.TextChoices):
    FLOOR = "floor", _("Làm tròn xuống (không vượt quá)")
    NEAREST = "nearest", _("Làm tròn đến số gần nhất")


class Decider(models.TextChoices):
    GRASSROOTS = "grassroots", _("Cấp ủy cơ sở (đảng ủy cơ sở, chi bộ cơ sở)")
    PARENT = "parent", _("Ban Thường vụ cấp ủy cấp trên trực tiếp")


class NotClassifiedReason(models.TextChoices):
    EXEMPTED = "exempted", _("Miễn công tác và sinh hoạt đảng")
    SUSPENDED = "suspended", _("Đình chỉ sinh hoạt đảng")
    NEWLY_ADMITTED = "newly_admitted", _("Mới kết nạp trong năm")
    TEMP_OUT = "temp_out", _("Chuyển sinh hoạt tạm thời đi, vắng dài ngày")
    TEMP_IN = "temp_in", _("Sinh hoạt tạm thời (đánh giá tại nơi sinh hoạt chính thức)")
    OTHER = "other", _("Lý do khác")


class RuleSetQuerySet(models.QuerySet):
    def for_year(self, subject: str, year: int):
        """The sets in force on 31/12 of `year` (the review is held at the year's end)."""
        day = date(year, 12, 31)
        return self.filter(subject=subject, active=True).filter(
            Q(effective_from__isnull=True) | Q(effective_from__lte=day),
            Q(effective_to__isnull=True) | Q(effective_to__gte=day),
        )


class RuleSet(Retirable, models.Model):
    """The rules of one regulation for one kind of subject, as data an administrator edits."""

    name = models.CharField(_("tên bộ quy tắc"), max_length=255)
    subject = models.CharField(_("đối tượng"), max_length=16, choices=Subject.choices)
    regulation = models.CharField(_("quy định"), max_length=100, help_text=_("Ví dụ: 366-QĐ/TW"))
    regulation_date = models.DateField(_("ngày ban hành quy định"), null=True, blank=True)
    guidance = models.CharField(_("hướng dẫn"), max_length=100, blank=True, help_text=_("Ví dụ: 43-HD/BTCTW"))
    guidance_date = models.DateField(_("ngày ban hành hướng dẫn"), null=True, blank=True)
    effective_from = models.DateField(_("áp dụng từ ngày"), null=True, blank=True)
    effective_to = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)
    uses_points = models.BooleanField(_("chấm điểm"), default=False)
    percent_places = models.PositiveSmallIntegerField(
        _("số chữ số thập phân của tỷ lệ"),
        choices=[(1, "1"), (2, "2")],
        default=1,
        help_text=_("Bảng tổng hợp in tỷ lệ với số chữ số này, trừ khi người in chọn khác."),
    )
    max_points = models.PositiveSmallIntegerField(_("thang điểm"), null=True, blank=True)
    cap_percent = models.DecimalField(
        _("tỷ lệ tối đa mức cao nhất (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    cap_base = models.CharField(
        _("cơ sở tính tỷ lệ tối đa"), max_length=20, choices=CapBase.choices, default=CapBase.GOOD_OR_BETTER
    )
    cap_grouping = models.CharField(
        _("phạm vi tính tỷ lệ tối đa"), max_length=16, choices=CapGrouping.choices, default=CapGrouping.GRASSROOTS
    )
    cap_rounding = models.CharField(
        _("cách làm tròn mức tối đa"), max_length=10, choices=CapRounding.choices, default=CapRounding.FLOOR
    )
    not_classified = models.JSONField(
        _("trường hợp không xếp loại"),
        default=list,
        blank=True,
        help_text=_(
            "Mã các trường hợp: exempted (miễn sinh hoạt), suspended (đình chỉ), newly_admitted (mới kết nạp), "
            "temp_out (sinh hoạt tạm thời nơi khác), temp_in (sinh hoạt tạm thời đến)"
        ),
    )
    newly_admitted_months = models.PositiveSmallIntegerField(
        _("mới kết nạp: dưới số tháng"),
        default=6,
        help_text=_("Đảng viên kết nạp chưa đủ số tháng này tính đến 31/12 thì không xếp loại (nếu áp dụng)."),
    )
    discipline_best_level = models.PositiveSmallIntegerField(
        _("bị kỷ luật trong năm: mức cao nhất được xếp"),
        null=True,
        blank=True,
        help_text=_(
            "Mã mức (1–4) cho đảng viên (hoặc tổ chức) bị kỷ luật theo quyết định trong năm. Ví dụ 4: chỉ được "
            "xếp “Không hoàn thành nhiệm vụ”. Là quy định, không có ngoại lệ."
        ),
    )
    discipline_inside_counts = models.BooleanField(
        _("tập thể: tính cả kỷ luật trong tổ chức"),
        default=False,
        help_text=_("Tổ chức có đảng viên hoặc tổ chức trực thuộc bị kỷ luật trong năm cũng bị giới hạn mức."),
    )
    discipline_inside_best_level = models.PositiveSmallIntegerField(
        _("tập thể có kỷ luật bên trong: mức cao nhất được xếp"),
        null=True,
        blank=True,
        help_text=_("Mã mức (1–4). Ví dụ 2: tập thể có đảng viên bị kỷ luật trong năm thì không được xếp mức 1."),
    )
    decider = models.CharField(_("cấp quyết định"), max_length=16, choices=Decider.choices)
    distinction_label = models.CharField(
        _("danh hiệu tiêu biểu trong mức 1"), max_length=255, blank=True, help_text=_("Ví dụ: TSVM tiêu biểu")
    )
    unconfirmed = models.JSONField(
        _("thông số chưa xác nhận [?]"),
        default=list,
        blank=True,
        help_text=_("Tên các trường chưa đối chiếu được với văn bản gốc; giao diện đánh dấu [?]."),
    )
    notes = models.TextField(_("ghi chú, nguồn"), blank=True)
    active = models.BooleanField(
        _("đang dùng"), default=True, help_text=_("Bộ quy tắc ngừng sử dụng không được áp cho đợt đánh giá mới.")
    )

    objects = RuleSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("bộ quy tắc xếp loại")
        verbose_name_plural = _("bộ quy tắc xếp loại")
        ordering = ["subject", "-effective_from"]

    def __str__(self):
        return self.name

    def level(self, code: int):
        return next((lv for lv in self.levels.all() if lv.code == code), None)

    @property
    def not_classified_labels(self) -> list[str]:
        """The cases not classified, as the regulation names them (the codes are member statuses
        and "newly_admitted")."""
        from apps.members.models import Status

        names = {**dict(Status.choices), "newly_admitted": _("Mới kết nạp")}
        return [str(names.get(code, code)) for code in self.not_classified]

    def is_unconfirmed(self, field: str) -> bool:
        return field in (self.unconfirmed or [])

    @property
    def citation(self) -> str:
        return " và ".join(p for p in (self.regulation, self.guidance) if p)


class Level(Retirable, models.Model):
    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="levels", verbose_name=_("bộ quy tắc"))
    code = models.PositiveSmallIntegerField(_("mã mức"), help_text=_("1 là mức cao nhất"))
    label = models.CharField(_("tên mức"), max_length=255)
    abbreviation = models.CharField(_("viết tắt"), max_length=20, blank=True)
    min_points = models.DecimalField(
        _("điểm tối thiểu"), max_digits=6, decimal_places=2, null=True, blank=True, help_text=_("Ngưỡng điểm")
    )
    confirmed = models.BooleanField(_("đã xác nhận"), default=True)

    class Meta:
        verbose_name = _("mức xếp loại")
        verbose_name_plural = _("mức xếp loại")
        ordering = ["rule_set", "code"]
        constraints = [models.UniqueConstraint(fields=["rule_set", "code"], name="level_code_unique")]

    def __str__(self):
        return self.label


class Frame(Retirable, models.Model):
    """A criteria frame (khung tiêu chí), e.g. for members without a post."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="frames", verbose_name=_("bộ quy tắc"))
    code = models.CharField(_("mã khung"), max_length=30)
    name = models.CharField(_("tên khung tiêu chí"), max_length=255)
    form = models.CharField(_("mẫu biểu"), max_length=30, blank=True, help_text=_("Ví dụ: Mẫu 2B"))
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("khung tiêu chí")
        verbose_name_plural = _("khung tiêu chí")
        ordering = ["rule_set", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["rule_set", "code"], name="frame_code_unique")]

    def __str__(self):
        return self.name

    @property
    def total_points(self):
        return sum(c.max_points for c in self.criteria.all())


class Criterion(Retirable, models.Model):
    class Group(models.TextChoices):
        GENERAL = "general", _("Tiêu chí chung")
        TASK = "task", _("Kết quả thực hiện nhiệm vụ")

    frame = models.ForeignKey(Frame, on_delete=models.PROTECT, related_name="criteria", verbose_name=_("khung"))
    code = models.CharField(_("mã"), max_length=30)
    group = models.CharField(_("nhóm"), max_length=10, choices=Group.choices)
    name = models.CharField(_("tiêu chí"), max_length=500)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=6, decimal_places=2)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    confirmed = models.BooleanField(_("đã xác nhận"), default=True)

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["frame", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["frame", "code"], name="criterion_code_unique")]

    def __str__(self):
        return self.name


class CampaignQuerySet(ScopedQuerySet):
    """A campaign is seen by those who reach its organization and by those inside its subtree
    (a cell secretary works in the ward's campaign); the results in it stay scoped one by one."""

    scope_org = "organization"
    scope_path = "organization__path"

    def restrict(self, user, action: str = VIEW):
        from apps.members.models import Member
        from apps.organizations.models import Organization, line_paths

        scope = scope_for(user)
        if scope.is_admin:
            return self
        subtrees = list(scope.subtrees.get(action, ()))
        paths = subtrees + list(
            Organization.objects.filter(pk__in=scope.orgs.get(action, ())).values_list("path", flat=True)
        )
        if action == VIEW and scope.member_id:
            paths += list(Member.objects.filter(pk=scope.member_id).values_list("org_path", flat=True))
        condition = Q(pk__in=[])
        for path in subtrees:
            condition |= Q(organization__path__startswith=path)
        above = {a for p in paths for a in line_paths(p)}
        if above:
            condition |= Q(organization__path__in=sorted(above))
        return self.filter(condition)


class Campaign(models.Model):
    """An organization's yearly review of its subtree, with a deadline for each step."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="evaluation_campaigns",
        verbose_name=_("tổ chức đảng tổ chức đánh giá"),
    )
    year = models.PositiveSmallIntegerField(_("năm đánh giá"))
    member_rule_set = models.ForeignKey(
        RuleSet, on_delete=models.PROTECT, related_name="+", verbose_name=_("bộ quy tắc cho đảng viên")
    )
    organization_rule_set = models.ForeignKey(
        RuleSet, on_delete=models.PROTECT, related_name="+", verbose_name=_("bộ quy tắc cho tổ chức đảng")
    )
    self_review_due = models.DateField(_("hạn tự kiểm điểm"))
    review_due = models.DateField(_("hạn chi bộ kiểm điểm, biểu quyết"))
    decision_due = models.DateField(_("hạn cấp ủy quyết định"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người mở")
    )
    opened_at = models.DateTimeField(_("mở lúc"), auto_now_add=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("đợt đánh giá, xếp loại")
        verbose_name_plural = _("đợt đánh giá, xếp loại")
        ordering = ["-year", "organization__path"]
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="campaign_org_year_unique")]

    def __str__(self):
        return f"{self.organization} – {self.year}"


class State(models.TextChoices):
    PENDING = "pending", _("Chưa tự kiểm điểm")
    SELF_REVIEWED = "self_reviewed", _("Đã tự kiểm điểm")
    REVIEWED = "reviewed", _("Đã kiểm điểm, biểu quyết")
    DECIDED = "decided", _("Đã quyết định")
    NOT_CLASSIFIED = "not_classified", _("Không xếp loại")


OPEN_STATES = (State.PENDING, State.SELF_REVIEWED, State.REVIEWED)


class EvaluationQuerySet(ScopedQuerySet):
    """Scoped by the subject's organization (the member's cell, or the organization itself);
    a member sees their own."""

    scope_org = "organization"
    scope_path = "org_path"
    scope_member = "member"

    def members(self):
        return self.filter(subject=Subject.MEMBER)

    def organizations(self):
        return self.filter(subject=Subject.ORGANIZATION)

    def decided(self):
        return self.filter(state=State.DECIDED)


class Evaluation(Versioned, models.Model):
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("đợt đánh giá")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="+", verbose_name=_("bộ quy tắc"))
    subject = models.CharField(_("đối tượng"), max_length=16, choices=Subject.choices)
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
        verbose_name=_("đảng viên"),
    )
    # The member's cell, or the organization evaluated.
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("tổ chức")
    )
    org_path = models.CharField(max_length=255, editable=False, db_index=True)
    # Where the cap is counted (the grassroots organization) and who decides.
    group = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tổ chức cơ sở đảng"),
    )
    decider = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cấp quyết định"),
    )
    state = models.CharField(_("bước"), max_length=16, choices=State.choices, default=State.PENDING)
    not_classified_reason = models.CharField(
        _("lý do không xếp loại"), max_length=20, choices=NotClassifiedReason.choices, blank=True
    )
    not_classified_note = models.TextField(_("ghi chú lý do"), blank=True)
    # Self-review (Mẫu 2A/2B/2C; Mẫu 01 for a collective).
    frame = models.ForeignKey(
        Frame, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("khung tiêu chí")
    )
    strengths = models.TextField(_("ưu điểm"), blank=True)
    shortcomings = models.TextField(_("hạn chế, khuyết điểm"), blank=True)
    remediation = models.TextField(_("kết quả khắc phục hạn chế, khuyết điểm năm trước"), blank=True)
    scores = models.JSONField(_("điểm tự chấm"), default=dict, blank=True)
    self_points = models.DecimalField(_("tổng điểm tự chấm"), max_digits=6, decimal_places=2, null=True, blank=True)
    proposed_level = models.ForeignKey(
        Level, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("tự xếp loại")
    )
    self_reviewed_at = models.DateTimeField(_("tự kiểm điểm lúc"), null=True, blank=True)
    self_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Review by the cell (or the collective's conference): comments and votes per level.
    review_comments = models.TextField(_("ý kiến nhận xét của chi bộ"), blank=True)
    votes = models.JSONField(_("kết quả biểu quyết"), default=dict, blank=True)
    review_points = models.DecimalField(_("điểm chi bộ chấm"), max_digits=6, decimal_places=2, null=True, blank=True)
    review_level = models.ForeignKey(
        Level, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("chi bộ đề xuất")
    )
    reviewed_at = models.DateTimeField(_("kiểm điểm lúc"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Decision.
    level = models.ForeignKey(
        Level, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("mức xếp loại")
    )
    distinguished = models.BooleanField(_("tiêu biểu"), default=False)
    decision_note = models.TextField(_("nhận xét của cấp quyết định"), blank=True)
    exception_reason = models.TextField(_("lý do ngoại lệ"), blank=True)
    warnings = models.TextField(_("cảnh báo đã vượt qua"), blank=True)
    decided_at = models.DateTimeField(_("quyết định lúc"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("kết quả đánh giá, xếp loại")
        verbose_name_plural = _("kết quả đánh giá, xếp loại")
        ordering = ["campaign", "org_path", "subject", "pk"]
        indexes = [
            models.Index(fields=["year", "subject", "org_path"], name="eval_year_subject_path"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "member"], condition=Q(member__isnull=False), name="eval_member_year_unique"
            ),
            models.UniqueConstraint(
                fields=["year", "organization"],
                condition=Q(subject="organization"),
                name="eval_org_year_unique",
            ),
        ]

    def __str__(self):
        return f"{self.subject_name} – {self.year}"

    @property
    def subject_name(self) -> str:
        return self.member.full_name if self.member_id else self.organization.name

    @property
    def is_locked(self) -> bool:
        return self.state == State.DECIDED

    @property
    def level_label(self) -> str:
        if not self.level_id:
            return ""
        if self.distinguished and self.rule_set.distinction_label:
            return self.rule_set.distinction_label
        return self.level.label


class EvaluationRevisionQuerySet(ScopedQuerySet):
    scope_org = "evaluation__organization"
    scope_path = "evaluation__org_path"
    scope_member = "evaluation__member"


class EvaluationRevision(models.Model):
    """A reasoned change to a decided, locked result. The previous values stay here."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.PROTECT, related_name="revisions", verbose_name=_("kết quả")
    )
    old_level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="+", verbose_name=_("mức cũ"))
    old_distinguished = models.BooleanField(_("tiêu biểu (cũ)"), default=False)
    new_level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="+", verbose_name=_("mức mới"))
    new_distinguished = models.BooleanField(_("tiêu biểu (mới)"), default=False)
    reason = models.TextField(_("lý do điều chỉnh"))
    decision = models.CharField(_("số quyết định"), max_length=100, blank=True)
    exception_reason = models.TextField(_("lý do ngoại lệ"), blank=True)
    warnings = models.TextField(_("cảnh báo đã vượt qua"), blank=True)
    revised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revised_at = models.DateTimeField(_("điều chỉnh lúc"), auto_now_add=True)

    objects = EvaluationRevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("điều chỉnh kết quả")
        verbose_name_plural = _("điều chỉnh kết quả")
        ordering = ["evaluation", "revised_at", "pk"]


class TargetSubject(models.TextChoices):
    MEMBERS = "members", _("Đảng viên")
    ORGANIZATIONS = "organizations", _("Tổ chức đảng trực thuộc")
    SELF = "self", _("Bản thân tổ chức")


class TargetQuerySet(ScopedQuerySet):
    scope_org = "organization"
    scope_path = "organization__path"


class Target(models.Model):
    """A target for a year, e.g. "100% chi bộ đạt mức hoàn thành nhiệm vụ trở lên"."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="evaluation_targets"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    subject = models.CharField(_("đối tượng"), max_length=16, choices=TargetSubject.choices)
    level_code = models.PositiveSmallIntegerField(_("đạt mức (mã) trở lên"), help_text=_("1 = mức cao nhất"))
    percent = models.DecimalField(_("tỷ lệ (%)"), max_digits=5, decimal_places=1, default=100)
    text = models.CharField(_("nội dung chỉ tiêu"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("chỉ tiêu xếp loại")
        verbose_name_plural = _("chỉ tiêu xếp loại")
        ordering = ["organization", "year", "subject"]
