from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.roles import Role
from apps.organizations.models import Organization


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{'· ' * obj.depth}{obj.name}"


class RoleForm(forms.Form):
    organization = OrganizationChoiceField(label=_("Tổ chức đảng"), queryset=Organization.objects.none())
    role = forms.ChoiceField(label=_("Vai trò"), choices=[c for c in Role.choices if c[0] != Role.ADMIN])
    include_subtree = forms.BooleanField(label=_("Gồm cả tổ chức trực thuộc"), required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.restrict(user, "change").current().order_by("path")
        if user.is_superuser:
            self.fields["role"].choices = Role.choices


class AccountForm(forms.Form):
    username = forms.CharField(label=_("Tên đăng nhập"), max_length=150)
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150, required=False)
    password = forms.CharField(label=_("Mật khẩu"), widget=forms.PasswordInput, min_length=8)


class ApiTokenForm(forms.Form):
    """A new API token of one's own: a name for the client, how long, and what it may do."""

    DAYS = [(30, _("30 ngày")), (90, _("90 ngày")), (180, _("180 ngày")), (365, _("365 ngày"))]

    name = forms.CharField(
        label=_("Tên (chương trình sẽ dùng token)"), max_length=100, help_text=_("Ví dụ: Đồng bộ CSDL đảng viên")
    )
    days = forms.TypedChoiceField(label=_("Thời hạn"), choices=DAYS, coerce=int, initial=90)
    access = forms.ChoiceField(
        label=_("Quyền"),
        choices=[("read", _("Chỉ đọc")), ("write", _("Đọc và ghi"))],
        initial="read",
        widget=forms.RadioSelect,
    )
