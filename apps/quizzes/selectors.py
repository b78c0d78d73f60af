"""Reads of tests and surveys: a taker's open work, results (private), per-organization figures and
survey summaries. Nothing here returns an answer key to a taker: `taker_questions` gives texts
and option ids only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet
from django.utils import timezone

from apps.accounts.models import User
from apps.core.scoping import CHANGE, VIEW, Access, scope_for

from .models import (
    Attempt,
    Quiz,
    QuizInvitation,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestionKind,
)


def member_of(user: User):
    return getattr(user, "member", None) if hasattr(user, "member") else None


# --- Who organizes -------------------------------------------------------------------------------


def is_organizer(user: User, quiz_or_survey) -> bool:
    """The organizers of a test or survey: those holding a change role on the very organization that
    holds it (a committee above reaches it but sees counts only, like other private records), and
    its author while they still reach it."""
    scope = scope_for(user)
    org = quiz_or_survey.organization
    if org.pk in scope.orgs.get(CHANGE, ()) or org.path in scope.subtrees.get(CHANGE, ()):
        return True
    return quiz_or_survey.created_by_id == user.pk and scope.reaches_org(org, CHANGE)


def may_read_result(user: User, attempt: Attempt) -> Access:
    """A result's content (score, answers): the member (own), the test's organizers."""
    access = scope_for(user).may_read_private(attempt)
    if access.allowed:
        return access
    if is_organizer(user, attempt.quiz):
        return Access(True, "organizer")
    return Access(False)


def results_readable(user: User, quiz: Quiz) -> QuerySet[Attempt]:
    """The attempts at `quiz` (loaded through the door) whose content the user may read."""
    if is_organizer(user, quiz):
        return quiz.attempts.all()
    return Attempt.objects.restrict_private(user).filter(quiz=quiz)


# --- Takers --------------------------------------------------------------------------------------


def quizzes_for_taker(user: User) -> QuerySet[Quiz]:
    """The tests the user is invited to (through their own invitations)."""
    invitations = QuizInvitation.objects.restrict(user, VIEW).filter(member_id=scope_for(user).member_id)
    return Quiz.objects.vouched("tests named by the user's own invitations, read through the door").filter(
        pk__in=invitations.values("quiz_id")
    )


def surveys_for_taker(user: User) -> QuerySet[Survey]:
    invitations = SurveyInvitation.objects.restrict(user, VIEW).filter(member_id=scope_for(user).member_id)
    return Survey.objects.vouched("surveys named by the user's own invitations, read through the door").filter(
        pk__in=invitations.values("survey_id")
    )


@dataclass
class TakerQuiz:
    quiz: Quiz
    attempts_used: int
    running: Attempt | None
    best: Attempt | None

    @property
    def can_start(self) -> bool:
        now = timezone.now()
        return (
            self.quiz.cancelled_at is None
            and self.quiz.opens_at <= now < self.quiz.closes_at
            and (self.running is not None or self.attempts_used < self.quiz.attempts_allowed)
        )


def taker_quiz(user: User, quiz: Quiz, now: dt.datetime | None = None) -> TakerQuiz:
    now = now or timezone.now()
    member = member_of(user)
    attempts = list(quiz.attempts.filter(member=member).order_by("number")) if member else []
    running = next((a for a in attempts if a.submitted_at is None and now < a.deadline_at), None)
    done = [a for a in attempts if a.submitted_at is not None]
    best = max(done, key=lambda a: (a.percent, -a.number)) if done else None
    return TakerQuiz(quiz, len(attempts), running, best)


def open_work(user: User, now: dt.datetime | None = None) -> dict:
    """The member's open tests (window open, attempts left or one running) and open surveys not yet
    answered, for their page and the home page."""
    now = now or timezone.now()
    member = member_of(user)
    if member is None:
        return {"open_quizzes": [], "open_surveys": [], "past_quizzes": []}
    quizzes = list(
        quizzes_for_taker(user).filter(cancelled_at__isnull=True).select_related("organization").order_by("closes_at")
    )
    rows = [taker_quiz(user, q, now) for q in quizzes]
    open_quizzes = [r for r in rows if r.quiz.opens_at <= now < r.quiz.closes_at and r.can_start]
    past = [r for r in rows if r not in open_quizzes and r.attempts_used]
    answered = set(
        SurveyInvitation.objects.restrict(user).filter(member=member, answered=True).values_list("survey_id", flat=True)
    )
    surveys = [
        s
        for s in surveys_for_taker(user).filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at")
        if s.pk not in answered
    ]
    return {"open_quizzes": open_quizzes, "open_surveys": surveys, "past_quizzes": past}


def taker_questions(quiz: Quiz) -> list[dict]:
    """The test's questions as a taker sees them: text, kind, options (id and text). The answer key
    is not read at all."""
    items = quiz.items.select_related("question").order_by("position", "pk")
    out = []
    for n, item in enumerate(items, start=1):
        q = item.question
        options = list(q.options.order_by("position", "pk").values("pk", "text"))
        out.append({"pk": q.pk, "number": n, "text": q.text, "multiple": q.kind == "multiple", "options": options})
    return out


# --- Figures -------------------------------------------------------------------------------------


def _pct(part: int | Decimal, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass
class Figures:
    label: str
    invited: int = 0
    taken: int = 0
    passed: int = 0
    total_percent: Decimal = Decimal(0)

    @property
    def average(self) -> Decimal | None:
        return (self.total_percent / self.taken).quantize(Decimal("0.01"), ROUND_HALF_UP) if self.taken else None

    @property
    def pass_rate(self) -> Decimal | None:
        return _pct(self.passed, self.taken)

    @property
    def taken_rate(self) -> Decimal | None:
        return _pct(self.taken, self.invited)


@dataclass
class QuizFigures:
    overall: Figures
    by_cell: list[Figures] = field(default_factory=list)


def best_attempts(quiz: Quiz) -> dict[int, Attempt]:
    """member id -> their best submitted attempt (highest score, then the earliest)."""
    best: dict[int, Attempt] = {}
    for a in quiz.attempts.filter(submitted_at__isnull=False).order_by("member_id", "-percent", "number"):
        best.setdefault(a.member_id, a)
    return best


def quiz_figures(quiz: Quiz) -> QuizFigures:
    """Counts for the test (shown to whoever reaches it): invited, taken, average score and pass
    rate, overall and per cell. A member counts by their best attempt."""
    from django.utils.translation import gettext as _

    best = best_attempts(quiz)
    overall = Figures(_("Toàn bộ"))
    cells: dict[int, Figures] = {}
    invitations = quiz.invitations.select_related("cell").order_by("cell_path", "cell_id")
    for inv in invitations:
        fig = cells.setdefault(inv.cell_id, Figures(inv.cell.name))
        for f in (overall, fig):
            f.invited += 1
        attempt = best.get(inv.member_id)
        if attempt is not None:
            for f in (overall, fig):
                f.taken += 1
                f.total_percent += attempt.percent or 0
                f.passed += 1 if attempt.passed else 0
    return QuizFigures(overall, list(cells.values()))


def result_rows(user: User, quiz: Quiz) -> list[Attempt]:
    """Submitted attempts whose content the user may read, members in Vietnamese name order."""
    return list(
        results_readable(user, quiz)
        .filter(submitted_at__isnull=False)
        .select_related("member", "cell")
        .order_by("member__sort_key", "member_id", "number")
    )


# --- Survey summary ------------------------------------------------------------------------------


@dataclass
class Bar:
    label: str
    count: int
    percent: Decimal | None
    width: int  # of the chart's bar area, 0..BAR_WIDTH
    y: int


@dataclass
class QuestionSummary:
    number: int
    text: str
    kind: str
    answered: int
    bars: list[Bar] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    height: int = 0


BAR_WIDTH = 300
BAR_STEP = 40


def survey_summary(survey: Survey) -> dict:
    """Per question: how many answered it, and per choice the count (a bar chart's data), or the
    free-text answers (without their authors, whatever the survey)."""
    responses = survey.responses.count()
    invited = survey.invitations.count()
    answers = list(
        SurveyAnswer.objects.vouched("answers of the survey loaded through the door").filter(response__survey=survey)
    )
    by_question: dict[int, list[SurveyAnswer]] = {}
    for a in answers:
        by_question.setdefault(a.question_id, []).append(a)
    out = []
    for n, q in enumerate(survey.questions.prefetch_related("choices"), start=1):
        rows = by_question.get(q.pk, [])
        if q.kind == SurveyQuestionKind.TEXT:
            texts = sorted(a.text for a in rows if a.text)
            out.append(QuestionSummary(n, q.text, q.kind, len(texts), texts=texts))
            continue
        answered = [a for a in rows if a.choices]
        counts = {c.pk: 0 for c in q.choices.all()}
        for a in answered:
            for cid in a.choices:
                if cid in counts:
                    counts[cid] += 1
        top = max(counts.values(), default=0)
        bars = [
            Bar(
                c.text,
                counts[c.pk],
                _pct(counts[c.pk], len(answered)),
                round(BAR_WIDTH * counts[c.pk] / top) if top else 0,
                i * BAR_STEP,
            )
            for i, c in enumerate(q.choices.all())
        ]
        out.append(QuestionSummary(n, q.text, q.kind, len(answered), bars=bars, height=len(bars) * BAR_STEP))
    return {
        "invited": invited,
        "responses": responses,
        "response_rate": _pct(responses, invited),
        "questions": out,
        "bar_width": BAR_WIDTH,
    }


@dataclass
class NamedRow:
    name: str
    cell: str
    answers: list[str]


def named_answers(user: User, survey: Survey) -> list[NamedRow]:
    """A named survey's answers by member, for its organizers only (an anonymous one has none)."""
    if survey.anonymous or not is_organizer(user, survey):
        return []
    questions = list(survey.questions.prefetch_related("choices"))
    labels = {c.pk: c.text for q in questions for c in q.choices.all()}
    responses = (
        survey.responses.filter(member__isnull=False)
        .select_related("member__organization")
        .prefetch_related("answers")
        .order_by("member__sort_key", "member_id")
    )
    rows = []
    for response in responses:
        by_question = {a.question_id: a for a in response.answers.all()}
        cells = []
        for q in questions:
            a = by_question.get(q.pk)
            if a is None:
                cells.append("")
            elif q.kind == SurveyQuestionKind.TEXT:
                cells.append(a.text)
            else:
                cells.append("; ".join(labels.get(i, "") for i in a.choices))
        member = response.member
        rows.append(NamedRow(member.full_name, member.organization.name, cells))
    return rows
