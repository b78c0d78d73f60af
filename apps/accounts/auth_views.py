"""Pages for signing in safely: own password, second factor, a manager's reset, lockouts."""

from base64 import b32encode

import segno
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.core.forms import apply_errors

from . import passwords
from .auth_forms import OtpTokenForm, PasswordChangeForm, PasswordResetForm
from .security import has_second_factor, otp_required

SETUP_KEY = "otp_setup_key"


def _next_url(request, default="home:index"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


@login_required
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            passwords.password_change(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except ValidationError as error:
            apply_errors(form, _password_errors(error))
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Đã đổi mật khẩu. Token API cũ (nếu có) đã bị thu hồi."))
            return redirect(_next_url(request))
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "forced": request.user.must_change_password, "next": _next_url(request, "")},
    )


def _password_errors(error: ValidationError) -> ValidationError:
    """Validator messages (no field) belong under the new password."""
    if hasattr(error, "error_dict"):
        return error
    return ValidationError({"new_password1": error.messages})


@login_required
def otp_setup(request):
    """Enrol an authenticator app: a QR code, then one code from it to confirm."""
    user = request.user
    key = request.session.get(SETUP_KEY)
    if not key:
        if request.method == "POST":
            messages.error(request, _("Thiết lập này đã hết hiệu lực; hãy quét lại mã QR mới."))
            return redirect("accounts:otp_setup")
        key = request.session[SETUP_KEY] = passwords.otp_new_key()
    device = TOTPDevice(user=user, key=key)  # not saved: only for the QR code and the secret
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = passwords.otp_confirm(user=user, key=key, token=form.cleaned_data["token"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            request.session.pop(SETUP_KEY, None)
            otp_login(request, device)
            messages.success(
                request, _("Đã bật xác thực hai bước. Từ nay mỗi lần đăng nhập cần nhập mã trong ứng dụng.")
            )
            return redirect(_next_url(request))
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr": mark_safe(qr.svg_inline(scale=5, title=_("Mã QR xác thực hai bước"))),
            "secret": b32encode(device.bin_key).decode(),
            "enrolled": has_second_factor(user),
            "required": otp_required(user),
            "next": _next_url(request, ""),
        },
    )


@login_required
def otp_verify(request):
    """The second step of signing in: a code from the enrolled authenticator."""
    if not has_second_factor(request.user):
        return redirect("accounts:otp_setup")
    if request.user.is_verified():
        return redirect(_next_url(request))
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"].replace(" ", ""))
        if device is None:
            form.add_error(
                "token", _("Mã không đúng hoặc đã hết hạn. Sai nhiều lần, việc thử lại sẽ phải chờ lâu hơn.")
            )
        else:
            otp_login(request, device)
            return redirect(_next_url(request))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request, "")})


def _account_for_manager(request, pk):
    from .views import _accounts_in_reach, _require_manager

    _require_manager(request.user)
    account = _accounts_in_reach(request.user).filter(pk=pk).first()
    if account is None:
        raise Http404
    return account


@login_required
def account_password_reset(request, pk):
    account = _account_for_manager(request, pk)
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            passwords.password_reset(user=request.user, account=account, new_password=form.cleaned_data["new_password"])
        except ValidationError as error:
            apply_errors(form, _reset_errors(error))
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Đã đặt lại mật khẩu của %(name)s; họ phải đổi mật khẩu ở lần đăng nhập tới.")
                % {"name": account.username},
            )
            return redirect("accounts:detail", account.pk)
    return render(
        request,
        "accounts/password_reset.html",
        {"form": form, "account": account, "can_remove_otp": passwords.is_system_admin(request.user)},
    )


def _reset_errors(error: ValidationError) -> ValidationError:
    if hasattr(error, "error_dict"):
        return error
    return ValidationError({"new_password": error.messages})


@login_required
@require_POST
def account_otp_remove(request, pk):
    account = _account_for_manager(request, pk)
    try:
        passwords.otp_remove(user=request.user, account=account)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã gỡ xác thực hai bước của %(name)s.") % {"name": account.username})
    return redirect("accounts:password_reset", account.pk)


@login_required
def lockouts(request):
    """Locked accounts and addresses, and the recent failed sign-ins, for the system administrator."""
    if not passwords.is_system_admin(request.user):
        raise PermissionDenied
    if request.method == "POST":
        username = request.POST.get("username", "")
        ip_address = request.POST.get("ip_address", "")
        count = passwords.login_unlock_all(user=request.user, username=username, ip_address=ip_address)
        messages.success(request, _("Đã mở khóa (%(count)s bản ghi).") % {"count": count})
        return redirect("accounts:lockouts")
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = list(AccessAttempt.objects.filter(attempt_time__gte=since).order_by("-attempt_time")[:500])
    by_account: dict[str, int] = {}
    by_address: dict[str, int] = {}
    for a in attempts:
        by_account[a.username] = by_account.get(a.username, 0) + a.failures_since_start
        by_address[a.ip_address] = by_address.get(a.ip_address, 0) + a.failures_since_start
    rows = [
        {
            "attempt": a,
            "account_locked": by_account.get(a.username, 0) >= settings.LOGIN_FAILURE_LIMIT,
            "address_locked": by_address.get(a.ip_address, 0) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT,
        }
        for a in attempts
    ]
    failures = AccessFailureLog.objects.order_by("-attempt_time")[:200]
    return render(
        request,
        "accounts/lockouts.html",
        {
            "rows": rows,
            "failures": failures,
            "account_limit": settings.LOGIN_FAILURE_LIMIT,
            "address_limit": settings.LOGIN_ADDRESS_FAILURE_LIMIT,
            "minutes": settings.LOGIN_LOCKOUT_MINUTES,
        },
    )
