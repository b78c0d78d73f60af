from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import VersionedFormMixin, VNDateField

from .models import PetitionKind


class PetitionForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Gửi đến"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(label=_("Loại"), choices=PetitionKind.choices, initial=PetitionKind.PETITION)
    title = forms.CharField(label=_("Tiêu đề"), max_length=255)
    content = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 6}))
    meeting = forms.ModelChoiceField(
        label=_("Về cuộc sinh hoạt (nếu có)"), queryset=None, required=False, empty_label=_("(không)")
    )

    def __init__(self, *args, targets, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = targets
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda m: f"{m.get_kind_display()} {m.date:%d/%m/%Y}"


class AssignForm(forms.Form):
    handler = forms.TypedChoiceField(label=_("Giao cho"), coerce=int)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].choices = [(u.pk, str(u)) for u in candidates]


class AnswerForm(VersionedFormMixin, forms.Form):
    answer = forms.CharField(label=_("Nội dung trả lời"), widget=forms.Textarea(attrs={"rows": 6}))


class DialogueForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Cấp ủy tổ chức"), queryset=None, empty_label=None)
    held_on = VNDateField(label=_("Ngày đối thoại"))
    place = forms.CharField(label=_("Địa điểm"), max_length=255)
    chair = forms.CharField(
        label=_("Người chủ trì"), max_length=255, help_text=_("Họ tên, chức vụ người đứng đầu cấp ủy")
    )
    participants = forms.CharField(
        label=_("Thành phần tham dự"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    participant_count = forms.IntegerField(label=_("Số người tham dự"), required=False, min_value=0)
    summary = forms.CharField(label=_("Tóm tắt"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class IssueForm(forms.Form):
    raised_by = forms.CharField(
        label=_("Người nêu"), max_length=255, required=False, help_text=_("Họ tên, nơi ở của người dân")
    )
    content = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 3}))
    responsible = forms.CharField(label=_("Đơn vị, người phải trả lời"), max_length=255)
    due_on = VNDateField(label=_("Hạn trả lời"))


class IssueAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Nội dung trả lời"), widget=forms.Textarea(attrs={"rows": 3}))
    answered_on = VNDateField(label=_("Ngày trả lời"))
    resolved = forms.BooleanField(label=_("Đã giải quyết xong"), required=False)


class FollowUpForm(forms.Form):
    on = VNDateField(label=_("Ngày"))
    note = forms.CharField(label=_("Nội dung theo dõi"), widget=forms.Textarea(attrs={"rows": 2}))
