import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.core.roles import Role
from apps.quizzes import selectors, services
from apps.quizzes.models import Attempt, AttemptAnswer, Option, Question, Quiz, QuizInvitation

from .conftest import options

pytestmark = pytest.mark.django_db


def _answers(world, q1, q2, q3):
    """Answers by option text for the world's three questions."""
    qs = world["questions"]
    return {q.pk: [options(q)[t] for t in texts] for q, texts in zip(qs, (q1, q2, q3), strict=True)}


def _take(world, i, q1, q2, q3, minutes=5):
    user, now = world["users"][i], world["now"]
    attempt = services.attempt_start(user=user, quiz=world["quiz"], now=now)
    return services.attempt_submit(
        user=user, attempt=attempt, answers=_answers(world, q1, q2, q3), now=now + dt.timedelta(minutes=minutes)
    )


def test_scoring_is_hand_computed_and_a_multiple_answer_question_is_all_or_nothing(world):
    # Lan: Q1 right, Q2 wrong, Q3 only one of its two correct options → 1/3.
    lan = _take(world, 0, ["1930"], ["6 tháng"], ["Tập trung dân chủ"])
    # Minh: all right, Q3 exactly both → 3/3.
    minh = _take(world, 1, ["1930"], ["12 tháng"], ["Tập trung dân chủ", "Tự phê bình và phê bình"])
    # Hoa: Q3 with both correct options and a wrong one → 2/3.
    hoa = _take(
        world, 2, ["1930"], ["12 tháng"], ["Tập trung dân chủ", "Tam quyền phân lập", "Tự phê bình và phê bình"]
    )
    assert (lan.correct, lan.total, lan.percent, lan.passed) == (1, 3, Decimal("33.33"), False)
    assert (minh.correct, minh.total, minh.percent, minh.passed) == (3, 3, Decimal("100.00"), True)
    assert (hoa.correct, hoa.total, hoa.percent, hoa.passed) == (2, 3, Decimal("66.67"), True)
    q3 = world["questions"][2]
    assert [a.is_correct for a in AttemptAnswer.objects.filter(question=q3).order_by("attempt__member_id")] == [
        False,
        True,
        False,
    ]
    figures = selectors.quiz_figures(world["quiz"])
    # (33,33 + 100 + 66,67) / 3 = 66,67; 2 passed of 3 taken.
    assert (figures.overall.invited, figures.overall.taken, figures.overall.passed) == (3, 3, 2)
    assert figures.overall.average == Decimal("66.67")
    assert figures.overall.pass_rate == Decimal("66.67")
    assert [(f.label, f.invited, f.taken) for f in figures.by_cell] == [("Chi bộ khu phố 1", 3, 3)]


def test_an_unanswered_question_scores_nothing_and_the_pass_mark_is_inclusive(world):
    world["quiz"].pass_percent = 66
    world["quiz"].save()
    a = _take(world, 0, ["1930"], ["12 tháng"], [])
    assert (a.correct, a.percent, a.passed) == (2, Decimal("66.67"), True)


def _state(attempt):
    attempt.refresh_from_db()
    return (attempt.submitted_at, attempt.correct, attempt.percent, AttemptAnswer.objects.count())


def test_an_answer_after_the_duration_is_refused_and_nothing_changes(world):
    user, now = world["users"][0], world["now"]
    attempt = services.attempt_start(user=user, quiz=world["quiz"], now=now)
    assert attempt.deadline_at == now + dt.timedelta(minutes=30)
    before = _state(attempt)
    with pytest.raises(ValidationError) as exc:
        services.attempt_submit(
            user=user, attempt=attempt, answers=_answers(world, ["1930"], [], []), now=now + dt.timedelta(minutes=31)
        )
    assert "Đã hết 30 phút làm bài" in exc.value.messages[0]
    assert _state(Attempt.objects.get(pk=attempt.pk)) == before == (None, None, None, 0)


def test_an_answer_after_the_window_is_refused_and_nothing_changes(world):
    user = world["users"][0]
    quiz = world["quiz"]
    attempt = services.attempt_start(user=user, quiz=quiz, now=quiz.closes_at - dt.timedelta(minutes=10))
    # The window's end cuts the duration short.
    assert attempt.deadline_at == quiz.closes_at
    with pytest.raises(ValidationError) as exc:
        services.attempt_submit(user=user, attempt=attempt, answers={}, now=quiz.closes_at + dt.timedelta(seconds=1))
    assert "đã đóng" in exc.value.messages[0]
    assert _state(Attempt.objects.get(pk=attempt.pk)) == (None, None, None, 0)
    # Starting after the window is refused too.
    with pytest.raises(ValidationError):
        services.attempt_start(user=world["users"][1], quiz=quiz, now=quiz.closes_at)
    with pytest.raises(ValidationError):
        services.attempt_start(user=world["users"][1], quiz=quiz, now=quiz.opens_at - dt.timedelta(seconds=1))
    assert Attempt.objects.count() == 1


def test_a_second_attempt_is_refused_where_one_is_allowed_and_a_second_submit_too(world):
    first = _take(world, 0, ["1930"], ["12 tháng"], [])
    with pytest.raises(ValidationError) as exc:
        services.attempt_start(user=world["users"][0], quiz=world["quiz"], now=world["now"] + dt.timedelta(hours=1))
    assert exc.value.messages == ["Đồng chí đã làm bài này 1 lần, là số lần được phép."]
    with pytest.raises(ValidationError):
        services.attempt_submit(user=world["users"][0], attempt=first, answers={}, now=world["now"])
    first.refresh_from_db()
    assert (Attempt.objects.count(), AttemptAnswer.objects.count(), first.correct) == (1, 3, 2)


def test_two_attempts_allowed_count_the_best(world):
    quiz = world["quiz"]
    quiz.attempts_allowed = 2
    quiz.save()
    _take(world, 0, ["1945"], [], [])
    second = _take(world, 0, ["1930"], ["12 tháng"], [])
    assert second.number == 2
    with pytest.raises(ValidationError):
        services.attempt_start(user=world["users"][0], quiz=quiz, now=world["now"])
    figures = selectors.quiz_figures(quiz)
    assert (figures.overall.taken, figures.overall.average, figures.overall.passed) == (1, Decimal("66.67"), 1)


def test_a_taker_not_invited_is_refused_and_nothing_is_written(world):
    with pytest.raises(PermissionDenied) as exc:
        services.attempt_start(user=world["outsider_user"], quiz=world["quiz"], now=world["now"])
    assert str(exc.value) == "Đồng chí không có tên trong danh sách dự bài kiểm tra này."
    # Nor may anyone submit a member's attempt for them.
    attempt = services.attempt_start(user=world["users"][0], quiz=world["quiz"], now=world["now"])
    with pytest.raises(PermissionDenied):
        services.attempt_submit(user=world["users"][1], attempt=attempt, answers={}, now=world["now"])
    assert _state(attempt) == (None, None, None, 0)
    assert Attempt.objects.count() == 1


def test_options_of_another_question_and_two_choices_on_a_single_question_are_refused(world):
    q1, q2, _q3 = world["questions"]
    attempt = services.attempt_start(user=world["users"][0], quiz=world["quiz"], now=world["now"])
    for answers in ({q1.pk: [options(q2)["12 tháng"]]}, {q1.pk: [options(q1)["1930"], options(q1)["1945"]]}):
        with pytest.raises(ValidationError):
            services.attempt_submit(user=world["users"][0], attempt=attempt, answers=answers, now=world["now"])
    assert _state(attempt) == (None, None, None, 0)


def test_question_validation(world):
    bank = world["bank"]
    cases = [
        ("single", [("A", True), ("B", True)], "Câu hỏi một đáp án phải có đúng một phương án đúng."),
        ("multiple", [("A", False), ("B", False)], "Hãy đánh dấu ít nhất một phương án đúng."),
        ("single", [("A", True)], "Một câu hỏi cần ít nhất hai phương án trả lời."),
        ("single", [("A", True), ("a", False)], "Hai phương án trùng nhau."),
    ]
    for kind, opts, message in cases:
        with pytest.raises(ValidationError) as exc:
            services.question_add(user=world["ward_staff"], bank=bank, text="Câu hỏi?", kind=kind, options=opts)
        assert exc.value.message_dict["options"] == [message]
    assert Question.objects.count() == 3 and Option.objects.count() == 9


def test_drawing_questions_from_a_bank(world, tree):
    import random

    quiz = services.quiz_create(
        user=world["ward_staff"],
        organization=tree["ward"],
        title="Rút ngẫu nhiên",
        opens_at=world["now"],
        closes_at=world["now"] + dt.timedelta(days=1),
        duration_minutes=10,
        bank=world["bank"],
        draw_count=2,
        audience_org=tree["ward"],
        rng=random.Random(1),
    )
    assert quiz.items.count() == 2
    assert set(quiz.items.values_list("question__bank", flat=True)) == {world["bank"].pk}
    # The ward with its subtree: the three of cell A and the one of cell B.
    assert quiz.invitations.count() == 4
    with pytest.raises(ValidationError) as exc:
        services.quiz_create(
            user=world["ward_staff"],
            organization=tree["ward"],
            title="Quá nhiều",
            opens_at=world["now"],
            closes_at=world["now"] + dt.timedelta(days=1),
            duration_minutes=10,
            bank=world["bank"],
            draw_count=4,
            audience_org=tree["ward"],
        )
    assert exc.value.message_dict["draw_count"] == ["Ngân hàng chỉ có 3 câu hỏi đang dùng."]


def test_named_members_by_card_number_and_bad_windows(world, tree):
    staff, now = world["ward_staff"], world["now"]
    outsider = world["outsider"]
    quiz = services.quiz_create(
        user=staff,
        organization=tree["ward"],
        title="Theo danh sách",
        opens_at=now,
        closes_at=now + dt.timedelta(hours=2),
        duration_minutes=10,
        questions=world["questions"][:1],
        card_numbers=[outsider.card_number],
    )
    assert list(quiz.invitations.values_list("member", flat=True)) == [outsider.pk]
    count = Quiz.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.quiz_create(
            user=staff,
            organization=tree["ward"],
            title="Sai",
            opens_at=now,
            closes_at=now - dt.timedelta(hours=1),
            duration_minutes=0,
            questions=world["questions"][:1],
            card_numbers=["99999999"],
        )
    errors = exc.value.message_dict
    assert errors["closes_at"] == ["Thời điểm đóng phải sau thời điểm mở."]
    assert errors["duration_minutes"] == ["Thời gian làm bài từ 1 đến 600 phút."]
    assert "99999999" in errors["card_numbers"][0]
    assert Quiz.objects.count() == count


# --- Boundaries ---------------------------------------------------------------------------------


def test_organizers_out_of_scope_are_refused_and_nothing_changes(world, tree, make_user, make_member):
    sibling = make_user("bithu_b", Role.CELL_SECRETARY, tree["cell_b"], include_subtree=False)
    other_ward = make_user("danguy_dh", Role.COMMITTEE_STAFF, tree["ward2"])
    counts = (Quiz.objects.count(), QuizInvitation.objects.count(), Question.objects.count())
    for user in (sibling, other_ward):
        with pytest.raises(PermissionDenied):
            services.quiz_create(
                user=user,
                organization=tree["cell_a"],
                title="Ngoài phạm vi",
                opens_at=world["now"],
                closes_at=world["now"] + dt.timedelta(hours=1),
                duration_minutes=10,
                questions=world["questions"],
                audience_org=tree["cell_a"],
            )
        with pytest.raises(PermissionDenied):
            services.question_add(
                user=user, bank=world["bank"], text="Câu?", kind="single", options=[("A", True), ("B", False)]
            )
        with pytest.raises(PermissionDenied):
            services.quiz_cancel(user=user, quiz=world["quiz"])
    # A cell's secretary may not invite another cell's members to their own cell's test.
    with pytest.raises((PermissionDenied, ValidationError)):
        services.quiz_create(
            user=sibling,
            organization=tree["cell_b"],
            title="Mời chi bộ khác",
            opens_at=world["now"],
            closes_at=world["now"] + dt.timedelta(hours=1),
            duration_minutes=10,
            questions=[],
            audience_org=tree["cell_a"],
        )
    assert (Quiz.objects.count(), QuizInvitation.objects.count(), Question.objects.count()) == counts
    world["quiz"].refresh_from_db()
    assert world["quiz"].cancelled_at is None


def test_results_are_private_to_the_member_and_the_organizers(world, tree, make_user, client_for):
    lan = _take(world, 0, ["1930"], ["6 tháng"], [])
    minh = _take(world, 1, ["1930"], ["12 tháng"], [])
    sibling = make_user("bithu_b", Role.CELL_SECRETARY, tree["cell_b"], include_subtree=False)
    other_ward = make_user("danguy_dh", Role.COMMITTEE_STAFF, tree["ward2"])
    inspection = make_user("ubkt_bt", Role.INSPECTION, tree["ward"])
    board = make_user("btc_tinh", Role.ORGANIZATION_BOARD, tree["province"])
    secretary_a = make_user("bithu_a2", Role.CELL_SECRETARY, tree["cell_a"], include_subtree=False)
    quiz = world["quiz"]
    assert selectors.may_read_result(world["users"][0], lan).basis == "own"
    assert selectors.may_read_result(world["ward_staff"], lan).basis == "organizer"
    for user in (world["users"][1], sibling, other_ward, inspection, board, secretary_a):
        assert not selectors.may_read_result(user, lan).allowed, user
    assert [a.pk for a in selectors.results_readable(world["users"][0], quiz)] == [lan.pk]
    assert {a.pk for a in selectors.results_readable(world["ward_staff"], quiz)} == {lan.pk, minh.pk}
    assert list(selectors.results_readable(inspection, quiz)) == []
    # Pages: the organizer sees names and scores; the committee above sees counts only; others 404.
    page = client_for(world["ward_staff"]).get(f"/kiem-tra-nhan-thuc/bai/{quiz.pk}/").content.decode()
    assert "Trần Thị Lan" in page and "33,33%" in page
    for user in (board, inspection):
        response = client_for(user).get(f"/kiem-tra-nhan-thuc/bai/{quiz.pk}/")
        assert response.status_code == 200
        body = response.content.decode()
        assert "Trần Thị Lan" not in body and "Lê Văn Minh" not in body
        assert re.search(r'id="overall-pass-rate">50,00%', body)
        assert client_for(user).get(f"/kiem-tra-nhan-thuc/luot-lam-bai/{lan.pk}/").status_code == 404
    for user in (sibling, other_ward):
        assert client_for(user).get(f"/kiem-tra-nhan-thuc/bai/{quiz.pk}/").status_code == 404
        assert client_for(user).get(f"/kiem-tra-nhan-thuc/luot-lam-bai/{lan.pk}/").status_code == 404
    assert client_for(world["users"][1]).get(f"/kiem-tra-nhan-thuc/luot-lam-bai/{lan.pk}/").status_code == 404
    own = client_for(world["users"][0]).get(f"/kiem-tra-nhan-thuc/luot-lam-bai/{lan.pk}/")
    assert own.status_code == 200 and 'id="percent">33,33%' in own.content.decode()


def test_the_results_export_names_members_for_organizers_only(world, tree, make_user, client_for):
    import io

    from openpyxl import load_workbook

    _take(world, 0, ["1930"], ["6 tháng"], [])
    quiz = world["quiz"]

    def rows(user):
        response = client_for(user).get(f"/kiem-tra-nhan-thuc/bai/{quiz.pk}/ket-qua.xlsx")
        assert response.status_code == 200
        book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        return [tuple(c for c in row) for row in book.active.iter_rows(values_only=True)]

    organizer = rows(world["ward_staff"])
    assert organizer[1][:6] == ("Trần Thị Lan", "Chi bộ khu phố 1", 1, "1/3", 33.33, "Chưa đạt")
    assert organizer[3][0] == "Chi bộ" and organizer[4][:3] == ("Chi bộ khu phố 1", 3, 1)
    board = rows(make_user("btc_tinh", Role.ORGANIZATION_BOARD, tree["province"]))
    assert all("Trần Thị Lan" not in row for row in board)
    assert board[1] == ("Chi bộ khu phố 1", 3, 1, 33.33, "0,00%")
    other_ward = make_user("danguy_dh", Role.COMMITTEE_STAFF, tree["ward2"])
    assert client_for(other_ward).get(f"/kiem-tra-nhan-thuc/bai/{quiz.pk}/ket-qua.xlsx").status_code == 404
