"""Forms of the organization pages. They only collect input; services validate and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import VersionedFormMixin, VNDateField
from apps.core.scoping import CHANGE

from .models import CELL_KINDS, Kind, Organization, Post, Sector

# Above this many candidates a member is picked by card number instead of from a list.
MEMBER_SELECT_LIMIT = 300


def org_label(org: Organization) -> str:
    return f"{org.name} ({org.code})"


class OrgChoiceField(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": _("Hãy chọn một tổ chức trong danh sách.")}

    def label_from_instance(self, obj):
        return org_label(obj)


class OrgMultipleChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return org_label(obj)


class MemberMultipleChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.full_name + (f" ({obj.card_number})" if obj.card_number else "")


def _decision_field():
    return forms.CharField(label=_("Số quyết định"), max_length=100, required=False)


class OrganizationCreateForm(forms.Form):
    name = forms.CharField(label=_("Tên"), max_length=255, error_messages={"required": _("Hãy nhập tên.")})
    short_name = forms.CharField(label=_("Tên ngắn"), max_length=100, required=False)
    code = forms.CharField(label=_("Mã"), max_length=50, error_messages={"required": _("Hãy nhập mã tổ chức.")})
    kind = forms.ChoiceField(label=_("Loại tổ chức"), choices=Kind.choices, initial=Kind.CELL)
    sector = forms.ChoiceField(label=_("Loại hình"), choices=Sector.choices, initial=Sector.RESIDENTIAL)
    founded_on = VNDateField(label=_("Ngày thành lập"))
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)


class RenameForm(VersionedFormMixin, forms.Form):
    name = forms.CharField(label=_("Tên mới"), max_length=255, error_messages={"required": _("Hãy nhập tên mới.")})
    on = VNDateField(label=_("Từ ngày"))
    decision = _decision_field()


class MoveForm(VersionedFormMixin, forms.Form):
    new_parent = OrgChoiceField(label=_("Tổ chức cấp trên mới"), queryset=Organization.objects.none())
    on = VNDateField(label=_("Từ ngày"))
    decision = _decision_field()

    def __init__(self, *args, organization: Organization, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = (
            Organization.objects.restrict(user, CHANGE)
            .current()
            .exclude(path__startswith=organization.path)
            .exclude(kind__in=(*CELL_KINDS, Kind.PARTY_GROUP))
            .order_by("path")
        )


class EndForm(VersionedFormMixin, forms.Form):
    on = VNDateField(label=_("Ngày kết thúc"))
    decision = _decision_field()


class MergeForm(forms.Form):
    """At a parent: merge several of its organizations into one of them or into a new one."""

    sources = OrgMultipleChoiceField(label=_("Các tổ chức hợp nhất"), queryset=Organization.objects.none())
    into = OrgChoiceField(
        label=_("Hợp nhất vào tổ chức"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("— Thành lập tổ chức mới —"),
    )
    new_name = forms.CharField(label=_("Tên tổ chức mới"), max_length=255, required=False)
    new_code = forms.CharField(label=_("Mã tổ chức mới"), max_length=50, required=False)
    on = VNDateField(label=_("Ngày hợp nhất"))
    decision = _decision_field()

    def __init__(self, *args, parent: Organization, user, **kwargs):
        super().__init__(*args, **kwargs)
        children = Organization.objects.restrict(user, CHANGE).current().filter(parent=parent).order_by("sort_key")
        self.fields["sources"].queryset = children
        self.fields["into"].queryset = children

    def clean(self):
        data = super().clean()
        if not data.get("into") and not (data.get("new_name") or "").strip():
            self.add_error("new_name", _("Chọn tổ chức nhận hợp nhất hoặc ghi tên tổ chức mới."))
        if not data.get("into") and not (data.get("new_code") or "").strip():
            self.add_error("new_code", _("Hãy nhập mã tổ chức mới."))
        return data


class SplitForm(forms.Form):
    """Split an organization into two or three new ones; each member and child goes to one part."""

    PARTS = 3
    on = VNDateField(label=_("Ngày chia tách"))
    decision = _decision_field()

    def __init__(self, *args, source: Organization, **kwargs):
        super().__init__(*args, **kwargs)

        members = source.members.current().order_by("sort_key", "pk")
        children = source.children.current().order_by("sort_key")
        self.parts = []
        for i in range(1, self.PARTS + 1):
            required = i <= 2
            self.fields[f"name_{i}"] = forms.CharField(
                label=_("Tên tổ chức mới %(n)s") % {"n": i}, max_length=255, required=required
            )
            self.fields[f"code_{i}"] = forms.CharField(
                label=_("Mã tổ chức mới %(n)s") % {"n": i}, max_length=50, required=required
            )
            self.fields[f"members_{i}"] = MemberMultipleChoiceField(
                label=_("Đảng viên chuyển về tổ chức mới %(n)s") % {"n": i}, queryset=members, required=False
            )
            self.fields[f"children_{i}"] = OrgMultipleChoiceField(
                label=_("Tổ chức trực thuộc chuyển về tổ chức mới %(n)s") % {"n": i}, queryset=children, required=False
            )
            self.parts.append([self[f"name_{i}"], self[f"code_{i}"], self[f"members_{i}"], self[f"children_{i}"]])

    def clean(self):
        data = super().clean()
        for i in range(1, self.PARTS + 1):
            has_name = bool((data.get(f"name_{i}") or "").strip())
            if not has_name and (data.get(f"code_{i}") or data.get(f"members_{i}") or data.get(f"children_{i}")):
                self.add_error(f"name_{i}", _("Hãy nhập tên tổ chức mới %(n)s.") % {"n": i})
        return data

    def part_values(self) -> list[dict]:
        parts = []
        for i in range(1, self.PARTS + 1):
            name = (self.cleaned_data.get(f"name_{i}") or "").strip()
            if not name:
                continue
            parts.append(
                {
                    "name": name,
                    "code": self.cleaned_data.get(f"code_{i}") or "",
                    "members": list(self.cleaned_data.get(f"members_{i}") or ()),
                    "children": list(self.cleaned_data.get(f"children_{i}") or ()),
                }
            )
        return parts


class TermForm(forms.Form):
    name = forms.CharField(
        label=_("Nhiệm kỳ"),
        max_length=50,
        help_text=_("Ví dụ: 2025–2030"),
        error_messages={"required": _("Hãy ghi tên nhiệm kỳ.")},
    )
    congress_number = forms.IntegerField(label=_("Đại hội lần thứ"), min_value=1, max_value=200, required=False)
    starts_on = VNDateField(label=_("Từ ngày"))
    ends_on = VNDateField(label=_("Đến ngày"), required=False)


def _member_pick(organization: Organization):
    """A select of the subtree's current members when they are few; a card-number box otherwise."""
    from apps.members.models import Member

    members = Member.objects.children_of(organization).current().order_by("sort_key", "pk")
    if members[: MEMBER_SELECT_LIMIT + 1].count() <= MEMBER_SELECT_LIMIT:
        field = forms.ModelChoiceField(label=_("Đảng viên"), queryset=members)
        field.label_from_instance = lambda m: m.full_name + (f" – {m.card_number}" if m.card_number else "")
        return field
    return forms.ModelChoiceField(
        label=_("Số thẻ đảng viên"),
        queryset=members,
        to_field_name="card_number",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid_choice": _("Không có đảng viên đang sinh hoạt với số thẻ này trong tổ chức.")},
    )


class CommitteePostForm(forms.Form):
    post = forms.ChoiceField(label=_("Chức vụ"), choices=Post.choices)
    term = forms.ModelChoiceField(label=_("Nhiệm kỳ"), queryset=None, required=False)
    starts_on = VNDateField(label=_("Từ ngày"))

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"member": _member_pick(organization), **self.fields}
        self.fields["term"].queryset = organization.terms.all()
        self.fields["term"].label_from_instance = lambda t: t.name


class EndDateForm(forms.Form):
    on = VNDateField(label=_("Ngày kết thúc"))


class OversightForm(forms.Form):
    cell = OrgChoiceField(label=_("Chi bộ"), queryset=Organization.objects.none())
    member = forms.ModelChoiceField(label=_("Cấp ủy viên phụ trách"), queryset=None)
    starts_on = VNDateField(label=_("Từ ngày"))

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        from apps.members.models import Member

        self.fields["cell"].queryset = organization.descendants().current().filter(kind__in=CELL_KINDS).order_by("path")
        holders = organization.committee_posts.filter(ends_on__isnull=True).values("member_id")
        self.fields["member"].queryset = (
            Member.objects.filter(pk__in=holders)
            .order_by("sort_key", "pk")
            .vouched("the current post holders of the organization the view loaded through the door")
        )
        self.fields["member"].label_from_instance = lambda m: m.full_name
