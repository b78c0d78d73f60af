"""Tests through /api/: a taker's open tests, starting one and submitting answers (never the answer
key), and a test's results (members' scores for its organizers only), through the same door and
services as the pages."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.scoping import VIEW
from apps.core.views import get_or_404
from apps.quizzes import selectors, services
from apps.quizzes.models import Attempt, Quiz

from .views import ApiMixin


class OptionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    text = serializers.CharField()


class TakerQuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    number = serializers.IntegerField()
    text = serializers.CharField()
    multiple = serializers.BooleanField(help_text=_("Nhiều đáp án đúng: chỉ được điểm khi chọn đủ và đúng."))
    options = OptionSerializer(many=True)


class OpenQuizSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="quiz.pk")
    title = serializers.CharField(source="quiz.title")
    organization = serializers.IntegerField(source="quiz.organization_id")
    opens_at = serializers.DateTimeField(source="quiz.opens_at")
    closes_at = serializers.DateTimeField(source="quiz.closes_at")
    duration_minutes = serializers.IntegerField(source="quiz.duration_minutes")
    attempts_allowed = serializers.IntegerField(source="quiz.attempts_allowed")
    attempts_used = serializers.IntegerField()
    running_attempt = serializers.SerializerMethodField()

    def get_running_attempt(self, row) -> int | None:
        return row.running.pk if row.running else None


class AttemptSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    quiz = serializers.IntegerField(source="quiz_id")
    number = serializers.IntegerField()
    started_at = serializers.DateTimeField()
    deadline_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    correct = serializers.IntegerField(allow_null=True)
    total = serializers.IntegerField()
    percent = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    passed = serializers.BooleanField(allow_null=True)


class StartedSerializer(serializers.Serializer):
    attempt = AttemptSerializer()
    questions = TakerQuestionSerializer(many=True)


class AnswerSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    options = serializers.ListField(child=serializers.IntegerField(), allow_empty=True, max_length=20)


class SubmitSerializer(serializers.Serializer):
    answers = AnswerSerializer(many=True, max_length=500)


class FiguresSerializer(serializers.Serializer):
    label = serializers.CharField()
    invited = serializers.IntegerField()
    taken = serializers.IntegerField()
    average = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    pass_rate = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)


class QuizResultSerializer(serializers.Serializer):
    attempt = serializers.IntegerField(source="pk")
    member = serializers.IntegerField(source="member_id")
    member_name = serializers.CharField(source="member.full_name")
    cell = serializers.IntegerField(source="cell_id")
    number = serializers.IntegerField()
    correct = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    passed = serializers.BooleanField()
    submitted_at = serializers.DateTimeField()


class ResultsSerializer(serializers.Serializer):
    quiz = serializers.IntegerField()
    overall = FiguresSerializer()
    by_cell = FiguresSerializer(many=True)
    results = QuizResultSerializer(
        many=True,
        help_text=_("Kết quả của từng đảng viên: chỉ người tổ chức bài kiểm tra nhận được (người khác: rỗng)."),
    )


class MyQuizzesView(ApiMixin, APIView):
    @extend_schema(summary=_("Các bài kiểm tra đang mở cho tôi"), responses={200: OpenQuizSerializer(many=True)})
    def get(self, request):
        return Response(OpenQuizSerializer(selectors.open_work(request.user)["open_quizzes"], many=True).data)


class QuizStartView(ApiMixin, APIView):
    @extend_schema(
        summary=_("Bắt đầu (hoặc tiếp tục) làm một bài kiểm tra: lượt làm bài và các câu hỏi, không kèm đáp án"),
        request=None,
        responses={
            200: StartedSerializer,
            400: OpenApiResponse(description=_("Ngoài thời gian mở, hoặc đã hết số lần được làm.")),
            404: OpenApiResponse(description=_("Không có bài kiểm tra này trong danh sách của bạn.")),
        },
    )
    def post(self, request, pk):
        quiz = get_or_404(selectors.quizzes_for_taker(request.user), pk)
        attempt = services.attempt_start(user=request.user, quiz=quiz)
        data = {"attempt": attempt, "questions": selectors.taker_questions(quiz)}
        return Response(StartedSerializer(data).data)


class AttemptSubmitView(ApiMixin, APIView):
    @extend_schema(
        summary=_("Nộp bài: chấm điểm ngay"),
        request=SubmitSerializer,
        responses={
            200: AttemptSerializer,
            400: OpenApiResponse(description=_("Quá thời gian làm bài hoặc đã nộp (không thay đổi gì).")),
        },
    )
    def post(self, request, pk):
        member = selectors.member_of(request.user)
        attempt = get_or_404(
            Attempt.objects.restrict(request.user, VIEW)
            .filter(member_id=member.pk if member else None)
            .select_related("quiz"),
            pk,
        )
        payload = SubmitSerializer(data=request.data)
        if not payload.is_valid():
            raise ValidationError(payload.errors)
        answers: dict[int, list[int]] = {}
        for row in payload.validated_data["answers"]:
            answers.setdefault(row["question"], []).extend(row["options"])
        done = services.attempt_submit(user=request.user, attempt=attempt, answers=answers)
        return Response(AttemptSerializer(done).data, status=status.HTTP_200_OK)


class QuizResultsView(ApiMixin, APIView):
    @extend_schema(
        summary=_("Kết quả một bài kiểm tra: số liệu theo tổ chức; điểm từng người cho người tổ chức"),
        responses={200: ResultsSerializer},
    )
    def get(self, request, pk):
        quiz = get_or_404(Quiz.objects.restrict(request.user, VIEW).select_related("organization"), pk)
        figures = selectors.quiz_figures(quiz)
        results = selectors.result_rows(request.user, quiz) if selectors.is_organizer(request.user, quiz) else []
        data = {"quiz": quiz.pk, "overall": figures.overall, "by_cell": figures.by_cell, "results": results}
        return Response(ResultsSerializer(data).data)
