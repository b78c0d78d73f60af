"""Writes about signing in: own password, a manager's reset, the second factor, unlocking.

Each write runs inside `audited(actor)`; the password itself is never logged (auditlog excludes it),
the flags and the times are.
"""

import time

from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from apps.core.roles import Role
from apps.core.services import audited

from .models import RoleAssignment, User


def is_system_admin(user) -> bool:
    """A superuser, or the holder of a current system-administrator role."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return RoleAssignment.objects.filter(user=user, role=Role.ADMIN).active_at().exists()


def password_change(*, user: User, old_password: str, new_password: str) -> None:
    """The holder changes their own password; the old one stops working, so does the API token."""
    if not user.check_password(old_password or ""):
        raise ValidationError({"old_password": _("Mật khẩu hiện tại không đúng.")})
    if old_password == new_password:
        raise ValidationError({"new_password1": _("Mật khẩu mới phải khác mật khẩu hiện tại.")})
    validate_password(new_password, user)
    with audited(user):
        user.set_password(new_password)
        user.must_change_password = False
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "must_change_password", "password_changed_at"])


def password_reset(*, user: User, account: User, new_password: str) -> None:
    """A manager sets a temporary password; the holder must choose their own at next sign-in."""
    if account.pk == user.pk:
        raise ValidationError({"new_password": _("Hãy dùng trang Đổi mật khẩu để đổi mật khẩu của chính mình.")})
    if account.is_superuser and not user.is_superuser:
        raise PermissionDenied(_("Chỉ quản trị hệ thống được đặt lại mật khẩu của quản trị hệ thống."))
    validate_password(new_password, account)
    with audited(user):
        account.set_password(new_password)
        account.must_change_password = True
        account.password_changed_at = timezone.now()
        account.save(update_fields=["password", "must_change_password", "password_changed_at"])


def otp_new_key() -> str:
    """A fresh secret for enrolment; nothing is stored until a code from it is confirmed."""
    return default_key()


def otp_confirm(*, user: User, key: str, token: str) -> TOTPDevice:
    """Enrol the authenticator holding `key` once it shows a valid code; it replaces any earlier one."""
    device = TOTPDevice(user=user, key=key, name=_("Ứng dụng xác thực"), confirmed=True)
    code = (token or "").replace(" ", "")
    check = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    check.time = time.time()
    if not code.isdigit() or not check.verify(int(code), device.tolerance):
        raise ValidationError({"token": _("Mã không đúng hoặc đã hết hạn. Hãy nhập mã đang hiện trong ứng dụng.")})
    device.last_t = check.t()
    with audited(user):
        for old in TOTPDevice.objects.filter(user=user):
            old.delete()
        device.save()
    return device


def otp_remove(*, user: User, account: User) -> int:
    """A system administrator removes an account's second factor (a lost phone); the holder sets
    up a new one at next sign-in where it is required."""
    if not is_system_admin(user):
        raise PermissionDenied(_("Chỉ quản trị hệ thống được gỡ xác thực hai bước."))
    with audited(user):
        devices = list(TOTPDevice.objects.filter(user=account))
        for device in devices:
            device.delete()
    return len(devices)


def login_unlock_all(*, user: User, username: str = "", ip_address: str = "") -> int:
    """Lift every lock on one account (all addresses) or one address (all accounts)."""
    if not is_system_admin(user):
        raise PermissionDenied(_("Chỉ quản trị hệ thống được mở khóa đăng nhập."))
    attempts = AccessAttempt.objects.none()
    if username:
        attempts = AccessAttempt.objects.filter(username=username)
    elif ip_address:
        attempts = AccessAttempt.objects.filter(ip_address=ip_address)
    count = 0
    with audited(user):
        for attempt in attempts:
            attempt.delete()
            count += 1
    return count
