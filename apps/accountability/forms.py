from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import VersionedFormMixin, VNDateField, VNDateInput, correction_reason_field
from apps.core.pickers import PickField
from apps.members.models import Member
from apps.organizations.models import Organization

from .models import CommitmentKind, CommitmentResult, NoteKind, NoteSource, TargetMode

DATE = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}


class OpeningForm(forms.Form):
    reason = forms.CharField(label=_("Lý do mở sổ"), widget=forms.Textarea(attrs={"rows": 2}))
    basis = forms.ChoiceField(label=_("Căn cứ (đợt kiểm điểm hoặc cuộc kiểm tra)"), choices=())
    ends_on = forms.DateField(
        label=_("Hết hạn xem (không bắt buộc)"), required=False, widget=forms.TextInput(attrs=DATE)
    )

    def __init__(self, *args, targets=(), inspections=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "---")]
        choices += [(f"r{t.pk}", _("Kiểm điểm: %(g)s") % {"g": t.group.name}) for t in targets]
        choices += [(f"i{i.pk}", _("Kiểm tra: %(t)s") % {"t": i.title}) for i in inspections]
        self.fields["basis"].choices = choices
        self.targets = {f"r{t.pk}": t for t in targets}
        self.inspections = {f"i{i.pk}": i for i in inspections}


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Tên kế hoạch"), max_length=255)
    owner_name = forms.CharField(label=_("Người chịu trách nhiệm"), max_length=255)
    shortcomings = forms.CharField(
        label=_("Hạn chế, khuyết điểm cần khắc phục"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    year = forms.IntegerField(label=_("Năm"))

    def __init__(self, *args, rows=3, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for i in range(1, rows + 1):
            self.fields[f"action_{i}"] = forms.CharField(label=_("Việc khắc phục %(i)s") % {"i": i}, required=False)
            self.fields[f"deadline_{i}"] = forms.DateField(
                label=_("Thời hạn %(i)s") % {"i": i}, required=False, widget=forms.TextInput(attrs=DATE)
            )

    def actions(self):
        return [
            (self.cleaned_data.get(f"action_{i}"), self.cleaned_data.get(f"deadline_{i}"))
            for i in range(1, self.rows + 1)
        ]


class ActionAddForm(forms.Form):
    action = forms.CharField(label=_("Việc khắc phục"))
    deadline = forms.DateField(label=_("Thời hạn"), widget=forms.TextInput(attrs=DATE))
    correction_reason = correction_reason_field()


class ActionCorrectForm(VersionedFormMixin, forms.Form):
    text = forms.CharField(label=_("Việc khắc phục"), widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(label=_("Thời hạn"), widget=forms.TextInput(attrs=DATE))
    correction_reason = correction_reason_field()


class PlanEditForm(VersionedFormMixin, forms.Form):
    title = forms.CharField(label=_("Tên kế hoạch"), max_length=255)
    owner_name = forms.CharField(label=_("Người chịu trách nhiệm"), max_length=255)
    shortcomings = forms.CharField(
        label=_("Hạn chế, khuyết điểm cần khắc phục"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    correction_reason = correction_reason_field()


class CheckForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("Kết quả"), choices=[("1", _("Đạt yêu cầu")), ("0", _("Chưa đạt"))], coerce=lambda v: v == "1"
    )
    result = forms.CharField(label=_("Nhận xét hậu kiểm tra"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    new_deadline = VNDateField(
        label=_("Thời hạn mới (khi chưa đạt)"), required=False, widget=forms.TextInput(attrs=DATE)
    )


class CommitmentForm(forms.Form):
    member = PickField("member", reach="change", label=_("Đảng viên"), queryset=Member.objects.none())
    year = forms.IntegerField(label=_("Năm"))
    kind = forms.ChoiceField(label=_("Loại"), choices=CommitmentKind.choices)
    content = forms.CharField(label=_("Nội dung đăng ký, cam kết"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members if members is not None else Member.objects.none()


class CommitmentReviewForm(forms.Form):
    result = forms.ChoiceField(label=_("Kết quả"), choices=[c for c in CommitmentResult.choices if c[0]])
    note = forms.CharField(label=_("Nhận xét"), required=False)


class LogbookEditForm(VersionedFormMixin, forms.Form):
    date = forms.DateField(label=_("Ngày"), widget=forms.TextInput(attrs=DATE))
    kind = forms.ChoiceField(label=_("Loại"), choices=NoteKind.choices)
    source = forms.ChoiceField(label=_("Nguồn"), choices=NoteSource.choices)
    source_detail = forms.CharField(label=_("Căn cứ"), required=False)
    content = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 2}))
    correction_reason = correction_reason_field()


class LogbookForm(forms.Form):
    member = PickField("member", reach="change", label=_("Đảng viên"), queryset=Member.objects.none(), required=False)
    organization = PickField(
        "organization",
        reach="change",
        label=_("hoặc tổ chức đảng"),
        queryset=Organization.objects.none(),
        required=False,
    )
    date = forms.DateField(label=_("Ngày"), widget=forms.TextInput(attrs=DATE))
    kind = forms.ChoiceField(label=_("Loại"), choices=NoteKind.choices)
    source = forms.ChoiceField(label=_("Nguồn"), choices=NoteSource.choices)
    source_detail = forms.CharField(label=_("Căn cứ"), required=False)
    content = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, members=None, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members if members is not None else Member.objects.none()
        self.fields["organization"].queryset = (
            organizations if organizations is not None else Organization.objects.none()
        )


class ReviewGroupForm(forms.Form):
    organization = PickField(
        "organization", reach="change", label=_("Cấp ủy thành lập"), queryset=Organization.objects.none()
    )
    year = forms.IntegerField(label=_("Năm"))
    name = forms.CharField(label=_("Tên đoàn"))
    decision = forms.CharField(label=_("Số quyết định"), required=False)
    composition = forms.CharField(label=_("Thành phần"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            organizations if organizations is not None else Organization.objects.none()
        )


class ReviewTargetForm(forms.Form):
    member = PickField("member", reach="change", label=_("Đảng viên"), queryset=Member.objects.none(), required=False)
    organization = PickField(
        "organization", reach="change", label=_("hoặc tập thể"), queryset=Organization.objects.none(), required=False
    )
    mode = forms.ChoiceField(label=_("Hình thức"), choices=TargetMode.choices)
    reason = forms.CharField(label=_("Lý do chọn"), required=False)
    review_on = forms.DateField(label=_("Ngày kiểm điểm"), required=False, widget=forms.TextInput(attrs=DATE))

    def __init__(self, *args, members=None, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members if members is not None else Member.objects.none()
        self.fields["organization"].queryset = (
            organizations if organizations is not None else Organization.objects.none()
        )


class ReviewRecordForm(forms.Form):
    """Opens with what was recorded (pass `initial=record_initial(target)`)."""

    review_on = VNDateField(label=_("Ngày kiểm điểm"), required=False, widget=VNDateInput())
    suggestions = forms.CharField(label=_("Nội dung gợi ý"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    follow_up = forms.CharField(
        label=_("Theo dõi sau kiểm điểm"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    follow_up_done = forms.BooleanField(label=_("Đã hậu kiểm tra"), required=False)

    @staticmethod
    def record_initial(target) -> dict:
        return {
            "review_on": target.review_on,
            "suggestions": target.suggestions,
            "follow_up": target.follow_up,
            "follow_up_done": target.follow_up_done,
        }


class RotatingForm(forms.Form):
    organization = PickField("organization", reach="change", label=_("Chi bộ"), queryset=Organization.objects.none())
    start = forms.DateField(label=_("Bắt đầu từ tháng (ngày bất kỳ trong tháng)"), widget=forms.TextInput(attrs=DATE))
    every_months = forms.IntegerField(label=_("Mỗi lượt cách nhau (tháng)"), initial=1, min_value=1, max_value=12)

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            organizations if organizations is not None else Organization.objects.none()
        )
