"""The organization tree: any depth, dated, with its history kept.

Each organization stores a materialized `path` (its ancestors' keys and its own) so that a
subtree is one indexed prefix query on SQLite and PostgreSQL alike. Renames, moves, merges and
splits are `OrganizationEvent`s; `OrganizationVersion` keeps the name and parent each organization
had over each span of time, so a report for 2019 walks the tree as it stood in 2019.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import ScopedQuerySet
from apps.core.text import title_sort_key
from apps.core.timestamps import Timestamped
from apps.core.versioning import Versioned

PATH_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
PATH_SEGMENT = 5  # base-36 digits a level: 60 million organizations


def path_segment(pk: int) -> str:
    digits = []
    while pk:
        pk, rem = divmod(pk, 36)
        digits.append(PATH_DIGITS[rem])
    return "".join(reversed(digits)).rjust(PATH_SEGMENT, "0")


def line_paths(path: str) -> list[str]:
    """The paths of an organization's line, from the root down to itself ("above and self")."""
    return [path[:i] for i in range(PATH_SEGMENT, len(path) + 1, PATH_SEGMENT)]


class Kind(models.TextChoices):
    PROVINCIAL_COMMITTEE = "provincial_committee", _("Đảng bộ tỉnh/thành phố")
    DISTRICT_COMMITTEE = "district_committee", _("Đảng bộ huyện/quận/thị xã")
    GRASSROOTS_COMMITTEE = "grassroots_committee", _("Đảng bộ cơ sở")
    GRASSROOTS_CELL = "grassroots_cell", _("Chi bộ cơ sở")
    INTERMEDIATE = "intermediate", _("Đảng bộ bộ phận")
    CELL = "cell", _("Chi bộ trực thuộc")
    PARTY_GROUP = "party_group", _("Tổ đảng")


# Kinds whose members meet as a cell (hold cell meetings, keep a roll).
CELL_KINDS = (Kind.CELL, Kind.GRASSROOTS_CELL)
GRASSROOTS_KINDS = (Kind.GRASSROOTS_COMMITTEE, Kind.GRASSROOTS_CELL)


class Sector(models.TextChoices):
    COMMUNE = "commune", _("Xã, phường, đặc khu")
    RESIDENTIAL = "residential", _("Thôn, tổ dân phố, khu dân cư")
    AGENCY = "agency", _("Cơ quan")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")
    PUBLIC_SERVICE = "public_service", _("Đơn vị sự nghiệp")
    ARMED_FORCES = "armed_forces", _("Lực lượng vũ trang")
    OTHER = "other", _("Khác")


class OrganizationQuerySet(ScopedQuerySet):
    scope_org = "pk"
    scope_path = "path"

    def active_on(self, day):
        return self.filter(Q(founded_on__isnull=True) | Q(founded_on__lte=day)).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=day)
        )

    def current(self):
        return self.filter(ended_on__isnull=True)

    def existed_during(self, start, end):
        """Organizations that existed on some day of [start, end]: founded by its end, not ended by its start."""
        return self.filter(Q(founded_on__isnull=True) | Q(founded_on__lte=end)).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=start)
        )

    def cells(self):
        return self.filter(kind__in=CELL_KINDS)


class Organization(Timestamped, Versioned):
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=100, blank=True)
    code = models.CharField(_("mã"), max_length=50, unique=True)
    kind = models.CharField(_("loại tổ chức"), max_length=32, choices=Kind.choices)
    sector = models.CharField(_("loại hình"), max_length=32, choices=Sector.choices, default=Sector.OTHER)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("tổ chức cấp trên"),
    )
    path = models.CharField(_("đường dẫn cây"), max_length=255, db_index=True, editable=False)
    # The name's key in Vietnamese order (core.text.title_sort_key), kept by save().
    sort_key = models.CharField(max_length=255, editable=False, default="")
    depth = models.PositiveSmallIntegerField(_("cấp"), default=0, editable=False)
    founded_on = models.DateField(_("ngày thành lập"), null=True, blank=True)
    ended_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("tổ chức đảng")
        verbose_name_plural = _("tổ chức đảng")
        ordering = ["path"]
        # The API's change feed pages by (updated_at, id).
        indexes = [models.Index(fields=["updated_at", "id"], name="organization_updated")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.sort_key = title_sort_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields and "sort_key" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "sort_key"]
        super().save(*args, **kwargs)

    @property
    def is_cell(self) -> bool:
        return self.kind in CELL_KINDS

    @property
    def is_active(self) -> bool:
        return self.ended_on is None

    def existed_between(self, start, end) -> bool:
        """The same test as OrganizationQuerySet.existed_during, on a loaded row."""
        return (self.founded_on is None or self.founded_on <= end) and (self.ended_on is None or self.ended_on > start)

    def ancestors(self):
        """Ancestors from the root down, without self."""
        return Organization.objects.filter(path__in=line_paths(self.path)[:-1]).order_by("depth")

    def descendants(self, include_self: bool = False):
        qs = Organization.objects.children_of(self)  # the subtree of a loaded row
        return qs if include_self else qs.exclude(pk=self.pk)


class OrganizationVersion(models.Model):
    """The name and parent an organization had from `valid_from` until `valid_to` (exclusive)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="versions", verbose_name=_("tổ chức đảng")
    )
    name = models.CharField(_("tên"), max_length=255)
    parent = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tổ chức cấp trên"),
    )
    valid_from = models.DateField(_("từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _("lịch sử tổ chức")
        verbose_name_plural = _("lịch sử tổ chức")
        ordering = ["organization", "valid_from"]


class EventKind(models.TextChoices):
    FOUNDED = "founded", _("Thành lập")
    RENAMED = "renamed", _("Đổi tên")
    MOVED = "moved", _("Chuyển trực thuộc")
    MERGED = "merged", _("Hợp nhất, sáp nhập")
    SPLIT = "split", _("Chia tách")
    DISSOLVED = "dissolved", _("Giải thể, kết thúc hoạt động")


class OrganizationEventQuerySet(ScopedQuerySet):
    pass


class OrganizationEvent(models.Model):
    """A dated change to the tree. Merges and splits name predecessors and successors."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="events", verbose_name=_("tổ chức đảng")
    )
    kind = models.CharField(_("loại sự kiện"), max_length=16, choices=EventKind.choices)
    date = models.DateField(_("ngày"))
    decision = models.CharField(_("số quyết định"), max_length=100, blank=True)
    predecessors = models.ManyToManyField(
        Organization, blank=True, related_name="successor_events", verbose_name=_("tổ chức trước")
    )
    successors = models.ManyToManyField(
        Organization, blank=True, related_name="predecessor_events", verbose_name=_("tổ chức sau")
    )
    old_name = models.CharField(_("tên cũ"), max_length=255, blank=True)
    new_name = models.CharField(_("tên mới"), max_length=255, blank=True)
    old_parent = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cấp trên cũ"),
    )
    new_parent = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cấp trên mới"),
    )
    note = models.TextField(_("ghi chú"), blank=True)

    objects = OrganizationEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("sự kiện tổ chức")
        verbose_name_plural = _("sự kiện tổ chức")
        ordering = ["-date", "-pk"]


class TermQuerySet(ScopedQuerySet):
    pass


class Term(models.Model):
    """A term of office (nhiệm kỳ) of an organization's executive committee."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="terms", verbose_name=_("tổ chức đảng")
    )
    name = models.CharField(_("nhiệm kỳ"), max_length=50, help_text=_("Ví dụ: 2020–2025"))
    congress_number = models.PositiveSmallIntegerField(_("đại hội lần thứ"), null=True, blank=True)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"), null=True, blank=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhiệm kỳ")
        verbose_name_plural = _("nhiệm kỳ")
        ordering = ["organization", "-starts_on"]

    def __str__(self):
        return f"{self.organization} – {self.name}"


class Post(models.TextChoices):
    SECRETARY = "secretary", _("Bí thư")
    STANDING_DEPUTY = "standing_deputy", _("Phó Bí thư Thường trực")
    DEPUTY = "deputy", _("Phó Bí thư")
    STANDING_MEMBER = "standing_member", _("Ủy viên Ban Thường vụ")
    COMMITTEE_MEMBER = "committee_member", _("Cấp ủy viên")
    INSPECTION_CHAIR = "inspection_chair", _("Chủ nhiệm Ủy ban Kiểm tra")
    INSPECTION_MEMBER = "inspection_member", _("Ủy viên Ủy ban Kiểm tra")
    GROUP_LEADER = "group_leader", _("Tổ trưởng đảng")


class DatedQuerySet(ScopedQuerySet):
    def active_on(self, day):
        return self.filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))


class CommitteePost(models.Model):
    """A post held by a member in an organization's committee. One person may hold several."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="committee_posts", verbose_name=_("tổ chức đảng")
    )
    term = models.ForeignKey(
        Term, on_delete=models.PROTECT, null=True, blank=True, related_name="posts", verbose_name=_("nhiệm kỳ")
    )
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="committee_posts", verbose_name=_("đảng viên")
    )
    post = models.CharField(_("chức vụ"), max_length=32, choices=Post.choices)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"), null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("chức vụ cấp ủy")
        verbose_name_plural = _("chức vụ cấp ủy")
        ordering = ["organization", "post", "starts_on"]

    def __str__(self):
        return f"{self.get_post_display()} – {self.member}"


class OversightAssignmentQuerySet(DatedQuerySet):
    """Scoped by the cell followed: the cell and the organizations above it see the assignment."""


class OversightAssignment(models.Model):
    """A committee member assigned to follow a cell (phân công cấp ủy viên phụ trách chi bộ)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="oversight_assignments", verbose_name=_("chi bộ")
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="oversight_assignments",
        verbose_name=_("cấp ủy viên phụ trách"),
    )
    assigned_by = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("cấp ủy phân công")
    )
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"), null=True, blank=True)

    objects = OversightAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân công phụ trách chi bộ")
        verbose_name_plural = _("phân công phụ trách chi bộ")
        ordering = ["organization", "starts_on"]


class DepartureKind(models.TextChoices):
    MEMBER = "member", _("đảng viên")
    ORGANIZATION = "organization", _("tổ chức đảng")


class Departure(models.Model):
    """A member or organization left a place in the tree: its organization path was `old_path`
    until `at` (an internal transfer, or its subtree moved under another parent).

    The API's change feed reads these to tell a client which records left its reach (apps.api.sync).
    Deliberately not a ScopedQuerySet: `old_path` is history and must not follow later moves
    (organizations.services.path_copies rewrites every scoped path copy).
    """

    kind = models.CharField(max_length=16, choices=DepartureKind.choices)
    object_id = models.BigIntegerField()
    old_organization_id = models.BigIntegerField()
    old_path = models.CharField(max_length=255)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "at"], name="departure_kind_at")]

    def __str__(self):
        return f"{self.kind} {self.object_id} ← {self.old_path}"
