"""Sign-in protection: lockouts (django-axes), the second factor, forced password changes, sessions.

- Wrong passwords are counted by account and by address (`LoginAttemptHandler`); a locked account
  or address is refused even with the right password, with a Vietnamese page (429) or JSON (429).
- `AccountGuardMiddleware` keeps a signed-in user on the password-change page while their password
  was chosen by someone else, then on the second-factor pages while one is required and not given.
- `SessionTimeoutMiddleware` ends a session a working day after sign-in or after an idle spell.
- A password change revokes the account's API token (`revoke_token_on_password_change`).
"""

import time

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.db.models import Sum
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from apps.core.roles import Role

# --- lockouts ------------------------------------------------------------------------------------


def client_ip(request) -> str:
    """The caller's address: REMOTE_ADDR, or the entry TRUSTED_PROXY_COUNT proxies appended to
    X-Forwarded-For (entries a client wrote itself, further left, are ignored)."""
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR", "")


class LoginAttemptHandler(AxesDatabaseHandler):
    """Axes' database handler with two limits: LOGIN_FAILURE_LIMIT wrong passwords for one account
    (from any address), LOGIN_ADDRESS_FAILURE_LIMIT from one address (across any accounts).

    Axes compares one number with one limit; the address count is scaled onto the account limit so
    that reaching either limit locks.
    """

    def get_failures(self, request, credentials=None) -> int:
        by_account, by_address = (
            qs.aggregate(n=Sum("failures_since_start"))["n"] or 0 for qs in self.get_user_attempts(request, credentials)
        )
        scaled = by_address * settings.LOGIN_FAILURE_LIMIT // max(settings.LOGIN_ADDRESS_FAILURE_LIMIT, 1)
        return max(by_account, scaled)


def lockout_message() -> str:
    return _(
        "Đăng nhập tạm khóa vì nhập sai mật khẩu quá nhiều lần. Hãy thử lại sau %(minutes)s phút "
        "hoặc nhờ quản trị hệ thống mở khóa."
    ) % {"minutes": settings.LOGIN_LOCKOUT_MINUTES}


def api_error(status: int, code: str, message: str, headers=None) -> JsonResponse:
    """An error answered before the API's views run, in the API's one error shape (docs/API.md)."""
    body = {"code": code, "message": message, "detail": message, "errors": []}
    return JsonResponse(body, status=status, headers=headers, json_dumps_params={"ensure_ascii": False})


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out caller sees: the login page with the reason, or JSON for the API."""
    status = 429
    if request.path.startswith("/api/"):
        return api_error(
            429, "locked_out", lockout_message(), headers={"Retry-After": str(settings.LOGIN_LOCKOUT_MINUTES * 60)}
        )
    username = (credentials or {}).get("username", "")
    response = render(
        request, "accounts/login.html", {"locked": lockout_message(), "username": username}, status=status
    )
    response["Retry-After"] = str(settings.LOGIN_LOCKOUT_MINUTES * 60)
    return response


# --- who needs a second factor -------------------------------------------------------------------

# Roles that reach beyond one cell wherever they are held.
MULTI_CELL_ROLES = {Role.COMMITTEE_STAFF, Role.ORGANIZATION_BOARD, Role.INSPECTION, Role.ADMIN}


def reaches_many_cells(user) -> bool:
    """True for an account whose current roles reach more than one cell: a superuser, any
    committee, board, inspection or admin role, or any role held over a subtree above a cell."""
    from apps.organizations.models import CELL_KINDS

    from .models import RoleAssignment

    if user.is_superuser:
        return True
    for assignment in RoleAssignment.objects.filter(user=user).active_at().select_related("organization"):
        if assignment.role == Role.MEMBER:
            continue
        if assignment.role in MULTI_CELL_ROLES:
            return True
        if assignment.include_subtree and assignment.organization.kind not in CELL_KINDS:
            return True
    return False


def otp_required(user) -> bool:
    return settings.OTP_REQUIRED and reaches_many_cells(user)


def has_second_factor(user) -> bool:
    from django_otp import user_has_device

    return user_has_device(user, confirmed=True)


# --- middleware ----------------------------------------------------------------------------------

SESSION_STARTED = "chibo_started"
SESSION_SEEN = "chibo_seen"
# Idle time is tracked to the minute: the session is not rewritten on every request.
SEEN_RESOLUTION = 60
SECOND_FACTOR_NOT_NEEDED = "chibo_2fa_not_needed"


def _exempt(path: str) -> bool:
    static = "/" + settings.STATIC_URL.lstrip("/")
    return path.startswith((static, "/i18n/", "/favicon"))


@receiver(user_logged_in)
def _mark_session_start(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SESSION_STARTED] = now
        request.session[SESSION_SEEN] = now
        # Decided once at sign-in, so that pages of an account needing no second factor pay nothing.
        if not has_second_factor(user) and not otp_required(user):
            request.session[SECOND_FACTOR_NOT_NEEDED] = True


class SessionTimeoutMiddleware:
    """Sign out a session SESSION_MAX_HOURS after sign-in, or SESSION_IDLE_MINUTES after its last request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not _exempt(request.path):
            now = int(time.time())
            session = request.session
            started = session.setdefault(SESSION_STARTED, now)
            seen = session.get(SESSION_SEEN, now)
            if now - started > settings.SESSION_MAX_HOURS * 3600 or now - seen > settings.SESSION_IDLE_MINUTES * 60:
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                messages.info(request, _("Phiên làm việc đã hết hạn. Xin đồng chí đăng nhập lại."))
                if request.method == "GET":
                    return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()})}")
                return redirect(settings.LOGIN_URL)
            if now - seen >= SEEN_RESOLUTION or SESSION_SEEN not in session:
                session[SESSION_SEEN] = now
        return self.get_response(request)


class AccountGuardMiddleware:
    """Until a signed-in user has chosen their own password, and given their second factor where one
    is required (or enrolled), the pages they may open are the ones that get them there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or _exempt(request.path):
            return self.get_response(request)
        allowed = {reverse("accounts:logout")}
        if user.must_change_password:
            target = "accounts:password_change"
            message = _("Mật khẩu của đồng chí do người khác đặt: hãy đổi mật khẩu trước khi làm việc.")
        elif not user.is_verified() and not request.session.get(SECOND_FACTOR_NOT_NEEDED):
            enrolled = has_second_factor(user)
            if not enrolled and not otp_required(user):
                # Sessions signed in before this check existed; enrolling later signs the session in.
                request.session[SECOND_FACTOR_NOT_NEEDED] = True
                return self.get_response(request)
            if enrolled:
                target = "accounts:otp_verify"
                message = _("Hãy nhập mã xác thực hai bước.")
            else:
                target = "accounts:otp_setup"
                message = _("Tài khoản của đồng chí phải dùng xác thực hai bước: hãy thiết lập trước khi làm việc.")
        else:
            return self.get_response(request)
        allowed.add(reverse(target))
        if request.path in allowed:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return api_error(403, "second_factor_required", message)
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


# --- tokens --------------------------------------------------------------------------------------


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def revoke_token_on_password_change(sender, instance, update_fields=None, raw=False, **kwargs):
    """A new password ends the API tokens made with the old one, however the password was changed."""
    if raw or instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    from rest_framework.authtoken.models import Token

    old = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if old is not None and old != instance.password:
        Token.objects.filter(user_id=instance.pk).delete()
        from .models import ApiToken

        now = timezone.now()
        for token in ApiToken.objects.filter(user_id=instance.pk, revoked_at__isnull=True):
            token.revoked_at = now
            token.save(update_fields=["revoked_at"])  # one audit entry each
