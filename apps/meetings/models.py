"""Cell meetings: the yearly plan, preparation, the roll, minutes, votes, quality and the rules behind them.

The rules (attendance threshold, durations, quality criteria and levels, the entry window) are data
in `MeetingRuleSet`, one row per regulation with its effective dates, so a meeting is judged by the
set in force on its date and every report can name the set it used (RULES.md §0, §2).
"""

import secrets
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.files import PrivateFileField
from apps.core.locking import Approvable
from apps.core.reference import Retirable
from apps.core.scoping import VIEW, ScopedQuerySet, scope_for
from apps.core.versioning import Versioned, VersionedSave
from apps.members.models import Status


def default_criteria():
    return [
        {"key": "attendance", "label": "Tỷ lệ đảng viên dự trên mức quy định", "points": 25, "mandatory": True},
        {"key": "no_unexcused", "label": "Không có đảng viên vắng mặt không lý do", "points": 15, "mandatory": True},
        {
            "key": "excused_streak",
            "label": "Không có đảng viên vắng có lý do quá 3 lần liên tục trong năm",
            "points": 5,
            "mandatory": True,
        },
        {"key": "duration", "label": "Thời gian sinh hoạt đủ theo quy định", "points": 15, "mandatory": True},
        {
            "key": "prepared",
            "label": "Chuẩn bị chu đáo: thông báo và tài liệu gửi trước",
            "points": 15,
            "mandatory": True,
        },
        {"key": "speakers", "label": "Nhiều đảng viên phát biểu ý kiến", "points": 10, "mandatory": False},
        {"key": "minutes_complete", "label": "Biên bản, nghị quyết đầy đủ bốn phần", "points": 15, "mandatory": True},
    ]


def default_levels():
    return [
        {"code": "good", "label": "Tốt", "min_points": 90},
        {"code": "fair", "label": "Khá", "min_points": 70},
        {"code": "average", "label": "Trung bình", "min_points": 50},
        {"code": "poor", "label": "Kém", "min_points": 0},
    ]


class MeetingRuleSet(Retirable, models.Model):
    """The rules for cell meetings in force between two dates, editable by an administrator."""

    name = models.CharField(_("tên bộ quy tắc"), max_length=255)
    regulation = models.CharField(_("văn bản căn cứ"), max_length=255, help_text=_("Ví dụ: 50-CT/TW; 42-HD/BTCTW"))
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    min_attendance_pct = models.DecimalField(
        _("tỷ lệ dự tối thiểu (trên, %)"), max_digits=5, decimal_places=2, default=85
    )
    min_minutes = models.PositiveSmallIntegerField(_("thời gian tối thiểu (phút)"), default=90)
    min_minutes_combined = models.PositiveSmallIntegerField(
        _("thời gian tối thiểu khi kết hợp thường kỳ và chuyên đề (phút)"), default=120
    )
    max_unexcused = models.PositiveSmallIntegerField(_("số vắng không lý do tối đa"), default=0)
    max_excused_streak = models.PositiveSmallIntegerField(_("số lần vắng có lý do liên tục tối đa"), default=3)
    min_speakers_pct = models.DecimalField(
        _("tỷ lệ đảng viên phát biểu tối thiểu (%)"),
        max_digits=5,
        decimal_places=2,
        default=30,
        help_text=_("Chưa có văn bản quy định con số: mức do địa phương đặt."),
    )
    document_lead_days = models.PositiveSmallIntegerField(_("gửi tài liệu trước (ngày)"), default=1)
    absence_streak_months = models.PositiveSmallIntegerField(
        _("số tháng liên tục vắng không lý do thì cảnh báo"), default=3
    )
    entry_window_days = models.PositiveSmallIntegerField(
        _("số ngày sau khi hết tháng còn được nhập sinh hoạt"), default=60
    )
    exempted_present_in_base = models.BooleanField(
        _("đảng viên miễn sinh hoạt có mặt được tính vào cơ số"), default=True
    )
    temp_in_votes = models.BooleanField(_("đảng viên sinh hoạt tạm thời được biểu quyết"), default=True)
    criteria = models.JSONField(_("tiêu chí chất lượng"), default=default_criteria)
    levels = models.JSONField(_("mức chất lượng"), default=default_levels)
    note = models.TextField(_("ghi chú"), blank=True)
    active = models.BooleanField(
        _("đang dùng"), default=True, help_text=_("Bộ quy tắc ngừng sử dụng không được áp cho cuộc sinh hoạt mới.")
    )

    class Meta:
        verbose_name = _("bộ quy tắc sinh hoạt chi bộ")
        verbose_name_plural = _("bộ quy tắc sinh hoạt chi bộ")
        ordering = ["-valid_from"]

    def __str__(self):
        return f"{self.name} ({self.regulation})"

    @classmethod
    def in_force_on(cls, day):
        found = (
            cls.objects.filter(active=True, valid_from__lte=day)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
            .order_by("-valid_from")
            .first()
        )
        return found or cls.objects.filter(active=True).order_by("valid_from").first() or cls()


class ThemeCategory(models.TextChoices):
    STUDY = "study", _("Chuyên đề học tập của năm")
    OCCASION = "occasion", _("Ngày lễ, kỷ niệm")
    MANIFESTATIONS = "manifestations", _("27 biểu hiện suy thoái")
    LOCAL_TASK = "local_task", _("Nhiệm vụ của địa phương")
    PARTY_BUILDING = "party_building", _("Xây dựng Đảng")
    OTHER = "other", _("Khác")


class ThemeQuerySet(ScopedQuerySet):
    def for_organization(self, organization):
        """Themes of the whole deployment and of the organization and those above it."""
        from apps.organizations.models import line_paths

        qs = self.filter(is_active=True).filter(
            Q(organization__isnull=True) | Q(organization__path__in=line_paths(organization.path))
        )
        # Through the door: the organization was loaded through it, and the themes it may use (the
        # deployment's and its superiors' library) are meant for whoever reaches it.
        return qs._door()


class Theme(Retirable, models.Model):
    """A suggested meeting theme from the deployment's library (edited in the administration)."""

    title = models.CharField(_("chủ đề"), max_length=255)
    category = models.CharField(_("nhóm"), max_length=20, choices=ThemeCategory.choices)
    month = models.PositiveSmallIntegerField(_("tháng gợi ý"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True, help_text=_("Để trống: mọi năm"))
    description = models.TextField(_("nội dung gợi ý"), blank=True)
    source = models.CharField(_("văn bản căn cứ"), max_length=255, blank=True)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("của tổ chức đảng"),
        help_text=_("Để trống: dùng cho mọi tổ chức"),
    )
    is_active = models.BooleanField(_("đang dùng"), default=True)

    objects = ThemeQuerySet.as_manager()
    retire_field = "is_active"

    class Meta:
        verbose_name = _("chủ đề sinh hoạt gợi ý")
        verbose_name_plural = _("thư viện chủ đề sinh hoạt")
        ordering = ["category", "month", "title"]

    def __str__(self):
        return self.title


class Kind(models.TextChoices):
    REGULAR = "regular", _("Thường kỳ")
    THEMATIC = "thematic", _("Chuyên đề")
    COMBINED = "combined", _("Thường kỳ kết hợp chuyên đề")
    COMMITTEE = "committee", _("Chi ủy")
    EXTENDED_COMMITTEE = "extended_committee", _("Chi ủy mở rộng")


# Kinds that count as the month's regular meeting, and as the quarter's thematic one.
REGULAR_KINDS = (Kind.REGULAR, Kind.COMBINED)
THEMATIC_KINDS = (Kind.THEMATIC, Kind.COMBINED)
CELL_MEETING_KINDS = (Kind.REGULAR, Kind.THEMATIC, Kind.COMBINED)


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Kế hoạch")
    NOTIFIED = "notified", _("Đã thông báo")
    IN_PROGRESS = "in_progress", _("Đang sinh hoạt")
    HELD = "held", _("Đã sinh hoạt")
    APPROVED = "approved", _("Biên bản đã thông qua")
    CANCELLED = "cancelled", _("Hủy")


HELD_STATUSES = (MeetingStatus.HELD, MeetingStatus.APPROVED)


class MeetingQuerySet(ScopedQuerySet):
    scope_org = "organization"
    scope_path = "organization__path"

    def restrict(self, user, action: str = VIEW):
        qs = super().restrict(user, action)
        scope = scope_for(user)
        if scope.is_admin or action != VIEW:
            return qs
        extra = Q(pk__in=[])
        if scope.member_id:
            from django.utils import timezone

            from apps.members.models import Member
            from apps.organizations.models import OversightAssignment

            own = Member.objects.filter(pk=scope.member_id).values_list("organization_id", flat=True).first()
            if own:
                extra |= Q(organization_id=own)
            followed = list(
                OversightAssignment.objects.filter(member_id=scope.member_id)
                .active_on(timezone.localdate())
                .values_list("organization_id", flat=True)
            )
            if followed:
                extra |= Q(organization_id__in=followed)
        if extra == Q(pk__in=[]):
            return qs
        return (qs | self.filter(extra)).distinct()

    def held(self):
        return self.filter(status__in=HELD_STATUSES)

    def in_year(self, year):
        return self.filter(date__year=year)


class BackfillQuerySet(ScopedQuerySet):
    def covering(self, organization, day: date, today: date):
        """Openings that let meetings dated `day` be entered for `organization` today: made on the
        organization or one above it, spanning the day, not yet past their deadline."""
        from apps.organizations.models import line_paths

        return self.filter(
            organization__path__in=line_paths(organization.path),
            starts_on__lte=day,
            ends_on__gte=day,
            open_until__gte=today,
        ).order_by("-opened_at")


class Backfill(models.Model):
    """Ghi bổ sung: the committee above opens past months, closed by the entry window, so that a cell
    (or every cell under a committee) can enter the meetings it kept on paper. Who, when and why
    stay on the opening and on every meeting entered under it."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("tổ chức đảng")
    )
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    open_until = models.DateField(_("hạn ghi bổ sung"))
    reason = models.TextField(_("lý do"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người mở")
    )
    opened_at = models.DateTimeField(_("mở lúc"), auto_now_add=True)

    objects = BackfillQuerySet.as_manager()

    class Meta:
        verbose_name = _("mở ghi bổ sung sinh hoạt")
        verbose_name_plural = _("mở ghi bổ sung sinh hoạt")
        ordering = ["-opened_at"]

    def __str__(self):
        return f"{self.organization} {self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y}"


class Meeting(Versioned):
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="meetings", verbose_name=_("chi bộ")
    )
    kind = models.CharField(_("loại sinh hoạt"), max_length=20, choices=Kind.choices, default=Kind.REGULAR)
    date = models.DateField(_("ngày"))
    start_time = models.TimeField(_("giờ bắt đầu"), null=True, blank=True)
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    theme = models.CharField(_("chủ đề"), max_length=255, blank=True)
    theme_ref = models.ForeignKey(
        Theme, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings", verbose_name=_("chủ đề gợi ý")
    )
    theme_set_by = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chủ đề do cấp trên đặt"),
    )
    agenda = models.TextField(_("nội dung, chương trình"), blank=True)
    resolution_drafter = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người chuẩn bị dự thảo nghị quyết"),
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    notified_at = models.DateTimeField(_("thông báo lúc"), null=True, blank=True)
    # Holding the meeting
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    ended_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    purpose_announced = models.BooleanField(_("Đã tuyên bố lý do, giới thiệu đại biểu"), default=False)
    minute_taker_appointed = models.BooleanField(_("Đã cử thư ký"), default=False)
    attendance_reported = models.BooleanField(_("Đã báo cáo số đảng viên có mặt, vắng mặt"), default=False)
    agenda_adopted = models.BooleanField(_("Đã thông qua chương trình"), default=False)
    minutes_read_back = models.BooleanField(_("Đã đọc lại, thông qua biên bản trước khi bế mạc"), default=False)
    chair = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("chủ trì")
    )
    minute_taker = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("thư ký")
    )
    higher_representative = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("đại diện cấp ủy cấp trên dự"),
    )
    higher_representative_name = models.CharField(_("đại diện cấp trên (ngoài danh sách)"), max_length=255, blank=True)
    guests = models.TextField(_("khách mời"), blank=True)
    checkin_token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe, editable=False)
    rule_set = models.ForeignKey(
        MeetingRuleSet, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("bộ quy tắc")
    )
    cancelled_reason = models.CharField(_("lý do hủy"), max_length=255, blank=True)
    backfill = models.ForeignKey(
        Backfill,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("ghi bổ sung theo"),
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("cuộc sinh hoạt chi bộ")
        verbose_name_plural = _("sinh hoạt chi bộ")
        ordering = ["date", "start_time", "pk"]
        indexes = [models.Index(fields=["organization", "date"], name="meeting_org_date")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y} – {self.organization}"

    @property
    def quarter(self) -> int:
        return (self.date.month - 1) // 3 + 1

    @property
    def duration_minutes(self) -> int | None:
        if self.started_at and self.ended_at:
            return int((self.ended_at - self.started_at).total_seconds() // 60)
        return None

    @property
    def is_locked(self) -> bool:
        return self.status == MeetingStatus.APPROVED

    @property
    def is_held(self) -> bool:
        return self.status in HELD_STATUSES

    def may_start_on(self, today: date) -> bool:
        """A meeting starts on its day or later (a cell meeting earlier moves its date first)."""
        return self.status != MeetingStatus.CANCELLED and not self.has_started and self.date <= today

    @property
    def has_started(self) -> bool:
        """The roll is taken from the start on; before it the cell has no roll, only the members due."""
        return self.status in (MeetingStatus.IN_PROGRESS, *HELD_STATUSES)


class MeetingChildQuerySet(ScopedQuerySet):
    """Rows of a meeting: seen by whoever sees the meeting (its cell's members included)."""

    scope_org = "meeting__organization"
    scope_path = "meeting__organization__path"

    def restrict(self, user, action: str = VIEW):
        qs = super().restrict(user, action)
        if action != VIEW or scope_for(user).is_admin:
            return qs
        visible = Meeting.objects.restrict(user, VIEW).values("pk")
        return (qs | self.filter(meeting__in=visible)).distinct()


class PresenterQuerySet(MeetingChildQuerySet):
    scope_member = "member"


class Contribution(models.Model):
    """A member assigned to prepare a contribution (tham luận), and what they said at the meeting."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="contributions", verbose_name=_("cuộc sinh hoạt")
    )
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("đảng viên")
    )
    topic = models.CharField(_("nội dung tham luận"), max_length=255, blank=True)
    assigned = models.BooleanField(_("được phân công chuẩn bị"), default=False)
    spoke = models.BooleanField(_("đã phát biểu"), default=False)
    summary = models.TextField(_("ý kiến phát biểu"), blank=True)

    objects = PresenterQuerySet.as_manager()

    class Meta:
        verbose_name = _("tham luận, phát biểu")
        verbose_name_plural = _("tham luận, phát biểu")
        ordering = ["meeting", "pk"]


class MeetingDocument(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="documents", verbose_name=_("cuộc sinh hoạt")
    )
    title = models.CharField(_("tên tài liệu"), max_length=255)
    # Kept under a random name, served only by meetings:document (see apps/core/files.py).
    file = PrivateFileField(_("tệp"), prefix="meetings")
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)  # as the user named it
    posted_at = models.DateTimeField(_("gửi lúc"))
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người gửi")
    )

    objects = MeetingChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("tài liệu sinh hoạt")
        verbose_name_plural = _("tài liệu sinh hoạt")
        ordering = ["meeting", "posted_at"]


class NotificationQuerySet(ScopedQuerySet):
    """A notification is personal: its recipient reads it; the organizations above see that it was sent."""

    scope_org = "organization"
    scope_path = "organization__path"

    def restrict(self, user, action: str = VIEW):
        qs = super().restrict(user, action)
        if action == VIEW and user is not None and user.is_authenticated:
            return (qs | self.filter(recipient=user)).distinct()
        return qs


class Topic(models.TextChoices):
    MEETING = "meeting", _("Sinh hoạt")
    DUES = "dues", _("Đảng phí")


class Notification(models.Model):
    """A notice to a member from their cell: a meeting's invitation, or a reminder (dues) that
    belongs to no meeting."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("chi bộ")
    )
    topic = models.CharField(_("về"), max_length=10, choices=Topic.choices, default=Topic.MEETING)
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("cuộc sinh hoạt"),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_notifications",
        verbose_name=_("người nhận"),
    )
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("đảng viên nhận")
    )
    as_overseer = models.BooleanField(_("cấp ủy viên phụ trách"), default=False)
    text = models.TextField(_("nội dung"))
    created_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(topic="meeting") | Q(meeting__isnull=False), name="notice_meeting_has_one"
            )
        ]

    def get_absolute_url(self) -> str:
        if self.meeting_id:
            return reverse("meetings:detail", args=[self.meeting_id])
        return reverse("dues:mine")


class Presence(models.TextChoices):
    UNMARKED = "unmarked", _("Chưa điểm danh")
    PRESENT = "present", _("Có mặt")
    EXCUSED = "excused", _("Vắng có lý do")
    UNEXCUSED = "unexcused", _("Vắng không lý do")


class AttendanceQuerySet(MeetingChildQuerySet):
    scope_member = "member"


class Attendance(models.Model):
    """One line of the roll: the member's state on the meeting's date (a snapshot) and presence."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="roll", verbose_name=_("cuộc sinh hoạt")
    )
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="attendances", verbose_name=_("đảng viên")
    )
    member_status = models.CharField(_("tình trạng ngày sinh hoạt"), max_length=20, choices=Status.choices)
    is_full_member = models.BooleanField(_("đảng viên chính thức"), default=True)
    presence = models.CharField(_("điểm danh"), max_length=12, choices=Presence.choices, default=Presence.UNMARKED)
    reason = models.CharField(_("lý do vắng"), max_length=255, blank=True)
    via_qr = models.BooleanField(_("tự điểm danh bằng mã QR"), default=False)
    marked_at = models.DateTimeField(_("điểm danh lúc"), null=True, blank=True)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("điểm danh")
        verbose_name_plural = _("điểm danh")
        ordering = ["meeting", "member__sort_key", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once")]


class Minutes(VersionedSave, Approvable):
    """One version of the minutes and resolution. Approval locks it (apps.core.locking); a
    correction is a new version.

    `version` numbers the corrections; `revision` counts the saves of this draft (stale saves are
    refused, see apps.core.versioning).
    """

    version_field = "revision"

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="minutes_versions", verbose_name=_("cuộc sinh hoạt")
    )
    version = models.PositiveSmallIntegerField(_("lần"), default=1)
    revision = models.PositiveIntegerField(_("lần lưu"), default=1, editable=False)
    number = models.CharField(_("số nghị quyết"), max_length=50, blank=True, help_text=_("Ví dụ: 05-NQ/CB"))
    discussion = models.TextField(_("diễn biến, thảo luận"), blank=True)
    conclusions = models.TextField(_("kết luận"), blank=True)
    results = models.TextField(_("I. Kết quả thực hiện nhiệm vụ"), blank=True)
    direction = models.TextField(_("II. Phương hướng, nhiệm vụ"), blank=True)
    assignments = models.TextField(_("III. Phân công tổ chức thực hiện"), blank=True)
    self_assessment = models.TextField(_("IV. Tự đánh giá chất lượng sinh hoạt"), blank=True)
    correction_reason = models.CharField(_("lý do sửa đổi"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người lập")
    )
    created_at = models.DateTimeField(_("lập lúc"), auto_now_add=True)
    approved_at = models.DateTimeField(_("thông qua lúc"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người xác nhận thông qua"),
    )

    objects = MeetingChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("biên bản, nghị quyết")
        verbose_name_plural = _("biên bản, nghị quyết")
        ordering = ["meeting", "version"]
        constraints = [models.UniqueConstraint(fields=["meeting", "version"], name="minutes_version_once")]

    @property
    def is_complete(self) -> bool:
        return all((self.conclusions, self.results, self.direction, self.assignments, self.self_assessment))


class VoteKind(models.TextChoices):
    ORDINARY = "ordinary", _("Thông qua nghị quyết, kết luận")
    ADMISSION = "admission", _("Kết nạp đảng viên")
    RECOGNITION = "recognition", _("Công nhận đảng viên chính thức")
    STRIKE_OFF = "strike_off", _("Xóa tên đảng viên")


# Kinds needing two thirds of the full members (QĐ 24 §4.2.3); the rest need more than half.
TWO_THIRDS_KINDS = (VoteKind.ADMISSION, VoteKind.RECOGNITION, VoteKind.STRIKE_OFF)


class Vote(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="votes", verbose_name=_("cuộc sinh hoạt")
    )
    kind = models.CharField(_("loại biểu quyết"), max_length=20, choices=VoteKind.choices, default=VoteKind.ORDINARY)
    subject = models.CharField(_("nội dung biểu quyết"), max_length=255)
    votes_for = models.PositiveSmallIntegerField(_("tán thành"))
    votes_against = models.PositiveSmallIntegerField(_("không tán thành"), default=0)
    votes_abstain = models.PositiveSmallIntegerField(_("không biểu quyết"), default=0)
    base = models.PositiveSmallIntegerField(_("số đảng viên làm căn cứ"))
    is_valid = models.BooleanField(_("hợp lệ"))

    objects = MeetingChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("biểu quyết")
        verbose_name_plural = _("biểu quyết")
        ordering = ["meeting", "pk"]


class QualityAssessment(models.Model):
    """The cell's self-assessment of one meeting, and the parent organization's confirmation."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.PROTECT, related_name="quality", verbose_name=_("cuộc sinh hoạt")
    )
    rule_set = models.ForeignKey(
        MeetingRuleSet, on_delete=models.PROTECT, related_name="+", verbose_name=_("bộ quy tắc")
    )
    results = models.JSONField(_("kết quả theo tiêu chí"), default=list)
    points = models.PositiveSmallIntegerField(_("điểm"))
    meets_quality = models.BooleanField(_("đạt chất lượng"))
    self_level = models.CharField(_("mức tự đánh giá"), max_length=50)
    self_note = models.TextField(_("ghi chú tự đánh giá"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người tự đánh giá")
    )
    assessed_at = models.DateTimeField(_("tự đánh giá lúc"))
    confirmed_level = models.CharField(_("mức cấp trên xác nhận"), max_length=50, blank=True)
    confirmed_meets_quality = models.BooleanField(_("cấp trên xác nhận đạt chất lượng"), null=True, blank=True)
    confirm_reason = models.TextField(_("lý do điều chỉnh"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người xác nhận"),
    )
    confirmed_by_org = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cấp ủy xác nhận"),
    )
    confirmed_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)

    objects = MeetingChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("đánh giá chất lượng sinh hoạt")
        verbose_name_plural = _("đánh giá chất lượng sinh hoạt")

    @property
    def final_level(self) -> str:
        return self.confirmed_level or self.self_level

    @property
    def final_meets_quality(self) -> bool:
        return self.meets_quality if self.confirmed_meets_quality is None else self.confirmed_meets_quality


class PeriodClosure(models.Model):
    """A month whose meeting figures an organization has closed (chốt số liệu) for its whole subtree."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("tổ chức đảng")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    month = models.PositiveSmallIntegerField(_("tháng"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người chốt")
    )
    closed_at = models.DateTimeField(_("chốt lúc"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("chốt số liệu sinh hoạt")
        verbose_name_plural = _("chốt số liệu sinh hoạt")
        constraints = [models.UniqueConstraint(fields=["organization", "year", "month"], name="closure_once")]
