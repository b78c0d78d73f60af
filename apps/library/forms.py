from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import UploadField, VersionedFormMixin
from apps.core.pickers import PickField
from apps.members.models import Member
from apps.organizations.models import Organization

from .models import Document, Grade, Kind, Origin, SeminarKind, Validity

DATE = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}


def DateField(label, required=True):  # noqa: N802
    return forms.DateField(label=label, required=required, widget=forms.TextInput(attrs=DATE))


def _blank(choices):
    return [("", _("Tất cả")), *choices]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm (không cần dấu)"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Loại văn bản"), choices=_blank(Kind.choices), required=False)
    origin = forms.ChoiceField(label=_("Nguồn"), choices=_blank(Origin.choices), required=False)
    validity = forms.ChoiceField(label=_("Hiệu lực"), choices=_blank(Validity.choices), required=False)


class DocumentForm(VersionedFormMixin, forms.Form):
    organization = PickField(
        "organization", reach="change", label=_("Tổ chức nhập"), queryset=Organization.objects.none()
    )
    origin = forms.ChoiceField(label=_("Nguồn"), choices=Origin.choices)
    kind = forms.ChoiceField(label=_("Loại văn bản"), choices=Kind.choices)
    number = forms.CharField(label=_("Số, ký hiệu"), required=False, help_text=_("Ví dụ: 04-ĐA/HU"))
    issued_on = DateField(_("Ngày ban hành"), required=False)
    issuer = forms.CharField(label=_("Cơ quan ban hành"))
    title = forms.CharField(label=_("Trích yếu"), max_length=500)
    subject = forms.CharField(label=_("Lĩnh vực, chủ đề"), required=False)
    validity = forms.ChoiceField(label=_("Hiệu lực"), choices=Validity.choices)
    replaced_by = forms.ModelChoiceField(label=_("Được thay thế bởi"), queryset=Document.objects.none(), required=False)
    file = UploadField(label=_("Tệp văn bản (PDF, Word, …)"), required=False)
    text = forms.CharField(
        label=_("Nội dung"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_("Để trống thì lấy nội dung từ tệp Word (.docx) hoặc tệp văn bản (.txt)."),
    )

    def __init__(self, *args, organizations=None, documents=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.fields["organization"].queryset = organizations
        if documents is not None:
            self.fields["replaced_by"].queryset = documents
        if editing:
            del self.fields["organization"]


class SendForm(forms.Form):
    targets = forms.ModelMultipleChoiceField(
        label=_("Gửi đến tổ chức đảng"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    member = PickField(
        "member", reach="change", label=_("Và/hoặc gửi riêng đảng viên"), queryset=Member.objects.none(), required=False
    )
    note = forms.CharField(label=_("Yêu cầu"), required=False, max_length=500)

    def __init__(self, *args, targets=None, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if targets is not None:
            self.fields["targets"].queryset = targets
        if members is not None:
            self.fields["member"].queryset = members


class SessionForm(forms.Form):
    organization = PickField(
        "organization", reach="change", label=_("Tổ chức thực hiện"), queryset=Organization.objects.none()
    )
    title = forms.CharField(label=_("Tên buổi học tập"))
    held_on = DateField(_("Ngày"))
    place = forms.CharField(label=_("Địa điểm"), required=False)
    presenter = forms.CharField(label=_("Báo cáo viên"), required=False)
    reflection_required = forms.BooleanField(label=_("Yêu cầu viết bài thu hoạch"), required=False)

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.fields["organization"].queryset = organizations


class AttendanceForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label=_("Đảng viên có mặt"), queryset=Member.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["members"].queryset = members


class ReflectionForm(forms.Form):
    text = forms.CharField(label=_("Bài thu hoạch"), widget=forms.Textarea(attrs={"rows": 8}))


class GradeForm(forms.Form):
    grade = forms.ChoiceField(label=_("Kết quả"), choices=Grade.choices)


class SeminarForm(forms.Form):
    organization = PickField(
        "organization", reach="change", label=_("Tổ chức thực hiện"), queryset=Organization.objects.none()
    )
    kind = forms.ChoiceField(label=_("Hình thức"), choices=SeminarKind.choices)
    title = forms.CharField(label=_("Chủ đề"))
    held_on = DateField(_("Ngày"))
    place = forms.CharField(label=_("Địa điểm"), required=False)
    participants = forms.CharField(
        label=_("Thành phần tham dự"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    participant_count = forms.IntegerField(label=_("Số người tham dự"), min_value=0, required=False)
    documents = forms.ModelMultipleChoiceField(
        label=_("Văn bản liên quan"), queryset=Document.objects.none(), required=False
    )
    conclusions = forms.CharField(label=_("Kết luận"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, organizations=None, documents=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.fields["organization"].queryset = organizations
        if documents is not None:
            self.fields["documents"].queryset = documents


class ConclusionsForm(forms.Form):
    conclusions = forms.CharField(label=_("Kết luận"), widget=forms.Textarea(attrs={"rows": 4}))
