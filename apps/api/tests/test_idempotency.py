"""Safe retries (issue 17, point 5): the same POST sent twice with an Idempotency-Key used to
create two members."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.api.models import IdempotentRequest
from apps.api.tests.shapes import legacy
from apps.members.models import Member

from .test_members import _member_payload

pytestmark = pytest.mark.django_db


def _post(client, payload, key):
    return client.post("/api/members/", payload, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_a_retried_create_writes_once_and_answers_the_same(tree, secretary_a, api_for):
    client, payload = api_for(secretary_a), _member_payload(tree["cell_a"])
    first = _post(client, payload, "them-vo-thi-sau-1")
    again = _post(client, payload, "them-vo-thi-sau-1")
    assert first.status_code == again.status_code == 201
    assert legacy(again) == legacy(first) and again["Idempotent-Replayed"] == "true"
    assert Member.objects.filter(family_name="Võ", given_name="Sáu").count() == 1
    # Without a key (or with a new one) a POST is a new request.
    other = {**payload, "card_number": "", "citizen_id": "079185000124"}
    assert _post(client, other, "them-vo-thi-sau-2").status_code == 201
    assert Member.objects.filter(family_name="Võ", given_name="Sáu").count() == 2


def test_the_same_key_for_another_request_is_refused_and_changes_nothing(tree, secretary_a, api_for):
    client, payload = api_for(secretary_a), _member_payload(tree["cell_a"])
    assert _post(client, payload, "k1").status_code == 201
    before = Member.objects.count()
    other = _post(client, {**payload, "given_name": "Hai", "card_number": ""}, "k1")
    assert other.status_code == 400
    assert legacy(other) == {
        "Idempotency-Key": ["Idempotency-Key này đã dùng cho một yêu cầu khác; hãy dùng khóa mới cho yêu cầu mới."]
    }
    assert Member.objects.count() == before


def test_keys_are_per_user_refused_when_malformed_and_expire(tree, secretary_a, ward_staff, api_for):
    payload = _member_payload(tree["cell_a"])
    bad = _post(api_for(secretary_a), payload, "có dấu cách")
    assert bad.status_code == 400 and "Idempotency-Key" in legacy(bad)
    assert not Member.objects.filter(given_name="Sáu").exists()
    assert _post(api_for(secretary_a), payload, "k").status_code == 201
    # Another user's identical key is their own.
    assert _post(api_for(ward_staff), {**payload, "card_number": "", "citizen_id": ""}, "k").status_code == 201
    assert Member.objects.filter(given_name="Sáu").count() == 2
    IdempotentRequest.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
    assert _post(api_for(secretary_a), {**payload, "card_number": "", "citizen_id": ""}, "k").status_code == 201
    assert Member.objects.filter(given_name="Sáu").count() == 3


def test_a_refusal_is_replayed_and_a_request_still_running_answers_409(tree, secretary_a, api_for):
    client = api_for(secretary_a)
    payload = _member_payload(tree["cell_a"], family_name="")
    first = _post(client, payload, "k-loi")
    assert first.status_code == 400
    again = _post(client, payload, "k-loi")
    assert (again.status_code, legacy(again), again["Idempotent-Replayed"]) == (400, legacy(first), "true")
    IdempotentRequest.objects.filter(key="k-loi").update(status=None, body=None)  # as if still running
    running = _post(client, payload, "k-loi")
    assert running.status_code == 409
    assert legacy(running) == {"detail": "Yêu cầu cùng Idempotency-Key đang được xử lý; hãy thử lại sau giây lát."}


def test_a_hostile_key_in_a_body_is_refused_and_the_refusal_kept_for_the_retry(tree, secretary_a, api_for):
    """A body key with NUL was echoed into the kept answer, which PostgreSQL's jsonb refuses."""
    client, payload = api_for(secretary_a), _member_payload(tree["cell_a"])
    before = Member.objects.count()
    first = _post(client, {**payload, "x\x00y": 1}, "k-nul")
    again = _post(client, {**payload, "x\x00y": 1}, "k-nul")
    assert first.status_code == again.status_code == 400
    assert legacy(first) == {"xy": ["Trường này không có trong API (xem /api/openapi.json)."]}
    assert again["Idempotent-Replayed"] == "true" and Member.objects.count() == before
