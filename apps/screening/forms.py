from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import VNDateField

from .models import Ground


class OpenForm(forms.Form):
    grounds = forms.MultipleChoiceField(label=_("Căn cứ"), choices=Ground.choices, widget=forms.CheckboxSelectMultiple)
    detail = forms.CharField(label=_("Chi tiết căn cứ"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class VoteForm(forms.Form):
    meeting_on = VNDateField(label=_("Ngày chi bộ họp xét"))
    full_members = forms.IntegerField(label=_("Số đảng viên chính thức của chi bộ"), min_value=1)
    votes_for = forms.IntegerField(label=_("Số tán thành xóa tên"), min_value=0)
    votes_against = forms.IntegerField(label=_("Số không tán thành"), min_value=0)


class DecideForm(forms.Form):
    strike_off = forms.TypedChoiceField(
        label=_("Quyết định"),
        choices=(("1", _("Xóa tên")), ("0", _("Không xóa tên"))),
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    decided_on = VNDateField(label=_("Ngày quyết định"))
    decision = forms.CharField(label=_("Số quyết định"), max_length=100, required=False)
    note = forms.CharField(label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
