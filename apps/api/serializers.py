"""Serializers of the JSON API.

Output serializers only read. Input serializers only check the shape and type of each value
(Vietnamese messages, see fields.py); the rules of the domain and the writes themselves belong to
the services of apps.organizations and apps.members, which the views call.
"""

from collections.abc import Mapping

from auditlog.models import LogEntry
from django.contrib.auth import authenticate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from apps.core.history import ACTION_LABELS
from apps.members.disclosure import PERSONAL_FIELDS
from apps.members.models import Education, Gender, Member, PoliticalTheory, StatusChange, StatusChangeKind
from apps.members.services import TRANSITIONS
from apps.organizations.models import Kind, Organization, Sector

from . import fields as f


def _shown(key) -> str:
    """A client's key as the error names it: without NUL, control characters or lone surrogates,
    which PostgreSQL refuses to store (the answer is kept for idempotent retries)."""
    return "".join(ch for ch in str(key)[:100] if ch.isprintable() and not 0xD800 <= ord(ch) <= 0xDFFF) or "?"


class Serializer(serializers.Serializer):
    """An input body: a key the API does not know is refused (400), not silently dropped."""

    default_error_messages = f.SERIALIZER_MESSAGES

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            explained = getattr(self, "not_editable", {})  # refused with their own message
            unknown = [key for key in data if key not in self.fields and key not in explained]
            if unknown:
                message = _("Trường này không có trong API (xem /api/openapi.json).")
                raise serializers.ValidationError(
                    {_shown(key): [ErrorDetail(str(message), code="unknown_field")] for key in unknown}
                )
        return super().to_internal_value(data)


# --- organizations -------------------------------------------------------------------------------


class OrganizationSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    sector_display = serializers.CharField(source="get_sector_display", read_only=True)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "short_name",
            "code",
            "kind",
            "kind_display",
            "sector",
            "sector_display",
            "parent",
            "depth",
            "founded_on",
            "ended_on",
            "is_active",
            "address",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class OrganizationCreateSerializer(Serializer):
    name = f.CharField(max_length=255, label=_("tên"))
    short_name = f.CharField(max_length=100, required=False, allow_blank=True, default="")
    code = f.CharField(max_length=50, label=_("mã"))
    kind = f.ChoiceField(choices=Kind.choices)
    sector = f.ChoiceField(choices=Sector.choices)
    parent = f.OrganizationField(allow_null=True, help_text=_("Tổ chức cấp trên; để trống chỉ với quản trị hệ thống."))
    founded_on = f.DateField(required=False, allow_null=True, default=None)
    address = f.CharField(max_length=255, required=False, allow_blank=True, default="")

    def validate_name(self, value):
        value = " ".join(value.split())
        if not value:
            raise serializers.ValidationError(_("Trường này không được để trống."))
        return value

    def validate_code(self, value):
        value = value.strip()
        if not value:
            raise serializers.ValidationError(_("Trường này không được để trống."))
        return value


class OrganizationRenameSerializer(Serializer):
    name = f.CharField(max_length=255)
    version = f.IntegerField(required=False, min_value=1, help_text=_("Phiên bản đã đọc (như If-Match)."))
    date = f.DateField(help_text=_("Ngày có hiệu lực của quyết định đổi tên."))
    decision = f.CharField(max_length=100, required=False, allow_blank=True, default="")

    def validate_date(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError(_("Ngày không được ở tương lai."))
        return value


class OrganizationMoveSerializer(Serializer):
    new_parent = f.OrganizationField(help_text=_("Tổ chức cấp trên mới."))
    version = f.IntegerField(required=False, min_value=1, help_text=_("Phiên bản đã đọc (như If-Match)."))
    date = f.DateField(help_text=_("Ngày có hiệu lực của quyết định."))
    decision = f.CharField(max_length=100, required=False, allow_blank=True, default="")

    def validate_date(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError(_("Ngày không được ở tương lai."))
        return value


# --- members -------------------------------------------------------------------------------------


class MemberListSerializer(serializers.ModelSerializer):
    """A row of the member list: no citizen ID, phone or e-mail."""

    full_name = serializers.CharField(read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    birth_date = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text=_("Trống trong danh sách với vai trò không được xuất dữ liệu cá nhân (như Ủy ban Kiểm tra)."),
    )

    class Meta:
        model = Member
        fields = [
            "id",
            "full_name",
            "family_name",
            "middle_name",
            "given_name",
            "gender",
            "birth_date",
            "organization",
            "organization_name",
            "status",
            "status_display",
            "status_since",
            "admission_date",
            "full_membership_date",
            "card_number",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def to_representation(self, member):
        data = super().to_representation(member)
        # A list is an export: personal data only where apps.members.disclosure allows it.
        policy = self.context.get("export_policy")
        if policy is not None and not policy.personal_for(member.org_path, member.organization_id, member.pk):
            for name in PERSONAL_FIELDS:
                if name in data:
                    data[name] = None
        return data


class BadgeSerializer(serializers.Serializer):
    years = serializers.IntegerField()
    date = serializers.DateField()


class MemberDetailSerializer(MemberListSerializer):
    """The member sheet, with the derived party seniority, next badge and probation end."""

    gender_display = serializers.CharField(source="get_gender_display", read_only=True)
    education_display = serializers.CharField(source="get_education_display", read_only=True)
    political_theory_display = serializers.CharField(source="get_political_theory_display", read_only=True)
    probation_end_date = serializers.DateField(read_only=True)
    seniority_years = serializers.SerializerMethodField()
    next_badge = serializers.SerializerMethodField()

    class Meta(MemberListSerializer.Meta):
        fields = [
            *MemberListSerializer.Meta.fields,
            "gender_display",
            "ethnicity",
            "religion",
            "hometown",
            "residence",
            "citizen_id",
            "phone",
            "email",
            "education",
            "education_display",
            "general_education",
            "political_theory",
            "political_theory_display",
            "occupation",
            "position",
            "probation_end_date",
            "seniority_years",
            "next_badge",
            "version",
        ]
        read_only_fields = fields

    def get_seniority_years(self, member) -> int:
        return member.seniority_on(timezone.localdate())

    @extend_schema_field(BadgeSerializer(allow_null=True))
    def get_next_badge(self, member):
        badge = member.next_badge(timezone.localdate())
        if badge is None:
            return None
        return {"years": badge[0], "date": badge[1]}


class MemberWriteSerializer(Serializer):
    """The fields of the member sheet a user edits directly (apps.members.services.EDITABLE_FIELDS)."""

    family_name = f.CharField(max_length=50)
    middle_name = f.CharField(max_length=100, required=False, allow_blank=True)
    given_name = f.CharField(max_length=50)
    gender = f.ChoiceField(choices=Gender.choices)
    birth_date = f.DateField()
    ethnicity = f.CharField(max_length=50, required=False, allow_blank=True)
    religion = f.CharField(max_length=50, required=False, allow_blank=True)
    hometown = f.CharField(max_length=255, required=False, allow_blank=True)
    residence = f.CharField(max_length=255, required=False, allow_blank=True)
    citizen_id = f.CharField(max_length=12, required=False, allow_blank=True, allow_null=True)
    phone = f.CharField(max_length=15, required=False, allow_blank=True)
    email = f.EmailField(max_length=254, required=False, allow_blank=True)
    education = f.ChoiceField(choices=Education.choices, required=False, allow_blank=True)
    general_education = f.CharField(max_length=10, required=False, allow_blank=True)
    political_theory = f.ChoiceField(choices=PoliticalTheory.choices, required=False, allow_blank=True)
    occupation = f.CharField(max_length=255, required=False, allow_blank=True)
    position = f.CharField(max_length=255, required=False, allow_blank=True)
    admission_date = f.DateField()
    full_membership_date = f.DateField(required=False, allow_null=True)
    card_number = f.CharField(max_length=20, required=False, allow_blank=True, allow_null=True)
    version = f.IntegerField(
        required=False,
        min_value=1,
        help_text=_("Phiên bản đã đọc (như tiêu đề If-Match): bản ghi đã được sửa từ đó thì trả lời 412."),
    )

    # Fields a client may think it can set here but which change only through dated procedures.
    not_editable = {
        "status": _("Tình trạng chỉ thay đổi bằng một thay đổi có ngày: POST /api/members/{id}/status-changes/."),
        "status_since": _("Tình trạng chỉ thay đổi bằng một thay đổi có ngày: POST /api/members/{id}/status-changes/."),
        "organization": _("Nơi sinh hoạt chỉ thay đổi bằng thủ tục chuyển sinh hoạt."),
    }

    def validate(self, attrs):
        errors = {}
        for name in ("family_name", "given_name"):
            if name in attrs and not attrs[name].strip():
                errors[name] = [_("Trường này không được để trống.")]
        if isinstance(self.initial_data, dict):
            for name, message in self.not_editable.items():
                if name in self.initial_data and name not in self.fields:
                    errors[name] = [message]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class MemberCreateSerializer(MemberWriteSerializer):
    version = None  # a new record has no version yet
    organization = f.OrganizationField(help_text=_("Chi bộ (hoặc tổ chức đảng) nơi đảng viên sinh hoạt."))
    transferred_in_on = f.DateField(
        required=False,
        allow_null=True,
        help_text=_("Ngày chuyển sinh hoạt đến, cho đảng viên từ nơi khác đến; bỏ trống nếu được kết nạp tại chi bộ."),
    )
    transferred_from = f.CharField(
        max_length=255, required=False, allow_blank=True, help_text=_("Tổ chức đảng nơi đi (ngoài hệ thống).")
    )


# Inline enums: "kind" also names the organization kinds, and one component name per field is used.
@extend_schema_field({"type": "string", "enum": list(StatusChangeKind.values)}, component_name="StatusChangeKind")
class StatusChangeKindField(serializers.CharField):
    pass


@extend_schema_field({"type": "string", "enum": list(TRANSITIONS)}, component_name="StatusChangeInputKind")
class StatusChangeKindInputField(f.ChoiceField):
    pass


class StatusChangeSerializer(serializers.ModelSerializer):
    kind = StatusChangeKindField(read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    other_organization_label = serializers.SerializerMethodField()

    class Meta:
        model = StatusChange
        fields = [
            "id",
            "kind",
            "kind_display",
            "date",
            "status",
            "status_display",
            "organization",
            "organization_name",
            "other_organization",
            "other_organization_name",
            "other_organization_label",
            "decision",
            "note",
            "recorded_at",
        ]
        read_only_fields = fields

    def get_other_organization_label(self, change) -> str:
        """The organization gone to or come from, inside the system or not."""
        if change.other_organization_id:
            return change.other_organization.name
        return change.other_organization_name


class StatusChangeCreateSerializer(Serializer):
    kind = StatusChangeKindInputField(choices=[(k, StatusChangeKind(k).label) for k in TRANSITIONS])
    date = f.DateField(help_text=_("Ngày của thay đổi (không ở tương lai, không trước thay đổi gần nhất)."))
    other_organization = f.OrganizationField(
        required=False, allow_null=True, default=None, help_text=_("Tổ chức đi/đến trong hệ thống.")
    )
    other_organization_name = f.CharField(
        max_length=255, required=False, allow_blank=True, default="", help_text=_("Tổ chức đi/đến ngoài hệ thống.")
    )
    decision = f.CharField(max_length=100, required=False, allow_blank=True, default="")
    note = f.CharField(multiline=True, required=False, allow_blank=True, default="")


class HistoryEntrySerializer(serializers.Serializer):
    """One audited change of the record: who, when, and each field before and after."""

    id = serializers.IntegerField()
    timestamp = serializers.DateTimeField()
    action = serializers.IntegerField(help_text=_("0 tạo mới, 1 sửa, 2 xóa, 3 xem"))
    action_display = serializers.SerializerMethodField()
    actor = serializers.SerializerMethodField()
    changes = serializers.SerializerMethodField()

    def get_action_display(self, entry) -> str:
        return str(ACTION_LABELS.get(entry.action, entry.action))

    def get_actor(self, entry) -> str | None:
        return entry.actor.username if entry.actor_id else None

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "array", "items": {"nullable": True}}})
    def get_changes(self, entry):
        """{field: [before, after]} for the record's own fields, typed: auditlog keeps text, so
        "None" of a nullable field is null (empty), numbers and yes/no are numbers and booleans."""
        model = entry.content_type.model_class() if entry.content_type_id else None
        fields = {field.name: field for field in model._meta.concrete_fields} if model else None
        created = entry.action == LogEntry.Action.CREATE  # nothing was there before
        result = {}
        for name, values in entry.changes_dict.items():
            if fields is not None and name not in fields:
                continue
            if fields and isinstance(values, list) and len(values) == 2:
                values = [None if created else typed(fields[name], values[0]), typed(fields[name], values[1])]
            result[name] = values
        return result


TEXT_TYPES = {"CharField", "TextField", "EmailField", "SlugField", "URLField"}
INTEGER_TYPES = {
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "PositiveBigIntegerField",
    "AutoField",
    "BigAutoField",
    "ForeignKey",
    "OneToOneField",
}


def typed(field, value):
    """A value auditlog stored as text, back in its field's JSON type (null stays null)."""
    kind = field.get_internal_type()
    if value is None or (value == "None" and (field.null or kind not in TEXT_TYPES)):
        return None
    if not isinstance(value, str):
        return value
    if kind == "BooleanField" and value in ("True", "False"):
        return value == "True"
    if kind in INTEGER_TYPES and value.lstrip("-").isdigit():
        return int(value)
    return value


# --- authentication ------------------------------------------------------------------------------


class TokenRequestSerializer(Serializer):
    username = f.CharField(label=_("tên đăng nhập"))
    password = f.CharField(label=_("mật khẩu"), style={"input_type": "password"}, trim_whitespace=False)
    otp = f.CharField(
        label=_("mã xác thực hai bước"),
        required=False,
        help_text=_("Mã 6 chữ số trong ứng dụng xác thực, với tài khoản đã bật hoặc bắt buộc xác thực hai bước."),
    )

    def validate(self, attrs):
        user = authenticate(request=self.context.get("request"), username=attrs["username"], password=attrs["password"])
        if user is None:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Tên đăng nhập hoặc mật khẩu không đúng.")]}, code="authorization"
            )
        attrs["user"] = user
        return attrs


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
