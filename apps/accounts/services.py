"""Accounts and role assignments. A user may grant roles only inside their own reach, and never
to themself: another manager (for a superuser, another administrator) must do it."""

import datetime as dt
import hashlib
import secrets
from datetime import date

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.roles import Role
from apps.core.scoping import forget_scope, start_of_day
from apps.core.services import audited, require_org

from .models import ApiToken, RoleAssignment, User


def account_create(*, user: User, username: str, password: str, full_name: str = "", member=None) -> User:
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
    *,
    user: User,
    account: User,
    organization,
    role: str,
    include_subtree: bool = True,
    starts_on: date | None = None,
) -> RoleAssignment:
    if account.pk == user.pk:
        raise ValidationError(
            _("Không ai được tự giao vai trò cho chính mình; một người quản lý khác phải giao vai trò này.")
        )
    require_org(user, organization)
    if role not in Role.values:
        raise ValidationError({"role": _("Vai trò không hợp lệ.")})
    if role == Role.ADMIN and not user.is_superuser:
        raise ValidationError({"role": _("Chỉ quản trị hệ thống được giao vai trò quản trị.")})
    with audited(user):
        assignment = RoleAssignment.objects.create(
            user=account,
            organization=organization,
            role=role,
            include_subtree=include_subtree,
            starts_on=starts_on or timezone.localdate(),
            granted_by=user,
            granted_at=timezone.now(),
        )
    forget_scope(account)
    return assignment


def role_end(*, user: User, assignment: RoleAssignment, on: date | None = None) -> None:
    """End a role. Ending it today ends it now (not at midnight); a later day ends it at the first
    moment of the day after. An end only ever comes earlier: nobody extends a role this way (a new
    grant, by someone else, is needed)."""
    require_org(user, assignment.organization)
    now = timezone.now()
    today = timezone.localdate(now)
    on = on or today
    if assignment.starts_on and on < assignment.starts_on:
        raise ValidationError({"ends_on": _("Ngày kết thúc phải từ ngày bắt đầu trở đi.")})
    ended_at = now if on <= today else start_of_day(on + dt.timedelta(days=1))
    ends = [assignment.ended_at] if assignment.ended_at else []
    if assignment.ends_on:
        ends.append(start_of_day(assignment.ends_on + dt.timedelta(days=1)))
    current_end = min(ends) if ends else None
    if current_end is not None and current_end <= now:
        raise ValidationError({"ends_on": _("Vai trò này đã kết thúc.")})
    if current_end is not None and ended_at >= current_end:
        raise ValidationError(
            {"ends_on": _("Vai trò chỉ có thể kết thúc sớm hơn, không kéo dài; cần giao một vai trò mới.")}
        )
    with audited(user):
        assignment.ends_on = on
        assignment.ended_at = ended_at
        assignment.save(update_fields=["ends_on", "ended_at"])
    forget_scope(assignment.user)


# --- API tokens ----------------------------------------------------------------------------------

API_TOKEN_PREFIX = "cbs_"


def api_token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, user: User, name: str, days: int, read_only: bool = True) -> tuple[ApiToken, str]:
    """A new named token of the user's own, valid for `days`; returns it and its key (shown once)."""
    name = " ".join((name or "").split())
    errors = {}
    if not name:
        errors["name"] = _("Hãy đặt tên cho token (ví dụ tên chương trình sẽ dùng nó).")
    elif name.casefold() in {
        n.casefold() for n in ApiToken.objects.usable().filter(user=user).values_list("name", flat=True)
    }:
        errors["name"] = _("Đồng chí đã có token còn hiệu lực tên “%(name)s”.") % {"name": name}
    longest = settings.API_TOKEN_MAX_DAYS
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= longest:
        errors["days"] = _("Thời hạn phải từ 1 đến %(days)s ngày.") % {"days": longest}
    if errors:
        raise ValidationError(errors)
    key = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    with audited(user):
        token = ApiToken.objects.create(
            user=user,
            name=name,
            key_hash=api_token_hash(key),
            prefix=key[: len(API_TOKEN_PREFIX) + 6],
            read_only=read_only,
            created_at=now,
            expires_at=now + dt.timedelta(days=days),
        )
    return token, key


def api_token_revoke(*, user: User, token: ApiToken) -> None:
    """Revoke one of the user's own tokens (at once: the next request with it answers 401)."""
    if token.user_id != user.pk:
        raise PermissionDenied(_("Đây không phải token của đồng chí."))
    if token.revoked_at is not None:
        raise ValidationError(_("Token này đã bị thu hồi."))
    with audited(user):
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
