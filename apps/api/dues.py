"""The dues ledger through /api/, read only, through the same scoping door as the pages."""

from datetime import date

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers

from apps.core.scoping import VIEW
from apps.dues.models import DuesEntry

from .views import Pagination, ScopedViewSet


class DuesEntrySerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.full_name", read_only=True)
    receipt_number = serializers.SerializerMethodField()
    kind = serializers.CharField(read_only=True, help_text="payment | reversal")

    class Meta:
        model = DuesEntry
        fields = [
            "id",
            "organization",
            "member",
            "member_name",
            "month",
            "booked_month",
            "amount",
            "due",
            "kind",
            "receipt",
            "receipt_number",
            "reverses",
            "rule_set",
            "note",
            "recorded_at",
        ]

    def get_receipt_number(self, entry) -> str:
        return str(entry.receipt) if entry.receipt_id else ""


class EntryPagination(Pagination):
    ordering = ("-id",)


@extend_schema_view(
    list=extend_schema(
        summary=_("Sổ đảng phí trong phạm vi của bạn"),
        description=_("Lọc theo organization, member, month (yyyy-mm-01), booked_month."),
    ),
    retrieve=extend_schema(summary=_("Một bút toán đảng phí")),
)
class DuesEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = DuesEntrySerializer
    pagination_class = EntryPagination

    def get_queryset(self):
        qs = DuesEntry.objects.restrict(self.request.user, VIEW).select_related("member", "receipt")
        if self.action == "list":
            params = self.request.query_params
            for key in ("organization", "member"):
                value = params.get(key)
                if value:
                    qs = qs.filter(**{key: value}) if value.isdigit() else qs.none()
            for key in ("month", "booked_month"):
                value = params.get(key)
                if value:
                    try:
                        qs = qs.filter(**{key: date.fromisoformat(value)})
                    except ValueError:
                        qs = qs.none()
        return qs
