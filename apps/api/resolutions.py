"""Resolutions, their targets with results, and tasks through /api/, read only, through the same
scoping door as the pages."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers

from apps.core.scoping import VIEW
from apps.resolutions.models import Resolution, Result, Target, Task
from apps.resolutions.selectors import resolutions_for, tasks_for

from .views import Pagination, ScopedViewSet


class IdPagination(Pagination):
    ordering = ("-id",)


def _id_filter(qs, params, *keys):
    for key in keys:
        value = params.get(key)
        if value:
            qs = qs.filter(**{key: value}) if value.isdigit() else qs.none()
    return qs


class ResolutionSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    has_document = serializers.SerializerMethodField()

    class Meta:
        model = Resolution
        fields = [
            "id",
            "organization",
            "organization_name",
            "level",
            "term",
            "year",
            "quarter",
            "month",
            "number",
            "title",
            "issued_on",
            "issuer",
            "summary",
            "meeting",
            "implements",
            "plan_due",
            "has_document",
            "version",
        ]

    def get_has_document(self, r) -> bool:
        return bool(r.file)


class ResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = Result
        fields = ["id", "year", "quarter", "month", "value", "note", "entered_at", "version"]


class TargetSerializer(serializers.ModelSerializer):
    results = ResultSerializer(many=True, read_only=True)

    class Meta:
        model = Target
        fields = [
            "id",
            "resolution",
            "organization",
            "parent",
            "indicator",
            "unit",
            "frequency",
            "direction",
            "rollup",
            "baseline",
            "term_value",
            "yearly",
            "owner",
            "results",
            "version",
        ]


class TaskSerializer(serializers.ModelSerializer):
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "organization",
            "owner_member",
            "owner_organization",
            "content",
            "deadline",
            "status",
            "result",
            "done_on",
            "resolution",
            "overdue",
            "version",
        ]

    def get_overdue(self, task) -> bool:
        from django.utils import timezone

        return task.is_overdue(timezone.localdate())


@extend_schema_view(
    list=extend_schema(summary=_("Nghị quyết trong phạm vi của bạn"), description=_("Lọc theo organization, level.")),
    retrieve=extend_schema(summary=_("Một nghị quyết")),
)
class ResolutionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = ResolutionSerializer
    pagination_class = IdPagination

    def get_queryset(self):
        qs = resolutions_for(self.request.user)
        if self.action == "list":
            qs = _id_filter(qs, self.request.query_params, "organization")
            level = self.request.query_params.get("level")
            if level:
                qs = qs.filter(level=level)
        return qs


@extend_schema_view(
    list=extend_schema(
        summary=_("Chỉ tiêu và kết quả trong phạm vi của bạn"), description=_("Lọc theo resolution, organization.")
    ),
    retrieve=extend_schema(summary=_("Một chỉ tiêu với các kết quả")),
)
class TargetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = TargetSerializer
    pagination_class = IdPagination

    def get_queryset(self):
        qs = Target.objects.restrict(self.request.user, VIEW).prefetch_related("results")
        if self.action == "list":
            qs = _id_filter(qs, self.request.query_params, "resolution", "organization")
        return qs


@extend_schema_view(
    list=extend_schema(
        summary=_("Nhiệm vụ trong phạm vi của bạn"),
        description=_("Lọc theo organization, owner_member, resolution, status."),
    ),
    retrieve=extend_schema(summary=_("Một nhiệm vụ")),
)
class TaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = TaskSerializer
    pagination_class = IdPagination

    def get_queryset(self):
        qs = tasks_for(self.request.user)
        if self.action == "list":
            qs = _id_filter(qs, self.request.query_params, "organization", "owner_member", "resolution")
            status = self.request.query_params.get("status")
            if status:
                qs = qs.filter(status=status)
        return qs
