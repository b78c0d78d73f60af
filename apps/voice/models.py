"""Members' voice: petitions to their cell or a committee above, and dialogues with citizens.

A petition is private: its content is read by the member who filed it, by the officers of the
organization it was sent to (accounts holding a role that changes that very organization) and by
the handler it was assigned to — `Petition.objects.visible_to(user)` / `may_read(user, petition)`,
built on the private-record rule (`restrict_private`, `may_read_private`). `restrict()` alone
(committees above, an administrator) gives counts only."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import CHANGE, PrivateRule, ScopedQuerySet, scope_for
from apps.core.versioning import Versioned


class PetitionRuleSetQuerySet(models.QuerySet):
    def in_force(self, day: date):
        return (
            self.filter(active=True)
            .filter(Q(effective_from__isnull=True) | Q(effective_from__lte=day))
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
            .order_by("-effective_from")
        )


class PetitionRuleSet(models.Model):
    """How long the receiving organization has to answer (data an administrator edits, with its
    source; values not confirmed in a published text are listed in `unconfirmed`)."""

    code = models.SlugField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên bộ quy tắc"), max_length=255)
    regulation = models.CharField(_("quy định"), max_length=100)
    regulation_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    effective_from = models.DateField(_("áp dụng từ ngày"), null=True, blank=True)
    effective_to = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)
    answer_days = models.PositiveIntegerField(_("thời hạn trả lời (ngày)"), default=15)
    working_days = models.BooleanField(_("tính theo ngày làm việc"), default=True)
    source = models.TextField(_("nguồn"), blank=True)
    unconfirmed = models.JSONField(_("giá trị chưa xác nhận"), default=list, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    active = models.BooleanField(_("đang dùng"), default=True)

    objects = PetitionRuleSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("bộ quy tắc trả lời ý kiến, kiến nghị")
        verbose_name_plural = _("bộ quy tắc trả lời ý kiến, kiến nghị")
        ordering = ["effective_from"]

    def __str__(self):
        return self.name

    def delete(self, *args, **kwargs):
        from apps.core.reference import Retirable

        Retirable.delete(self)


class PetitionKind(models.TextChoices):
    OPINION = "opinion", _("Ý kiến")
    PETITION = "petition", _("Kiến nghị")
    FEEDBACK = "feedback", _("Phản ánh")


class PetitionStatus(models.TextChoices):
    NEW = "new", _("Mới gửi")
    ASSIGNED = "assigned", _("Đang xử lý")
    ANSWERED = "answered", _("Đã trả lời")


def officer_q(user, org_field: str = "organization") -> Q:
    """Rows whose organization is one where the user holds a role that changes that very
    organization (its own officers, not committees above reaching it through a subtree)."""
    scope = scope_for(user)
    ids = set(scope.orgs.get(CHANGE, ()))
    paths = list(scope.subtrees.get(CHANGE, ()))
    condition = Q(pk__in=[])
    if ids:
        condition |= Q(**{f"{org_field}__in": ids})
    if paths:
        condition |= Q(**{f"{org_field}__path__in": paths})
    return condition


def is_officer(user, organization) -> bool:
    scope = scope_for(user)
    return organization.pk in scope.orgs.get(CHANGE, ()) or organization.path in scope.subtrees.get(CHANGE, ())


class PetitionQuerySet(ScopedQuerySet):
    scope_org = "organization"
    scope_path = "org_path"
    scope_member = "member"

    def visible_to(self, user):
        """The petitions whose content the user reads: their own (the private rule), those sent to
        an organization they are an officer of, and those assigned to them."""
        if user is None or not user.is_authenticated:
            return self.none()
        own = self.restrict_private(user)
        return self.filter(Q(pk__in=own.values("pk")) | officer_q(user) | Q(handler=user))._door()

    def overdue(self, day: date | None = None):
        day = day or timezone.localdate()
        return self.exclude(status=PetitionStatus.ANSWERED).filter(due_on__lt=day)


class Petition(Versioned, models.Model):
    private_rule = PrivateRule(org="organization", member="member", written="created_at")

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("gửi đến")
    )
    org_path = models.CharField(max_length=255, editable=False, default="")
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="petitions", verbose_name=_("đảng viên gửi")
    )
    kind = models.CharField(_("loại"), max_length=10, choices=PetitionKind.choices, default=PetitionKind.PETITION)
    title = models.CharField(_("tiêu đề"), max_length=255)
    content = models.TextField(_("nội dung"))
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("về cuộc sinh hoạt"),
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=PetitionStatus.choices, default=PetitionStatus.NEW
    )
    created_at = models.DateTimeField(_("gửi lúc"), default=timezone.now)
    submitted_on = models.DateField(_("ngày gửi"))
    due_on = models.DateField(_("hạn trả lời"))
    rule_set = models.ForeignKey(
        PetitionRuleSet, on_delete=models.PROTECT, related_name="+", verbose_name=_("bộ quy tắc")
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="petitions_handled",
        verbose_name=_("người xử lý"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người giao"),
    )
    assigned_at = models.DateTimeField(_("giao lúc"), null=True, blank=True)
    answer = models.TextField(_("trả lời"), blank=True)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người trả lời"),
    )

    objects = PetitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("ý kiến, kiến nghị")
        verbose_name_plural = _("ý kiến, kiến nghị")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["org_path", "status"],
                name="petition_path_status",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
            ),
            models.Index(fields=["organization", "status", "due_on"], name="petition_org_status"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.org_path = self.organization.path
        super().save(*args, **kwargs)

    def is_overdue(self, day: date | None = None) -> bool:
        return self.status != PetitionStatus.ANSWERED and self.due_on < (day or timezone.localdate())

    @property
    def answered_late(self) -> bool:
        return self.answered_at is not None and timezone.localdate(self.answered_at) > self.due_on


# --- Dialogues with citizens -------------------------------------------------------------------


class DialogueQuerySet(ScopedQuerySet):
    scope_org = "organization"
    scope_path = "org_path"


class Dialogue(models.Model):
    """A dialogue session (đối thoại) the head of a committee holds with citizens."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("cấp ủy tổ chức")
    )
    org_path = models.CharField(max_length=255, editable=False, default="")
    held_on = models.DateField(_("ngày đối thoại"))
    place = models.CharField(_("địa điểm"), max_length=255)
    chair = models.CharField(_("người chủ trì"), max_length=255, help_text=_("Họ tên, chức vụ người đứng đầu cấp ủy"))
    participants = models.TextField(_("thành phần tham dự"), blank=True)
    participant_count = models.PositiveIntegerField(_("số người tham dự"), null=True, blank=True)
    summary = models.TextField(_("tóm tắt"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người ghi")
    )
    created_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    objects = DialogueQuerySet.as_manager()

    class Meta:
        verbose_name = _("buổi đối thoại")
        verbose_name_plural = _("buổi đối thoại")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.place} ({self.held_on:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        self.org_path = self.organization.path
        super().save(*args, **kwargs)


class DialogueChildQuerySet(ScopedQuerySet):
    scope_org = "dialogue__organization"
    scope_path = "dialogue__org_path"

    def overdue(self, day: date | None = None):
        day = day or timezone.localdate()
        return self.filter(answered_on__isnull=True, due_on__lt=day)


class DialogueIssue(Versioned, models.Model):
    """An issue a citizen raised: who must answer it and by when, the answer, and the follow-up."""

    dialogue = models.ForeignKey(
        Dialogue, on_delete=models.PROTECT, related_name="issues", verbose_name=_("buổi đối thoại")
    )
    raised_by = models.CharField(_("người nêu"), max_length=255, help_text=_("Họ tên, nơi ở của người dân"))
    content = models.TextField(_("nội dung"))
    responsible = models.CharField(_("đơn vị, người phải trả lời"), max_length=255)
    due_on = models.DateField(_("hạn trả lời"))
    answer = models.TextField(_("trả lời"), blank=True)
    answered_on = models.DateField(_("ngày trả lời"), null=True, blank=True)
    resolved = models.BooleanField(_("đã giải quyết xong"), default=False)

    objects = DialogueChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("vấn đề người dân nêu")
        verbose_name_plural = _("vấn đề người dân nêu")
        ordering = ["dialogue", "pk"]

    def __str__(self):
        return self.content[:80]

    def is_overdue(self, day: date | None = None) -> bool:
        return self.answered_on is None and self.due_on < (day or timezone.localdate())


class FollowUpQuerySet(ScopedQuerySet):
    scope_org = "issue__dialogue__organization"
    scope_path = "issue__dialogue__org_path"


class FollowUp(models.Model):
    """A step of the follow-up of an issue (checked on, reminded, reported back to citizens)."""

    issue = models.ForeignKey(
        DialogueIssue, on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("vấn đề")
    )
    on = models.DateField(_("ngày"))
    note = models.TextField(_("nội dung theo dõi"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người ghi")
    )
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("theo dõi giải quyết")
        verbose_name_plural = _("theo dõi giải quyết")
        ordering = ["issue", "on", "pk"]
