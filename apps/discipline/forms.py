from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import VersionedFormMixin
from apps.core.pickers import PickField
from apps.members.models import Member
from apps.organizations.models import Organization

from .models import Form

DATE = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}


def _date(label, required=False):
    return forms.DateField(label=label, required=required, widget=forms.TextInput(attrs=DATE))


class DisciplineForm(forms.Form):
    form = forms.ChoiceField(label=_("Hình thức"), choices=Form.choices)
    deciding_body = forms.CharField(label=_("Cấp quyết định"), max_length=255)
    decision = forms.CharField(label=_("Số quyết định"), max_length=100, required=False)
    decided_on = _date(_("Ngày quyết định"), required=True)
    effective_on = _date(_("Ngày có hiệu lực"))
    reason = forms.CharField(label=_("Nội dung vi phạm"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, allowed=None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed is not None:
            # Offer only the allowed forms; a posted form outside them is still refused by the service.
            self.fields["form"].choices = [c for c in Form.choices if c[0] in allowed]
            self.fields["form"].validators = []
            self.fields["form"].valid_value = lambda value: value in Form.values


class AppealForm(VersionedFormMixin, forms.Form):
    appealed_on = _date(_("Ngày khiếu nại"))
    appeal_result = forms.CharField(
        label=_("Kết quả giải quyết khiếu nại"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    revoked_on = _date(_("Ngày xóa bỏ/thay đổi quyết định"))


class ChooseForm(forms.Form):
    """Who the decision is about, found by searching (name or card number), never by typing an id."""

    member = PickField("member", reach="work", label=_("Đảng viên"), queryset=Member.objects.none(), required=False)
    org = PickField(
        "organization", reach="work", label=_("hoặc tổ chức đảng"), queryset=Organization.objects.none(), required=False
    )

    def __init__(self, *args, members=None, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members if members is not None else Member.objects.none()
        self.fields["org"].queryset = organizations if organizations is not None else Organization.objects.none()
