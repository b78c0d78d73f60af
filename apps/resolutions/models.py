"""Resolutions at every level (the congress's for a term, the yearly, quarterly and monthly ones of
committees and cells), their targets (chỉ tiêu) with results per period, broken down to the
levels below and rolled up, and tasks with owner, content and deadline.

A cell's monthly resolution is the meeting's (apps.meetings `Minutes`): a `Resolution` of level
MONTH may point at the meeting instead of holding a copy.

Numbers are `Decimal`: a target of "1,5 %" is kept exactly. A target's promise (baseline, values per
year and for the term) is recorded in `TargetRevision` rows, one per change, dated: what was
promised on a day is the last revision recorded by then.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.files import PrivateFileField
from apps.core.scoping import VIEW, ScopedQuerySet, scope_for
from apps.core.versioning import Versioned


class Level(models.TextChoices):
    CONGRESS = "congress", _("Nghị quyết đại hội (nhiệm kỳ)")
    YEAR = "year", _("Nghị quyết năm")
    QUARTER = "quarter", _("Nghị quyết quý")
    MONTH = "month", _("Nghị quyết tháng")


class OwnedQuerySet(ScopedQuerySet):
    scope_org = "organization"
    scope_path = "org_path"


class ResolutionQuerySet(OwnedQuerySet):
    def restrict(self, user, action: str = VIEW):
        """Besides the door's rows, VIEW reaches the resolutions of the levels above the
        organizations the user reaches (a cell reads the ward's resolution it implements)."""
        qs = super().restrict(user, action)
        scope = scope_for(user)
        if scope.is_admin or action != VIEW:
            return qs
        from apps.members.models import Member
        from apps.organizations.models import Organization, line_paths

        paths = set(scope.subtrees.get(VIEW, ()))
        ids = set(scope.orgs.get(VIEW, ()))
        if ids:
            paths |= set(Organization.objects.filter(pk__in=ids).values_list("path", flat=True))
        above = {p for path in paths for p in line_paths(path)[:-1]}
        if scope.member_id:
            own = Member.objects.filter(pk=scope.member_id).values_list("org_path", flat=True).first()
            if own:
                above |= set(line_paths(own))
        if not above:
            return qs
        return (qs | self.filter(org_path__in=above)).distinct()


class Resolution(Versioned):
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("cấp ban hành")
    )
    org_path = models.CharField(max_length=255, editable=False, db_index=True)
    level = models.CharField(_("loại nghị quyết"), max_length=16, choices=Level.choices)
    term = models.ForeignKey(
        "organizations.Term",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nhiệm kỳ"),
    )
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    quarter = models.PositiveSmallIntegerField(_("quý"), null=True, blank=True)
    month = models.PositiveSmallIntegerField(_("tháng"), null=True, blank=True)
    number = models.CharField(_("số"), max_length=50, help_text=_("Ví dụ: 01-NQ/ĐU"))
    title = models.CharField(_("trích yếu"), max_length=255)
    issued_on = models.DateField(_("ngày ban hành"))
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255, help_text=_("Ví dụ: Đại hội Đảng bộ phường"))
    summary = models.TextField(_("nội dung chính"), blank=True)
    file = PrivateFileField(_("văn bản"), prefix="resolutions", blank=True)
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nghị quyết của cuộc sinh hoạt"),
    )
    implements = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="implementations",
        verbose_name=_("thực hiện nghị quyết cấp trên"),
    )
    plan_due = models.DateField(_("cấp dưới xây dựng kế hoạch thực hiện trước ngày"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người nhập")
    )
    created_at = models.DateTimeField(_("nhập lúc"), default=timezone.now)

    objects = ResolutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("nghị quyết")
        verbose_name_plural = _("nghị quyết")
        ordering = ["-issued_on", "-pk"]

    def __str__(self):
        return f"{self.number} – {self.title}"

    @property
    def period_label(self) -> str:
        from apps.core.periods import Period

        if self.level == Level.CONGRESS:
            return self.term.name if self.term_id else ""
        if self.year is None:
            return ""
        return str(Period(self.year, self.quarter, self.month))

    @property
    def years(self) -> list[int]:
        """The years its targets are set for: the term's (congress) or its own year."""
        if self.level == Level.CONGRESS and self.term_id:
            first = self.term.starts_on.year
            last = self.term.ends_on.year if self.term.ends_on else first + 5
            return list(range(first, last + 1))
        return [self.year] if self.year else []


class Direction(models.TextChoices):
    HIGHER = "higher", _("Càng cao càng tốt")
    LOWER = "lower", _("Càng thấp càng tốt")


class Rollup(models.TextChoices):
    SUM = "sum", _("Cộng dồn (tổng các đơn vị, các kỳ)")
    MEAN = "mean", _("Bình quân (trung bình các đơn vị, các kỳ)")


class Frequency(models.TextChoices):
    MONTH = "month", _("Hằng tháng")
    QUARTER = "quarter", _("Hằng quý")
    YEAR = "year", _("Hằng năm")


class Target(Versioned):
    """A target of a resolution, owned by an organization (the issuer's, or one below it when broken
    down from the target above: `parent`). `root` is the top of its breakdown, so a whole table with
    every level below is read in one query."""

    resolution = models.ForeignKey(
        Resolution, on_delete=models.PROTECT, related_name="targets", verbose_name=_("nghị quyết")
    )
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị thực hiện")
    )
    org_path = models.CharField(max_length=255, editable=False, db_index=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parts",
        verbose_name=_("giao từ chỉ tiêu cấp trên"),
    )
    root = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    indicator = models.CharField(_("chỉ tiêu"), max_length=255)
    unit = models.CharField(_("đơn vị tính"), max_length=50)
    frequency = models.CharField(_("kỳ báo cáo kết quả"), max_length=8, choices=Frequency.choices)
    direction = models.CharField(_("chiều đánh giá"), max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    rollup = models.CharField(_("cách tổng hợp"), max_length=8, choices=Rollup.choices, default=Rollup.SUM)
    baseline = models.DecimalField(_("giá trị xuất phát"), max_digits=14, decimal_places=2, null=True, blank=True)
    term_value = models.DecimalField(_("chỉ tiêu cả nhiệm kỳ"), max_digits=14, decimal_places=2, null=True, blank=True)
    # Year (as text) -> the target for that year, as a decimal string.
    yearly = models.JSONField(_("chỉ tiêu từng năm"), default=dict, blank=True)
    owner = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người phụ trách"),
    )
    ended_on = models.DateField(_("thôi theo dõi từ ngày"), null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["root"], name="target_root")]

    def __str__(self):
        return self.indicator

    def year_value(self, year: int):
        from decimal import Decimal

        raw = (self.yearly or {}).get(str(year))
        return Decimal(raw) if raw not in (None, "") else None


class TargetChildQuerySet(ScopedQuerySet):
    scope_org = "target__organization"
    scope_path = "target__org_path"


class TargetRevision(models.Model):
    """What a target promised from a moment on: written when it is set and at every change."""

    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="revisions", verbose_name=_("chỉ tiêu"))
    recorded_at = models.DateTimeField(_("ghi lúc"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người ghi")
    )
    indicator = models.CharField(_("chỉ tiêu"), max_length=255)
    unit = models.CharField(_("đơn vị tính"), max_length=50)
    direction = models.CharField(_("chiều đánh giá"), max_length=8, choices=Direction.choices)
    baseline = models.DecimalField(_("giá trị xuất phát"), max_digits=14, decimal_places=2, null=True, blank=True)
    term_value = models.DecimalField(_("chỉ tiêu cả nhiệm kỳ"), max_digits=14, decimal_places=2, null=True, blank=True)
    yearly = models.JSONField(_("chỉ tiêu từng năm"), default=dict, blank=True)
    reason = models.CharField(_("lý do điều chỉnh"), max_length=255, blank=True)

    objects = TargetChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("lần điều chỉnh chỉ tiêu")
        verbose_name_plural = _("lần điều chỉnh chỉ tiêu")
        ordering = ["target", "recorded_at", "pk"]

    def year_value(self, year: int):
        from decimal import Decimal

        raw = (self.yearly or {}).get(str(year))
        return Decimal(raw) if raw not in (None, "") else None


class Result(Versioned):
    """What a target's organization achieved in one period (a month, a quarter or a year)."""

    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="results", verbose_name=_("chỉ tiêu"))
    year = models.PositiveSmallIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(_("quý"), null=True, blank=True)
    month = models.PositiveSmallIntegerField(_("tháng"), null=True, blank=True)
    value = models.DecimalField(_("kết quả"), max_digits=14, decimal_places=2)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người nhập")
    )
    entered_at = models.DateTimeField(_("nhập lúc"), default=timezone.now)

    objects = TargetChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("kết quả thực hiện chỉ tiêu")
        verbose_name_plural = _("kết quả thực hiện chỉ tiêu")
        ordering = ["target", "year", "quarter", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "year", "quarter", "month"], name="result_once_per_period", nulls_distinct=False
            )
        ]

    @property
    def period(self):
        from apps.core.periods import Period

        return Period(self.year, self.quarter, self.month)


class ResultClosure(models.Model):
    """A period whose results an organization has closed (chốt số liệu) for its whole subtree: no
    result of that period is entered or changed below it afterwards."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("tổ chức đảng")
    )
    org_path = models.CharField(max_length=255, editable=False, db_index=True)
    year = models.PositiveSmallIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(_("quý"), null=True, blank=True)
    month = models.PositiveSmallIntegerField(_("tháng"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người chốt")
    )
    closed_at = models.DateTimeField(_("chốt lúc"), default=timezone.now)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("chốt số liệu chỉ tiêu")
        verbose_name_plural = _("chốt số liệu chỉ tiêu")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "quarter", "month"], name="result_closure_once", nulls_distinct=False
            )
        ]


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")
    CANCELLED = "cancelled", _("Thôi thực hiện")


OPEN_TASK_STATUSES = (TaskStatus.OPEN, TaskStatus.IN_PROGRESS)


class TaskQuerySet(ScopedQuerySet):
    """Scoped by the organization whose list it is on (the owner organization, or the owner
    member's organization); the owner member sees their own."""

    scope_org = "organization"
    scope_path = "org_path"
    scope_member = "owner_member"

    def open(self):
        return self.filter(status__in=OPEN_TASK_STATUSES)

    def overdue(self, today):
        return self.open().filter(deadline__lt=today)


class Task(Versioned):
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("thuộc tổ chức")
    )
    org_path = models.CharField(max_length=255, editable=False, db_index=True)
    owner_member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("đảng viên phụ trách"),
    )
    owner_organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tổ chức phụ trách"),
    )
    content = models.TextField(_("nội dung công việc"))
    deadline = models.DateField(_("thời hạn"))
    status = models.CharField(_("tình trạng"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    result = models.TextField(_("kết quả"), blank=True)
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    resolution = models.ForeignKey(
        Resolution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("theo nghị quyết"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người giao")
    )
    assigned_at = models.DateTimeField(_("giao lúc"), default=timezone.now)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["org_path", "status", "deadline"], name="task_path_status_deadline")]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_member__isnull=False, owner_organization__isnull=True)
                | Q(owner_member__isnull=True, owner_organization__isnull=False),
                name="task_one_owner",
            )
        ]

    def __str__(self):
        return self.content[:80]

    @property
    def owner(self):
        return self.owner_member or self.owner_organization

    def is_overdue(self, today) -> bool:
        return self.status in OPEN_TASK_STATUSES and self.deadline < today

    def done_late(self) -> bool:
        return self.status == TaskStatus.DONE and self.done_on is not None and self.done_on > self.deadline


class Rating(models.TextChoices):
    EXCELLENT = "excellent", _("Hoàn thành xuất sắc")
    GOOD = "good", _("Hoàn thành tốt")
    DONE = "done", _("Hoàn thành")
    NOT_DONE = "not_done", _("Không hoàn thành")


class TaskReviewQuerySet(ScopedQuerySet):
    scope_org = "organization"
    scope_path = "org_path"
    scope_member = "member"


class TaskReview(models.Model):
    """The monthly or quarterly evaluation of task results (seed 000), of one member by their cell
    or of the cell itself by its committee (member empty), with the figures it was made on."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("chi bộ, đảng bộ")
    )
    org_path = models.CharField(max_length=255, editable=False, db_index=True)
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("đảng viên")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(_("quý"), null=True, blank=True)
    month = models.PositiveSmallIntegerField(_("tháng"), null=True, blank=True)
    tasks_due = models.PositiveIntegerField(_("số nhiệm vụ đến hạn"), default=0)
    done_on_time = models.PositiveIntegerField(_("hoàn thành đúng hạn"), default=0)
    done_late = models.PositiveIntegerField(_("hoàn thành trễ hạn"), default=0)
    not_done = models.PositiveIntegerField(_("chưa hoàn thành"), default=0)
    rating = models.CharField(_("đánh giá"), max_length=16, choices=Rating.choices)
    comment = models.TextField(_("nhận xét"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người đánh giá")
    )
    reviewed_at = models.DateTimeField(_("đánh giá lúc"), default=timezone.now)

    objects = TaskReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("đánh giá kết quả thực hiện nhiệm vụ")
        verbose_name_plural = _("đánh giá kết quả thực hiện nhiệm vụ")
        ordering = ["-year", "-quarter", "-month", "pk"]


class WorkingRules(models.Model):
    """A committee's working rules (quy chế làm việc) for its term: each edition a row, the older
    ones kept; with who in the committee is assigned which area."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("cấp ủy")
    )
    org_path = models.CharField(max_length=255, editable=False, db_index=True)
    term = models.ForeignKey(
        "organizations.Term", on_delete=models.PROTECT, related_name="+", verbose_name=_("nhiệm kỳ")
    )
    edition = models.PositiveSmallIntegerField(_("lần ban hành"), default=1)
    number = models.CharField(_("số"), max_length=50, help_text=_("Ví dụ: 02-QC/ĐU"))
    title = models.CharField(_("tên văn bản"), max_length=255)
    adopted_on = models.DateField(_("ngày ban hành"))
    file = PrivateFileField(_("văn bản"), prefix="working-rules", blank=True)
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người nhập")
    )
    created_at = models.DateTimeField(_("nhập lúc"), default=timezone.now)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("quy chế làm việc")
        verbose_name_plural = _("quy chế làm việc")
        ordering = ["-adopted_on", "-edition", "-pk"]

    def __str__(self):
        return f"{self.number} – {self.title}"


class WorkingAreaQuerySet(ScopedQuerySet):
    scope_org = "rules__organization"
    scope_path = "rules__org_path"


class WorkingArea(models.Model):
    """The area a committee post holds under one edition of the working rules."""

    rules = models.ForeignKey(WorkingRules, on_delete=models.PROTECT, related_name="areas", verbose_name=_("quy chế"))
    post = models.ForeignKey(
        "organizations.CommitteePost", on_delete=models.PROTECT, related_name="+", verbose_name=_("chức vụ cấp ủy")
    )
    area = models.CharField(_("lĩnh vực được phân công"), max_length=255)

    objects = WorkingAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân công lĩnh vực")
        verbose_name_plural = _("phân công lĩnh vực")
        ordering = ["rules", "pk"]
