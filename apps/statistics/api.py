"""The statistics API (/api/statistics/…): the page's figures as JSON, through the same door.

The organization is loaded with `Organization.objects.restrict(user)`: out of reach answers 404
exactly like a missing one. Counts are whole numbers; a rate comes with its numerator and base.
Bad parameters answer 400 with a Vietnamese message per parameter.

These views live here rather than in apps.api because both apps sit in the top layer (they may
read every app, not each other); drf-spectacular documents them in /api/openapi.json all the same.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import exceptions, serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.organizations.models import Organization

from . import selectors
from .routers import replica_reads

ERROR = inline_serializer("StatisticsError", {"detail": serializers.CharField(required=False)})
ERRORS = {
    400: OpenApiResponse(ERROR, description=gettext_lazy("Tham số không hợp lệ (thông báo theo từng tham số).")),
    401: OpenApiResponse(ERROR, description=gettext_lazy("Chưa đăng nhập hoặc token không hợp lệ.")),
    403: OpenApiResponse(ERROR, description=gettext_lazy("Không có quyền thực hiện thao tác này.")),
    404: OpenApiResponse(ERROR, description=gettext_lazy("Không tìm thấy tổ chức (hoặc ngoài phạm vi của bạn).")),
}
ORGANIZATION = OpenApiParameter(
    "organization", OpenApiTypes.INT, required=True, description=gettext_lazy("Mã số (id) tổ chức đảng.")
)
ON = OpenApiParameter(
    "on", OpenApiTypes.DATE, required=False, description=gettext_lazy("Ngày số liệu (YYYY-MM-DD); mặc định hôm nay.")
)
FROM = OpenApiParameter(
    "from", OpenApiTypes.DATE, required=False, description=gettext_lazy("Ngày đầu kỳ; mặc định ngày 1/1 năm nay.")
)
TO = OpenApiParameter(
    "to", OpenApiTypes.DATE, required=False, description=gettext_lazy("Ngày cuối kỳ; mặc định hôm nay.")
)
EARLIEST = date(1930, 2, 3)


def _counts(name: str, help_text=""):
    return serializers.DictField(child=serializers.IntegerField(), help_text=help_text)


def _rate(name: str):
    return inline_serializer(
        name,
        {
            "numerator": serializers.IntegerField(),
            "base": serializers.IntegerField(),
            "percent": serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True),
        },
    )


MEMBERS = inline_serializer(
    "MemberStatistics",
    {
        "organization": serializers.IntegerField(),
        "on": serializers.DateField(),
        "total": serializers.IntegerField(),
        "women": serializers.IntegerField(),
        "ethnic_minorities": serializers.IntegerField(),
        "religious": serializers.IntegerField(),
        "by_status": _counts("by_status"),
        "by_gender": _counts("by_gender", gettext_lazy("Khóa male, female.")),
        "by_age_band": _counts("by_age_band"),
        "by_ethnicity": _counts("by_ethnicity"),
        "by_religion": _counts("by_religion"),
        "by_education": _counts("by_education"),
        "by_theory_level": _counts("by_theory_level", gettext_lazy("Khóa none: chưa qua đào tạo.")),
        "by_seniority": _counts("by_seniority"),
    },
)
MOVEMENT = inline_serializer(
    "MovementStatistics",
    {
        "organization": serializers.IntegerField(),
        "from": serializers.DateField(),
        "to": serializers.DateField(),
        **{key: serializers.IntegerField() for key, _label in selectors.MOVEMENT_KEYS},
    },
)
TRAINING = inline_serializer(
    "TrainingStatistics",
    {
        "organization": serializers.IntegerField(),
        "from": serializers.DateField(),
        "to": serializers.DateField(),
        "by_kind": _counts("by_kind", gettext_lazy("Khóa là loại đào tạo (elementary, intermediate, advanced, …).")),
        "courses": inline_serializer(
            "TrainingCourseCount",
            {"kind": serializers.CharField(), "title": serializers.CharField(), "count": serializers.IntegerField()},
            many=True,
        ),
    },
)
AWARDS = inline_serializer(
    "AwardStatistics",
    {
        "organization": serializers.IntegerField(),
        "from": serializers.DateField(),
        "to": serializers.DateField(),
        "awards": inline_serializer(
            "AwardCount", {"name": serializers.CharField(), "count": serializers.IntegerField()}, many=True
        ),
    },
)
ORGANIZATIONS = inline_serializer(
    "OrganizationStatistics",
    {
        "organization": serializers.IntegerField(),
        "on": serializers.DateField(),
        "by_kind": _counts("by_kind"),
        "by_sector": _counts("by_sector"),
        "grassroots": inline_serializer(
            "GrassrootsStatistics",
            {
                "total": serializers.IntegerField(),
                "committees": serializers.IntegerField(),
                "cells": serializers.IntegerField(),
                "by_sector": _counts("grassroots_by_sector"),
                "committees_by_sector": _counts("committees_by_sector"),
                "cells_by_sector": _counts("cells_by_sector"),
            },
        ),
        "subordinate_cells": serializers.IntegerField(),
    },
)
MEETINGS = inline_serializer(
    "MeetingStatistics",
    {
        "organization": serializers.IntegerField(),
        "from": serializers.DateField(),
        "to": serializers.DateField(),
        "held": serializers.IntegerField(),
        "held_by_kind": _counts("held_by_kind"),
        "attendance": _rate("AttendanceRate"),
        "thematic_up_to_quality": _rate("ThematicQualityShare"),
    },
)


def _day(params, name: str, default: date) -> date:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        day = date.fromisoformat(raw)
    except (TypeError, ValueError):
        raise exceptions.ValidationError({name: [_("Ngày không hợp lệ: hãy gửi theo dạng YYYY-MM-DD.")]}) from None
    if len(raw) != 10:
        raise exceptions.ValidationError({name: [_("Ngày không hợp lệ: hãy gửi theo dạng YYYY-MM-DD.")]})
    if day > timezone.localdate():
        raise exceptions.ValidationError({name: [_("Ngày không được sau hôm nay.")]})
    if day < EARLIEST:
        raise exceptions.ValidationError({name: [_("Ngày không được trước ngày thành lập Đảng (03/02/1930).")]})
    return day


def _organization(request) -> Organization:
    raw = request.query_params.get("organization")
    if raw in (None, ""):
        raise exceptions.ValidationError({"organization": [_("Hãy chọn tổ chức đảng (tham số organization).")]})
    if not raw.isdigit() or len(raw) > 18:
        raise exceptions.ValidationError({"organization": [_("Mã tổ chức phải là một số nguyên dương.")]})
    org = Organization.objects.restrict(request.user).filter(pk=int(raw)).first()
    if org is None:
        raise exceptions.NotFound(_("Không tìm thấy."))
    return org


def _period(request) -> tuple[date, date]:
    today = timezone.localdate()
    start = _day(request.query_params, "from", date(today.year, 1, 1))
    end = _day(request.query_params, "to", today)
    if start > end:
        raise exceptions.ValidationError({"to": [_("Ngày cuối kỳ phải từ ngày đầu kỳ trở đi.")]})
    return start, end


def _rate_json(rate) -> dict:
    return {"numerator": rate.present, "base": rate.base, "percent": None if rate.value is None else str(rate.value)}


class StatisticsView(APIView):
    # Authentication (clients' named tokens first), rights, throttles and the error shape are the
    # API's defaults in settings.REST_FRAMEWORK: this app sits beside apps.api, not above it.
    renderer_classes = [JSONRenderer]

    def permission_denied(self, request, message=None, code=None):
        if request.authenticators and not request.successful_authenticator:
            raise exceptions.NotAuthenticated(_("Chưa đăng nhập hoặc token không hợp lệ."))
        raise exceptions.PermissionDenied(_("Không có quyền thực hiện thao tác này."))


class MemberStatisticsView(StatisticsView):
    @extend_schema(
        summary=gettext_lazy("Đảng viên của tổ chức (và cấp dưới) tại một ngày, theo từng tiêu chí"),
        parameters=[ORGANIZATION, ON],
        responses={200: MEMBERS, **ERRORS},
    )
    @method_decorator(replica_reads())
    def get(self, request):
        org = _organization(request)
        day = _day(request.query_params, "on", timezone.localdate())
        f = selectors.member_figures(org, day)
        return Response(
            {
                "organization": org.pk,
                "on": day,
                "total": f.total,
                "women": f.women,
                "ethnic_minorities": f.ethnic_minorities,
                "religious": f.religious,
                "by_status": f.by_status,
                "by_gender": f.by_gender,
                "by_age_band": f.by_age_band,
                "by_ethnicity": f.by_ethnicity,
                "by_religion": f.by_religion,
                "by_education": f.by_education,
                "by_theory_level": f.by_theory_level,
                "by_seniority": f.by_seniority,
            }
        )


class PeriodStatisticsView(StatisticsView):
    # The figures of an organization over a period (`from`, `to`); each view says which. (A
    # comment, not a docstring: the schema would publish a docstring as the operation's description.)

    def figures(self, org, start: date, end: date) -> dict:
        raise NotImplementedError

    @method_decorator(replica_reads())
    def get(self, request):
        org = _organization(request)
        start, end = _period(request)
        return Response({"organization": org.pk, "from": start, "to": end, **self.figures(org, start, end)})


def _period_schema(summary, response):
    return extend_schema_view(
        get=extend_schema(summary=summary, parameters=[ORGANIZATION, FROM, TO], responses={200: response, **ERRORS})
    )


@_period_schema(gettext_lazy("Biến động đảng viên trong một kỳ"), MOVEMENT)
class MovementStatisticsView(PeriodStatisticsView):
    def figures(self, org, start, end):
        return selectors.movement(org, start, end).counts


@_period_schema(gettext_lazy("Đảng viên được cử đi đào tạo, bồi dưỡng trong một kỳ"), TRAINING)
class TrainingStatisticsView(PeriodStatisticsView):
    def figures(self, org, start, end):
        t = selectors.training(org, start, end)
        return {"by_kind": t.by_kind, "courses": [{"kind": k, "title": x, "count": n} for k, x, n in t.courses]}


@_period_schema(gettext_lazy("Khen thưởng và huy hiệu Đảng quyết định trong một kỳ"), AWARDS)
class AwardStatisticsView(PeriodStatisticsView):
    def figures(self, org, start, end):
        return {"awards": [{"name": name, "count": n} for name, n in selectors.awards(org, start, end)]}


@_period_schema(gettext_lazy("Sinh hoạt chi bộ trong một kỳ: số cuộc, tỷ lệ dự, chuyên đề đạt chất lượng"), MEETINGS)
class MeetingStatisticsView(PeriodStatisticsView):
    def figures(self, org, start, end):
        m = selectors.meeting_figures(org, start, end)
        return {
            "held": m.held,
            "held_by_kind": m.held_by_kind,
            "attendance": _rate_json(m.attendance),
            "thematic_up_to_quality": _rate_json(m.thematic),
        }


class OrganizationStatisticsView(StatisticsView):
    @extend_schema(
        summary=gettext_lazy("Tổ chức đảng trực thuộc tại một ngày, theo loại và loại hình"),
        parameters=[ORGANIZATION, ON],
        responses={200: ORGANIZATIONS, **ERRORS},
    )
    @method_decorator(replica_reads())
    def get(self, request):
        org = _organization(request)
        day = _day(request.query_params, "on", timezone.localdate())
        o = selectors.organization_figures(org, day)
        return Response(
            {
                "organization": org.pk,
                "on": day,
                "by_kind": o.by_kind,
                "by_sector": o.by_sector,
                "grassroots": {
                    "total": o.grassroots,
                    "committees": o.grassroots_committees,
                    "cells": o.grassroots_cells,
                    "by_sector": o.grassroots_by_sector,
                    "committees_by_sector": o.committees_by_sector,
                    "cells_by_sector": o.grassroots_cells_by_sector,
                },
                "subordinate_cells": o.subordinate_cells,
            }
        )
