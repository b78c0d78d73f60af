"""The change feed: lists read in (updated_at, id) order from a moment on, and what left them.

A list asked with `updated_since` (or `ordering=updated_at`) is paged by keyset on
(updated_at, id) instead of its usual order. The cursor is opaque (base64 of JSON) and names the
last row given, so a row edited while a client pages moves behind the cursor and is given again
later in the same walk (never lost, never skipped by a shifting offset).

Every page carries a `watermark`: the moment the walk began, less `API_SYNC_MARGIN_SECONDS` (a
transaction that stamped a row before it committed is still caught next time). The client keeps
it and asks `updated_since=<watermark>` next time. The last page of a walk asked with
`updated_since` also carries `removed`: ids that are not in the list any more though they may have
been since that moment, from the scoping door's point of view: moved out of the caller's reach
(organizations.Departure), or no longer matching the list (ended, when `include_ended` is not set).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections import OrderedDict

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from apps.core.scoping import VIEW, scope_for
from apps.organizations.models import Departure

SYNC_ORDERING = "updated_at"
INVALID_CURSOR = _("Con trỏ phân trang không hợp lệ.")
INVALID_SINCE = _(
    "Thời điểm không hợp lệ: hãy dùng ISO 8601 có giờ và múi giờ, ví dụ 2026-12-04T08:30:00+07:00 "
    "hoặc 2026-12-04T01:30:00Z."
)


def parse_moment(value: str | None) -> dt.datetime | None:
    """An ISO 8601 date-time (a naive one is read in the project's time zone), or 400."""
    if value is None:
        return None
    try:
        moment = parse_datetime(value.strip())
    except ValueError:
        moment = None
    if moment is None:
        raise ValidationError({"updated_since": [INVALID_SINCE]}, code="invalid")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def is_sync(request) -> bool:
    return "updated_since" in request.query_params or request.query_params.get("ordering") == SYNC_ORDERING


def watermark_now() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.API_SYNC_MARGIN_SECONDS)


def encode_cursor(updated_at: dt.datetime, pk: int, watermark: dt.datetime) -> str:
    raw = json.dumps({"u": updated_at.isoformat(), "i": pk, "w": watermark.isoformat()}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(value: str) -> tuple[dt.datetime, int, dt.datetime]:
    try:
        padded = value + "=" * (-len(value) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")).decode())
        updated_at, pk, watermark = parse_datetime(data["u"]), data["i"], parse_datetime(data["w"])
        if updated_at is None or watermark is None or type(pk) is not int or timezone.is_naive(updated_at):
            raise ValueError
        if timezone.is_naive(watermark):
            raise ValueError
    except (ValueError, TypeError, KeyError, UnicodeError, binascii.Error, AttributeError):
        raise ValidationError({"cursor": [INVALID_CURSOR]}, code="invalid_cursor") from None
    return updated_at, pk, watermark


class _OldPlace:
    """The scoping lookups of a departure's former place (apps.core.scoping.Scope.reach_q)."""

    scope_path = "old_path"
    scope_org = "old_organization_id"
    scope_member = None


def removed_since(user, *, kind: str, since: dt.datetime, reachable, listed) -> list[int]:
    """Ids that may have been in the list (`listed`) since `since` and are not in it now.

    Candidates are the rows in reach changed since then (`reachable`, the view's base queryset)
    and the rows that left a place in reach since then (departures); those still listed are not
    removals. An id never in reach is never named.
    """
    current = listed.order_by().values("pk")
    changed = reachable.filter(updated_at__gte=since).exclude(pk__in=current).values_list("pk", flat=True)
    departed = (
        Departure.objects.filter(kind=kind, at__gte=since)
        .filter(scope_for(user).reach_q(_OldPlace, VIEW))
        .exclude(object_id__in=current)
        .values_list("object_id", flat=True)
    )
    return sorted(set(changed) | set(departed))


class SyncPaginationMixin(CursorPagination):
    """Keyset paging on (updated_at, id) for the change feed, beside the list's usual cursor paging.

    The view names `removal_kind` (organizations.DepartureKind) and its base queryset
    (`get_queryset()`, the rows in reach).
    """

    sync = False

    def paginate_queryset(self, queryset, request, view=None):
        if not is_sync(request):
            self.sync = False
            return super().paginate_queryset(queryset, request, view)
        self.sync = True
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.page_size = self.get_page_size(request)
        since = parse_moment(request.query_params.get("updated_since"))
        cursor = request.query_params.get(self.cursor_query_param)
        listed = queryset
        queryset = queryset.order_by("updated_at", "pk")
        if since is not None:
            queryset = queryset.filter(updated_at__gte=since)
        if cursor:
            last_at, last_pk, self.watermark = decode_cursor(cursor)
            queryset = queryset.filter(Q(updated_at__gt=last_at) | Q(updated_at=last_at, pk__gt=last_pk))
        else:
            self.watermark = watermark_now()
        rows = list(queryset[: self.page_size + 1])
        self.has_more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        self.last = (rows[-1].updated_at, rows[-1].pk) if rows else None
        self.removed = None
        if since is not None and not self.has_more:
            self.removed = removed_since(
                request.user, kind=view.removal_kind, since=since, reachable=view.get_queryset(), listed=listed
            )
        return rows

    def get_next_link(self):
        if not self.sync:
            return super().get_next_link()
        if not self.has_more or self.last is None:
            return None
        return replace_query_param(
            self.base_url, self.cursor_query_param, encode_cursor(*self.last, watermark=self.watermark)
        )

    def get_paginated_response(self, data):
        if not self.sync:
            return super().get_paginated_response(data)
        body = OrderedDict(
            [
                ("next", self.get_next_link()),
                ("previous", None),
                ("watermark", self.watermark.isoformat()),
                ("results", data),
            ]
        )
        if self.removed is not None:
            body["removed"] = self.removed
        return Response(body)

    def get_paginated_response_schema(self, schema):
        base = super().get_paginated_response_schema(schema)
        base["properties"]["watermark"] = {
            "type": "string",
            "format": "date-time",
            "nullable": True,
            "description": str(
                _(
                    "Chỉ khi đọc theo thời điểm cập nhật (updated_since hoặc ordering=updated_at): "
                    "thời điểm gửi lại trong updated_since ở lần đồng bộ sau."
                )
            ),
        }
        base["properties"]["removed"] = {
            "type": "array",
            "items": {"type": "integer"},
            "nullable": True,
            "description": str(
                _(
                    "Chỉ ở trang cuối khi có updated_since: mã các bản ghi không còn trong danh sách "
                    "(ra khỏi phạm vi của bạn, hoặc đã kết thúc khi không có include_ended=true); hãy xóa "
                    "chúng khỏi bản sao."
                )
            ),
        }
        return base
