from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.forms import attempt
from apps.core.scoping import CHANGE, VIEW, scope_for
from apps.core.templatetags.vn import format_percent
from apps.core.views import get_or_404, get_scoped
from apps.core.xlsx import xlsx_response
from apps.organizations.models import Organization

from . import selectors, services
from .forms import BankForm, QuestionForm, QuizForm, SurveyForm
from .models import Attempt, Question, QuestionBank, Quiz, Survey


def _change_orgs(user):
    return Organization.objects.restrict(user, CHANGE).current().order_by("path")


def _may_change_somewhere(user) -> bool:
    scope = scope_for(user)
    return scope.is_admin or bool(scope.subtrees.get(CHANGE) or scope.orgs.get(CHANGE))


@login_required
def index(request):
    """Banks, tests and surveys in the user's reach (an organizer's overview)."""
    user = request.user
    return render(
        request,
        "quizzes/index.html",
        {
            "banks": QuestionBank.objects.restrict(user, VIEW).select_related("organization")[:200],
            "quizzes": Quiz.objects.restrict(user, VIEW).select_related("organization")[:200],
            "surveys": Survey.objects.restrict(user, VIEW).select_related("organization")[:200],
            "can_create": _may_change_somewhere(user),
        },
    )


@login_required
def mine(request):
    """The member's open tests and surveys, and the tests they have taken."""
    return render(request, "quizzes/mine.html", selectors.open_work(request.user))


# --- Banks ---------------------------------------------------------------------------------------


@login_required
def bank_create(request):
    form = BankForm(request.POST or None, organizations=_change_orgs(request.user))
    if request.method == "POST" and form.is_valid():
        bank, ok = attempt(request, form, lambda: services.bank_create(user=request.user, **form.cleaned_data))
        if ok:
            messages.success(request, _("Đã tạo ngân hàng câu hỏi."))
            return redirect("quizzes:bank_detail", pk=bank.pk)
    return render(request, "quizzes/form.html", {"form": form, "title": _("Ngân hàng câu hỏi mới")})


@login_required
def bank_detail(request, pk):
    bank = get_scoped(QuestionBank, request.user, pk, VIEW, QuestionBank.objects.select_related("organization"))
    can_change = scope_for(request.user).reaches_org(bank.organization, CHANGE)
    form = QuestionForm(request.POST or None)
    if request.method == "POST":
        if not can_change:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            _q, ok = attempt(
                request,
                form,
                lambda: services.question_add(
                    user=request.user, bank=bank, text=data["text"], kind=data["kind"], options=form.options()
                ),
            )
            if ok:
                messages.success(request, _("Đã thêm câu hỏi."))
                return redirect("quizzes:bank_detail", pk=bank.pk)
    questions = bank.questions.prefetch_related("options")
    return render(
        request,
        "quizzes/bank_detail.html",
        # The answer key is shown only to those who may change the bank (never to a mere viewer).
        {"bank": bank, "questions": questions, "form": form, "can_change": can_change, "show_key": can_change},
    )


@login_required
@require_POST
def question_retire(request, pk):
    question = get_scoped(Question, request.user, pk, CHANGE, Question.objects.select_related("bank__organization"))
    _r, ok = attempt(request, None, lambda: services.question_retire(user=request.user, question=question))
    if ok:
        messages.success(request, _("Câu hỏi đã ngừng sử dụng."))
    return redirect("quizzes:bank_detail", pk=question.bank_id)


# --- Tests ---------------------------------------------------------------------------------------


@login_required
def quiz_create(request):
    user = request.user
    banks = QuestionBank.objects.restrict(user, VIEW).filter(active=True).order_by("topic", "pk")
    questions = (
        Question.objects.restrict(user, VIEW).filter(active=True, bank__active=True).select_related("bank")
    ).order_by("bank__topic", "bank_id", "pk")
    initial = {}
    if request.GET.get("bank", "").isdigit():
        initial["bank"] = request.GET["bank"]
    form = QuizForm(
        request.POST or None, organizations=_change_orgs(user), banks=banks, questions=questions, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        quiz, ok = attempt(
            request,
            form,
            lambda: services.quiz_create(
                user=user,
                organization=d["organization"],
                title=d["title"],
                description=d["description"],
                opens_at=d["opens_at"],
                closes_at=d["closes_at"],
                duration_minutes=d["duration_minutes"],
                attempts_allowed=d["attempts_allowed"],
                pass_percent=d["pass_percent"],
                questions=list(d["questions"]),
                bank=d["bank"],
                draw_count=d["draw_count"],
                audience_org=d["audience_org"],
                include_subtree=d["include_subtree"],
                card_numbers=form.card_list(),
            ),
        )
        if ok:
            messages.success(request, _("Đã tạo bài kiểm tra."))
            return redirect("quizzes:quiz_detail", pk=quiz.pk)
    return render(request, "quizzes/form.html", {"form": form, "title": _("Bài kiểm tra mới")})


@login_required
def quiz_detail(request, pk):
    """The test as its organizers and the committees above see it: figures per organization for all
    who reach it; the members' results only for its organizers."""
    user = request.user
    quiz = get_scoped(Quiz, user, pk, VIEW, Quiz.objects.select_related("organization"))
    organizer = selectors.is_organizer(user, quiz)
    if request.method == "POST":
        if not scope_for(user).reaches_org(quiz.organization, CHANGE):
            raise Http404
        _r, ok = attempt(request, None, lambda: services.quiz_cancel(user=user, quiz=quiz))
        if ok:
            messages.success(request, _("Đã hủy bài kiểm tra."))
        return redirect("quizzes:quiz_detail", pk=quiz.pk)
    return render(
        request,
        "quizzes/quiz_detail.html",
        {
            "quiz": quiz,
            "figures": selectors.quiz_figures(quiz),
            "organizer": organizer,
            "results": selectors.result_rows(user, quiz) if organizer else [],
            "question_count": quiz.items.count(),
            "can_change": scope_for(user).reaches_org(quiz.organization, CHANGE),
        },
    )


@login_required
def quiz_export(request, pk):
    """The results as .xlsx: members' scores for organizers, the figures per organization for all."""
    user = request.user
    quiz = get_scoped(Quiz, user, pk, VIEW, Quiz.objects.select_related("organization"))
    figures = selectors.quiz_figures(quiz)
    figure_headings = [_("Chi bộ"), _("Được mời"), _("Đã làm"), _("Điểm trung bình (%)"), _("Tỷ lệ đạt")]
    figure_rows: list[list] = [
        [f.label, f.invited, f.taken, f.average, format_percent(f.pass_rate) if f.pass_rate is not None else ""]
        for f in [*figures.by_cell, figures.overall]
    ]
    if not selectors.is_organizer(user, quiz):
        headings, rows = figure_headings, figure_rows
    else:
        # The members' results first (organizers only), then the figures under their own heading row.
        headings = [_("Họ và tên"), _("Chi bộ"), _("Lần"), _("Số câu đúng"), _("Điểm (%)"), _("Kết quả"), _("Nộp lúc")]
        rows = [
            [
                a.member.full_name,
                a.cell.name,
                a.number,
                f"{a.correct}/{a.total}",
                a.percent,
                _("Đạt") if a.passed else _("Chưa đạt"),
                timezone.localtime(a.submitted_at).strftime("%d/%m/%Y %H:%M"),
            ]
            for a in selectors.result_rows(user, quiz)
        ]
        width = len(headings)
        rows += [[""] * width, [*figure_headings, "", ""]]
        rows += [[*row, *[""] * (width - len(row))] for row in figure_rows]
    return xlsx_response(f"ket-qua-kiem-tra-{quiz.pk}.xlsx", headings, rows, sheet_title=_("Kết quả"))


def _taker_quiz_or_404(user, pk):
    return get_or_404(selectors.quizzes_for_taker(user).select_related("organization"), pk)


@login_required
def take(request, pk):
    """A member takes a test they are invited to: start, then one form with every question."""
    user = request.user
    quiz = _taker_quiz_or_404(user, pk)
    state = selectors.taker_quiz(user, quiz)
    if request.method == "POST":
        if request.POST.get("op") == "start":
            _a, ok = attempt(request, None, lambda: services.attempt_start(user=user, quiz=quiz))
            return redirect("quizzes:take", pk=quiz.pk)
        running = state.running
        if running is None:
            # The attempt's time ran out (or none was started): refused like any late answer.
            last = quiz.attempts.filter(member=selectors.member_of(user), submitted_at__isnull=True).order_by("-number")
            running = last.first()
            if running is None:
                messages.error(request, _("Đồng chí chưa bắt đầu làm bài."))
                return redirect("quizzes:take", pk=quiz.pk)
        answers = {}
        for q in selectors.taker_questions(quiz):
            raw = request.POST.getlist(f"q{q['pk']}")
            ids = [int(v) for v in raw if v.isdigit()]
            if len(ids) != len(raw):
                messages.error(request, _("Phương án trả lời không hợp lệ."))
                return redirect("quizzes:take", pk=quiz.pk)
            answers[q["pk"]] = ids
        done, ok = attempt(request, None, lambda: services.attempt_submit(user=user, attempt=running, answers=answers))
        if ok:
            messages.success(request, _("Đã nộp bài."))
            return redirect("quizzes:attempt_detail", pk=done.pk)
        return redirect("quizzes:take", pk=quiz.pk)
    return render(
        request,
        "quizzes/take.html",
        {
            "quiz": quiz,
            "state": state,
            "questions": selectors.taker_questions(quiz) if state.running else [],
            "now": timezone.now(),
        },
    )


@login_required
def attempt_detail(request, pk):
    """A result: the member's own, or an organizer's view of it. Never the answer key."""
    user = request.user
    row = get_scoped(Attempt, user, pk, VIEW, Attempt.objects.select_related("quiz__organization", "member", "cell"))
    if not selectors.may_read_result(user, row).allowed or row.submitted_at is None:
        raise Http404
    answers = {a.question_id: a for a in row.answers.all()}
    lines = []
    for q in selectors.taker_questions(row.quiz):
        a = answers.get(q["pk"])
        chosen = set(a.chosen) if a else set()
        lines.append(
            {
                "number": q["number"],
                "text": q["text"],
                "chosen": [o["text"] for o in q["options"] if o["pk"] in chosen],
                "correct": bool(a and a.is_correct),
            }
        )
    return render(request, "quizzes/attempt_detail.html", {"row": row, "lines": lines})


# --- Surveys -------------------------------------------------------------------------------------


@login_required
def survey_create(request):
    user = request.user
    form = SurveyForm(request.POST or None, organizations=_change_orgs(user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        survey, ok = attempt(
            request,
            form,
            lambda: services.survey_create(
                user=user,
                organization=d["organization"],
                title=d["title"],
                description=d["description"],
                anonymous=d["anonymous"],
                opens_at=d["opens_at"],
                closes_at=d["closes_at"],
                questions=form.questions(),
                audience_org=d["audience_org"],
                include_subtree=d["include_subtree"],
                card_numbers=form.card_list(),
            ),
        )
        if ok:
            messages.success(request, _("Đã tạo cuộc khảo sát."))
            return redirect("quizzes:survey_detail", pk=survey.pk)
    return render(request, "quizzes/survey_form.html", {"form": form, "title": _("Cuộc khảo sát mới")})


@login_required
def survey_detail(request, pk):
    """The survey's summary with its charts (counts only; no answer names its author)."""
    survey = get_scoped(Survey, request.user, pk, VIEW, Survey.objects.select_related("organization"))
    return render(
        request,
        "quizzes/survey_detail.html",
        {
            "survey": survey,
            **selectors.survey_summary(survey),
            "named_rows": selectors.named_answers(request.user, survey),
            "question_texts": [q.text for q in survey.questions.all()],
        },
    )


@login_required
def survey_answer(request, pk):
    user = request.user
    survey = get_or_404(selectors.surveys_for_taker(user).select_related("organization"), pk)
    member = selectors.member_of(user)
    invitation = survey.invitations.filter(member=member).first() if member else None
    questions = list(survey.questions.prefetch_related("choices"))
    if request.method == "POST":
        answers: dict[int, object] = {}
        for q in questions:
            if q.kind == "text":
                answers[q.pk] = request.POST.get(f"q{q.pk}", "")
            else:
                answers[q.pk] = request.POST.getlist(f"q{q.pk}")
        _r, ok = attempt(request, None, lambda: services.survey_answer(user=user, survey=survey, answers=answers))
        if ok:
            messages.success(request, _("Cảm ơn đồng chí đã trả lời khảo sát."))
            return redirect("quizzes:mine")
    now = timezone.now()
    return render(
        request,
        "quizzes/survey_answer.html",
        {
            "survey": survey,
            "questions": questions,
            "answered": bool(invitation and invitation.answered),
            "is_open": survey.opens_at <= now < survey.closes_at,
        },
    )
