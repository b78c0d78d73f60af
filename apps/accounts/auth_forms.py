"""Forms for signing in safely: own password, a manager's reset, the second-factor code."""

from django import forms
from django.utils.translation import gettext_lazy as _


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("Mật khẩu hiện tại"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    new_password1 = forms.CharField(
        label=_("Mật khẩu mới"),
        strip=False,
        help_text=_("Ít nhất 8 ký tự, không chỉ gồm chữ số, không giống tên đăng nhập."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("Nhập lại mật khẩu mới"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password2") and data["new_password1"] != data["new_password2"]:
            self.add_error("new_password2", _("Hai lần nhập mật khẩu mới không khớp."))
        return data


class PasswordResetForm(forms.Form):
    new_password = forms.CharField(
        label=_("Mật khẩu tạm thời"),
        strip=False,
        help_text=_("Báo cho người dùng; họ phải đổi sang mật khẩu của riêng mình ở lần đăng nhập tới."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class OtpTokenForm(forms.Form):
    token = forms.CharField(
        label=_("Mã 6 chữ số trong ứng dụng xác thực"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*", "autofocus": True}
        ),
    )
