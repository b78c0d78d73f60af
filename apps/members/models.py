"""The member registry (2-HSĐV member sheet) and each member's dated history."""

from datetime import date
from typing import NamedTuple

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext_lazy as _

from apps.core.cleaning import tidy
from apps.core.reference import Retirable
from apps.core.scoping import ScopedQuerySet, prefix_q
from apps.core.text import fold, name_sort_key
from apps.core.timestamps import Timestamped
from apps.core.versioning import Versioned

PROBATION_MONTHS = 12
BADGE_YEARS = (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)


class Gender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class Status(models.TextChoices):
    PROBATIONARY = "probationary", _("Dự bị")
    FULL = "full", _("Chính thức")
    TEMP_IN = "temp_in", _("Sinh hoạt tạm thời (chuyển đến)")
    TEMP_OUT = "temp_out", _("Chuyển sinh hoạt tạm thời đi")
    EXEMPTED = "exempted", _("Miễn công tác và sinh hoạt đảng")
    SUSPENDED = "suspended", _("Đình chỉ sinh hoạt")
    TRANSFERRED_OUT = "transferred_out", _("Chuyển sinh hoạt chính thức đi")
    STRUCK_OFF = "struck_off", _("Xóa tên")
    DISMISSED = "dismissed", _("Cho ra khỏi Đảng")
    EXPELLED = "expelled", _("Khai trừ")
    DECEASED = "deceased", _("Từ trần")


# States in which the member no longer belongs to the organization; the record stays.
ENDED_STATUSES = (Status.TRANSFERRED_OUT, Status.STRUCK_OFF, Status.DISMISSED, Status.EXPELLED, Status.DECEASED)
CURRENT_STATUSES = tuple(s for s in Status.values if s not in ENDED_STATUSES)


class PoliticalTheory(models.TextChoices):
    NONE = "", _("Chưa qua đào tạo")
    ELEMENTARY = "elementary", _("Sơ cấp")
    INTERMEDIATE = "intermediate", _("Trung cấp")
    ADVANCED = "advanced", _("Cao cấp")
    BACHELOR = "bachelor", _("Cử nhân")


class Education(models.TextChoices):
    NONE = "", _("Chưa rõ")
    PRIMARY = "primary", _("Tiểu học")
    LOWER_SECONDARY = "lower_secondary", _("Trung học cơ sở")
    UPPER_SECONDARY = "upper_secondary", _("Trung học phổ thông")
    VOCATIONAL = "vocational", _("Trung cấp, cao đẳng")
    UNIVERSITY = "university", _("Đại học")
    MASTER = "master", _("Thạc sĩ")
    DOCTOR = "doctor", _("Tiến sĩ")


class MemberState(NamedTuple):
    """Where a member stood on a day: status and organization id ("" and None before admission)."""

    status: str
    organization_id: int | None

    @property
    def is_current(self) -> bool:
        return self.status in CURRENT_STATUSES


class MemberQuerySet(ScopedQuerySet):
    scope_org = "organization"
    scope_path = "org_path"
    scope_member = "pk"

    def current(self):
        return self.filter(status__in=CURRENT_STATUSES)

    def with_state_on(self, day: date | OuterRef):
        """Annotate `status_on` and `org_on`: the same answer as `Member.state_on`, in one query.

        The latest dated step on or before `day`; when the history does not end in the member's
        current state, that state closes it from `status_since` (never before the last step).
        `day` is a date, or an `OuterRef` to a date of the query this one is a subquery of (a
        record's own day: where the member was when the course began).
        """
        steps = StatusChange.objects.filter(member=OuterRef("pk")).order_by("-date", "-pk")
        then = steps.filter(date__lte=OuterRef(day) if isinstance(day, OuterRef) else day)
        closed = Q(_last_status=F("status"), _last_org=F("organization_id"))
        return (
            self.alias(
                _last_status=Subquery(steps.values("status")[:1]),
                _last_org=Subquery(steps.values("organization")[:1]),
                _last_date=Subquery(steps.values("date")[:1]),
            )
            .alias(
                _closing=Greatest(
                    Coalesce("status_since", "_last_date", Value(date.min)), Coalesce("_last_date", Value(date.min))
                )
            )
            .annotate(
                status_on=Case(
                    When(closed, then=Subquery(then.values("status")[:1])),
                    When(_closing__lte=day, then=F("status")),
                    default=Subquery(then.values("status")[:1]),
                ),
                org_on=Case(
                    When(closed, then=Subquery(then.values("organization")[:1])),
                    When(_closing__lte=day, then=F("organization_id")),
                    default=Subquery(then.values("organization")[:1]),
                    output_field=models.BigIntegerField(),
                ),
            )
        )

    def in_organizations_on(self, org_ids, day: date):
        """Members whose organization on `day` is one of `org_ids` (any status), state annotated."""
        org_ids = list(org_ids)
        # A union of two indexed id lists: an OR of them made PostgreSQL scan every member.
        ever_there = (
            Member.objects.filter(organization__in=org_ids)
            .order_by()
            .values("pk")
            .union(StatusChange.objects.filter(organization__in=org_ids, date__lte=day).order_by().values("member_id"))
        )
        return self.filter(pk__in=ever_there).with_state_on(day).filter(org_on__in=org_ids)

    def search(self, text: str):
        """Any part of a name without diacritics, or a card number, citizen ID or phone."""
        text = tidy(text or "").strip()  # a NUL or control character in a query is dropped, never sent to SQL
        if not text:
            return self
        folded = fold(text)
        digits = text.replace(" ", "").replace(".", "")
        if digits.isdigit() and len(digits) >= 3:
            return self.filter(Q(card_number=digits) | Q(citizen_id=digits) | Q(phone=digits))
        return self.filter(pk__in=MemberNameKey.objects.filter(key_prefix(folded)).values("member_id"))

    def vn_ordered(self):
        return self.order_by("sort_key", "pk")


class Member(Timestamped, Versioned):
    family_name = models.CharField(_("họ"), max_length=50)
    middle_name = models.CharField(_("tên đệm"), max_length=100, blank=True)
    given_name = models.CharField(_("tên"), max_length=50)
    gender = models.CharField(_("giới tính"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("ngày sinh"))
    ethnicity = models.CharField(_("dân tộc"), max_length=50, default="Kinh")
    religion = models.CharField(_("tôn giáo"), max_length=50, blank=True, default="Không")
    hometown = models.CharField(_("quê quán"), max_length=255, blank=True)
    residence = models.CharField(_("nơi cư trú"), max_length=255, blank=True)
    citizen_id = models.CharField(_("số CCCD"), max_length=12, null=True, blank=True, unique=True)
    phone = models.CharField(_("điện thoại"), max_length=15, blank=True, db_index=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    education = models.CharField(_("trình độ chuyên môn"), max_length=20, choices=Education.choices, blank=True)
    general_education = models.CharField(
        _("giáo dục phổ thông"), max_length=10, blank=True, help_text=_("Ví dụ: 12/12")
    )
    political_theory = models.CharField(
        _("lý luận chính trị"), max_length=20, choices=PoliticalTheory.choices, blank=True
    )
    occupation = models.CharField(_("nghề nghiệp"), max_length=255, blank=True)
    position = models.CharField(_("chức vụ chính quyền, đoàn thể"), max_length=255, blank=True)
    admission_date = models.DateField(_("ngày vào Đảng"))
    full_membership_date = models.DateField(_("ngày chính thức"), null=True, blank=True)
    card_number = models.CharField(_("số thẻ đảng viên"), max_length=20, null=True, blank=True, unique=True)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="members", verbose_name=_("chi bộ")
    )
    status = models.CharField(_("tình trạng"), max_length=20, choices=Status.choices, default=Status.PROBATIONARY)
    status_since = models.DateField(_("từ ngày"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member",
        verbose_name=_("tài khoản"),
    )
    # Stored derivations, for indexed search, order and subtree scoping (see apps.core.text).
    search_name = models.CharField(max_length=255, editable=False, default="")
    sort_key = models.CharField(max_length=200, editable=False, default="")
    org_path = models.CharField(max_length=255, editable=False, default="")

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("đảng viên")
        verbose_name_plural = _("đảng viên")
        ordering = ["sort_key", "pk"]
        indexes = [
            models.Index(fields=["sort_key", "id"], name="member_sort"),
            models.Index(fields=["organization", "sort_key", "id"], name="member_org_sort"),
            models.Index(
                fields=["org_path", "status"],
                name="member_path_status",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
            ),
            models.Index(fields=["search_name"], name="member_search", opclasses=["varchar_pattern_ops"]),
            # Badges due: ranges of admission dates.
            models.Index(fields=["admission_date"], name="member_admission"),
            # The API's change feed pages by (updated_at, id).
            models.Index(fields=["updated_at", "id"], name="member_updated"),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.family_name, self.middle_name, self.given_name) if p)

    def name_keys(self) -> list[str]:
        """The folded name from each of its words on: "nguyen van hung", "van hung", "hung"."""
        words = self.search_name.split()
        return [" ".join(words[i:]) for i in range(len(words))]

    def refresh_derived(self) -> None:
        """Recompute the stored search, order and scope keys from the fields they derive from."""
        self.search_name = " " + fold(self.full_name)
        self.sort_key = name_sort_key(self.family_name, self.middle_name, self.given_name)
        self.org_path = self.organization.path

    def state_on(self, day: date) -> MemberState:
        """The member's status and organization on `day`, from the dated history.

        Reads `status_changes.all()`, so a prefetch serves many members. The current state closes
        a history that does not end in it (rows imported or set without a recorded step), from
        `status_since` but never before the last step.
        """
        steps = sorted(self.status_changes.all(), key=lambda c: (c.date, c.pk))
        last = steps[-1] if steps else None
        if last is None or (last.status, last.organization_id) != (self.status, self.organization_id):
            closing = max(self.status_since or (last.date if last else date.min), last.date if last else date.min)
            if closing <= day:
                return MemberState(self.status, self.organization_id)
        then = [c for c in steps if c.date <= day]
        return MemberState(then[-1].status, then[-1].organization_id) if then else MemberState("", None)

    @property
    def is_current(self) -> bool:
        return self.status in CURRENT_STATUSES

    @property
    def probation_end_date(self) -> date | None:
        if not self.admission_date:
            return None
        return self.admission_date + relativedelta(months=PROBATION_MONTHS)

    def seniority_on(self, day: date) -> int:
        """Full years of party seniority, counted from the admission decision."""
        if not self.admission_date or day < self.admission_date:
            return 0
        return relativedelta(day, self.admission_date).years

    def next_badge(self, today: date, badge_years=BADGE_YEARS, start: date | None = None) -> tuple[int, date] | None:
        """The next party badge (years, date due) not yet reached on `today` (seniority from
        `start`, the admission decision by default; see `selectors.seniority_start`)."""
        start = start or self.admission_date
        if not start or not self.is_current:
            return None
        for years in sorted(badge_years):
            due = start + relativedelta(years=years)
            if due > today:
                return years, due
        return None

    def age_on(self, day: date) -> int:
        return relativedelta(day, self.birth_date).years


def key_prefix(text: str) -> Q:
    """Name keys starting with `text` (see `apps.core.scoping.prefix_q`)."""
    return prefix_q("key", text)


class MemberNameKeyQuerySet(ScopedQuerySet):
    scope_org = "member__organization"
    scope_path = "org_path"
    scope_member = "member"


class MemberNameKey(models.Model):
    """One row per word of a member's folded name: the name from that word on.

    A search for any part of a name ("van hung") is then one index range, already in Vietnamese
    order and inside the user's subtree, instead of a scan of every name. Copies of the member's
    order key, path and status are kept in step by `apps.members.services.name_keys_sync` and by
    the tree's path update.
    """

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="name_key_rows")
    key = models.CharField(max_length=255)
    sort_key = models.CharField(max_length=200)
    org_path = models.CharField(max_length=255)
    status = models.CharField(max_length=20)

    objects = MemberNameKeyQuerySet.as_manager()

    class Meta:
        indexes = [
            # Every column the search reads is in the index: index-only scans on PostgreSQL.
            models.Index(
                fields=["key", "org_path", "sort_key", "member", "status"],
                name="member_name_key",
                opclasses=[
                    "varchar_pattern_ops",
                    "varchar_pattern_ops",
                    "varchar_pattern_ops",
                    "int8_ops",
                    "varchar_pattern_ops",
                ],
            ),
        ]


class StatusChangeKind(models.TextChoices):
    ADMITTED = "admitted", _("Kết nạp")
    RECOGNIZED = "recognized", _("Công nhận đảng viên chính thức")
    TRANSFER_INTERNAL = "transfer_internal", _("Chuyển sinh hoạt trong đảng bộ")
    TRANSFER_IN = "transfer_in", _("Chuyển sinh hoạt chính thức đến")
    TRANSFER_OUT = "transfer_out", _("Chuyển sinh hoạt chính thức đi")
    TEMP_IN = "temp_in", _("Chuyển sinh hoạt tạm thời đến")
    TEMP_IN_END = "temp_in_end", _("Kết thúc sinh hoạt tạm thời (trở về)")
    TEMP_OUT = "temp_out", _("Chuyển sinh hoạt tạm thời đi")
    TEMP_OUT_END = "temp_out_end", _("Trở lại sinh hoạt sau tạm thời")
    EXEMPTED = "exempted", _("Miễn công tác và sinh hoạt đảng")
    EXEMPTION_END = "exemption_end", _("Thôi miễn công tác và sinh hoạt")
    SUSPENDED = "suspended", _("Đình chỉ sinh hoạt")
    SUSPENSION_END = "suspension_end", _("Hết đình chỉ sinh hoạt")
    STRUCK_OFF = "struck_off", _("Xóa tên")
    DISMISSED = "dismissed", _("Cho ra khỏi Đảng")
    EXPELLED = "expelled", _("Khai trừ")
    DECEASED = "deceased", _("Từ trần")
    READMITTED = "readmitted", _("Kết nạp lại")


class StatusChangeQuerySet(ScopedQuerySet):
    # A member's history is seen by whoever sees the member now.
    scope_org = "member__organization"
    scope_path = "member__org_path"
    scope_member = "member"


class StatusChange(models.Model):
    """One dated step in a member's history: the state and organization from `date` on."""

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="status_changes", verbose_name=_("đảng viên")
    )
    kind = models.CharField(_("loại"), max_length=24, choices=StatusChangeKind.choices)
    date = models.DateField(_("ngày"))
    status = models.CharField(_("tình trạng sau thay đổi"), max_length=20, choices=Status.choices)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("sinh hoạt tại")
    )
    other_organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tổ chức đi/đến (trong hệ thống)"),
    )
    other_organization_name = models.CharField(_("tổ chức đi/đến (ngoài hệ thống)"), max_length=255, blank=True)
    decision = models.CharField(_("số quyết định"), max_length=100, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    objects = StatusChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("thay đổi tình trạng")
        verbose_name_plural = _("lịch sử tình trạng")
        ordering = ["member", "date", "pk"]
        indexes = [models.Index(fields=["member", "date"], name="status_member_date")]

    def __str__(self):
        return f"{StatusChangeKind(self.kind).label} {self.date:%d/%m/%Y}"  # the bulk import names 200.000


class AwardQuerySet(ScopedQuerySet):
    scope_org = "member__organization"
    scope_path = "member__org_path"
    scope_member = "member"


class AwardKind(models.TextChoices):
    AWARD = "award", _("Khen thưởng")
    BADGE = "badge", _("Huy hiệu Đảng")


class Award(models.Model):
    """An award, or a party badge followed from proposal to decision and presentation.

    A badge (kind BADGE) is proposed for an occasion (`proposed_on`, `occasion`), decided
    (`date` and `decision`: empty while only proposed) and presented (`presented_on`).
    """

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="awards", verbose_name=_("đảng viên"))
    kind = models.CharField(_("loại"), max_length=8, choices=AwardKind.choices, default=AwardKind.AWARD)
    badge_years = models.PositiveSmallIntegerField(_("huy hiệu (năm tuổi Đảng)"), null=True, blank=True)
    proposed_on = models.DateField(_("ngày đề nghị"), null=True, blank=True)
    occasion = models.DateField(_("dịp trao"), null=True, blank=True)
    early = models.BooleanField(_("trao sớm (đảng viên ốm nặng)"), default=False)
    early_reason = models.TextField(_("lý do trao sớm"), blank=True)
    presented_on = models.DateField(_("ngày trao"), null=True, blank=True)
    name = models.CharField(
        _("hình thức khen thưởng"),
        max_length=255,
        help_text=_("Ví dụ: Giấy khen, Bằng khen, Huy hiệu 30 năm tuổi Đảng"),
    )
    issued_by = models.CharField(_("cấp khen"), max_length=255, blank=True)
    decision = models.CharField(_("số quyết định"), max_length=100, blank=True)
    date = models.DateField(_("ngày"), null=True, blank=True, help_text=_("Ngày quyết định; trống khi mới đề nghị."))
    reason = models.TextField(_("lý do"), blank=True)

    objects = AwardQuerySet.as_manager()

    class Meta:
        verbose_name = _("khen thưởng")
        verbose_name_plural = _("khen thưởng")
        ordering = ["member", "-date"]
        indexes = [models.Index(fields=["member", "badge_years"], name="award_member_badge")]

    @property
    def stage(self) -> str:
        if self.presented_on:
            return "presented"
        return "decided" if self.date else "proposed"


class LifecycleRuleSet(Retirable, models.Model):
    """The rules of a member's life in force between two dates (RULES.md §4), editable by an
    administrator. Values marked [?] in RULES.md are not confirmed: the interface says so."""

    name = models.CharField(_("tên bộ quy tắc"), max_length=255)
    regulation = models.CharField(_("văn bản căn cứ"), max_length=255)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    badge_years = models.JSONField(_("các mốc Huy hiệu Đảng (năm tuổi Đảng)"), default=list)
    badge_occasions = models.JSONField(
        _("các dịp trao Huy hiệu (ngày/tháng)"), default=list, help_text=_("Ví dụ: 03/02, 19/05, 02/09, 07/11")
    )
    badge_early_months = models.PositiveSmallIntegerField(
        _("trao sớm tối đa cho đảng viên ốm nặng (tháng)"), default=12
    )
    badge_early_months_elderly = models.PositiveSmallIntegerField(_("trao sớm tối đa từ tuổi cao (tháng)"), default=24)
    badge_elderly_age = models.PositiveSmallIntegerField(_("tuổi được trao sớm nhiều hơn"), default=70)
    seniority_excludes_gaps = models.BooleanField(
        _("tuổi Đảng trừ thời gian không ở trong Đảng (kết nạp lại)"),
        default=True,
        help_text=_("Chưa xác nhận được văn bản [?]: mức do quản trị viên đặt."),
    )
    readmission_wait_months = models.PositiveSmallIntegerField(
        _("kết nạp lại sau khi ra khỏi Đảng ít nhất (tháng)"), default=36
    )
    readmission_max = models.PositiveSmallIntegerField(_("số lần được kết nạp lại"), default=1)
    screening_months = models.PositiveSmallIntegerField(
        _("số tháng trong năm bỏ sinh hoạt hoặc không đóng đảng phí thì xem xét xóa tên"), default=3
    )
    screening_short_years = models.PositiveSmallIntegerField(
        _("số năm liền không hoàn thành nhiệm vụ thì xem xét xóa tên"), default=2
    )
    strike_off_vote_numerator = models.PositiveSmallIntegerField(
        _("tỷ lệ biểu quyết xóa tên (tử số, trên số đảng viên chính thức)"), default=2
    )
    strike_off_vote_denominator = models.PositiveSmallIntegerField(_("tỷ lệ biểu quyết xóa tên (mẫu số)"), default=3)
    exemption_illness_months = models.PositiveSmallIntegerField(
        _("miễn sinh hoạt vì bệnh: thời gian điều trị ít nhất (tháng)"), default=3
    )
    card_digits = models.JSONField(
        _("số chữ số của số thẻ đảng viên"),
        default=list,
        help_text=_("Chưa xác nhận được văn bản [?]: mức do quản trị viên đặt."),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("bộ quy tắc quá trình đảng viên")
        verbose_name_plural = _("bộ quy tắc quá trình đảng viên")
        ordering = ["-valid_from"]

    def __str__(self):
        return f"{self.name} ({self.regulation})"

    @classmethod
    def in_force_on(cls, day: date) -> "LifecycleRuleSet":
        found = (
            cls.objects.filter(active=True, valid_from__lte=day)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
            .order_by("-valid_from")
            .first()
        )
        return found or cls.objects.filter(active=True).order_by("valid_from").first() or cls.default()

    @classmethod
    def default(cls) -> "LifecycleRuleSet":
        return cls(**DEFAULT_LIFECYCLE_RULES)

    def occasions_after(self, day: date, count: int = 1) -> list[date]:
        """The next `count` presentation occasions on or after `day`."""
        out: list[date] = []
        year = day.year
        while len(out) < count:
            for text in sorted(self.badge_occasions, key=lambda t: (int(t.split("/")[1]), int(t.split("/")[0]))):
                d, m = (int(x) for x in text.split("/"))
                occasion = date(year, m, d)
                if occasion >= day and len(out) < count:
                    out.append(occasion)
            year += 1
        return out

    def early_months_for(self, age: int) -> int:
        return self.badge_early_months_elderly if age >= self.badge_elderly_age else self.badge_early_months


DEFAULT_LIFECYCLE_RULES = {
    "name": "Quy định thi hành Điều lệ Đảng 2025",
    "regulation": "294-QĐ/TW (26/5/2025); HD 06-HD/TW (9/6/2025); HD 01-HD/TW 2021 §18",
    "valid_from": date(2025, 5, 26),
    "badge_years": [30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90],
    "badge_occasions": ["03/02", "19/05", "02/09", "07/11"],
    "badge_early_months": 12,
    "badge_early_months_elderly": 24,
    "badge_elderly_age": 70,
    "seniority_excludes_gaps": True,
    "readmission_wait_months": 36,
    "readmission_max": 1,
    "screening_months": 3,
    "screening_short_years": 2,
    "strike_off_vote_numerator": 2,
    "strike_off_vote_denominator": 3,
    "exemption_illness_months": 3,
    "card_digits": [8],
}


class TrainingKind(models.TextChoices):
    ELEMENTARY = "elementary", _("Lý luận chính trị sơ cấp")
    INTERMEDIATE = "intermediate", _("Lý luận chính trị trung cấp")
    ADVANCED = "advanced", _("Lý luận chính trị cao cấp")
    BACHELOR = "bachelor", _("Cử nhân chính trị")
    DEGREE = "degree", _("Văn bằng chuyên môn")
    REFRESHER = "refresher", _("Bồi dưỡng, tập huấn")


# Political theory courses, lowest first; their kinds are the values of PoliticalTheory.
THEORY_ORDER = (TrainingKind.ELEMENTARY, TrainingKind.INTERMEDIATE, TrainingKind.ADVANCED, TrainingKind.BACHELOR)


class TrainingResult(models.TextChoices):
    STUDYING = "studying", _("Đang học")
    PASSED = "passed", _("Hoàn thành, tốt nghiệp")
    FAILED = "failed", _("Không hoàn thành")


class TrainingRecordQuerySet(ScopedQuerySet):
    scope_org = "member__organization"
    scope_path = "member__org_path"
    scope_member = "member"


class TrainingRecord(Versioned):
    """A course, degree or refresher training a member took (2-HSĐV: training and education)."""

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="training_records", verbose_name=_("đảng viên")
    )
    kind = models.CharField(_("loại đào tạo"), max_length=16, choices=TrainingKind.choices)
    title = models.CharField(
        _("tên khóa học, văn bằng"), max_length=255, blank=True, help_text=_("Ví dụ: Bồi dưỡng bí thư chi bộ")
    )
    institution = models.CharField(_("cơ sở đào tạo"), max_length=255)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"), null=True, blank=True)
    result = models.CharField(
        _("kết quả"), max_length=10, choices=TrainingResult.choices, default=TrainingResult.PASSED
    )
    grade = models.CharField(_("xếp loại"), max_length=50, blank=True)
    certificate = models.CharField(_("số văn bằng, chứng chỉ"), max_length=100, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    objects = TrainingRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("quá trình đào tạo")
        verbose_name_plural = _("quá trình đào tạo")
        ordering = ["member", "starts_on", "pk"]
        indexes = [models.Index(fields=["member", "kind", "result"], name="training_member_kind")]

    def __str__(self):
        return f"{TrainingKind(self.kind).label} – {self.institution}"


def theory_level_from(records) -> str:
    """The highest political theory level among passed records ("" when none)."""
    level = ""
    for record in records:
        if record.kind in THEORY_ORDER and record.result == TrainingResult.PASSED:
            if not level or THEORY_ORDER.index(record.kind) > THEORY_ORDER.index(level):
                level = record.kind
    return str(level)


class ExemptionReason(models.TextChoices):
    AGE = "age", _("Tuổi cao, sức yếu")
    ILLNESS = "illness", _("Ốm đau, điều trị bệnh dài ngày")


class ExemptionQuerySet(ScopedQuerySet):
    scope_org = "member__organization"
    scope_path = "member__org_path"
    scope_member = "member"


class Exemption(models.Model):
    """The cell's resolution exempting a member from work and meetings (HD 27/2009), reported to
    the grassroots committee. The state itself is the EXEMPTED step of the member's history, which
    the meeting base and the classification read; this row holds its reason and its end."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="exemptions", verbose_name=_("đảng viên"))
    started = models.OneToOneField(
        StatusChange, on_delete=models.PROTECT, related_name="exemption", verbose_name=_("bước miễn sinh hoạt")
    )
    reason = models.CharField(_("lý do"), max_length=10, choices=ExemptionReason.choices)
    illness_since = models.DateField(_("điều trị bệnh từ ngày"), null=True, blank=True)
    resolution = models.CharField(_("số nghị quyết của chi bộ"), max_length=100)
    reported_on = models.DateField(_("ngày báo cáo đảng ủy cơ sở"), null=True, blank=True)
    until = models.DateField(_("miễn đến ngày"), null=True, blank=True, help_text=_("Trống: không thời hạn."))
    ended = models.OneToOneField(
        StatusChange,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bước thôi miễn sinh hoạt"),
    )

    objects = ExemptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("miễn công tác và sinh hoạt đảng")
        verbose_name_plural = _("miễn công tác và sinh hoạt đảng")
        ordering = ["member", "started__date"]
