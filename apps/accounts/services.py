"""Accounts and role assignments. A user may grant roles only inside their own reach."""

from datetime import date

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.services import audited, require_org

from .models import RoleAssignment, User
from .roles import Role


def account_create(*, user, username: str, password: str, full_name: str = "", member=None) -> User:
    username = (username or "").strip()
    if not username:
        raise ValidationError({"username": _("Hãy nhập tên đăng nhập.")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Tên đăng nhập “%(name)s” đã có.") % {"name": username}})
    if member is not None:
        require_org(user, member.organization)
        if member.user_id:
            raise ValidationError({"member": _("Đảng viên này đã có tài khoản.")})
    # Whoever creates the account knows its first password: the holder replaces it at first sign-in.
    account = User(username=username, must_change_password=True)
    if full_name:
        account.first_name = full_name
    elif member is not None:
        account.first_name = member.full_name
    validate_password(password, account)
    with audited(user):
        account.set_password(password)
        account.save()
        if member is not None:
            member.user = account
            member.save(update_fields=["user"])
    return account


def role_assign(
    *, user, account: User, organization, role: str, include_subtree: bool = True, starts_on: date | None = None
) -> RoleAssignment:
    require_org(user, organization)
    if role not in Role.values:
        raise ValidationError({"role": _("Vai trò không hợp lệ.")})
    if role == Role.ADMIN and not user.is_superuser:
        raise ValidationError({"role": _("Chỉ quản trị hệ thống được giao vai trò quản trị.")})
    with audited(user):
        return RoleAssignment.objects.create(
            user=account,
            organization=organization,
            role=role,
            include_subtree=include_subtree,
            starts_on=starts_on or timezone.localdate(),
        )


def role_end(*, user, assignment: RoleAssignment, on: date | None = None) -> None:
    require_org(user, assignment.organization)
    on = on or timezone.localdate()
    if assignment.starts_on and on < assignment.starts_on:
        raise ValidationError({"ends_on": _("Ngày kết thúc phải từ ngày bắt đầu trở đi.")})
    with audited(user):
        assignment.ends_on = on
        assignment.save(update_fields=["ends_on"])
