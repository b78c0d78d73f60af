from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import UploadField, VersionedFormMixin, VNDateField
from apps.core.periods import ROMAN
from apps.core.pickers import PickField
from apps.members.models import Member
from apps.organizations.models import Organization, Term

from .models import Direction, Frequency, Level, Rating, Resolution, Rollup, TaskStatus

QUARTERS = [("", "---"), *((q, _("Quý %(q)s") % {"q": ROMAN[q]}) for q in (1, 2, 3, 4))]
MONTHS = [("", "---"), *((m, _("Tháng %(m)s") % {"m": m}) for m in range(1, 13))]
NUMBER = {"inputmode": "decimal"}


class ResolutionForm(VersionedFormMixin, forms.Form):
    organization = forms.ModelChoiceField(label=_("Cấp ban hành"), queryset=Organization.objects.none())
    level = forms.ChoiceField(label=_("Loại nghị quyết"), choices=Level.choices)
    term = forms.ModelChoiceField(
        label=_("Nhiệm kỳ (nghị quyết đại hội)"), queryset=Term.objects.none(), required=False
    )
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=1990, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("Quý"), choices=QUARTERS, coerce=int, empty_value=None, required=False)
    month = forms.TypedChoiceField(label=_("Tháng"), choices=MONTHS, coerce=int, empty_value=None, required=False)
    number = forms.CharField(label=_("Số"), max_length=50)
    title = forms.CharField(label=_("Trích yếu"), max_length=255)
    issued_on = VNDateField(label=_("Ngày ban hành"))
    issuer = forms.CharField(label=_("Cơ quan ban hành"), max_length=255, required=False)
    summary = forms.CharField(label=_("Nội dung chính"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    implements = forms.ModelChoiceField(
        label=_("Thực hiện nghị quyết cấp trên"), queryset=Resolution.objects.none(), required=False
    )
    plan_due = VNDateField(label=_("Cấp dưới xây dựng kế hoạch thực hiện trước ngày"), required=False)
    upload = UploadField(label=_("Văn bản (PDF, Word…)"), required=False)

    def __init__(self, *args, organizations=None, terms=None, above=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            organizations if organizations is not None else Organization.objects.none()
        )
        self.fields["term"].queryset = terms if terms is not None else Term.objects.none()
        self.fields["implements"].queryset = above if above is not None else Resolution.objects.none()


class TargetForm(VersionedFormMixin, forms.Form):
    indicator = forms.CharField(label=_("Chỉ tiêu"), max_length=255)
    unit = forms.CharField(label=_("Đơn vị tính"), max_length=50, required=False)
    frequency = forms.ChoiceField(
        label=_("Kỳ báo cáo kết quả"), choices=[("", "---"), *Frequency.choices], required=False
    )
    direction = forms.ChoiceField(label=_("Chiều đánh giá"), choices=Direction.choices)
    rollup = forms.ChoiceField(label=_("Cách tổng hợp"), choices=Rollup.choices)
    baseline = forms.DecimalField(label=_("Giá trị xuất phát"), required=False, widget=forms.TextInput(attrs=NUMBER))
    term_value = forms.DecimalField(
        label=_("Chỉ tiêu cả nhiệm kỳ"), required=False, widget=forms.TextInput(attrs=NUMBER)
    )
    owner = PickField(
        "member", reach="change", label=_("Người phụ trách"), queryset=Member.objects.none(), required=False
    )
    reason = forms.CharField(label=_("Lý do điều chỉnh (bắt buộc khi đã có kết quả)"), max_length=255, required=False)

    def __init__(self, *args, years=(), members=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = list(years)
        for y in self.years:
            self.fields[f"year_{y}"] = forms.DecimalField(
                label=_("Chỉ tiêu năm %(y)s") % {"y": y}, required=False, widget=forms.TextInput(attrs=NUMBER)
            )
        self.fields["owner"].queryset = members if members is not None else Member.objects.none()
        if not editing:
            del self.fields["reason"]

    def yearly(self) -> dict:
        return {y: self.cleaned_data.get(f"year_{y}") for y in self.years}

    def values(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version" and not k.startswith("year_")}
        data["yearly"] = self.yearly()
        return data


class BreakdownForm(forms.Form):
    """One organization below and its part (repeated by prefix for each line)."""

    organization = forms.ModelChoiceField(label=_("Tổ chức cấp dưới"), queryset=Organization.objects.none())
    term_value = forms.DecimalField(
        label=_("Chỉ tiêu cả nhiệm kỳ"), required=False, widget=forms.TextInput(attrs=NUMBER)
    )

    def __init__(self, *args, organizations=None, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            organizations if organizations is not None else Organization.objects.none()
        )
        self.years = list(years)
        for y in self.years:
            self.fields[f"year_{y}"] = forms.DecimalField(
                label=_("Năm %(y)s") % {"y": y}, required=False, widget=forms.TextInput(attrs=NUMBER)
            )

    def part(self) -> dict:
        return {
            "organization": self.cleaned_data["organization"],
            "term_value": self.cleaned_data.get("term_value"),
            "yearly": {y: self.cleaned_data.get(f"year_{y}") for y in self.years},
        }


class ResultForm(VersionedFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=1990, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("Quý"), choices=QUARTERS, coerce=int, empty_value=None, required=False)
    month = forms.TypedChoiceField(label=_("Tháng"), choices=MONTHS, coerce=int, empty_value=None, required=False)
    value = forms.DecimalField(label=_("Kết quả"), widget=forms.TextInput(attrs=NUMBER))
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)


class CloseForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=1990, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("Quý"), choices=QUARTERS, coerce=int, empty_value=None, required=False)
    month = forms.TypedChoiceField(label=_("Tháng"), choices=MONTHS, coerce=int, empty_value=None, required=False)


class TaskForm(forms.Form):
    content = forms.CharField(label=_("Nội dung công việc"), widget=forms.Textarea(attrs={"rows": 3}))
    owner_member = PickField(
        "member", reach="change", label=_("Đảng viên phụ trách"), queryset=Member.objects.none(), required=False
    )
    owner_organization = forms.ModelChoiceField(
        label=_("hoặc tổ chức phụ trách"), queryset=Organization.objects.none(), required=False
    )
    deadline = VNDateField(label=_("Thời hạn"), required=False)
    resolution = forms.ModelChoiceField(label=_("Theo nghị quyết"), queryset=Resolution.objects.none(), required=False)

    def __init__(self, *args, members=None, organizations=None, resolutions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_member"].queryset = members if members is not None else Member.objects.none()
        self.fields["owner_organization"].queryset = (
            organizations if organizations is not None else Organization.objects.none()
        )
        self.fields["resolution"].queryset = resolutions if resolutions is not None else Resolution.objects.none()


class TaskUpdateForm(VersionedFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Tình trạng"), choices=TaskStatus.choices)
    result = forms.CharField(label=_("Kết quả"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    done_on = VNDateField(label=_("Ngày hoàn thành"), required=False)
    deadline = VNDateField(label=_("Thời hạn"), required=False)


class TaskReviewForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=1990, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("Quý"), choices=QUARTERS, coerce=int, empty_value=None, required=False)
    month = forms.TypedChoiceField(label=_("Tháng"), choices=MONTHS, coerce=int, empty_value=None, required=False)
    member = forms.ModelChoiceField(
        label=_("Đảng viên (để trống: đánh giá tập thể)"), queryset=Member.objects.none(), required=False
    )
    rating = forms.ChoiceField(label=_("Đánh giá"), choices=Rating.choices)
    comment = forms.CharField(label=_("Nhận xét"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members if members is not None else Member.objects.none()


AREA_LINES = 8


class WorkingRulesForm(forms.Form):
    term = forms.ModelChoiceField(label=_("Nhiệm kỳ"), queryset=Term.objects.none())
    number = forms.CharField(label=_("Số"), max_length=50)
    title = forms.CharField(label=_("Tên văn bản"), max_length=255, initial=_("Quy chế làm việc"))
    adopted_on = VNDateField(label=_("Ngày ban hành"))
    upload = UploadField(label=_("Văn bản (PDF, Word…)"), required=False)

    def __init__(self, *args, terms=None, posts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = terms if terms is not None else Term.objects.none()
        for i in range(AREA_LINES):
            self.fields[f"post_{i}"] = forms.ModelChoiceField(
                label=_("Chức vụ cấp ủy %(n)s") % {"n": i + 1}, queryset=posts, required=False
            )
            self.fields[f"area_{i}"] = forms.CharField(label=_("Lĩnh vực phụ trách"), max_length=255, required=False)

    def areas(self) -> list:
        return [
            (self.cleaned_data[f"post_{i}"], self.cleaned_data.get(f"area_{i}", ""))
            for i in range(AREA_LINES)
            if self.cleaned_data.get(f"post_{i}")
        ]
