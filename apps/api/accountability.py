"""Counts of the review working groups through /api/, within the user's reach (the same selector
as the page and the .xlsx export)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accountability.selectors import review_counts
from apps.core.periods import YEARS, Period

from . import fields as f
from .views import ApiMixin

PERIOD_KEYS = ["", "q1", "q2", "q3", "q4", *(str(m) for m in range(1, 13))]


class ReviewCountsQuery(serializers.Serializer):
    organization = f.OrganizationField(help_text=_("Tổ chức đảng: đếm các đối tượng thuộc tổ chức này và cấp dưới."))
    year = f.IntegerField(min_value=YEARS[0], max_value=YEARS[1])
    period = f.ChoiceField(choices=PERIOD_KEYS, required=False, default="", help_text=_("Rỗng: cả năm; q1…q4; 1…12."))


class ModeCountsSerializer(serializers.Serializer):
    collectives = serializers.IntegerField()
    individuals = serializers.IntegerField()


class ReviewCountsSerializer(serializers.Serializer):
    organization = serializers.IntegerField()
    year = serializers.IntegerField()
    period = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    in_depth = ModeCountsSerializer()
    attended = ModeCountsSerializer()
    undated = serializers.IntegerField(help_text=_("Đối tượng chưa ghi ngày kiểm điểm (chỉ tính khi xem cả năm)."))
    members = serializers.IntegerField(help_text=_("Đảng viên đang sinh hoạt vào ngày cuối kỳ."))
    organizations = serializers.IntegerField(help_text=_("Tổ chức đảng (kể cả tổ chức được chọn) vào ngày cuối kỳ."))


class ReviewCountsView(ApiMixin, APIView):
    @extend_schema(
        summary=_("Số tập thể, cá nhân được kiểm điểm sâu và được dự kiểm điểm trong một kỳ"),
        parameters=[
            OpenApiParameter("organization", int, required=True),
            OpenApiParameter("year", int, required=True),
            OpenApiParameter("period", str, required=False, enum=PERIOD_KEYS),
        ],
        responses={
            200: ReviewCountsSerializer,
            400: OpenApiResponse(description=_("Tham số không hợp lệ (thông báo theo từng trường).")),
        },
    )
    def get(self, request):
        query = ReviewCountsQuery(data=request.query_params, context={"request": request})
        if not query.is_valid():
            raise ValidationError(query.errors)
        org = query.validated_data["organization"]
        key = query.validated_data.get("period") or ""
        year = query.validated_data["year"]
        period = Period.parse(str(year), key, Period(year).start)
        counts = review_counts(request.user, period, org)
        return Response(
            ReviewCountsSerializer(
                {
                    "organization": org.pk,
                    "year": period.year,
                    "period": period.key,
                    "start": period.start,
                    "end": period.end,
                    "in_depth": {
                        "collectives": counts.in_depth_collectives,
                        "individuals": counts.in_depth_individuals,
                    },
                    "attended": {
                        "collectives": counts.attended_collectives,
                        "individuals": counts.attended_individuals,
                    },
                    "undated": counts.undated,
                    "members": counts.members,
                    "organizations": counts.organizations,
                }
            ).data
        )
