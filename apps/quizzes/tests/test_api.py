import json
from decimal import Decimal

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from apps.api.tests.shapes import legacy
from apps.core.roles import Role
from apps.quizzes.models import Attempt, AttemptAnswer, Option

from .conftest import options

pytestmark = pytest.mark.django_db


def _api(user):
    return Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")


def test_a_taker_lists_starts_and_submits_through_the_api_without_the_key(world):
    api = _api(world["users"][0])
    quiz = world["quiz"]
    mine = api.get("/api/quizzes/mine/").json()
    assert [(row["id"], row["attempts_used"], row["running_attempt"]) for row in mine] == [(quiz.pk, 0, None)]
    started = api.post(f"/api/quizzes/{quiz.pk}/start/", content_type="application/json")
    assert started.status_code == 200
    data = started.json()
    assert "correct" not in json.dumps(data["questions"])
    assert [len(q["options"]) for q in data["questions"]] == [3, 3, 3]
    assert [q["multiple"] for q in data["questions"]] == [False, False, True]
    # The same body whatever the key says (apart from the attempt, which is the same row).
    for option in Option.objects.all():
        Option.objects.filter(pk=option.pk).update(is_correct=not option.is_correct)
    again = api.post(f"/api/quizzes/{quiz.pk}/start/", content_type="application/json").json()
    assert again == data
    for option in Option.objects.all():
        Option.objects.filter(pk=option.pk).update(is_correct=not option.is_correct)
    q1, q2, q3 = world["questions"]
    answers = [
        {"question": q1.pk, "options": [options(q1)["1930"]]},
        {"question": q2.pk, "options": [options(q2)["6 tháng"]]},
        {"question": q3.pk, "options": [options(q3)["Tập trung dân chủ"], options(q3)["Tự phê bình và phê bình"]]},
    ]
    attempt_id = data["attempt"]["id"]
    response = api.post(
        f"/api/quiz-attempts/{attempt_id}/submit/", json.dumps({"answers": answers}), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    result = response.json()
    assert (result["correct"], result["total"], Decimal(result["percent"]), result["passed"]) == (
        2,
        3,
        Decimal("66.67"),
        True,
    )
    second = api.post(
        f"/api/quiz-attempts/{attempt_id}/submit/", json.dumps({"answers": []}), content_type="application/json"
    )
    assert second.status_code == 400
    assert legacy(second)["non_field_errors"] == ["Bài làm này đã nộp; không nộp lại được."]
    assert api.post(f"/api/quizzes/{quiz.pk}/start/", content_type="application/json").status_code == 400
    assert (Attempt.objects.count(), AttemptAnswer.objects.count()) == (1, 3)


def test_the_api_refuses_those_not_invited_and_keeps_results_private(world, tree, make_user):
    quiz = world["quiz"]
    lan = world["users"][0]
    lan_api = _api(lan)
    attempt_id = lan_api.post(f"/api/quizzes/{quiz.pk}/start/", content_type="application/json").json()["attempt"]["id"]
    outsider = _api(world["outsider_user"])
    assert outsider.get("/api/quizzes/mine/").json() == []
    assert outsider.post(f"/api/quizzes/{quiz.pk}/start/", content_type="application/json").status_code == 404
    assert (
        outsider.post(
            f"/api/quiz-attempts/{attempt_id}/submit/", json.dumps({"answers": []}), content_type="application/json"
        ).status_code
        == 404
    )
    assert outsider.get(f"/api/quizzes/{quiz.pk}/results/").status_code == 404
    # The committee above sees the figures, not the members' scores; the organizer sees both.
    board = _api(make_user("btc", Role.ORGANIZATION_BOARD, tree["province"]))
    results = board.get(f"/api/quizzes/{quiz.pk}/results/")
    assert results.status_code == 200 and results.json()["results"] == []
    assert results.json()["overall"]["invited"] == 3
    organizer = _api(world["ward_staff"])
    assert organizer.get(f"/api/quizzes/{quiz.pk}/results/").json()["results"] == []  # nobody submitted yet
    attempt = Attempt.objects.get()
    assert (attempt.submitted_at, AttemptAnswer.objects.count()) == (None, 0)
