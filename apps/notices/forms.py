from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Topic


class PreferencesForm(forms.Form):
    email = forms.EmailField(
        label=_("Địa chỉ thư điện tử"),
        required=False,
        help_text=_("Để trống nếu không muốn nhận thư điện tử."),
    )
    topics = forms.MultipleChoiceField(
        label=_("Nhận qua thư điện tử"),
        choices=Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
