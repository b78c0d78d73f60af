"""Members' petitions through /api/, with the pages' privacy: a member files and reads their own;
the receiving organization's officers and the assigned handler read them; the handler answers.
Rows load only through `Petition.objects.visible_to` (anything else answers 404)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.accounts.models import User
from apps.meetings.models import Meeting
from apps.voice import services
from apps.voice.models import Petition, PetitionKind

from .fields import CharField
from .views import ETAG, IF_MATCH, STALE, Pagination, ScopedViewSet, expected_version


class PetitionSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    member_name = serializers.CharField(source="member.full_name", read_only=True)
    handler_name = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Petition
        fields = [
            "id",
            "organization",
            "organization_name",
            "member",
            "member_name",
            "kind",
            "title",
            "content",
            "meeting",
            "status",
            "submitted_on",
            "due_on",
            "overdue",
            "handler",
            "handler_name",
            "answer",
            "answered_at",
            "version",
        ]
        read_only_fields = fields

    def get_handler_name(self, petition) -> str:
        return str(petition.handler) if petition.handler_id else ""

    def get_overdue(self, petition) -> bool:
        return petition.is_overdue()


class PetitionCreateSerializer(serializers.Serializer):
    organization = serializers.IntegerField(help_text=_("Chi bộ của đảng viên hoặc một cấp ủy cấp trên"))
    kind = serializers.ChoiceField(choices=PetitionKind.choices, default=PetitionKind.PETITION)
    title = CharField(max_length=255)
    content = CharField(multiline=True, max_length=20000)
    meeting = serializers.IntegerField(required=False, allow_null=True)


class PetitionAssignSerializer(serializers.Serializer):
    handler = serializers.IntegerField()


class PetitionAnswerSerializer(serializers.Serializer):
    answer = CharField(multiline=True, max_length=20000)
    version = serializers.IntegerField(required=False, min_value=0)


class PetitionPagination(Pagination):
    ordering = ("-id",)


@extend_schema_view(
    list=extend_schema(
        summary=_("Ý kiến, kiến nghị đồng chí đã gửi, gửi đến tổ chức đồng chí phụ trách hoặc giao đồng chí xử lý")
    ),
    retrieve=extend_schema(summary=_("Một ý kiến, kiến nghị"), parameters=[ETAG]),
)
class PetitionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = PetitionSerializer
    pagination_class = PetitionPagination

    def get_queryset(self):
        return Petition.objects.visible_to(self.request.user).select_related("organization", "member", "handler")

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(
        summary=_("Gửi ý kiến, kiến nghị (đảng viên)"),
        request=PetitionCreateSerializer,
        responses={201: PetitionSerializer},
    )
    def create(self, request):
        data = self._input(PetitionCreateSerializer)
        member = services.petitioner(request.user)
        organization = next((o for o in services.petition_targets(member) if o.pk == data["organization"]), None)
        if organization is None:
            raise DjangoValidationError(
                {
                    "organization": _(
                        "Đồng chí chỉ gửi được ý kiến, kiến nghị đến chi bộ của mình hoặc cấp ủy cấp trên của chi bộ."
                    )
                }
            )
        meeting = None
        if data.get("meeting") is not None:
            meeting = (
                Meeting.objects.filter(pk=data["meeting"], organization_id=member.organization_id)
                .vouched("a meeting of the member's own cell")
                .first()
            )
            if meeting is None:
                raise DjangoValidationError({"meeting": _("Chỉ chọn được cuộc sinh hoạt của chi bộ mình.")})
        petition = services.petition_submit(
            user=request.user,
            organization=organization,
            kind=data["kind"],
            title=data["title"],
            content=data["content"],
            meeting=meeting,
        )
        return Response(PetitionSerializer(petition).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Giao người xử lý (cấp ủy nơi nhận)"),
        request=PetitionAssignSerializer,
        responses={200: PetitionSerializer},
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        petition = self.get_object()
        data = self._input(PetitionAssignSerializer)
        handler = User.objects.filter(pk=data["handler"], is_active=True).first()
        services.petition_assign(user=request.user, petition=petition, handler=handler)
        petition.refresh_from_db()
        return Response(PetitionSerializer(petition).data)

    @extend_schema(
        summary=_("Trả lời ý kiến, kiến nghị (người được giao xử lý)"),
        request=PetitionAnswerSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={200: PetitionSerializer, 412: STALE},
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        petition = self.get_object()
        data = self._input(PetitionAnswerSerializer)
        services.petition_answer(
            user=request.user,
            petition=petition,
            answer=data["answer"],
            expected_version=expected_version(request, data),
        )
        petition.refresh_from_db()
        return Response(PetitionSerializer(petition).data)
