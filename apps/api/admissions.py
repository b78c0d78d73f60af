"""Admission cases through /api/: read and written through the same door and services as the pages.

Cases are the committee's records (CHANGE reach: the cell committee and the committees above);
a plain member or a view-only role reaches none. Each step is recorded by
`apps.admissions.services.step_record`, which refuses a step out of order or failing its rule
(400 with the rule named)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.admissions import selectors, services
from apps.admissions.models import AdmissionCase, AdmissionStep, IntroducedBy, Sponsor, StepKind
from apps.core.scoping import CHANGE
from apps.meetings.models import Vote
from apps.members.models import Member

from . import fields as f
from .serializers import Serializer
from .views import Pagination, ScopedViewSet


class StepSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    rule_set = serializers.CharField(source="rule_set.label", read_only=True)

    class Meta:
        model = AdmissionStep
        fields = [
            "id",
            "kind",
            "kind_display",
            "date",
            "rule_set",
            "introduced_by",
            "body",
            "number",
            "person",
            "valid_until",
            "votes_for",
            "votes_against",
            "full_members",
            "meeting_vote",
            "approved",
            "late_reason",
            "note",
        ]


class SponsorSerializer(serializers.ModelSerializer):
    member_name = serializers.SerializerMethodField()

    class Meta:
        model = Sponsor
        fields = ["id", "role", "member", "member_name", "youth_union_committee", "worked_since", "assigned_on"]

    def get_member_name(self, row) -> str:
        return row.member.full_name if row.member_id else ""


class CaseSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    steps = StepSerializer(many=True, read_only=True)
    sponsors = SponsorSerializer(many=True, read_only=True)
    next_step = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField()
    deadlines = serializers.SerializerMethodField()

    class Meta:
        model = AdmissionCase
        fields = [
            "id",
            "version",
            "organization",
            "organization_name",
            "family_name",
            "middle_name",
            "given_name",
            "gender",
            "birth_date",
            "ethnicity",
            "religion",
            "hometown",
            "residence",
            "occupation",
            "general_education",
            "education_exception",
            "state",
            "state_display",
            "member",
            "steps",
            "sponsors",
            "next_step",
            "missing",
            "deadlines",
        ]

    def _plan(self, case):
        cache = self.context.setdefault("_plans", {})
        if case.pk not in cache:
            cache[case.pk] = selectors.case_plan(case, timezone.localdate())
        return cache[case.pk]

    def get_next_step(self, case) -> str:
        return self._plan(case).next_kind or ""

    def get_missing(self, case) -> list[str]:
        plan = self._plan(case)
        return [*plan.problems, *plan.missing]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_deadlines(self, case) -> dict:
        return {
            row.kind: {"date": row.deadline.date, "explanation": row.deadline.explanation, "late": row.late}
            for row in self._plan(case).rows
            if row.deadline
        }


GENDERS = [("male", _("Nam")), ("female", _("Nữ"))]


class CaseCreateSerializer(Serializer):
    organization = f.OrganizationField(action=CHANGE, help_text=_("Chi bộ xem xét kết nạp."))
    family_name = f.CharField(max_length=50)
    middle_name = f.CharField(max_length=100, required=False, allow_blank=True, default="")
    given_name = f.CharField(max_length=50)
    gender = f.ChoiceField(choices=GENDERS)
    birth_date = f.DateField()
    ethnicity = f.CharField(max_length=50, required=False, default="Kinh")
    religion = f.CharField(max_length=50, required=False, allow_blank=True, default="Không")
    hometown = f.CharField(max_length=255, required=False, allow_blank=True, default="")
    residence = f.CharField(max_length=255, required=False, allow_blank=True, default="")
    occupation = f.CharField(max_length=255, required=False, allow_blank=True, default="")
    general_education = f.CharField(max_length=20, required=False, allow_blank=True, default="")
    education_exception = f.CharField(max_length=255, required=False, allow_blank=True, default="")


class _Scoped(serializers.PrimaryKeyRelatedField):
    model = Member

    def get_queryset(self):
        request = self.context.get("request")
        return self.model.objects.restrict(getattr(request, "user", None), CHANGE)


@extend_schema_field(OpenApiTypes.INT)
class MemberRef(_Scoped):
    model = Member


@extend_schema_field(OpenApiTypes.INT)
class VoteRef(_Scoped):
    model = Vote


class SponsorInputSerializer(Serializer):
    member = MemberRef(help_text=_("Đảng viên chính thức của chi bộ."))
    worked_since = f.DateField(help_text=_("Công tác cùng người được giới thiệu từ ngày."))


class StepCreateSerializer(Serializer):
    kind = f.ChoiceField(choices=[c for c in StepKind.choices])
    date = f.DateField()
    introduced_by = f.ChoiceField(choices=IntroducedBy.choices, required=False, allow_blank=True, default="")
    body = f.CharField(max_length=255, required=False, allow_blank=True, default="")
    number = f.CharField(max_length=100, required=False, allow_blank=True, default="")
    person = f.CharField(max_length=255, required=False, allow_blank=True, default="")
    votes_for = f.IntegerField(required=False, allow_null=True, default=None, min_value=0, max_value=10000)
    votes_against = f.IntegerField(required=False, allow_null=True, default=None, min_value=0, max_value=10000)
    full_members = f.IntegerField(required=False, allow_null=True, default=None, min_value=0, max_value=10000)
    meeting_vote = VoteRef(required=False, allow_null=True, default=None)
    approved = f.BooleanField(required=False, default=True)
    late_reason = f.CharField(multiline=True, required=False, allow_blank=True, default="")
    note = f.CharField(multiline=True, required=False, allow_blank=True, default="")
    sponsors = SponsorInputSerializer(many=True, required=False, default=list)
    youth_union_committee = f.CharField(max_length=255, required=False, allow_blank=True, default="")


class CasePagination(Pagination):
    ordering = ("-id",)


@extend_schema_view(
    list=extend_schema(
        summary=_("Hồ sơ kết nạp trong phạm vi của bạn (chi ủy và cấp ủy cấp trên)"),
        description=_("Lọc theo organization (cả cây bên dưới), state."),
    ),
    retrieve=extend_schema(summary=_("Một hồ sơ kết nạp: các bước, thời hạn, còn thiếu")),
)
class AdmissionCaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = CaseSerializer
    pagination_class = CasePagination

    def get_queryset(self):
        qs = (
            AdmissionCase.objects.restrict(self.request.user, CHANGE)
            .select_related("organization")
            .prefetch_related("steps__rule_set", "sponsors__member")
        )
        if self.action == "list":
            params = self.request.query_params
            org = params.get("organization")
            if org:
                found = selectors.reachable_organization(self.request.user, org)
                qs = qs.in_subtree(found) if found is not None else qs.none()
            state = params.get("state")
            if state:
                qs = qs.filter(state=state)
        return qs

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(summary=_("Lập hồ sơ kết nạp"), request=CaseCreateSerializer, responses={201: CaseSerializer})
    def create(self, request):
        data = self._input(CaseCreateSerializer)
        case = services.case_create(user=request.user, organization=data.pop("organization"), **data)
        return Response(
            CaseSerializer(case, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary=_("Ghi bước tiếp theo của hồ sơ (đúng thứ tự, đúng quy tắc)"),
        request=StepCreateSerializer,
        responses={201: StepSerializer},
    )
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def steps(self, request, pk=None):
        case = self.get_object()
        data = self._input(StepCreateSerializer)
        sponsors = [(s["member"], s["worked_since"]) for s in data.pop("sponsors", [])]
        kind, on = data.pop("kind"), data.pop("date")
        step = services.step_record(user=request.user, case=case, kind=kind, on=on, sponsors=sponsors, **data)
        return Response(StepSerializer(step).data, status=status.HTTP_201_CREATED)
