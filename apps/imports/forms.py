from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel danh sách đảng viên (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        error_messages={"required": _("Hãy chọn tệp Excel."), "empty": _("Tệp trống.")},
    )


class TrainingUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel quá trình đào tạo (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        error_messages={"required": _("Hãy chọn tệp Excel."), "empty": _("Tệp trống.")},
    )
