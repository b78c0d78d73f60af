from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import VersionedFormMixin

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
