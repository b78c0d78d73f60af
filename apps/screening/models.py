"""Screening and striking off (RULES.md §4, QĐ 24 §8.1): the product proposes the members a cell
should consider; the cell votes, the committee above decides, the status changes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import ScopedQuerySet


class Ground(models.TextChoices):
    ABSENT = "absent", _("Bỏ sinh hoạt đảng không có lý do chính đáng 3 tháng trong năm")
    UNPAID = "unpaid", _("Không đóng đảng phí không có lý do chính đáng 3 tháng trong năm")
    SHORT_TWO_YEARS = "short_two_years", _("Hai năm liền không hoàn thành nhiệm vụ")
    NO_PROGRESS = "no_progress", _("Đã được giúp đỡ 12 tháng mà không tiến bộ")
    CARD = "card", _("Tự ý trả thẻ đảng viên hoặc hủy thẻ")


class Stage(models.TextChoices):
    OPEN = "open", _("Chi bộ đang xem xét")
    CELL_VOTED = "cell_voted", _("Chi bộ đề nghị xóa tên, chờ cấp ủy quyết định")
    STRUCK_OFF = "struck_off", _("Đã xóa tên")
    KEPT = "kept", _("Không xóa tên")


class ScreeningCaseQuerySet(ScopedQuerySet):
    scope_org = "organization"
    scope_path = "org_path"
    scope_member = "member"


class ScreeningCase(models.Model):
    """One member considered for striking off in a year, from the grounds to the decision."""

    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="screening_cases", verbose_name=_("đảng viên")
    )
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("chi bộ")
    )
    org_path = models.CharField(max_length=255, editable=False, db_index=True)
    year = models.PositiveSmallIntegerField(_("năm"))
    grounds = models.JSONField(_("căn cứ"), default=list)
    grounds_detail = models.TextField(_("chi tiết căn cứ"), blank=True)
    opened_on = models.DateField(_("ngày đưa ra xem xét"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(_("bước"), max_length=12, choices=Stage.choices, default=Stage.OPEN)
    rule_set = models.ForeignKey(
        "members.LifecycleRuleSet", on_delete=models.PROTECT, related_name="+", verbose_name=_("bộ quy tắc")
    )
    # The cell's vote (2/3 of the full members, QĐ 24 §4.2.3).
    cell_meeting_on = models.DateField(_("ngày chi bộ họp xét"), null=True, blank=True)
    full_members = models.PositiveSmallIntegerField(_("số đảng viên chính thức"), null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("số tán thành xóa tên"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("số không tán thành"), null=True, blank=True)
    # The committee's decision.
    decided_on = models.DateField(_("ngày cấp ủy quyết định"), null=True, blank=True)
    decision = models.CharField(_("số quyết định"), max_length=100, blank=True)
    decided_by_org = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cấp quyết định"),
    )
    status_change = models.ForeignKey(
        "members.StatusChange", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("ghi chú"), blank=True)

    objects = ScreeningCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("hồ sơ xem xét xóa tên")
        verbose_name_plural = _("hồ sơ xem xét xóa tên")
        ordering = ["-year", "org_path", "pk"]
        indexes = [models.Index(fields=["member", "year"], name="screening_member_year")]

    def __str__(self):
        return f"{self.member} ({self.year})"

    @property
    def ground_labels(self) -> list[str]:
        labels = dict(Ground.choices)
        return [str(labels.get(g, g)) for g in self.grounds]
