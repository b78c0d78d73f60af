"""Admission as a tracked case (kết nạp), probation and recognition (công nhận đảng viên chính thức).

A case belongs to the cell that considers the candidate. Each stage is an `AdmissionStep` row with
its date and the data it needs; the rules that judge it are a `LifecycleRuleSet` (data, with the
regulation and its effective dates), the set in force on the step's date.
"""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.reference import Retirable
from apps.core.scoping import ScopedQuerySet
from apps.core.versioning import Versioned


class DeclaredDay(Retirable, models.Model):
    """A day the deployment declares off (or a weekend day it declares a working day), on top of
    Vietnam's public holidays. Edited by system administrators in the admin."""

    date = models.DateField(_("ngày"), unique=True)
    name = models.CharField(_("tên ngày"), max_length=255)
    is_working_day = models.BooleanField(
        _("là ngày làm việc (làm bù)"),
        default=False,
        help_text=_("Đánh dấu khi một ngày thứ Bảy, Chủ nhật được khai báo là ngày làm việc bù."),
    )
    active = models.BooleanField(_("đang sử dụng"), default=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("ngày nghỉ, làm bù do hệ thống khai báo")
        verbose_name_plural = _("ngày nghỉ, làm bù do hệ thống khai báo")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.name}"


class DecidingLevel(models.TextChoices):
    HIGHER_STANDING = "higher_standing", _("Ban Thường vụ cấp ủy cấp trên trực tiếp của tổ chức cơ sở đảng")
    COMMUNE_WARD = "commune_ward", _("Đảng ủy xã, phường (thí điểm từ 01/7/2025, QĐ 294-QĐ/TW)")
    GRASSROOTS = "grassroots", _("Đảng ủy cơ sở được ủy quyền")


class LifecycleRuleSet(Retirable, models.Model):
    """One regulation's rules of admission and probation, as data a system administrator edits."""

    code = models.SlugField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên bộ quy tắc"), max_length=255)
    regulation = models.CharField(_("quy định"), max_length=255)
    effective_from = models.DateField(_("áp dụng từ ngày"), null=True, blank=True)
    effective_to = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)
    source = models.TextField(_("nguồn"), blank=True)
    min_age_months = models.PositiveSmallIntegerField(_("tuổi tối thiểu (tháng)"), default=216)
    max_age_months = models.PositiveSmallIntegerField(_("tuổi tối đa (tháng)"), default=720)
    sponsor_months = models.PositiveSmallIntegerField(_("thời gian người giới thiệu công tác cùng (tháng)"), default=12)
    sponsors_needed = models.PositiveSmallIntegerField(_("số người giới thiệu"), default=2)
    vote_share_numerator = models.PositiveSmallIntegerField(_("tỷ lệ tán thành: tử số"), default=2)
    vote_share_denominator = models.PositiveSmallIntegerField(_("tỷ lệ tán thành: mẫu số"), default=3)
    probation_months = models.PositiveSmallIntegerField(_("thời gian dự bị (tháng)"), default=12)
    review_working_days = models.PositiveSmallIntegerField(
        _("hạn chi bộ xét công nhận sau khi hết dự bị (ngày làm việc)"), default=30
    )
    ceremony_working_days = models.PositiveSmallIntegerField(
        _("hạn tổ chức lễ kết nạp sau quyết định (ngày làm việc)"), default=30
    )
    certificate_years = models.PositiveSmallIntegerField(_("giá trị giấy chứng nhận lớp bồi dưỡng (năm)"), default=5)
    deciding_level = models.CharField(
        _("cấp quyết định kết nạp"), max_length=20, choices=DecidingLevel.choices, default=DecidingLevel.COMMUNE_WARD
    )
    unconfirmed = models.JSONField(_("giá trị chưa xác nhận"), default=list, blank=True)
    active = models.BooleanField(_("đang sử dụng"), default=True)
    notes = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("bộ quy tắc kết nạp, dự bị")
        verbose_name_plural = _("bộ quy tắc kết nạp, dự bị")
        ordering = ["effective_from"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.effective_from and self.effective_to and self.effective_to < self.effective_from:
            raise ValidationError(_("Ngày hết hiệu lực phải sau ngày áp dụng."))
        if not self.vote_share_denominator or self.vote_share_numerator > self.vote_share_denominator:
            raise ValidationError(_("Tỷ lệ tán thành phải là một phân số không lớn hơn 1."))

    @classmethod
    def in_force_on(cls, day: dt.date) -> LifecycleRuleSet:
        found = (
            cls.objects.filter(active=True)
            .filter(Q(effective_from__isnull=True) | Q(effective_from__lte=day))
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
            .order_by("-effective_from")
            .first()
        )
        if found is None:
            raise ValidationError(
                _("Chưa có bộ quy tắc kết nạp, dự bị áp dụng cho ngày %(day)s: quản trị hệ thống cần khai báo.")
                % {"day": day.strftime("%d/%m/%Y")}
            )
        return found

    @property
    def label(self) -> str:
        return f"{self.name} ({self.regulation})"

    def share_met(self, votes_for: int, base: int) -> bool:
        """votes_for / base >= numerator / denominator, in whole numbers."""
        return base > 0 and votes_for * self.vote_share_denominator >= base * self.vote_share_numerator

    def is_unconfirmed(self, field_name: str) -> bool:
        return field_name in (self.unconfirmed or [])


def age_in_months(birth: dt.date, on: dt.date) -> int:
    """Whole months of age on a day (a month counts once its day of the month is reached)."""
    delta = relativedelta(on, birth)
    return delta.years * 12 + delta.months


class IntroducedBy(models.TextChoices):
    CELL = "cell", _("Chi bộ")
    YOUTH_UNION = "youth_union", _("Đoàn Thanh niên Cộng sản Hồ Chí Minh")
    TRADE_UNION = "trade_union", _("Công đoàn")
    WOMEN_UNION = "women_union", _("Hội Liên hiệp Phụ nữ")
    VETERANS = "veterans", _("Hội Cựu chiến binh")
    FARMERS = "farmers", _("Hội Nông dân")
    FATHERLAND_FRONT = "fatherland_front", _("Mặt trận Tổ quốc")
    OTHER = "other", _("Tổ chức khác")


class CaseState(models.TextChoices):
    OPEN = "open", _("Đang xem xét kết nạp")
    PROBATION = "probation", _("Đang dự bị")
    RECOGNIZED = "recognized", _("Đã công nhận chính thức")
    NOT_RECOGNIZED = "not_recognized", _("Không công nhận (xóa tên)")
    STOPPED = "stopped", _("Dừng xem xét")


class AdmissionCaseQuerySet(ScopedQuerySet):
    scope_org = "organization"
    scope_path = "org_path"
    scope_member = None  # a candidate is not a member; the case is the committee's


class AdmissionCase(Versioned):
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="admission_cases", verbose_name=_("chi bộ")
    )
    org_path = models.CharField(max_length=255, editable=False, default="", db_index=True)
    family_name = models.CharField(_("họ"), max_length=50)
    middle_name = models.CharField(_("tên đệm"), max_length=100, blank=True)
    given_name = models.CharField(_("tên"), max_length=50)
    gender = models.CharField(_("giới tính"), max_length=8, choices=[("male", _("Nam")), ("female", _("Nữ"))])
    birth_date = models.DateField(_("ngày sinh"))
    ethnicity = models.CharField(_("dân tộc"), max_length=50, default="Kinh")
    religion = models.CharField(_("tôn giáo"), max_length=50, blank=True, default="Không")
    hometown = models.CharField(_("quê quán"), max_length=255, blank=True)
    residence = models.CharField(_("nơi cư trú"), max_length=255, blank=True)
    occupation = models.CharField(_("nghề nghiệp, nơi làm việc"), max_length=255, blank=True)
    general_education = models.CharField(_("trình độ giáo dục phổ thông"), max_length=20, blank=True)
    education_exception = models.CharField(
        _("trường hợp ngoại lệ về học vấn"),
        max_length=255,
        blank=True,
        help_text=_("Vùng cao, vùng sâu, vùng khó khăn… (ghi căn cứ); để trống khi đủ trình độ trung học cơ sở."),
    )
    state = models.CharField(_("tình trạng"), max_length=16, choices=CaseState.choices, default=CaseState.OPEN)
    member = models.OneToOneField(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="admission_case",
        verbose_name=_("đảng viên (sau khi kết nạp)"),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    objects = AdmissionCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("hồ sơ kết nạp")
        verbose_name_plural = _("hồ sơ kết nạp")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.family_name, self.middle_name, self.given_name) if p)

    def save(self, *args, **kwargs):
        self.org_path = self.organization.path
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "org_path"}
        super().save(*args, **kwargs)


class StepKind(models.TextChoices):
    INTRODUCTION = "introduction", _("Giới thiệu quần chúng ưu tú")
    CLASS = "class", _("Lớp bồi dưỡng nhận thức về Đảng")
    APPLICATION = "application", _("Đơn xin vào Đảng")
    SPONSORS = "sponsors", _("Người giới thiệu")
    BIOGRAPHY = "biography", _("Thẩm tra lý lịch")
    CELL_VOTE = "cell_vote", _("Chi bộ xét, biểu quyết đề nghị kết nạp")
    PROPOSAL = "proposal", _("Đảng ủy cơ sở đề nghị")
    DECISION = "decision", _("Quyết định kết nạp")
    CEREMONY = "ceremony", _("Lễ kết nạp")
    REVIEW_VOTE = "review_vote", _("Chi bộ xét, biểu quyết công nhận chính thức")
    RECOGNITION = "recognition", _("Quyết định công nhận chính thức")
    STOPPED = "stopped", _("Dừng xem xét")


ADMISSION_ORDER = (
    StepKind.INTRODUCTION,
    StepKind.CLASS,
    StepKind.APPLICATION,
    StepKind.SPONSORS,
    StepKind.BIOGRAPHY,
    StepKind.CELL_VOTE,
    StepKind.PROPOSAL,
    StepKind.DECISION,
    StepKind.CEREMONY,
)
PROBATION_ORDER = (StepKind.REVIEW_VOTE, StepKind.RECOGNITION)
ORDER = ADMISSION_ORDER + PROBATION_ORDER
# Steps the committee above the cell records (the cell's committee cannot).
COMMITTEE_STEPS = (StepKind.PROPOSAL, StepKind.DECISION, StepKind.RECOGNITION)
VOTE_STEPS = (StepKind.CELL_VOTE, StepKind.REVIEW_VOTE)


class StepQuerySet(ScopedQuerySet):
    scope_org = "case__organization"
    scope_path = "case__org_path"


class AdmissionStep(models.Model):
    """One dated stage of a case; which fields it fills depends on its kind."""

    case = models.ForeignKey(AdmissionCase, on_delete=models.PROTECT, related_name="steps", verbose_name=_("hồ sơ"))
    kind = models.CharField(_("bước"), max_length=16, choices=StepKind.choices)
    date = models.DateField(_("ngày"))
    rule_set = models.ForeignKey(
        LifecycleRuleSet, on_delete=models.PROTECT, related_name="+", verbose_name=_("bộ quy tắc áp dụng")
    )
    introduced_by = models.CharField(_("giới thiệu bởi"), max_length=20, choices=IntroducedBy.choices, blank=True)
    body = models.CharField(_("tổ chức, cấp ủy"), max_length=255, blank=True)
    number = models.CharField(_("số văn bản"), max_length=100, blank=True)
    person = models.CharField(_("người thực hiện"), max_length=255, blank=True)
    valid_until = models.DateField(_("có giá trị đến"), null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("số tán thành"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("số không tán thành"), null=True, blank=True)
    full_members = models.PositiveSmallIntegerField(_("số đảng viên chính thức của chi bộ"), null=True, blank=True)
    meeting_vote = models.ForeignKey(
        "meetings.Vote",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("biểu quyết tại cuộc sinh hoạt"),
    )
    approved = models.BooleanField(_("kết quả đồng ý"), default=True)
    late_reason = models.TextField(_("lý do chậm so với thời hạn"), blank=True)
    note = models.TextField(_("ghi chú, kết quả"), blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("người ghi")
    )
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    objects = StepQuerySet.as_manager()

    class Meta:
        verbose_name = _("bước kết nạp, dự bị")
        verbose_name_plural = _("bước kết nạp, dự bị")
        ordering = ["case", "date", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "kind"], name="admission_step_once")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"


class SponsorRole(models.TextChoices):
    SPONSOR = "sponsor", _("Người giới thiệu")
    HELPER = "helper", _("Người giúp đỡ đảng viên dự bị")


class SponsorQuerySet(ScopedQuerySet):
    scope_org = "case__organization"
    scope_path = "case__org_path"


class Sponsor(models.Model):
    """A full member who vouches for the candidate (or the youth union's committee), or who is
    assigned to help the probationary member."""

    case = models.ForeignKey(AdmissionCase, on_delete=models.PROTECT, related_name="sponsors", verbose_name=_("hồ sơ"))
    role = models.CharField(_("vai trò"), max_length=10, choices=SponsorRole.choices, default=SponsorRole.SPONSOR)
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sponsorships",
        verbose_name=_("đảng viên"),
    )
    youth_union_committee = models.CharField(_("Ban Chấp hành Đoàn cơ sở"), max_length=255, blank=True)
    worked_since = models.DateField(_("công tác cùng người được giới thiệu từ"), null=True, blank=True)
    assigned_on = models.DateField(_("ngày phân công"))

    objects = SponsorQuerySet.as_manager()

    class Meta:
        verbose_name = _("người giới thiệu, giúp đỡ")
        verbose_name_plural = _("người giới thiệu, giúp đỡ")
        ordering = ["case", "role", "pk"]

    def __str__(self):
        return str(self.member) if self.member_id else self.youth_union_committee
