"""Forms of the member pages. They collect input; services validate and write."""

import copy

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from apps.core.forms import VersionedFormMixin, VNDateField
from apps.core.scoping import CHANGE
from apps.organizations.forms import OrgChoiceField
from apps.organizations.models import CELL_KINDS, Kind, Organization

from .models import ExemptionReason, Member, Status, StatusChangeKind, TrainingKind, TrainingResult
from .services import EDITABLE_FIELDS, allowed_changes

DATE_FIELDS = ("birth_date", "admission_date", "full_membership_date")
REQUIRED_MESSAGES = {
    "family_name": _("Hãy nhập họ."),
    "given_name": _("Hãy nhập tên."),
    "gender": _("Hãy chọn giới tính."),
    "birth_date": _("Hãy nhập ngày sinh."),
    "admission_date": _("Hãy nhập ngày vào Đảng."),
}
# The member sheet's fields, grouped as on the 2-HSĐV sheet.
GROUPS = (
    (
        _("Thông tin cá nhân"),
        (
            "family_name",
            "middle_name",
            "given_name",
            "gender",
            "birth_date",
            "ethnicity",
            "religion",
            "hometown",
            "residence",
            "citizen_id",
            "phone",
            "email",
        ),
    ),
    (_("Trình độ, công tác"), ("general_education", "education", "political_theory", "occupation", "position")),
    (_("Thông tin đảng viên"), ("admission_date", "full_membership_date", "card_number")),
)


def _sheet_fields() -> dict:
    fields = fields_for_model(Member, fields=EDITABLE_FIELDS)
    for name in DATE_FIELDS:
        old = fields[name]
        fields[name] = VNDateField(label=old.label, required=old.required)
    for name, message in REQUIRED_MESSAGES.items():
        fields[name].error_messages["required"] = message
    fields["email"].error_messages["invalid"] = _("Địa chỉ thư điện tử không hợp lệ.")
    return fields


SHEET_FIELDS = _sheet_fields()


def member_organizations(user):
    """Organizations that hold members (cells, grassroots cells, party groups) the user may change."""
    return (
        Organization.objects.restrict(user, CHANGE)
        .current()
        .filter(kind__in=(*CELL_KINDS, Kind.PARTY_GROUP))
        .order_by("path")
    )


class MemberForm(VersionedFormMixin, forms.Form):
    """Create (with `organization`) or edit the member sheet (edit: pass `version`)."""

    def __init__(self, *args, user=None, with_organization=False, **kwargs):
        super().__init__(*args, **kwargs)
        fields = copy.deepcopy(SHEET_FIELDS)
        if with_organization:
            fields = {
                "organization": OrgChoiceField(
                    label=_("Chi bộ"),
                    queryset=member_organizations(user),
                    error_messages={"required": _("Hãy chọn chi bộ.")},
                ),
                "transferred_in_on": VNDateField(
                    label=_("Ngày chuyển sinh hoạt đến"),
                    required=False,
                    help_text=_("Chỉ ghi khi đảng viên chuyển từ nơi khác đến; để trống nếu được kết nạp tại chi bộ."),
                ),
                "transferred_from": forms.CharField(
                    label=_("Chuyển từ"),
                    required=False,
                    max_length=255,
                    help_text=_("Đảng bộ, chi bộ nơi đi (ví dụ: Chi bộ 3, Đảng bộ phường An Khánh, TP Thủ Đức)."),
                ),
                **fields,
            }
        self.fields.update(fields)

    def groups(self):
        groups = []
        if "organization" in self.fields:
            groups.append(
                (_("Nơi sinh hoạt"), [self[n] for n in ("organization", "transferred_in_on", "transferred_from")])
            )
        for title, names in GROUPS:
            groups.append((title, [self[n] for n in names]))
        return groups

    def values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in EDITABLE_FIELDS}

    def arrival(self) -> dict:
        """A new member's transfer in (members.services.member_create), empty for one admitted here."""
        data = self.cleaned_data
        return {
            "transferred_in_on": data.get("transferred_in_on"),
            "transferred_from": data.get("transferred_from", ""),
        }


class StatusChangeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Thay đổi"), choices=())
    date = VNDateField(label=_("Ngày"))
    other_organization = OrgChoiceField(
        label=_("Tổ chức đi/đến (trong hệ thống)"), queryset=Organization.objects.none(), required=False
    )
    other_organization_name = forms.CharField(
        label=_("Tổ chức đi/đến (ngoài hệ thống)"),
        max_length=255,
        required=False,
        help_text=_("Ghi tên tổ chức đảng nơi đi/đến khi không có trong danh sách."),
    )
    decision = forms.CharField(label=_("Số quyết định"), max_length=100, required=False)
    note = forms.CharField(label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, member: Member, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, StatusChangeKind(k).label) for k in allowed_changes(member)]
        self.fields["kind"].error_messages["invalid_choice"] = _(
            "Thay đổi này không áp dụng được với tình trạng hiện tại của đảng viên."
        )
        # Party committees (and grassroots cells) the user sees: what a transfer letter names.
        self.fields["other_organization"].queryset = (
            Organization.objects.restrict(user)
            .current()
            .exclude(kind__in=(Kind.CELL, Kind.PARTY_GROUP))
            .exclude(pk=member.organization_id)
            .order_by("path")
        )


class TransferForm(forms.Form):
    target = OrgChoiceField(label=_("Chuyển đến chi bộ"), queryset=Organization.objects.none())
    date = VNDateField(label=_("Ngày chuyển"))
    decision = forms.CharField(label=_("Số quyết định"), max_length=100, required=False)

    def __init__(self, *args, member: Member, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = member_organizations(user).exclude(pk=member.organization_id)


class AwardForm(forms.Form):
    name = forms.CharField(
        label=_("Hình thức khen thưởng"),
        max_length=255,
        help_text=_("Ví dụ: Giấy khen, Bằng khen, Huy hiệu 30 năm tuổi Đảng"),
        error_messages={"required": _("Hãy ghi hình thức khen thưởng.")},
    )
    issued_by = forms.CharField(label=_("Cấp khen"), max_length=255, required=False)
    decision = forms.CharField(label=_("Số quyết định"), max_length=100, required=False)
    date = VNDateField(label=_("Ngày"))
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


STATUS_FILTERS = [("", _("Đang sinh hoạt")), ("all", _("Tất cả")), *Status.choices]


class TrainingForm(VersionedFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Loại đào tạo"), choices=TrainingKind.choices)
    title = forms.CharField(
        label=_("Tên khóa học, văn bằng"),
        max_length=255,
        required=False,
        help_text=_("Ví dụ: Bồi dưỡng bí thư chi bộ; Cử nhân Luật"),
    )
    institution = forms.CharField(
        label=_("Cơ sở đào tạo"), max_length=255, error_messages={"required": _("Hãy ghi cơ sở đào tạo.")}
    )
    starts_on = VNDateField(label=_("Từ ngày"), error_messages={"required": _("Hãy nhập ngày bắt đầu.")})
    ends_on = VNDateField(label=_("Đến ngày"), required=False)
    result = forms.ChoiceField(label=_("Kết quả"), choices=TrainingResult.choices, initial=TrainingResult.PASSED)
    grade = forms.CharField(label=_("Xếp loại"), max_length=50, required=False)
    certificate = forms.CharField(label=_("Số văn bằng, chứng chỉ"), max_length=100, required=False)
    note = forms.CharField(label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class BadgeProposeForm(forms.Form):
    years = forms.TypedChoiceField(label=_("Huy hiệu"), coerce=int, choices=())
    occasion = forms.TypedChoiceField(label=_("Dịp trao"), choices=(), coerce=str)
    proposed_on = VNDateField(label=_("Ngày đề nghị"))
    early = forms.BooleanField(label=_("Đề nghị trao sớm (đảng viên ốm nặng)"), required=False)
    early_reason = forms.CharField(label=_("Tình trạng bệnh"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    issued_by = forms.CharField(label=_("Cấp đề nghị"), max_length=255, required=False)

    def __init__(self, *args, rules, occasions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["years"].choices = [(y, _("%(n)s năm tuổi Đảng") % {"n": y}) for y in rules.badge_years]
        self.fields["occasion"].choices = [(d.isoformat(), d.strftime("%d/%m/%Y")) for d in occasions]

    def clean_occasion(self):
        from datetime import date as _date

        return _date.fromisoformat(self.cleaned_data["occasion"])


class BadgeDecideForm(forms.Form):
    decided_on = VNDateField(label=_("Ngày quyết định"))
    decision = forms.CharField(label=_("Số quyết định"), max_length=100)
    issued_by = forms.CharField(label=_("Cấp quyết định"), max_length=255, required=False)


class BadgePresentForm(forms.Form):
    presented_on = VNDateField(label=_("Ngày trao"))


class ReadmitForm(forms.Form):
    organization = OrgChoiceField(label=_("Sinh hoạt tại chi bộ"), queryset=Organization.objects.none())
    date = VNDateField(label=_("Ngày quyết định kết nạp lại"))
    decision = forms.CharField(label=_("Số quyết định"), max_length=100)
    note = forms.CharField(label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, user, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = member_organizations(user)
        self.fields["organization"].initial = member.organization_id


class ExemptForm(forms.Form):
    on = VNDateField(label=_("Ngày nghị quyết của chi bộ"))
    resolution = forms.CharField(label=_("Số nghị quyết của chi bộ"), max_length=100)
    reason = forms.ChoiceField(label=_("Lý do"), choices=ExemptionReason.choices, widget=forms.RadioSelect)
    illness_since = VNDateField(label=_("Điều trị bệnh từ ngày"), required=False)
    reported_on = VNDateField(label=_("Ngày báo cáo đảng ủy cơ sở"), required=False)
    until = VNDateField(label=_("Miễn đến ngày"), required=False, help_text=_("Trống: không thời hạn."))
    note = forms.CharField(label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
