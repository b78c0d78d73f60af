"""Writes of question banks, tests and surveys. Every refusal is a Vietnamese ValidationError (or
PermissionDenied out of reach) raised before anything is written."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

from auditlog.context import disable_auditlog
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.scoping import CHANGE, VIEW, scope_for
from apps.core.services import audited, require_org
from apps.members.models import CURRENT_STATUSES, Member, Status

from .models import (
    Attempt,
    AttemptAnswer,
    Option,
    Question,
    QuestionBank,
    QuestionKind,
    Quiz,
    QuizInvitation,
    QuizQuestion,
    Survey,
    SurveyAnswer,
    SurveyChoice,
    SurveyInvitation,
    SurveyQuestion,
    SurveyQuestionKind,
    SurveyResponse,
)

MAX_DURATION_MINUTES = 600
MAX_ATTEMPTS = 10
MAX_OPTIONS = 10
MAX_QUESTIONS = 200
# An organization's members invited as a whole: those who take part in its work (not the exempted,
# the suspended or those away on a temporary transfer; a named member may be any current one).
TAKING_PART = (Status.PROBATIONARY, Status.FULL, Status.TEMP_IN)


def _text(value) -> str:
    return (value or "").strip()


# --- Question banks ------------------------------------------------------------------------------


def bank_create(*, user: User, organization, topic, title, description="") -> QuestionBank:
    require_org(user, organization)
    errors = {}
    if not _text(topic):
        errors["topic"] = _("Hãy nhập chủ đề.")
    if not _text(title):
        errors["title"] = _("Hãy nhập tên ngân hàng câu hỏi.")
    if errors:
        raise ValidationError(errors)
    bank = QuestionBank(
        organization=organization,
        org_path=organization.path,
        topic=_text(topic),
        title=_text(title),
        description=_text(description),
    )
    bank.full_clean()
    with audited(user):
        bank.save()
    return bank


def question_add(*, user: User, bank: QuestionBank, text, kind, options: Sequence[tuple[str, bool]]) -> Question:
    """A question with its options, each (text, is correct): a single-answer question has exactly
    one correct option, a multiple-answer one at least one."""
    require_org(user, bank.organization)
    options = [(_text(t), bool(c)) for t, c in options if _text(t)]
    errors = {}
    if not bank.active:
        errors["text"] = _("Ngân hàng câu hỏi này đã ngừng sử dụng.")
    if not _text(text):
        errors["text"] = _("Hãy nhập câu hỏi.")
    if kind not in QuestionKind.values:
        errors["kind"] = _("Loại câu hỏi không hợp lệ.")
    correct = sum(1 for _t, c in options if c)
    if len(options) < 2:
        errors["options"] = _("Một câu hỏi cần ít nhất hai phương án trả lời.")
    elif len(options) > MAX_OPTIONS:
        errors["options"] = _("Một câu hỏi có nhiều nhất %(n)s phương án.") % {"n": MAX_OPTIONS}
    elif len({t.casefold() for t, _c in options}) != len(options):
        errors["options"] = _("Hai phương án trùng nhau.")
    elif kind == QuestionKind.SINGLE and correct != 1:
        errors["options"] = _("Câu hỏi một đáp án phải có đúng một phương án đúng.")
    elif kind == QuestionKind.MULTIPLE and correct < 1:
        errors["options"] = _("Hãy đánh dấu ít nhất một phương án đúng.")
    if errors:
        raise ValidationError(errors)
    question = Question(bank=bank, text=_text(text), kind=kind)
    question.full_clean(exclude=["bank"])
    with audited(user):
        question.save()
        for i, (option_text, is_correct) in enumerate(options, start=1):
            Option.objects.create(question=question, text=option_text, is_correct=is_correct, position=i)
    return question


def question_retire(*, user: User, question: Question) -> Question:
    """A question stops being offered for new tests; tests that hold it keep it."""
    require_org(user, question.bank.organization)
    if not question.active:
        raise ValidationError(_("Câu hỏi này đã ngừng sử dụng."))
    question.active = False
    with audited(user):
        question.save(update_fields=["active"])
    return question


# --- Tests ---------------------------------------------------------------------------------------


def _audience_members(user: User, organization, audience_org, include_subtree: bool, card_numbers: Iterable[str]):
    """The members invited: the current members of `audience_org` (with its subtree or not) and the
    members named by card number, all inside the organization holding it and the user's reach."""
    errors = {}
    members: dict[int, Member] = {}
    if audience_org is not None:
        if not audience_org.path.startswith(organization.path):
            errors["audience_org"] = _("Tổ chức được chọn không thuộc tổ chức tổ chức thi.")
        else:
            qs = Member.objects.filter(status__in=TAKING_PART).select_related("organization")
            qs = (
                qs.filter(org_path__startswith=audience_org.path)
                if include_subtree
                else qs.filter(organization=audience_org)
            )
            members.update({m.pk: m for m in qs})
    cards = [c.strip() for c in card_numbers if c and c.strip()]
    if cards:
        found = {
            m.card_number: m
            for m in Member.objects.restrict(user, CHANGE)
            .filter(card_number__in=cards, status__in=CURRENT_STATUSES, org_path__startswith=organization.path)
            .select_related("organization")
        }
        unknown = [c for c in cards if c not in found]
        if unknown:
            errors["card_numbers"] = _(
                "Không tìm thấy đảng viên có số thẻ %(cards)s trong tổ chức tổ chức thi (trong phạm vi của đồng chí)."
            ) % {"cards": ", ".join(unknown[:10])}
        members.update({m.pk: m for m in found.values()})
    if not errors and not members:
        errors["audience_org"] = _("Hãy chọn người dự: một tổ chức đảng hoặc các đảng viên (theo số thẻ).")
    if errors:
        raise ValidationError(errors)
    return list(members.values())


def _check_window(opens_at, closes_at, errors: dict) -> None:
    if opens_at is None:
        errors["opens_at"] = _("Hãy nhập thời điểm mở.")
    if closes_at is None:
        errors["closes_at"] = _("Hãy nhập thời điểm đóng.")
    if opens_at and closes_at and closes_at <= opens_at:
        errors["closes_at"] = _("Thời điểm đóng phải sau thời điểm mở.")


def quiz_create(
    *,
    user: User,
    organization,
    title,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    duration_minutes: int,
    attempts_allowed: int = 1,
    pass_percent: int = 50,
    description="",
    questions: Sequence[Question] = (),
    bank: QuestionBank | None = None,
    draw_count: int | None = None,
    audience_org=None,
    include_subtree: bool = True,
    card_numbers: Iterable[str] = (),
    rng: random.Random | None = None,
) -> Quiz:
    """A test with the questions chosen, or `draw_count` drawn at random from `bank`, for the
    members of `audience_org` (and its subtree) and those named by card number."""
    require_org(user, organization)
    scope = scope_for(user)
    errors: dict[str, str] = {}
    if not _text(title):
        errors["title"] = _("Hãy nhập tên bài kiểm tra.")
    _check_window(opens_at, closes_at, errors)
    if not duration_minutes or not 1 <= int(duration_minutes) <= MAX_DURATION_MINUTES:
        errors["duration_minutes"] = _("Thời gian làm bài từ 1 đến %(n)s phút.") % {"n": MAX_DURATION_MINUTES}
    if not attempts_allowed or not 1 <= int(attempts_allowed) <= MAX_ATTEMPTS:
        errors["attempts_allowed"] = _("Số lần được làm từ 1 đến %(n)s.") % {"n": MAX_ATTEMPTS}
    if pass_percent is None or not 0 <= int(pass_percent) <= 100:
        errors["pass_percent"] = _("Điểm đạt từ 0 đến 100%.")
    chosen = list(questions)
    if not chosen and bank is not None and draw_count:
        if not scope.reaches_org(bank.organization, VIEW):
            raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này ở tổ chức đảng này."))
        pool = list(bank.questions.filter(active=True).order_by("pk"))
        if int(draw_count) > len(pool):
            errors["draw_count"] = _("Ngân hàng chỉ có %(n)s câu hỏi đang dùng.") % {"n": len(pool)}
        else:
            chosen = (rng or random.Random()).sample(pool, int(draw_count))
    if not chosen and "draw_count" not in errors:
        errors["questions"] = _("Hãy chọn câu hỏi, hoặc số câu rút ngẫu nhiên từ một ngân hàng.")
    if len(chosen) > MAX_QUESTIONS:
        errors["questions"] = _("Một bài kiểm tra có nhiều nhất %(n)s câu hỏi.") % {"n": MAX_QUESTIONS}
    for q in chosen:
        if not q.active or not scope.reaches_org(q.bank.organization, VIEW):
            errors["questions"] = _("Có câu hỏi đã ngừng sử dụng hoặc ngoài phạm vi của đồng chí.")
            break
    if audience_org is not None:
        require_org(user, audience_org)
    try:
        invitees = _audience_members(user, organization, audience_org, include_subtree, card_numbers)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        invitees = []
    if errors:
        raise ValidationError(errors)
    audience = ""
    if audience_org is not None:
        audience = audience_org.name + (_(" (gồm tổ chức trực thuộc)") if include_subtree else "")
    quiz = Quiz(
        organization=organization,
        org_path=organization.path,
        title=_text(title),
        description=_text(description),
        opens_at=opens_at,
        closes_at=closes_at,
        duration_minutes=int(duration_minutes),
        attempts_allowed=int(attempts_allowed),
        pass_percent=int(pass_percent),
        audience=audience[:255],
        created_by=user,
    )
    with audited(user):
        quiz.save()
        for i, q in enumerate(chosen, start=1):
            QuizQuestion.objects.create(quiz=quiz, question=q, position=i)
        QuizInvitation.objects.bulk_create(
            [QuizInvitation(quiz=quiz, member=m, cell=m.organization, cell_path=m.org_path) for m in invitees]
        )
    return quiz


def quiz_cancel(*, user: User, quiz: Quiz) -> Quiz:
    require_org(user, quiz.organization)
    if quiz.cancelled_at:
        raise ValidationError(_("Bài kiểm tra đã hủy."))
    if quiz.attempts.filter(submitted_at__isnull=False).exists():
        raise ValidationError(_("Đã có người nộp bài: không hủy được bài kiểm tra."))
    quiz.cancelled_at = timezone.now()
    with audited(user):
        quiz.save(update_fields=["cancelled_at"])
    return quiz


def _taker(user: User, quiz: Quiz) -> Member:
    """The user's member record, invited to this test; otherwise a refusal."""
    member = getattr(user, "member", None) if hasattr(user, "member") else None
    if member is None or not quiz.invitations.filter(member=member).exists():
        raise PermissionDenied(_("Đồng chí không có tên trong danh sách dự bài kiểm tra này."))
    return member


def attempt_start(*, user: User, quiz: Quiz, now: dt.datetime | None = None) -> Attempt:
    """Start (or resume, while its time lasts) the member's attempt at an open test."""
    now = now or timezone.now()
    member = _taker(user, quiz)
    if quiz.cancelled_at:
        raise ValidationError(_("Bài kiểm tra đã hủy."))
    if now < quiz.opens_at:
        raise ValidationError(_("Bài kiểm tra chưa mở."))
    if now >= quiz.closes_at:
        raise ValidationError(_("Bài kiểm tra đã đóng: hết thời gian làm bài."))
    attempts = list(quiz.attempts.filter(member=member).order_by("number"))
    running = next((a for a in attempts if a.submitted_at is None and now < a.deadline_at), None)
    if running is not None:
        return running
    if len(attempts) >= quiz.attempts_allowed:
        raise ValidationError(_("Đồng chí đã làm bài này %(n)s lần, là số lần được phép.") % {"n": len(attempts)})
    attempt = Attempt(
        quiz=quiz,
        member=member,
        organization_id=quiz.organization_id,
        org_path=quiz.org_path,
        cell_id=member.organization_id,
        number=len(attempts) + 1,
        started_at=now,
        deadline_at=min(now + dt.timedelta(minutes=quiz.duration_minutes), quiz.closes_at),
        total=quiz.items.count(),
    )
    try:
        with audited(user):
            attempt.save()
    except IntegrityError:  # two starts at once: the other one won
        raise ValidationError(_("Đồng chí đã bắt đầu làm bài này.")) from None
    return attempt


def score(questions: Sequence[Question], answers: Mapping[int, Iterable[int]]) -> tuple[int, dict[int, bool]]:
    """(correct count, question id -> correct): a question scores only when the options chosen are
    exactly its correct ones (all or nothing)."""
    keys: dict[int, set[int]] = {q.pk: set() for q in questions}
    for option in Option.objects.filter(question__in=[q.pk for q in questions], is_correct=True):
        keys[option.question_id].add(option.pk)
    result = {q.pk: set(answers.get(q.pk, ())) == keys[q.pk] for q in questions}
    return sum(result.values()), result


def attempt_submit(
    *, user: User, attempt: Attempt, answers: Mapping[int, Iterable[int]], now: dt.datetime | None = None
) -> Attempt:
    """Score the attempt. `answers`: question id -> chosen option ids. Refused after the test's
    window or the attempt's duration, by anyone but its member, or a second time."""
    now = now or timezone.now()
    member = getattr(user, "member", None) if hasattr(user, "member") else None
    if member is None or attempt.member_id != member.pk:
        raise PermissionDenied(_("Đây không phải bài làm của đồng chí."))
    quiz = attempt.quiz
    if attempt.submitted_at is not None:
        raise ValidationError(_("Bài làm này đã nộp; không nộp lại được."))
    if quiz.cancelled_at:
        raise ValidationError(_("Bài kiểm tra đã hủy."))
    if now >= quiz.closes_at:
        raise ValidationError(_("Bài kiểm tra đã đóng: câu trả lời gửi sau thời hạn không được nhận."))
    if now > attempt.deadline_at:
        raise ValidationError(
            _("Đã hết %(n)s phút làm bài: câu trả lời gửi sau thời hạn không được nhận.") % {"n": quiz.duration_minutes}
        )
    questions = [item.question for item in quiz.items.select_related("question").order_by("position", "pk")]
    options = {o.pk: o for o in Option.objects.filter(question__in=[q.pk for q in questions])}
    clean: dict[int, list[int]] = {}
    for q in questions:
        ids = sorted({int(i) for i in answers.get(q.pk, ())})
        if any(i not in options or options[i].question_id != q.pk for i in ids):
            raise ValidationError(_("Phương án trả lời không hợp lệ."))
        if q.kind == QuestionKind.SINGLE and len(ids) > 1:
            raise ValidationError(_("Câu hỏi một đáp án chỉ chọn được một phương án."))
        clean[q.pk] = ids
    unknown = set(answers) - {q.pk for q in questions}
    if unknown:
        raise ValidationError(_("Câu trả lời cho câu hỏi không thuộc bài kiểm tra."))
    correct, by_question = score(questions, clean)
    total = len(questions)
    attempt.submitted_at = now
    attempt.correct = correct
    attempt.total = total
    attempt.percent = (Decimal(100 * correct) / Decimal(total or 1)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    attempt.passed = attempt.percent >= quiz.pass_percent
    with audited(user):
        # The row locked and read again: a second submit racing this one changes nothing.
        if Attempt.objects.select_for_update().filter(pk=attempt.pk, submitted_at__isnull=False).exists():
            raise ValidationError(_("Bài làm này đã nộp; không nộp lại được."))
        attempt.save(update_fields=["submitted_at", "correct", "total", "percent", "passed"])
        AttemptAnswer.objects.bulk_create(
            [
                AttemptAnswer(attempt=attempt, question=q, chosen=clean[q.pk], is_correct=by_question[q.pk])
                for q in questions
            ]
        )
    return attempt


# --- Surveys -------------------------------------------------------------------------------------


def survey_create(
    *,
    user: User,
    organization,
    title,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    anonymous: bool,
    questions: Sequence[tuple[str, str, Sequence[str]]],
    description="",
    audience_org=None,
    include_subtree: bool = True,
    card_numbers: Iterable[str] = (),
) -> Survey:
    """A survey with its questions, each (text, kind, choices) — choices empty for free text."""
    require_org(user, organization)
    errors: dict[str, str] = {}
    if not _text(title):
        errors["title"] = _("Hãy nhập tên cuộc khảo sát.")
    _check_window(opens_at, closes_at, errors)
    clean = []
    for text, kind, choices in questions:
        choices = [_text(c) for c in choices if _text(c)]
        if not _text(text):
            continue
        if kind not in SurveyQuestionKind.values:
            errors["questions"] = _("Loại câu hỏi không hợp lệ.")
        elif kind != SurveyQuestionKind.TEXT and len(choices) < 2:
            errors["questions"] = _("Câu hỏi “%(q)s” cần ít nhất hai phương án.") % {"q": _text(text)[:60]}
        elif len(choices) > MAX_OPTIONS:
            errors["questions"] = _("Một câu hỏi có nhiều nhất %(n)s phương án.") % {"n": MAX_OPTIONS}
        clean.append((_text(text), kind, choices if kind != SurveyQuestionKind.TEXT else []))
    if not clean and "questions" not in errors:
        errors["questions"] = _("Hãy nhập ít nhất một câu hỏi.")
    if audience_org is not None:
        require_org(user, audience_org)
    try:
        invitees = _audience_members(user, organization, audience_org, include_subtree, card_numbers)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        invitees = []
    if errors:
        raise ValidationError(errors)
    audience = ""
    if audience_org is not None:
        audience = audience_org.name + (_(" (gồm tổ chức trực thuộc)") if include_subtree else "")
    survey = Survey(
        organization=organization,
        org_path=organization.path,
        title=_text(title),
        description=_text(description),
        anonymous=bool(anonymous),
        opens_at=opens_at,
        closes_at=closes_at,
        audience=audience[:255],
        created_by=user,
    )
    with audited(user):
        survey.save()
        for i, (text, kind, choices) in enumerate(clean, start=1):
            question = SurveyQuestion.objects.create(survey=survey, text=text, kind=kind, position=i)
            for j, choice in enumerate(choices, start=1):
                SurveyChoice.objects.create(question=question, text=choice, position=j)
        SurveyInvitation.objects.bulk_create(
            [SurveyInvitation(survey=survey, member=m, cell=m.organization) for m in invitees]
        )
    return survey


def survey_answer(
    *, user: User, survey: Survey, answers: Mapping[int, object], now: dt.datetime | None = None
) -> SurveyResponse:
    """Record a member's answers once. `answers`: question id -> a choice id, a list of choice ids
    or a text. Anonymous: the response carries no member and no time and is written outside the
    change log (whose entries name their actor); only the invitation says that the member answered."""
    now = now or timezone.now()
    member = getattr(user, "member", None) if hasattr(user, "member") else None
    if member is None:
        raise PermissionDenied(_("Đồng chí không có tên trong danh sách được khảo sát."))
    invitation = survey.invitations.filter(member=member).first()
    if invitation is None:
        raise PermissionDenied(_("Đồng chí không có tên trong danh sách được khảo sát."))
    if invitation.answered:
        raise ValidationError(_("Đồng chí đã trả lời cuộc khảo sát này; mỗi người chỉ trả lời một lần."))
    if now < survey.opens_at:
        raise ValidationError(_("Cuộc khảo sát chưa mở."))
    if now >= survey.closes_at:
        raise ValidationError(_("Cuộc khảo sát đã đóng."))
    questions = list(survey.questions.prefetch_related("choices"))
    rows: list[tuple[SurveyQuestion, list[int], str]] = []
    for q in questions:
        value = answers.get(q.pk)
        valid = {c.pk for c in q.choices.all()}
        if q.kind == SurveyQuestionKind.TEXT:
            text = _text(value if isinstance(value, str) else "")
            if len(text) > 5000:
                raise ValidationError(_("Câu trả lời quá dài (tối đa 5.000 ký tự)."))
            rows.append((q, [], text))
            continue
        raw = value if isinstance(value, list | tuple) else ([] if value in (None, "") else [value])
        try:
            ids = sorted({int(v) for v in raw})
        except (TypeError, ValueError):
            raise ValidationError(_("Phương án trả lời không hợp lệ.")) from None
        if any(i not in valid for i in ids):
            raise ValidationError(_("Phương án trả lời không hợp lệ."))
        if q.kind == SurveyQuestionKind.SINGLE and len(ids) > 1:
            raise ValidationError(_("Câu “%(q)s” chỉ chọn một phương án.") % {"q": q.text[:60]})
        rows.append((q, ids, ""))
    if not any(ids or text for _q, ids, text in rows):
        raise ValidationError(_("Hãy trả lời ít nhất một câu hỏi."))
    with audited(user):
        invitation = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.answered:
            raise ValidationError(_("Đồng chí đã trả lời cuộc khảo sát này; mỗi người chỉ trả lời một lần."))
        invitation.answered = True
        invitation.save(update_fields=["answered"])  # the change log: that they answered, nothing more
        if survey.anonymous:
            with disable_auditlog():
                response = _write_response(survey, None, None, rows)
        else:
            response = _write_response(survey, member, now, rows)
    return response


def _write_response(survey, member, when, rows) -> SurveyResponse:
    response = SurveyResponse.objects.create(survey=survey, member=member, submitted_at=when)
    for q, ids, text in rows:
        SurveyAnswer.objects.create(response=response, question=q, choices=ids, text=text)
    return response
