"""Query filters of the list endpoints. Organizations named in a filter are looked up within scope."""

import django_filters
from django.utils.translation import gettext_lazy as _

from apps.members.models import Member, Status
from apps.organizations.models import Kind, Organization, Sector

from .sync import INVALID_SINCE, SYNC_ORDERING

STATUS_CURRENT = "current"
STATUS_ALL = "all"
FIELDS_BRIEF, FIELDS_FULL = "brief", "full"
STATUS_CHOICES = [(STATUS_CURRENT, _("Đang sinh hoạt")), (STATUS_ALL, _("Tất cả")), *Status.choices]

MESSAGES = {"invalid_choice": _("“%(value)s” không phải là một lựa chọn hợp lệ.")}
NUMBER_MESSAGES = {"invalid": _("Phải là một số nguyên.")}


MAX_ID = 2**63 - 1

# The change feed (apps.api.sync): the paginator reads these; the filters only check and document them.
SINCE_MESSAGES = {"invalid": INVALID_SINCE}


def updated_since_filter():
    return django_filters.IsoDateTimeFilter(
        method="keep",
        error_messages=SINCE_MESSAGES,
        label=_(
            "chỉ các bản ghi tạo hoặc sửa từ thời điểm này (ISO 8601 có múi giờ, ví dụ 2026-12-04T01:30:00Z); "
            "danh sách khi đó theo thứ tự (updated_at, id), trang cuối kèm removed"
        ),
    )


def ordering_filter():
    return django_filters.ChoiceFilter(
        method="keep",
        choices=[(SYNC_ORDERING, _("theo thời điểm cập nhật rồi mã số"))],
        error_messages=MESSAGES,
        label=_("thứ tự: updated_at để đồng bộ từ đầu (như updated_since)"),
    )


class SyncFilterSet(django_filters.FilterSet):
    def keep(self, queryset, name, value):
        return queryset


def _id(value) -> int | None:
    """An id from a number filter, or None when no row could have it (fraction, negative, too large)."""
    if value is None or value != int(value) or not 0 < value <= MAX_ID:
        return None
    return int(value)


def _visible_organization(request, value):
    pk = _id(value)
    if pk is None:
        return None
    return Organization.objects.restrict(getattr(request, "user", None)).filter(pk=pk).first()


class OrganizationFilter(SyncFilterSet):
    kind = django_filters.ChoiceFilter(choices=Kind.choices, error_messages=MESSAGES, label=_("loại tổ chức"))
    sector = django_filters.ChoiceFilter(choices=Sector.choices, error_messages=MESSAGES, label=_("loại hình"))
    parent = django_filters.NumberFilter(
        method="filter_parent", error_messages=NUMBER_MESSAGES, label=_("tổ chức cấp trên (mã số)")
    )
    within = django_filters.NumberFilter(
        method="filter_within", error_messages=NUMBER_MESSAGES, label=_("thuộc cây của tổ chức (mã số, gồm cả nó)")
    )
    active = django_filters.BooleanFilter(
        method="filter_active", label=_("đang hoạt động (true) hoặc đã kết thúc (false)")
    )
    include_ended = django_filters.BooleanFilter(
        method="filter_include_ended",
        label=_("gồm cả tổ chức đã kết thúc (mặc định true; false: chỉ tổ chức đang hoạt động)"),
    )
    updated_since = updated_since_filter()
    ordering = ordering_filter()

    class Meta:
        model = Organization
        fields = ["kind", "sector", "parent", "within", "active", "include_ended", "updated_since", "ordering"]

    def filter_include_ended(self, queryset, name, value):
        return queryset if value else queryset.filter(ended_on__isnull=True)

    def filter_parent(self, queryset, name, value):
        pk = _id(value)
        return queryset.none() if pk is None else queryset.filter(parent_id=pk)

    def filter_within(self, queryset, name, value):
        root = _visible_organization(self.request, value)
        return queryset.none() if root is None else queryset.filter(path__startswith=root.path)

    def filter_active(self, queryset, name, value):
        return queryset.filter(ended_on__isnull=value)


class MemberSelection(SyncFilterSet):
    """Which members a list or an export holds (the list adds its paging order and `fields`)."""

    q = django_filters.CharFilter(
        method="filter_q",
        label=_("tìm theo tên (không cần dấu), số thẻ, số CCCD hoặc điện thoại"),
    )
    organization = django_filters.NumberFilter(
        method="filter_organization",
        error_messages=NUMBER_MESSAGES,
        label=_("tổ chức đảng (mã số): đảng viên của nó và các tổ chức trực thuộc"),
    )
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES,
        method="filter_status",
        error_messages=MESSAGES,
        label=_("tình trạng; mặc định “current” (đang sinh hoạt), “all” là tất cả"),
    )
    include_ended = django_filters.BooleanFilter(
        method="keep",
        label=_("gồm cả đảng viên đã thôi sinh hoạt (xóa tên, chuyển đi, từ trần …), như status=all"),
    )
    updated_since = updated_since_filter()

    class Meta:
        model = Member
        fields = ["q", "organization", "status", "include_ended", "updated_since"]

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_organization(self, queryset, name, value):
        organization = _visible_organization(self.request, value)
        if organization is None:
            return queryset.none()
        if organization.is_cell:
            return queryset.filter(organization=organization)
        return queryset.in_subtree(organization)

    def filter_status(self, queryset, name, value):
        if value == STATUS_ALL:
            return queryset
        if value == STATUS_CURRENT:
            return queryset.current()
        return queryset.filter(status=value)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("status") and not self.form.cleaned_data.get("include_ended"):
            queryset = queryset.current()
        return queryset


class MemberFilter(MemberSelection):
    ordering = ordering_filter()
    fields = django_filters.ChoiceFilter(
        method="keep",
        choices=[(FIELDS_BRIEF, _("rút gọn (mặc định)")), (FIELDS_FULL, _("đầy đủ"))],
        error_messages=MESSAGES,
        label=_(
            "“full”: mỗi dòng là lý lịch đầy đủ như GET /api/members/{id}/ (số CCCD, điện thoại, thư điện tử, "
            "trình độ, dân tộc …), để sao chép toàn bộ mà không đọc từng người; mặc định “brief”"
        ),
    )

    class Meta(MemberSelection.Meta):
        fields = [*MemberSelection.Meta.fields, "ordering", "fields"]
