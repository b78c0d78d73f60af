from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import VersionedFormMixin, correction_reason_field
from apps.core.pickers import PickField
from apps.members.models import Member
from apps.organizations.models import Organization

from .models import Body, ComplaintKind, ComplaintStatus, Conclusion, Inspection, InspectionPlan, Kind

DATE = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}


def DateField(label, required=True):  # noqa: N802
    return forms.DateField(label=label, required=required, widget=forms.TextInput(attrs=DATE))


class PlanForm(forms.Form):
    organization = PickField(
        "organization", reach="work", label=_("Tổ chức đảng"), queryset=Organization.objects.none()
    )
    body = forms.ChoiceField(label=_("Cơ quan ban hành"), choices=Body.choices)
    year = forms.IntegerField(label=_("Năm"))
    title = forms.CharField(label=_("Tên kế hoạch"))
    number = forms.CharField(label=_("Số kế hoạch"), required=False)
    content = forms.CharField(label=_("Nội dung, trọng tâm"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    issued_on = DateField(_("Ngày ban hành"), required=False)

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            organizations if organizations is not None else Organization.objects.none()
        )


class InspectionForm(forms.Form):
    organization = PickField(
        "organization", reach="work", label=_("Tổ chức tiến hành"), queryset=Organization.objects.none()
    )
    plan = forms.ModelChoiceField(label=_("Thuộc kế hoạch"), queryset=InspectionPlan.objects.none(), required=False)
    body = forms.ChoiceField(label=_("Chủ thể"), choices=Body.choices)
    kind = forms.ChoiceField(label=_("Loại"), choices=Kind.choices)
    title = forms.CharField(label=_("Nội dung kiểm tra, giám sát"))
    subject_organization = PickField(
        "organization",
        reach="work",
        label=_("Tổ chức đảng được kiểm tra"),
        queryset=Organization.objects.none(),
        required=False,
    )
    subject_member = PickField(
        "member", reach="work", label=_("hoặc đảng viên được kiểm tra"), queryset=Member.objects.none(), required=False
    )
    team = forms.CharField(label=_("Đoàn (tổ) kiểm tra"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    period_start = DateField(_("Từ ngày"), required=False)
    period_end = DateField(_("Đến ngày"), required=False)

    def __init__(self, *args, organizations=None, members=None, plans=None, subjects=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            organizations if organizations is not None else Organization.objects.none()
        )
        self.fields["subject_organization"].queryset = subjects if subjects is not None else Organization.objects.none()
        self.fields["subject_member"].queryset = members if members is not None else Member.objects.none()
        self.fields["plan"].queryset = plans if plans is not None else InspectionPlan.objects.none()


class ConcludeForm(VersionedFormMixin, forms.Form):
    findings = forms.CharField(label=_("Kết quả kiểm tra"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    conclusion = forms.ChoiceField(label=_("Kết luận"), choices=[("", "---"), *Conclusion.choices], required=False)
    conclusion_text = forms.CharField(
        label=_("Nội dung kết luận"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    concluded_on = DateField(_("Ngày kết luận"), required=False)
    remedy_1 = forms.CharField(label=_("Yêu cầu khắc phục 1"), required=False)
    deadline_1 = DateField(_("Thời hạn 1"), required=False)
    remedy_2 = forms.CharField(label=_("Yêu cầu khắc phục 2"), required=False)
    deadline_2 = DateField(_("Thời hạn 2"), required=False)

    def remedies(self):
        return [(self.cleaned_data.get(f"remedy_{i}"), self.cleaned_data.get(f"deadline_{i}")) for i in (1, 2)]


class InspectionEditForm(VersionedFormMixin, forms.Form):
    """Correct an inspection and, once concluded, its conclusion (the conclusion fields are dropped before)."""

    title = forms.CharField(label=_("Nội dung kiểm tra, giám sát"))
    team = forms.CharField(label=_("Đoàn (tổ) kiểm tra"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    period_start = DateField(_("Từ ngày"), required=False)
    period_end = DateField(_("Đến ngày"), required=False)
    findings = forms.CharField(label=_("Kết quả kiểm tra"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    conclusion = forms.ChoiceField(label=_("Kết luận"), choices=Conclusion.choices)
    conclusion_text = forms.CharField(label=_("Nội dung kết luận"), widget=forms.Textarea(attrs={"rows": 3}))
    concluded_on = DateField(_("Ngày kết luận"))
    correction_reason = correction_reason_field()

    def __init__(self, *args, concluded=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not concluded:
            for name in ("findings", "conclusion", "conclusion_text", "concluded_on"):
                del self.fields[name]


class RemedyAddForm(forms.Form):
    requirement = forms.CharField(label=_("Yêu cầu khắc phục"))
    deadline = DateField(_("Thời hạn"))
    correction_reason = correction_reason_field()


class RemedyCorrectForm(VersionedFormMixin, forms.Form):
    requirement = forms.CharField(label=_("Yêu cầu khắc phục"), widget=forms.Textarea(attrs={"rows": 2}))
    deadline = DateField(_("Thời hạn"))
    correction_reason = correction_reason_field()


class RemedyCheckForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("Kết quả"), choices=[("1", _("Đạt yêu cầu")), ("0", _("Chưa đạt"))], coerce=lambda v: v == "1"
    )
    result = forms.CharField(label=_("Nhận xét"), required=False)


class ComplaintForm(forms.Form):
    organization = PickField(
        "organization", reach="work", label=_("Nơi tiếp nhận"), queryset=Organization.objects.none()
    )
    kind = forms.ChoiceField(label=_("Loại đơn"), choices=ComplaintKind.choices)
    received_on = DateField(_("Ngày nhận"))
    sender = forms.CharField(label=_("Người gửi"), required=False)
    about_member = PickField(
        "member",
        reach="work",
        label=_("Đảng viên bị khiếu nại, tố cáo"),
        queryset=Member.objects.none(),
        required=False,
    )
    about = forms.CharField(label=_("Đối tượng khác"), required=False)
    content = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, organizations=None, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            organizations if organizations is not None else Organization.objects.none()
        )
        self.fields["about_member"].queryset = members if members is not None else Member.objects.none()


class ComplaintUpdateForm(VersionedFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Tình trạng"), choices=ComplaintStatus.choices)
    handling = forms.CharField(
        label=_("Quá trình giải quyết"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    answer = forms.CharField(label=_("Nội dung trả lời"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    answered_on = DateField(_("Ngày trả lời"), required=False)
    inspection = forms.ModelChoiceField(
        label=_("Cuộc kiểm tra liên quan"), queryset=Inspection.objects.none(), required=False
    )

    def __init__(self, *args, inspections=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspection"].queryset = inspections if inspections is not None else Inspection.objects.none()


class PeriodForm(forms.Form):
    start = DateField(_("Từ ngày"))
    end = DateField(_("Đến ngày"))
