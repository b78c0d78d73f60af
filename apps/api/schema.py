"""The OpenAPI schema documents the errors the API answers, not only its successes.

drf-spectacular documents each operation's success response; the refusals the API gives every
client (400 invalid input, a bad cursor or page size, 401 no or bad token, 403 no right, 404 out of
scope or missing, 409, 412 stale, 415 not JSON, 429 throttled or locked out) are added here, all
with the API's one error shape (`Error`, see apps/api/exceptions.py), and `Location` on 201.
A client generated from the schema (and the schemathesis fuzz run in apps/api/tests/test_fuzz.py)
then finds every status code it can receive documented.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

ERROR_BODY = {"$ref": "#/components/schemas/Error"}
STALE_BODY = {"$ref": "#/components/schemas/StaleError"}

# The one error shape (apps/api/exceptions.py), added to the schema's components in settings.
COMPONENTS = {
    "FieldError": {
        "type": "object",
        "properties": {
            "field": {
                "type": "string",
                "nullable": True,
                "description": "Đường dẫn tới trường (ví dụ birth_date, items[0].name); null: lỗi chung.",
            },
            "code": {"type": "string", "description": "Mã lỗi cho chương trình (invalid, required, unknown_field …)."},
            "message": {"type": "string", "description": "Thông báo tiếng Việt."},
        },
        "required": ["field", "code", "message"],
    },
    "Error": {
        "type": "object",
        "properties": {
            "code": {
                "type": "string",
                "description": (
                    "Mã lỗi: invalid, invalid_cursor, invalid_page_size, not_authenticated, authentication_failed, "
                    "token_revoked, token_expired, permission_denied, read_only_token, not_found, conflict, stale, "
                    "unsupported_media_type, throttled, locked_out …"
                ),
            },
            "message": {"type": "string", "description": "Thông báo tiếng Việt."},
            "detail": {"type": "string", "description": "Như message (giữ cho máy khách cũ)."},
            "errors": {"type": "array", "items": {"$ref": "#/components/schemas/FieldError"}},
        },
        "required": ["code", "message", "detail", "errors"],
    },
    "StaleError": {
        "allOf": [
            {"$ref": "#/components/schemas/Error"},
            {
                "type": "object",
                "properties": {
                    "current_version": {"type": "integer"},
                    "changes": {"type": "array", "items": {"type": "string"}},
                },
                "required": ["current_version", "changes"],
            },
        ]
    },
}


def add_error_components(result, generator, request, public):
    """drf-spectacular postprocessing hook (settings): the error schemas the responses point to."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(COMPONENTS)
    return result


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=_(
        "Khóa do máy khách chọn (1–100 ký tự ASCII in được) để gửi lại an toàn: cùng khóa và cùng yêu cầu "
        "trong 24 giờ thì nhận lại đúng câu trả lời lần đầu (tiêu đề Idempotent-Replayed: true), không ghi "
        "thêm lần nữa; cùng khóa cho yêu cầu khác trả lời 400; lần đầu chưa xong trả lời 409."
    ),
)


def idempotent(view, method: str) -> bool:
    return method == "POST" and hasattr(view, "_idempotent")


class ApiAutoSchema(AutoSchema):
    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if idempotent(self.view, self.method):
            parameters.append(IDEMPOTENCY_KEY)
        return parameters

    def _resolve_path_parameters(self, variables):
        # Ids travel through the `signedint` converter (apps/api/urls.py): still integers.
        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            if parameter.get("schema", {}).get("pattern") == "^-?[0-9]+$":
                parameter["schema"] = {"type": "integer"}
        return parameters

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        # An optional address is stored as "" (not null). drf-spectacular documents "" for a
        # writable field with allow_blank; a read-only one shows what is stored, so "" too.
        if isinstance(field, serializers.EmailField) and field.read_only and schema.get("format") == "email":
            outer = {"readOnly", "writeOnly", "nullable", "deprecated", "description", "title"}
            inner = {k: schema.pop(k) for k in list(schema) if k not in outer}
            schema["oneOf"] = [inner, {"type": "string", "maxLength": 0}]

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction=direction)
        if direction != "response":
            return responses
        has_body = self.method in ("POST", "PUT", "PATCH")
        paginated = bool(self._get_pagination_parameters())
        has_query = paginated or bool(self._get_filter_parameters())
        errors = {}
        if has_body or has_query:
            errors["400"] = _("Dữ liệu gửi lên không hợp lệ (thông báo theo từng trường).")
        if self.get_auth():
            errors["401"] = _("Chưa đăng nhập hoặc token không hợp lệ.")
            errors["403"] = _("Không có quyền thực hiện thao tác này.")
        if "{" in self.path:
            errors["404"] = _("Không tìm thấy (hoặc ngoài phạm vi của bạn).")
        if getattr(self.view, "answers_lockout", False) and self.method == "POST":
            errors["429"] = _("Đăng nhập sai quá nhiều lần: tài khoản hoặc địa chỉ đang tạm khóa.")
        if idempotent(self.view, self.method):
            errors["409"] = _("Yêu cầu cùng Idempotency-Key đang được xử lý.")
        if has_body:
            errors["415"] = _("Kiểu dữ liệu không được hỗ trợ: hãy gửi application/json.")
        if self.get_auth() and "429" not in errors:
            errors["429"] = _("Quá nhiều yêu cầu: hãy chờ số giây trong tiêu đề Retry-After.")
        for code, description in errors.items():
            responses.setdefault(
                code, {"description": description, "content": {"application/json": {"schema": ERROR_BODY}}}
            )
        if "429" in responses:
            responses["429"].setdefault("headers", {})["Retry-After"] = {
                "schema": {"type": "integer"},
                "description": str(_("Số giây phải chờ trước khi gửi lại.")),
            }
        if "412" in responses:
            responses["412"]["content"] = {"application/json": {"schema": STALE_BODY}}
        if "201" in responses:
            responses["201"].setdefault("headers", {})["Location"] = {
                "schema": {"type": "string", "format": "uri"},
                "description": str(_("Địa chỉ của bản ghi vừa tạo.")),
            }
        return responses
