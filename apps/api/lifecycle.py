"""Training records and party badges through /api/, through the same scoping door as the pages;
writes go through apps.members.services (403 with its message when the user sees but may not change)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.scoping import VIEW
from apps.members.models import Award, AwardKind, Member, TrainingKind, TrainingRecord, TrainingResult
from apps.members.services import badge_decide, badge_present, badge_propose, training_create, training_update

from . import fields as f
from .serializers import Serializer
from .views import IF_MATCH, STALE, Pagination, ScopedViewSet, expected_version


@extend_schema_field(OpenApiTypes.INT)
class MemberField(serializers.PrimaryKeyRelatedField):
    """A member id, looked up only among the members the user sees (out of reach = not found)."""

    default_error_messages = {
        **f.COMMON,
        "does_not_exist": _("Không tìm thấy đảng viên có mã số {pk_value}."),
        "incorrect_type": _("Mã số đảng viên phải là một số nguyên."),
    }

    def get_queryset(self):
        request = self.context.get("request")
        return Member.objects.restrict(getattr(request, "user", None), VIEW).select_related("organization")


class TrainingRecordSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.full_name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    result_display = serializers.CharField(source="get_result_display", read_only=True)

    class Meta:
        model = TrainingRecord
        fields = [
            "id",
            "version",
            "member",
            "member_name",
            "kind",
            "kind_display",
            "title",
            "institution",
            "starts_on",
            "ends_on",
            "result",
            "result_display",
            "grade",
            "certificate",
            "note",
            "recorded_at",
        ]


class TrainingWriteSerializer(Serializer):
    kind = f.ChoiceField(choices=TrainingKind.choices)
    title = f.CharField(max_length=255, required=False, allow_blank=True)
    institution = f.CharField(max_length=255)
    starts_on = f.DateField()
    ends_on = f.DateField(required=False, allow_null=True)
    result = f.ChoiceField(choices=TrainingResult.choices, required=False)
    grade = f.CharField(max_length=50, required=False, allow_blank=True)
    certificate = f.CharField(max_length=100, required=False, allow_blank=True)
    note = f.CharField(required=False, allow_blank=True, multiline=True)
    version = f.IntegerField(required=False, min_value=0)


class TrainingCreateSerializer(TrainingWriteSerializer):
    member = MemberField()


class RecordPagination(Pagination):
    ordering = ("-id",)


def _filtered(qs, params, keys):
    for key, lookup in keys.items():
        value = params.get(key)
        if value:
            qs = qs.filter(**{lookup: value}) if value.isdigit() else qs.none()
    return qs


@extend_schema_view(
    list=extend_schema(
        summary=_("Quá trình đào tạo trong phạm vi của bạn"), description=_("Lọc theo member, organization.")
    ),
    retrieve=extend_schema(summary=_("Một quá trình đào tạo")),
)
class TrainingRecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = TrainingRecordSerializer
    pagination_class = RecordPagination

    def get_queryset(self):
        qs = TrainingRecord.objects.restrict(self.request.user, VIEW).select_related("member__organization")
        if self.action == "list":
            qs = _filtered(qs, self.request.query_params, {"member": "member", "organization": "member__organization"})
        return qs

    def _input(self, serializer_class, **kwargs):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(
        summary=_("Ghi một quá trình đào tạo (trình độ lý luận chính trị theo đó)"),
        request=TrainingCreateSerializer,
        responses={201: TrainingRecordSerializer},
    )
    def create(self, request):
        data = self._input(TrainingCreateSerializer)
        data.pop("version", None)
        record = training_create(user=request.user, member=data.pop("member"), **data)
        return Response(TrainingRecordSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Sửa một quá trình đào tạo (chỉ các trường gửi lên)"),
        request=TrainingWriteSerializer(partial=True),
        parameters=[IF_MATCH],
        responses={200: TrainingRecordSerializer, 412: STALE},
    )
    def partial_update(self, request, pk=None):
        record = self.get_object()
        data = self._input(TrainingWriteSerializer, partial=True)
        version = expected_version(request, data)
        record = training_update(user=request.user, record=record, expected_version=version, **data)
        return Response(TrainingRecordSerializer(record).data)


class PartyBadgeSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.full_name", read_only=True)
    stage = serializers.CharField(read_only=True, help_text="proposed | decided | presented")
    decided_on = serializers.DateField(source="date", read_only=True)

    class Meta:
        model = Award
        fields = [
            "id",
            "member",
            "member_name",
            "badge_years",
            "name",
            "occasion",
            "proposed_on",
            "early",
            "early_reason",
            "decided_on",
            "decision",
            "issued_by",
            "presented_on",
            "stage",
        ]


class PartyBadgeProposeSerializer(Serializer):
    member = MemberField()
    years = f.IntegerField(min_value=1)
    occasion = f.DateField()
    proposed_on = f.DateField()
    early = f.BooleanField(required=False, default=False)
    early_reason = f.CharField(required=False, allow_blank=True, multiline=True)
    issued_by = f.CharField(max_length=255, required=False, allow_blank=True)


class PartyBadgeDecideSerializer(Serializer):
    decided_on = f.DateField()
    decision = f.CharField(max_length=100)
    issued_by = f.CharField(max_length=255, required=False, allow_blank=True)


class PartyBadgePresentSerializer(Serializer):
    presented_on = f.DateField()


@extend_schema_view(
    list=extend_schema(
        summary=_("Huy hiệu Đảng trong phạm vi của bạn (đề nghị, quyết định, trao)"),
        description=_("Lọc theo member, organization."),
    ),
    retrieve=extend_schema(summary=_("Một Huy hiệu Đảng")),
)
class BadgeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = PartyBadgeSerializer
    pagination_class = RecordPagination

    def get_queryset(self):
        qs = (
            Award.objects.restrict(self.request.user, VIEW)
            .filter(kind=AwardKind.BADGE)
            .select_related("member__organization")
        )
        if self.action == "list":
            qs = _filtered(qs, self.request.query_params, {"member": "member", "organization": "member__organization"})
        return qs

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(
        summary=_("Đề nghị tặng Huy hiệu Đảng cho một dịp trao"),
        request=PartyBadgeProposeSerializer,
        responses={201: PartyBadgeSerializer},
    )
    def create(self, request):
        data = self._input(PartyBadgeProposeSerializer)
        award = badge_propose(user=request.user, member=data.pop("member"), **data)
        return Response(PartyBadgeSerializer(award).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Ghi quyết định tặng Huy hiệu"),
        request=PartyBadgeDecideSerializer,
        responses={200: PartyBadgeSerializer},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        award = self.get_object()
        award = badge_decide(user=request.user, award=award, **self._input(PartyBadgeDecideSerializer))
        return Response(PartyBadgeSerializer(award).data)

    @extend_schema(
        summary=_("Ghi ngày trao Huy hiệu"), request=PartyBadgePresentSerializer, responses={200: PartyBadgeSerializer}
    )
    @action(detail=True, methods=["post"])
    def present(self, request, pk=None):
        award = self.get_object()
        award = badge_present(user=request.user, award=award, **self._input(PartyBadgePresentSerializer))
        return Response(PartyBadgeSerializer(award).data)
