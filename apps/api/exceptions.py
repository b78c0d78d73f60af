"""Every API error in Vietnamese, with the same shape DRF uses.

Services raise Django's `ValidationError` (messages per field, already Vietnamese) and
`PermissionDenied`; scoped lookups raise `Http404`. DRF's own exceptions carry English text, so
each gets a Vietnamese message here. Views use this handler through `VietnameseErrorsMixin`
(settings are shared with other apps, so the handler is not installed globally).
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from apps.core.versioning import StaleVersion

from .auth import TokenRefused


class PreconditionFailed(exceptions.APIException):
    """412: the record changed since the version the client sent (If-Match or `version`)."""

    status_code = 412
    default_code = "stale"

    def __init__(self, stale: StaleVersion):
        self.stale = stale
        super().__init__(detail=stale.messages[0], code="stale")


def django_errors(error: DjangoValidationError):
    """A Django ValidationError as DRF error data: {field: [messages]}, non-field under the DRF key."""
    if hasattr(error, "error_dict"):
        data = {}
        for field, messages in error.message_dict.items():
            key = api_settings.NON_FIELD_ERRORS_KEY if field == "__all__" else field
            data.setdefault(key, []).extend(messages)
        return data
    return {api_settings.NON_FIELD_ERRORS_KEY: list(error.messages)}


def _vietnamese(exc, context):
    request = context.get("request")
    if isinstance(exc, StaleVersion):
        return PreconditionFailed(exc)
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(django_errors(exc))
    if isinstance(exc, Http404):
        return exceptions.NotFound(_("Không tìm thấy."))
    if isinstance(exc, DjangoPermissionDenied):
        # Services explain the refusal in Vietnamese; keep their message.
        message = str(exc) or _("Bạn không có quyền thực hiện thao tác này.")
        return exceptions.PermissionDenied(message)
    if isinstance(exc, exceptions.NotAuthenticated):
        return exceptions.NotAuthenticated(_("Bạn cần đăng nhập (bằng phiên làm việc hoặc token) để dùng API."))
    if isinstance(exc, TokenRefused):
        return exc  # already Vietnamese (apps.api.auth)
    if isinstance(exc, exceptions.AuthenticationFailed):
        return exceptions.AuthenticationFailed(_("Token không hợp lệ hoặc tài khoản đã bị khóa."))
    if isinstance(exc, exceptions.PermissionDenied) and "CSRF" in str(exc.detail):
        return exceptions.PermissionDenied(
            _("Thiếu mã chống giả mạo (CSRF): khi dùng phiên đăng nhập, hãy gửi kèm tiêu đề X-CSRFToken.")
        )
    if isinstance(exc, exceptions.PermissionDenied) and str(exc.detail) == str(exc.default_detail):
        return exceptions.PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
    if isinstance(exc, exceptions.ParseError):
        return exceptions.ParseError(_("Dữ liệu gửi lên không phải JSON hợp lệ."))
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return exceptions.UnsupportedMediaType(
            exc.detail,
            _("Kiểu dữ liệu “%(type)s” không được hỗ trợ: hãy gửi application/json.")
            % {"type": getattr(request, "content_type", "")},
        )
    if isinstance(exc, exceptions.MethodNotAllowed):
        method = getattr(request, "method", "")
        return exceptions.MethodNotAllowed(
            method, _("Phương thức %(method)s không được dùng ở địa chỉ này.") % {"method": method}
        )
    if isinstance(exc, exceptions.NotAcceptable):
        return exceptions.NotAcceptable(_("Không thể trả lời theo định dạng được yêu cầu; API chỉ trả về JSON."))
    if isinstance(exc, LockedOut):
        return exc
    if isinstance(exc, exceptions.Throttled):
        throttled = exceptions.Throttled(exc.wait)
        throttled.detail = exceptions.ErrorDetail(_("Quá nhiều yêu cầu; hãy thử lại sau."), code="throttled")
        return throttled
    if isinstance(exc, exceptions.NotFound) and str(exc.detail) == str(exc.default_detail):
        return exceptions.NotFound(_("Không tìm thấy."))
    return exc


class LockedOut(exceptions.Throttled):
    """429 while the login lock holds (a password-guessing lock, not the request rate)."""

    default_code = "locked_out"

    def __init__(self, wait: int, message: str):
        super().__init__(wait=wait)
        self.detail = exceptions.ErrorDetail(message, code="locked_out")


INVALID = _("Dữ liệu gửi lên không hợp lệ.")


def _join(path: str | None, key) -> str:
    if isinstance(key, int):
        return f"{path or ''}[{key}]"
    return f"{path}.{key}" if path else str(key)


def field_errors(detail, path: str | None = None) -> list[dict]:
    """DRF's nested error detail as a flat list: {field: "path.to[0].field" or null, code, message}."""
    if isinstance(detail, dict):
        rows = []
        for key, value in detail.items():
            sub = path if key == api_settings.NON_FIELD_ERRORS_KEY else _join(path, key)
            rows += field_errors(value, sub)
        return rows
    if isinstance(detail, list):
        rows = []
        for position, item in enumerate(detail):
            rows += (
                field_errors(item, _join(path, position)) if isinstance(item, dict | list) else field_errors(item, path)
            )
        return rows
    return [{"field": path, "code": getattr(detail, "code", None) or "invalid", "message": str(detail)}]


def error_body(exc) -> dict:
    """The one error shape: {code, message, detail (= message, kept for older clients), errors[]}."""
    if isinstance(exc, exceptions.ValidationError):
        errors = field_errors(exc.detail)
        message = errors[0]["message"] if len(errors) == 1 else str(INVALID)
        code = "invalid"
        if len(errors) == 1 and errors[0]["code"] not in ("invalid", "required", "null", "blank"):
            code = errors[0]["code"]
    else:
        detail = exc.detail
        message = str(detail)
        code = getattr(detail, "code", None) or exc.default_code
        errors = []
    return {"code": code, "message": message, "detail": message, "errors": errors}


def vietnamese_exception_handler(exc, context):
    translated = _vietnamese(exc, context)
    if translated is not exc and isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        # APIView.handle_exception set the challenge (401) or downgraded to 403 on the original.
        translated.status_code = exc.status_code
        if getattr(exc, "auth_header", None):
            translated.auth_header = exc.auth_header
    response = drf_exception_handler(translated, context)
    if response is None:
        return None
    response.data = error_body(translated)
    if isinstance(translated, PreconditionFailed):
        response.data["current_version"] = translated.stale.current
        response.data["changes"] = translated.stale.changes
        response["ETag"] = f'"{translated.stale.current}"'
    return response
