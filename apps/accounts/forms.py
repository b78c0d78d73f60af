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
