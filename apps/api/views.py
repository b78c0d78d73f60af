"""The JSON API: organizations and members, through the same scoping door as the pages.

Rows are loaded only via `Model.objects.restrict(request.user, VIEW)`: a row out of scope answers
404 exactly like a missing one. Writes go through the services of apps.organizations and
apps.members, which check the CHANGE reach themselves (403 with their Vietnamese message when the
user sees the row but may not change it) and validate (400 with Vietnamese messages per field).
"""

from auditlog.models import LogEntry
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django_otp import match_token
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import mixins, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.exceptions import ErrorDetail, NotFound, PermissionDenied, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import ApiToken
from apps.accounts.security import has_second_factor, lockout_message, otp_required
from apps.accounts.services import api_token_revoke
from apps.core.scoping import VIEW
from apps.core.versioning import parse_version
from apps.members.disclosure import PERSONAL_FIELDS, export_policy, record_export
from apps.members.models import Member
from apps.members.services import member_change_status, member_create, member_update
from apps.organizations.models import DepartureKind, Organization
from apps.organizations.services import organization_create, organization_move, organization_rename
from apps.safeguards.models import ExportKind

from . import idempotency
from . import serializers as s
from .auth import AnonymousThrottle, ApiTokenAuthentication, ClientThrottle, TokenRight
from .exceptions import LockedOut, vietnamese_exception_handler
from .filters import FIELDS_FULL, MemberFilter, OrganizationFilter
from .schema import ApiAutoSchema
from .sync import SyncPaginationMixin

API_VERSION = "1"


class ApiMixin:
    # Token first, so that a request without credentials gets 401 with a `WWW-Authenticate` challenge.
    authentication_classes = [ApiTokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated, TokenRight]
    throttle_classes = [ClientThrottle, AnonymousThrottle]
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]
    schema = ApiAutoSchema()

    def get_exception_handler(self):
        return vietnamese_exception_handler

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["API-Version"] = API_VERSION  # docs/API_CHANGELOG.md
        return response


class Pagination(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_cursor_message = _("Con trỏ phân trang không hợp lệ.")

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        ErrorDetail(
                            _("Số bản ghi mỗi trang phải là số nguyên từ 1 đến %(max)s.") % {"max": self.max_page_size},
                            code="invalid_page_size",
                        )
                    ]
                }
            )
        return int(raw)

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise ValidationError(
                {self.cursor_query_param: [ErrorDetail(self.invalid_cursor_message, code="invalid_cursor")]}
            ) from None


class OrganizationPagination(SyncPaginationMixin, Pagination):
    ordering = ("path",)


class MemberPagination(SyncPaginationMixin, Pagination):
    # Vietnamese order: given name, then family and middle names (apps.core.text.name_sort_key).
    ordering = ("sort_key", "id")


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=_(
        'Giá trị ETag đã nhận khi đọc bản ghi (ví dụ "3"). Bản ghi đã được người khác sửa sau đó thì '
        "không lưu và trả lời 412 kèm danh sách thay đổi. Có thể gửi trường `version` trong thân thay cho tiêu đề."
    ),
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 201],
    description=_("Phiên bản hiện tại của bản ghi; gửi lại trong If-Match khi sửa."),
)
STALE = OpenApiResponse(
    description=_(
        "Bản ghi đã được sửa sau phiên bản gửi lên: {detail, current_version, changes[]} — mỗi thay đổi "
        "ghi trường, giá trị trước → sau, ai sửa và lúc nào. Không có gì được lưu."
    )
)


def expected_version(request, data: dict):
    """The version a write was based on: If-Match, else the body's `version` (removed from data)."""
    body = data.pop("version", None)
    header = request.headers.get("If-Match")
    return parse_version(header) if header else body


class ScopedViewSet(ApiMixin, viewsets.GenericViewSet):
    lookup_value_converter = "signedint"
    _idempotent = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self._idempotent = idempotency.begin(request)

    def handle_exception(self, exc):
        if isinstance(exc, idempotency.Replayed):
            return idempotency.replay(exc.row)
        return super().handle_exception(exc)

    def location_of(self, data: dict) -> str | None:
        """Where a record this view created lives (for `Location` on 201)."""
        if self.action != "create":
            return None
        try:
            return reverse(f"api:{self.basename}-detail", args=[data["id"]])
        except NoReverseMatch:
            return None

    def finalize_response(self, request, response, *args, **kwargs):
        data = getattr(response, "data", None)
        if (
            response.status_code == 201
            and isinstance(data, dict)
            and "id" in data
            and not response.has_header("Location")
        ):
            location = self.location_of(data)
            if location:
                response["Location"] = request.build_absolute_uri(location)
        if self._idempotent is not None:
            idempotency.finish(self._idempotent, response)
            self._idempotent = None
        # The version of the one record a detail answer shows, for If-Match on the next write.
        data = getattr(response, "data", None)
        if (
            isinstance(data, dict)
            and "version" in data
            and "id" in data
            and response.status_code in (200, 201)
            and kwargs.get("pk") is not None
            and not response.has_header("ETag")
        ):
            response["ETag"] = f'"{data["version"]}"'
        return super().finalize_response(request, response, *args, **kwargs)

    def filter_queryset(self, queryset):
        # Filters shape lists only; a single row is found by id whatever the list's filters say.
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)


@extend_schema_view(
    list=extend_schema(summary=_("Danh sách tổ chức đảng trong phạm vi của bạn, theo thứ tự cây")),
    retrieve=extend_schema(summary=_("Một tổ chức đảng"), parameters=[ETAG]),
)
class OrganizationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = s.OrganizationSerializer
    filterset_class = OrganizationFilter
    removal_kind = DepartureKind.ORGANIZATION
    pagination_class = OrganizationPagination

    def get_queryset(self):
        return Organization.objects.restrict(self.request.user, VIEW)

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(
        summary=_("Thành lập tổ chức đảng"),
        request=s.OrganizationCreateSerializer,
        responses={201: s.OrganizationSerializer},
    )
    def create(self, request):
        data = self._input(s.OrganizationCreateSerializer)
        organization = organization_create(user=request.user, **data)
        return Response(s.OrganizationSerializer(organization).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Đổi tên tổ chức đảng (sự kiện có ngày, giữ lịch sử)"),
        request=s.OrganizationRenameSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={200: s.OrganizationSerializer, 412: STALE},
    )
    @action(detail=True, methods=["post"])
    def rename(self, request, pk=None):
        organization = self.get_object()
        data = dict(self._input(s.OrganizationRenameSerializer))
        organization_rename(
            user=request.user,
            organization=organization,
            name=data["name"],
            on=data["date"],
            decision=data["decision"],
            expected_version=expected_version(request, data),
        )
        organization.refresh_from_db()
        return Response(s.OrganizationSerializer(organization).data)

    @extend_schema(
        summary=_("Chuyển tổ chức đảng sang trực thuộc cấp trên khác (cùng cả cây và đảng viên)"),
        request=s.OrganizationMoveSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={200: s.OrganizationSerializer, 412: STALE},
    )
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        organization = self.get_object()
        data = dict(self._input(s.OrganizationMoveSerializer))
        organization_move(
            expected_version=expected_version(request, data),
            user=request.user,
            organization=organization,
            new_parent=data["new_parent"],
            on=data["date"],
            decision=data["decision"],
        )
        organization.refresh_from_db()
        return Response(s.OrganizationSerializer(organization).data)


@extend_schema_view(
    list=extend_schema(
        summary=_("Danh sách đảng viên trong phạm vi của bạn, theo thứ tự tên tiếng Việt"),
        description=_(
            "Không có số CCCD, điện thoại, thư điện tử; xem chúng ở trang chi tiết, hoặc hỏi fields=full: "
            "mỗi dòng khi đó là lý lịch đầy đủ (MemberDetail), như GET /api/members/{id}/."
        ),
    ),
    retrieve=extend_schema(summary=_("Lý lịch đảng viên"), parameters=[ETAG]),
)
class MemberViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    filterset_class = MemberFilter
    pagination_class = MemberPagination
    removal_kind = DepartureKind.MEMBER

    def get_queryset(self):
        return Member.objects.restrict(self.request.user, VIEW).select_related("organization")

    def get_serializer_class(self):
        if self.action == "list" and self.request.query_params.get("fields") != FIELDS_FULL:
            return s.MemberListSerializer
        return s.MemberDetailSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.action == "list":
            context["export_policy"] = self._policy = export_policy(self.request.user)
        return context

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        # Every page of the list is an export, recorded with its filters (apps.members.disclosure).
        policy = getattr(self, "_policy", None) or export_policy(request.user)
        record_export(
            user=request.user,
            kind=ExportKind.API_MEMBERS,
            file_format="json",
            filters={
                key: request.query_params.get(key)
                for key in (
                    "organization",
                    "q",
                    "status",
                    "include_ended",
                    "updated_since",
                    "ordering",
                    "cursor",
                    "fields",
                )
            },
            row_count=len(response.data.get("results", ())),
            personal_columns=self._personal_columns(policy),
        )
        return response

    def _personal_columns(self, policy) -> list:
        if not policy.personal:
            return []
        if self.get_serializer_class() is s.MemberListSerializer:
            return [_("Ngày sinh")]
        return [Member._meta.get_field(name).verbose_name for name in PERSONAL_FIELDS]

    def _input(self, serializer_class, **kwargs):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(
        summary=_("Thêm đảng viên vào một chi bộ"),
        request=s.MemberCreateSerializer,
        responses={201: s.MemberDetailSerializer},
    )
    def create(self, request):
        data = dict(self._input(s.MemberCreateSerializer))
        data.pop("version", None)
        organization = data.pop("organization")
        member = member_create(user=request.user, organization=organization, **data)
        return Response(s.MemberDetailSerializer(member).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Sửa lý lịch đảng viên (chỉ các trường gửi lên)"),
        request=s.MemberWriteSerializer(partial=True),
        parameters=[IF_MATCH, ETAG],
        responses={200: s.MemberDetailSerializer, 412: STALE},
    )
    def partial_update(self, request, pk=None):
        member = self.get_object()
        data = dict(self._input(s.MemberWriteSerializer, partial=True))
        version = expected_version(request, data)
        member = member_update(user=request.user, member=member, expected_version=version, **data)
        return Response(s.MemberDetailSerializer(member).data)

    @extend_schema(
        methods=["get"],
        summary=_("Lịch sử tình trạng của đảng viên (kết nạp, chính thức, chuyển sinh hoạt …)"),
        responses={200: s.StatusChangeSerializer(many=True)},
    )
    @extend_schema(
        methods=["post"],
        summary=_("Ghi một thay đổi tình trạng có ngày"),
        request=s.StatusChangeCreateSerializer,
        responses={201: s.StatusChangeSerializer},
    )
    @action(detail=True, methods=["get", "post"], url_path="status-changes", pagination_class=None, filter_backends=[])
    def status_changes(self, request, pk=None):
        member = self.get_object()
        if request.method == "GET":
            changes = member.status_changes.select_related("organization", "other_organization").order_by("date", "pk")
            return Response(s.StatusChangeSerializer(changes, many=True).data)
        data = self._input(s.StatusChangeCreateSerializer)
        change = member_change_status(user=request.user, member=member, on=data.pop("date"), **data)
        location = request.build_absolute_uri(reverse("api:member-status-changes", args=[member.pk]))
        return Response(
            s.StatusChangeSerializer(change).data, status=status.HTTP_201_CREATED, headers={"Location": location}
        )

    @extend_schema(
        summary=_("Nhật ký thay đổi lý lịch: ai, lúc nào, trước và sau"),
        responses={200: s.HistoryEntrySerializer(many=True)},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, pk=None):
        member = self.get_object()
        entries = (
            LogEntry.objects.get_for_object(member)
            .select_related("actor", "content_type")
            .order_by("-timestamp", "-pk")
        )
        return Response(s.HistoryEntrySerializer(entries, many=True).data)


class TokenView(ApiMixin, APIView):
    """Exchange a username and password for an API token; DELETE revokes the caller's token."""

    # Shares the login page's lock on password guessing (apps/accounts/security.py).
    answers_lockout = True

    def get_permissions(self):
        if self.request.method == "POST":
            return [AllowAny()]
        return [IsAuthenticated()]  # a read-only token may revoke itself

    @extend_schema(
        summary=_("Lấy token API bằng tên đăng nhập và mật khẩu"),
        description=_("Gửi token ở mỗi yêu cầu trong tiêu đề: Authorization: Token <token>."),
        request=s.TokenRequestSerializer,
        responses={200: s.TokenSerializer},
        auth=[],
    )
    def post(self, request):
        serializer = s.TokenRequestSerializer(data=request.data, context={"request": request})
        if not serializer.is_valid():
            # django-axes counted the failure; past a limit the answer is 429 whatever the password.
            if getattr(request, "axes_locked_out", False) or getattr(request._request, "axes_locked_out", False):
                raise LockedOut(settings.LOGIN_LOCKOUT_MINUTES * 60, lockout_message())
            raise ValidationError(serializer.errors)
        user = serializer.validated_data["user"]
        if has_second_factor(user) or otp_required(user):
            if not has_second_factor(user):
                raise PermissionDenied(
                    _(
                        "Tài khoản này phải dùng xác thực hai bước: hãy thiết lập trên trang web trước khi lấy token API."
                    )
                )
            code = str(serializer.validated_data.get("otp") or "").replace(" ", "")
            if not code or match_token(user, code) is None:
                raise ValidationError({"otp": [_("Thiếu hoặc sai mã xác thực hai bước.")]})
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

    @extend_schema(
        summary=_("Thu hồi token API của bạn"),
        request=None,
        responses={204: OpenApiResponse(description=_("Đã thu hồi."))},
    )
    def delete(self, request):
        if isinstance(request.auth, ApiToken):  # a named token revokes itself
            api_token_revoke(user=request.user, token=request.auth)
            return Response(status=status.HTTP_204_NO_CONTENT)
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class NotFoundView(ApiMixin, APIView):
    """Any other address under /api/: the API's JSON 404, never the site's HTML page."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []
    schema = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise NotFound(_("Không có địa chỉ này trong API; xem /api/openapi.json."))


class DocsView(SpectacularSwaggerSplitView):
    """The browsable documentation (Swagger UI from local files), for signed-in users like every page."""

    authentication_classes = [SessionAuthentication, ApiTokenAuthentication]
    permission_classes = [IsAuthenticated]
