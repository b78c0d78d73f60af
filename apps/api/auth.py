"""Who calls the API, with what right, and how often.

- `ApiTokenAuthentication`: `Authorization: Token <key>`. A named token (apps.accounts.ApiToken,
  keys starting `cbs_`) must be neither revoked nor expired; the single token of
  `POST /api/auth/token/` (DRF's authtoken, kept for existing clients) still works, read-write.
- `TokenRight`: a read-only token may only read (403 on any other method).
- `ClientThrottle` / `AnonymousThrottle`: requests per client (a named token, else the account) and
  per address without credentials, rates in `settings.API_THROTTLE_RATES`; beyond them 429 with
  `Retry-After`.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.throttling import SimpleRateThrottle

from apps.accounts.models import ApiToken
from apps.accounts.services import API_TOKEN_PREFIX, api_token_hash

# last_used_at is written at most this often per token (not one UPDATE per request).
LAST_USED_EVERY = dt.timedelta(minutes=1)


class TokenRefused(AuthenticationFailed):
    """401 with its own Vietnamese message (kept as is by apps.api.exceptions)."""


class ApiTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        if not key.startswith(API_TOKEN_PREFIX):
            return super().authenticate_credentials(key)
        token = ApiToken.objects.select_related("user").filter(key_hash=api_token_hash(key)).first()
        now = timezone.now()
        if token is None or not token.user.is_active:
            raise TokenRefused(_("Token không hợp lệ hoặc tài khoản đã bị khóa."), code="token_invalid")
        if token.revoked_at is not None:
            raise TokenRefused(_("Token này đã bị thu hồi."), code="token_revoked")
        if token.expires_at <= now:
            raise TokenRefused(_("Token này đã hết hạn."), code="token_expired")
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token


class TokenRight(BasePermission):
    message = _("Token này chỉ được đọc: hãy dùng token đọc và ghi để thay đổi dữ liệu.")
    code = "read_only_token"

    def has_permission(self, request, view):
        auth = getattr(request, "auth", None)
        return not (isinstance(auth, ApiToken) and auth.read_only and request.method not in SAFE_METHODS)


class _SettingsRate(SimpleRateThrottle):
    def get_rate(self):
        return settings.API_THROTTLE_RATES[self.scope]


class ClientThrottle(_SettingsRate):
    scope = "client"

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        auth = getattr(request, "auth", None)
        ident = f"token-{auth.pk}" if isinstance(auth, ApiToken) else f"user-{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AnonymousThrottle(_SettingsRate):
    scope = "anonymous"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
