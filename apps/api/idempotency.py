"""Safe retries: a POST with an `Idempotency-Key` header is carried out once per user and key.

A retry with the same key and the same request gets the first answer again (with the header
`Idempotent-Replayed: true`); the same key with a different request is refused (400); a retry
while the first is still running answers 409. Answers of 5xx are not kept, so the client may
retry. Keys live `API_IDEMPOTENCY_HOURS` hours.
"""

import hashlib
import json
import re
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from .models import IdempotentRequest

HEADER = "Idempotency-Key"
KEY = re.compile(r"^[\x21-\x7e]{1,100}$")  # printable ASCII, no spaces


class Conflict(exceptions.APIException):
    status_code = 409
    default_code = "conflict"


class Replayed(Exception):
    """Carries the stored answer out of `begin` to the view's exception handling."""

    def __init__(self, row: IdempotentRequest):
        self.row = row


def _window():
    return timezone.now() - timedelta(hours=settings.API_IDEMPOTENCY_HOURS)


def begin(request) -> IdempotentRequest | None:
    """Called once the user is known, before the view runs: the row to fill with the answer, or
    Replayed / a refusal. None when the request carries no key."""
    key = request.headers.get(HEADER)
    if key is None or request.method != "POST":
        return None
    if not KEY.match(key):
        raise exceptions.ValidationError(
            {HEADER: [_("Idempotency-Key phải gồm 1 đến 100 ký tự ASCII in được, không có dấu cách.")]}
        )
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode() + request.body).hexdigest()
    IdempotentRequest.objects.filter(created_at__lt=_window()).delete()  # expired answers
    try:
        with transaction.atomic():
            return IdempotentRequest.objects.create(user=request.user, key=key, fingerprint=digest)
    except IntegrityError:
        pass
    row = IdempotentRequest.objects.get(user=request.user, key=key)
    if row.fingerprint != digest:
        raise exceptions.ValidationError(
            {HEADER: [_("Idempotency-Key này đã dùng cho một yêu cầu khác; hãy dùng khóa mới cho yêu cầu mới.")]}
        )
    if row.status is None:
        raise Conflict(_("Yêu cầu cùng Idempotency-Key đang được xử lý; hãy thử lại sau giây lát."))
    raise Replayed(row)


def replay(row: IdempotentRequest) -> Response:
    response = Response(row.body, status=row.status, headers={"Idempotent-Replayed": "true"})
    if row.location:
        response["Location"] = row.location
    return response


def _without_nul(value):
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_without_nul(v) for v in value]
    if isinstance(value, dict):
        return {_without_nul(k): _without_nul(v) for k, v in value.items()}
    return value


def finish(row: IdempotentRequest, response) -> None:
    """Keep the answer (or, after a server error, free the key for a retry)."""
    if response.status_code >= 500:
        row.delete()
        return
    row.status = response.status_code
    data = getattr(response, "data", None)
    # Dates as the client saw them; a NUL echoed from a hostile body is dropped (PostgreSQL's
    # jsonb cannot hold it, and a failed save would break the request's transaction).
    row.body = None if data is None else _without_nul(json.loads(JSONRenderer().render(data)))
    row.location = response.get("Location", "")
    row.save(update_fields=["status", "body", "location"])
