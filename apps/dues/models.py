"""Party dues: rule sets, each member's basis, exemptions, the append-only ledger, receipts,
month closing, remittances up the tree and the maintained per-organization monthly totals.

Money is whole đồng (BigIntegerField), never a float. A month is a DateField holding its first
day. The ledger is append-only: a correction is a new entry that reverses an old one.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import ScopedQuerySet


def month_last_day(month: date) -> date:
    nxt = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)


class DuesRuleSetQuerySet(models.QuerySet):
    def in_force(self, month: date):
        """The set in force on the month's last day."""
        day = month_last_day(month)
        return (
            self.filter(Q(effective_from__isnull=True) | Q(effective_from__lte=day))
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
            .order_by("-effective_from")
        )


class DuesRuleSet(models.Model):
    """One regulation's dues rules, as data an administrator edits (rates in basis points)."""

    code = models.SlugField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên bộ quy tắc"), max_length=255)
    regulation = models.CharField(_("quy định"), max_length=100)
    regulation_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    effective_from = models.DateField(_("áp dụng từ ngày"), null=True, blank=True)
    effective_to = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)
    source = models.TextField(_("nguồn"), blank=True)
    insured_rate_bp = models.PositiveIntegerField(_("tỷ lệ trên tiền lương đóng BHXH (phần vạn)"), default=100)
    benefit_rate_bp = models.PositiveIntegerField(_("tỷ lệ trên trợ cấp ốm đau, thai sản (phần vạn)"), default=100)
    pension_rate_bp = models.PositiveIntegerField(_("tỷ lệ trên lương hưu (phần vạn)"), default=50)
    student_amount = models.PositiveIntegerField(_("mức học sinh, sinh viên (đồng/tháng)"), default=5000)
    other_amount = models.PositiveIntegerField(_("mức đảng viên khác (đồng/tháng)"), null=True, blank=True)
    abroad_amount = models.PositiveIntegerField(_("mức đảng viên ở nước ngoài (đồng/tháng)"), null=True, blank=True)
    rounding_unit = models.PositiveIntegerField(_("làm tròn đến (đồng)"), default=100)
    keep_shares = models.JSONField(_("tỷ lệ trích giữ lại theo loại tổ chức (phần vạn)"), default=dict, blank=True)
    unconfirmed = models.JSONField(_("giá trị chưa xác nhận"), default=list, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)

    objects = DuesRuleSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("bộ quy tắc đảng phí")
        verbose_name_plural = _("bộ quy tắc đảng phí")
        ordering = ["effective_from"]

    def __str__(self):
        return self.name

    AMOUNT_FIELDS = (
        "effective_from",
        "effective_to",
        "insured_rate_bp",
        "benefit_rate_bp",
        "pension_rate_bp",
        "student_amount",
        "other_amount",
        "abroad_amount",
        "rounding_unit",
        "keep_shares",
    )

    def clean(self):
        """A closed month's dues were judged by this set: what it charges then cannot change (a
        correction from a later date is a new set)."""
        if self.effective_from and self.effective_to and self.effective_to < self.effective_from:
            raise ValidationError(_("Ngày hết hiệu lực phải sau ngày áp dụng."))
        if self.pk is None:
            return
        before = DuesRuleSet.objects.get(pk=self.pk)
        changed = [f for f in self.AMOUNT_FIELDS if getattr(before, f) != getattr(self, f)]
        if not changed:
            return
        closed = DuesMonthClose.objects.vouched("any cell's closed month, for the rule set it judged")
        lo = min(filter(None, (before.effective_from, self.effective_from)), default=None)
        if lo:
            closed = closed.filter(month__gte=lo.replace(day=1))
        if before.effective_to and self.effective_to:
            closed = closed.filter(month__lte=max(before.effective_to, self.effective_to))
        first = closed.order_by("month").first()
        if first is not None:
            raise ValidationError(
                _(
                    "Bộ quy tắc này đã dùng để tính đảng phí tháng %(month)s, đã khóa sổ: không sửa mức thu "
                    "hay thời gian áp dụng được; hãy thêm bộ quy tắc mới áp dụng từ ngày sửa đổi."
                )
                % {"month": f"{first.month:%m/%Y}"}
            )

    def is_unconfirmed(self, field: str) -> bool:
        return field in (self.unconfirmed or [])

    def keep_bp(self, kind: str) -> int:
        return int((self.keep_shares or {}).get(kind, 10000))

    @property
    def keep_share_rows(self) -> list[tuple[str, Decimal]]:
        """(organization kind as named, share kept in percent) for the rule-set page."""
        from apps.organizations.models import Kind

        labels = dict(Kind.choices)
        return [(str(labels.get(k, k)), Decimal(int(v)) / 100) for k, v in (self.keep_shares or {}).items()]


class Category(models.TextChoices):
    INSURED = "insured", _("Hưởng lương, đóng BHXH bắt buộc")
    BENEFIT = "benefit", _("Nghỉ ốm đau, thai sản hưởng trợ cấp BHXH")
    PENSION = "pension", _("Hưởng lương hưu")
    STUDENT = "student", _("Học sinh, sinh viên")
    ABROAD = "abroad", _("Ở nước ngoài")
    OTHER = "other", _("Đảng viên khác")


AMOUNT_CATEGORIES = (Category.INSURED, Category.BENEFIT, Category.PENSION)


class MemberRowQuerySet(ScopedQuerySet):
    scope_org = "member__organization"
    scope_path = "member__org_path"
    scope_member = "member"


class DuesBasis(models.Model):
    """What a member's dues are computed from, from a month on (history: the newest row in force wins)."""

    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="dues_bases", verbose_name=_("đảng viên")
    )
    category = models.CharField(_("đối tượng"), max_length=16, choices=Category.choices)
    amount = models.BigIntegerField(
        _("số tiền làm căn cứ (đồng)"), null=True, blank=True, help_text=_("Tiền lương, trợ cấp hoặc lương hưu.")
    )
    declared_amount = models.BigIntegerField(
        _("tự nguyện đóng mỗi tháng (đồng)"), null=True, blank=True, help_text=_("Nếu cao hơn mức quy định.")
    )
    since = models.DateField(_("từ tháng"))
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    objects = MemberRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("căn cứ đóng đảng phí")
        verbose_name_plural = _("căn cứ đóng đảng phí")
        ordering = ["member", "since", "pk"]
        indexes = [models.Index(fields=["member", "since"], name="dues_basis_member")]


class ExemptionKind(models.TextChoices):
    EXEMPT = "exempt", _("Miễn đóng")
    REDUCE = "reduce", _("Giảm mức đóng")


class DuesExemption(models.Model):
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="dues_exemptions", verbose_name=_("đảng viên")
    )
    kind = models.CharField(_("hình thức"), max_length=8, choices=ExemptionKind.choices)
    percent = models.PositiveSmallIntegerField(_("giảm (%)"), null=True, blank=True)
    start_month = models.DateField(_("từ tháng"))
    end_month = models.DateField(_("đến tháng"), null=True, blank=True)
    reason = models.CharField(_("lý do"), max_length=255)
    decision = models.CharField(_("số quyết định"), max_length=100)
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    objects = MemberRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("miễn, giảm đảng phí")
        verbose_name_plural = _("miễn, giảm đảng phí")
        ordering = ["member", "start_month", "pk"]


class Channel(models.TextChoices):
    CASH = "cash", _("Tiền mặt")
    TRANSFER = "transfer", _("Chuyển khoản")
    PORTAL = "portal", _("Cổng Dịch vụ công Quốc gia")


class OrgRowQuerySet(ScopedQuerySet):
    scope_org = "organization"
    scope_path = "organization__path"


class LedgerQuerySet(OrgRowQuerySet):
    scope_member = "member"


class DuesReceipt(models.Model):
    """One payment by one member (one or several months), with its receipt number."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("chi bộ thu")
    )
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="dues_receipts", verbose_name=_("đảng viên")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveIntegerField(_("số phiếu"))
    total = models.BigIntegerField(_("số tiền (đồng)"))
    paid_on = models.DateField(_("ngày nộp"))
    channel = models.CharField(_("hình thức"), max_length=10, choices=Channel.choices, default=Channel.CASH)
    reference = models.CharField(_("mã giao dịch"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người ghi")
    )
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        verbose_name = _("phiếu thu đảng phí")
        verbose_name_plural = _("phiếu thu đảng phí")
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year", "number"], name="dues_receipt_number"),
        ]

    def __str__(self):
        return f"{self.number:04d}/{self.year}"


class EntryKind(models.TextChoices):
    PAYMENT = "payment", _("Thu")
    REVERSAL = "reversal", _("Điều chỉnh (bút toán đảo)")


class DuesEntry(models.Model):
    """One line of the ledger: an amount for one member and one month, booked in a month.

    `month` is the month the dues are for; `booked_month` the month the money was received in
    (what the cell's cash and its remittance count). Never updated, never deleted.
    """

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("chi bộ thu")
    )
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="dues_entries", verbose_name=_("đảng viên")
    )
    month = models.DateField(_("đảng phí tháng"))
    booked_month = models.DateField(_("ghi sổ tháng"))
    amount = models.BigIntegerField(_("số tiền (đồng)"))
    due = models.BigIntegerField(_("số phải đóng của tháng (đồng)"), default=0)
    kind = models.CharField(_("loại"), max_length=10, choices=EntryKind.choices, default=EntryKind.PAYMENT)
    receipt = models.ForeignKey(
        DuesReceipt,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("phiếu thu"),
    )
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("đảo bút toán"),
    )
    rule_set = models.ForeignKey(
        DuesRuleSet, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("bộ quy tắc")
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người ghi")
    )
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        verbose_name = _("bút toán đảng phí")
        verbose_name_plural = _("sổ đảng phí")
        # By the member's id, not `member` (which orders by the member's name through a join that
        # every grouped sum of the ledger then carried).
        ordering = ["member_id", "month", "pk"]
        indexes = [
            models.Index(fields=["organization", "month"], name="dues_entry_org_month"),
            models.Index(fields=["member", "month"], name="dues_entry_member_month"),
        ]


class DuesMonthClose(models.Model):
    """A cell's month closed: nothing more is booked in it."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("tổ chức đảng")
    )
    month = models.DateField(_("tháng"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người khóa sổ")
    )
    closed_at = models.DateTimeField(_("khóa lúc"), auto_now_add=True)

    objects = OrgRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("khóa sổ tháng")
        verbose_name_plural = _("khóa sổ tháng")
        constraints = [models.UniqueConstraint(fields=["organization", "month"], name="dues_close_once")]


class Remittance(models.Model):
    """Money an organization passes up to its directly higher level, for a booked month."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("tổ chức nộp")
    )
    to_organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("nộp lên")
    )
    month = models.DateField(_("đảng phí tháng"))
    amount = models.BigIntegerField(_("số tiền (đồng)"))
    paid_on = models.DateField(_("ngày nộp"))
    channel = models.CharField(_("hình thức"), max_length=10, choices=Channel.choices, default=Channel.CASH)
    reference = models.CharField(_("mã giao dịch, chứng từ"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người ghi")
    )
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    objects = OrgRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("nộp đảng phí lên cấp trên")
        verbose_name_plural = _("nộp đảng phí lên cấp trên")
        ordering = ["-month", "-paid_on", "-pk"]
        indexes = [models.Index(fields=["to_organization", "month"], name="dues_remit_to_month")]


class MonthlyTotal(models.Model):
    """An organization's figures for one month, kept in step with every ledger write.

    collected: booked from members in the month (cells); received: remitted to it by the levels
    below; remitted: what it passed up. due / members_due / members_paid: the month's dues of the
    members of a cell (refreshed when its book is written or closed).
    """

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("tổ chức đảng")
    )
    month = models.DateField(_("tháng"))
    collected = models.BigIntegerField(default=0)
    received = models.BigIntegerField(default=0)
    remitted = models.BigIntegerField(default=0)
    due = models.BigIntegerField(default=0)
    members_due = models.PositiveIntegerField(default=0)
    members_paid = models.PositiveIntegerField(default=0)
    paid_for_month = models.BigIntegerField(default=0)

    objects = OrgRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("tổng hợp đảng phí tháng")
        verbose_name_plural = _("tổng hợp đảng phí tháng")
        constraints = [models.UniqueConstraint(fields=["month", "organization"], name="dues_total_once")]


class ImportKind(models.TextChoices):
    BASES = "bases", _("Căn cứ đóng đảng phí")
    PAYMENTS = "payments", _("Đảng phí đã thu")


class DuesImport(models.Model):
    """An uploaded sheet kept between its preview and its confirmation."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("chi bộ")
    )
    kind = models.CharField(_("loại"), max_length=10, choices=ImportKind.choices)
    file_name = models.CharField(_("tên tệp"), max_length=255)
    rows = models.JSONField(default=list)
    errors = models.JSONField(default=list)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrgRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhập đảng phí từ Excel")
        verbose_name_plural = _("nhập đảng phí từ Excel")
        ordering = ["-created_at"]
