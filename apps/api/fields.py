"""Serializer fields whose every error message is Vietnamese (msgids are Vietnamese, see locale/).

DRF builds validators (max length, e-mail …) from `error_messages` when a field is constructed, so
the messages live in `default_error_messages` of these subclasses rather than being patched later.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.cleaning import clean_text
from apps.core.scoping import VIEW
from apps.organizations.models import Organization

COMMON = {
    "required": _("Trường này là bắt buộc."),
    "null": _("Trường này không được để trống."),
}

# Dates in JSON are ISO 8601 (YYYY-MM-DD); the dd/mm/yyyy officials type is accepted too.
DATE_INPUT_FORMATS = ["iso-8601", "%d/%m/%Y"]


class CharField(serializers.CharField):
    default_error_messages = {
        **COMMON,
        "invalid": _("Giá trị phải là một chuỗi ký tự."),
        "blank": _("Trường này không được để trống."),
        "max_length": _("Không được dài quá {max_length} ký tự."),
        "min_length": _("Phải có ít nhất {min_length} ký tự."),
    }

    def __init__(self, *, multiline=False, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        # Strict: a number or a boolean is not text (DRF would turn 0 into "0").
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            data = clean_text(data, multiline=self.multiline)
        except DjangoValidationError as error:
            raise serializers.ValidationError(list(error.messages)) from None
        return super().to_internal_value(data)


class EmailField(CharField, serializers.EmailField):
    default_error_messages = {"invalid": _("Địa chỉ thư điện tử không hợp lệ.")}


class IntegerField(serializers.IntegerField):
    default_error_messages = {
        **COMMON,
        "invalid": _("Phải là một số nguyên."),
        "max_value": _("Không được lớn hơn {max_value}."),
        "min_value": _("Không được nhỏ hơn {min_value}."),
        "max_string_length": _("Số quá lớn."),
    }


class BooleanField(serializers.BooleanField):
    default_error_messages = {**COMMON, "invalid": _("Phải là true hoặc false.")}


class DateField(serializers.DateField):
    default_error_messages = {
        **COMMON,
        "invalid": _("Ngày không hợp lệ: hãy ghi theo dạng YYYY-MM-DD (hoặc dd/mm/yyyy)."),
        "datetime": _("Cần một ngày, không phải ngày giờ."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        super().__init__(**kwargs)


class ChoiceField(serializers.ChoiceField):
    default_error_messages = {
        **COMMON,
        "invalid_choice": _("“{input}” không phải là một lựa chọn hợp lệ."),
    }


@extend_schema_field(OpenApiTypes.INT)
class OrganizationField(serializers.PrimaryKeyRelatedField):
    """An organization id, looked up only among the organizations the requesting user reaches.

    An organization out of reach is reported exactly like one that does not exist.
    """

    default_error_messages = {
        **COMMON,
        "does_not_exist": _("Không tìm thấy tổ chức đảng có mã số {pk_value}."),
        "incorrect_type": _("Mã số tổ chức đảng phải là một số nguyên."),
    }

    def __init__(self, **kwargs):
        self.action = kwargs.pop("action", VIEW)
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return Organization.objects.restrict(user, self.action)


SERIALIZER_MESSAGES = {
    "invalid": _("Dữ liệu không hợp lệ: cần một đối tượng JSON, nhận được {datatype}."),
    "required": _("Trường này là bắt buộc."),
    "null": _("Dữ liệu không được để trống."),
}
