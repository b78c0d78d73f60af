"""The document library through /api/: documents (list, search, detail) and the caller's receipts
(a member records opening and studying a document), through the same scoping door as the pages."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.scoping import VIEW
from apps.library import selectors, services
from apps.library.models import Document, Receipt

from .views import Pagination, ScopedViewSet


class DocumentListSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "organization",
            "organization_name",
            "origin",
            "kind",
            "number",
            "issued_on",
            "issuer",
            "title",
            "subject",
            "validity",
            "replaced_by",
            "file_name",
            "version",
        ]


class DocumentDetailSerializer(DocumentListSerializer):
    class Meta(DocumentListSerializer.Meta):
        fields = [*DocumentListSerializer.Meta.fields, "text"]


class ReceiptSerializer(serializers.ModelSerializer):
    document_title = serializers.CharField(source="document.title", read_only=True)
    document_number = serializers.CharField(source="document.number", read_only=True)

    class Meta:
        model = Receipt
        fields = [
            "id",
            "document",
            "document_number",
            "document_title",
            "member",
            "organization",
            "received_at",
            "opened_at",
            "studied_at",
        ]


class IdPagination(Pagination):
    ordering = ("-id",)


@extend_schema_view(
    list=extend_schema(
        summary=_("Văn bản trong thư viện của bạn"),
        description=_("Tìm không cần dấu theo số, trích yếu, nội dung (q); lọc theo kind, validity, origin."),
        parameters=[
            OpenApiParameter("q", str, required=False),
            OpenApiParameter("kind", str, required=False),
            OpenApiParameter("validity", str, required=False),
            OpenApiParameter("origin", str, required=False),
        ],
    ),
    retrieve=extend_schema(summary=_("Một văn bản, kèm nội dung")),
)
class LibraryDocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    pagination_class = IdPagination

    def get_queryset(self):
        if self.action == "list":
            params = self.request.query_params
            return selectors.documents_for(
                self.request.user,
                text=(params.get("q") or "")[:200],
                kind=params.get("kind") or "",
                validity=params.get("validity") or "",
                origin=params.get("origin") or "",
            )
        return Document.objects.restrict(self.request.user, VIEW).select_related("organization")

    def get_serializer_class(self):
        return DocumentListSerializer if self.action == "list" else DocumentDetailSerializer


@extend_schema_view(
    list=extend_schema(summary=_("Văn bản đã đến đảng viên (của bạn, hoặc trong phạm vi của bạn)")),
    retrieve=extend_schema(summary=_("Một lượt văn bản đến đảng viên")),
)
class LibraryReceiptViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = ReceiptSerializer
    pagination_class = IdPagination

    def get_queryset(self):
        qs = Receipt.objects.restrict(self.request.user, VIEW).select_related("document", "member")
        document = self.request.query_params.get("document") if self.action == "list" else None
        if document:
            qs = qs.filter(document=document) if document.isdigit() else qs.none()
        return qs

    @extend_schema(summary=_("Đảng viên ghi nhận đã mở đọc văn bản"), request=None, responses={200: ReceiptSerializer})
    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        receipt = services.receipt_open(user=request.user, receipt=self.get_object())
        return Response(ReceiptSerializer(receipt).data)

    @extend_schema(summary=_("Đảng viên xác nhận đã học tập văn bản"), request=None, responses={200: ReceiptSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        receipt = services.receipt_confirm(user=request.user, receipt=self.get_object())
        return Response(ReceiptSerializer(receipt).data)
