import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.quizzes.models import Attempt, AttemptAnswer, Option

from .conftest import options

pytestmark = pytest.mark.django_db

BASE = "/kiem-tra-nhan-thuc"


def _without_tokens(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)


def test_a_member_takes_a_test_in_one_form_and_sees_the_score(world, client_for):
    client = client_for(world["users"][0])
    quiz = world["quiz"]
    mine = client.get(f"{BASE}/cua-toi/").content.decode()
    assert quiz.title in mine and f"{BASE}/bai/{quiz.pk}/lam-bai/" in mine
    home = client.get("/").content.decode()
    assert f"{BASE}/bai/{quiz.pk}/lam-bai/" in home
    assert client.post(f"{BASE}/bai/{quiz.pk}/lam-bai/", {"op": "start"}).status_code == 302
    page = client.get(f"{BASE}/bai/{quiz.pk}/lam-bai/").content.decode()
    assert page.count('type="radio"') == 6 and page.count('type="checkbox"') == 3
    q1, q2, q3 = world["questions"]
    data = {
        f"q{q1.pk}": [options(q1)["1930"]],
        f"q{q2.pk}": [options(q2)["12 tháng"]],
        f"q{q3.pk}": [options(q3)["Tập trung dân chủ"], options(q3)["Tự phê bình và phê bình"]],
        "op": "submit",
    }
    response = client.post(f"{BASE}/bai/{quiz.pk}/lam-bai/", data)
    attempt = Attempt.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{BASE}/luot-lam-bai/{attempt.pk}/"
    assert (attempt.correct, attempt.percent, attempt.passed) == (3, Decimal("100.00"), True)
    result = client.get(response["Location"]).content.decode()
    assert 'id="score">3/3' in result and 'id="percent">100,00%' in result
    # Done: no open test left on the member's page, the result is listed among those taken.
    mine = client.get(f"{BASE}/cua-toi/").content.decode()
    assert "100,00%" in mine and "Không có bài kiểm tra nào đang mở" in mine


def test_the_answer_key_is_not_in_the_takers_page_nor_the_result(world, client_for):
    """The taker's page is byte for byte the same whatever the key says."""
    client = client_for(world["users"][0])
    quiz = world["quiz"]
    client.post(f"{BASE}/bai/{quiz.pk}/lam-bai/", {"op": "start"})
    before = _without_tokens(client.get(f"{BASE}/bai/{quiz.pk}/lam-bai/").content.decode())
    for option in Option.objects.all():
        Option.objects.filter(pk=option.pk).update(is_correct=not option.is_correct)
    after = _without_tokens(client.get(f"{BASE}/bai/{quiz.pk}/lam-bai/").content.decode())
    assert before == after
    assert "is_correct" not in before and "✓" not in before
    q1 = world["questions"][0]
    client.post(f"{BASE}/bai/{quiz.pk}/lam-bai/", {f"q{q1.pk}": [options(q1)["1945"]], "op": "submit"})
    attempt = Attempt.objects.get()
    result = _without_tokens(client.get(f"{BASE}/luot-lam-bai/{attempt.pk}/").content.decode())
    # The result names what the member chose and whether it was right, never the right option.
    assert "1945" in result and "1930" not in result and "12 tháng" not in result


def test_a_member_not_invited_gets_404_and_nothing_is_written(world, client_for):
    client = client_for(world["outsider_user"])
    quiz = world["quiz"]
    assert client.get(f"{BASE}/bai/{quiz.pk}/lam-bai/").status_code == 404
    assert client.post(f"{BASE}/bai/{quiz.pk}/lam-bai/", {"op": "start"}).status_code == 404
    assert client.get(f"{BASE}/bai/{quiz.pk}/").status_code == 404
    assert quiz.title not in client.get(f"{BASE}/cua-toi/").content.decode()
    assert Attempt.objects.count() == 0


def test_a_late_answer_through_the_page_is_refused_in_vietnamese(world, client_for):
    client = client_for(world["users"][0])
    quiz = world["quiz"]
    client.post(f"{BASE}/bai/{quiz.pk}/lam-bai/", {"op": "start"})
    Attempt.objects.update(deadline_at=timezone.now() - dt.timedelta(seconds=1))
    q1 = world["questions"][0]
    response = client.post(
        f"{BASE}/bai/{quiz.pk}/lam-bai/", {f"q{q1.pk}": [options(q1)["1930"]], "op": "submit"}, follow=True
    )
    assert "Đã hết 30 phút làm bài: câu trả lời gửi sau thời hạn không được nhận." in response.content.decode()
    attempt = Attempt.objects.get()
    assert (attempt.submitted_at, attempt.correct, AttemptAnswer.objects.count()) == (None, None, 0)
    # The one attempt allowed is used: no restart.
    page = client.get(f"{BASE}/bai/{quiz.pk}/lam-bai/").content.decode()
    assert "Đồng chí đã dùng hết số lần được làm." in page


def test_the_organizer_creates_a_bank_question_and_test_through_the_pages(world, tree, client_for):
    client = client_for(world["ward_staff"])
    response = client.post(
        f"{BASE}/ngan-hang/moi/", {"organization": tree["ward"].pk, "topic": "Nghị quyết", "title": "Nghị quyết TW4"}
    )
    assert response.status_code == 302
    bank_url = response["Location"]
    response = client.post(
        bank_url,
        {
            "text": "Nghị quyết Trung ương 4 khóa XII nêu bao nhiêu biểu hiện?",
            "kind": "single",
            "option_1": "27",
            "correct_1": "on",
            "option_2": "19",
        },
    )
    assert response.status_code == 302
    page = client.get(bank_url).content.decode()
    assert "Nghị quyết Trung ương 4" in page and "✓" in page  # the organizer sees the key
    # A single-answer question with two correct options: refused on the form, nothing saved.
    response = client.post(
        bank_url,
        {"text": "Sai?", "kind": "single", "option_1": "A", "correct_1": "on", "option_2": "B", "correct_2": "on"},
    )
    assert response.status_code == 200
    assert "Câu hỏi một đáp án phải có đúng một phương án đúng." in response.content.decode()
    now = timezone.localtime()
    response = client.post(
        f"{BASE}/bai/moi/",
        {
            "organization": tree["ward"].pk,
            "title": "Kiểm tra nhanh",
            "opens_at": now.strftime("%d/%m/%Y %H:%M"),
            "closes_at": (now + dt.timedelta(days=2)).strftime("%d/%m/%Y %H:%M"),
            "duration_minutes": 15,
            "attempts_allowed": 1,
            "pass_percent": 50,
            "bank": world["bank"].pk,
            "draw_count": 2,
            "audience_org": tree["cell_a"].pk,
            "include_subtree": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    quiz_page = client.get(response["Location"]).content.decode()
    assert "Kiểm tra nhanh" in quiz_page and "Chi bộ khu phố 1" in quiz_page
