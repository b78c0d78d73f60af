"""Tests of political theory and surveys (issue 12, point 6).

* A question bank belongs to an organization and holds multiple-choice questions on a topic; the
  answer key (`Option.is_correct`) is never shown to takers.
* A test (`Quiz`, to keep pytest from collecting a model named Test) holds a chosen or drawn set of
  questions, a time window and a duration, for the members invited (`QuizInvitation`). An
  `Attempt` is scored on submission: one point per question, a question with several correct
  options scores only when exactly those are chosen (all or nothing). Results are private: the
  member and the test's organizers (`Attempt.private_rule`, `selectors.may_read_result`).
* A survey asks single-choice, multiple-choice and free-text questions of the members invited.
  Anonymous: a `SurveyResponse` carries no member and no time, and has a random key, so nothing
  links it to its author; only the invitation records that the member answered (so they answer once).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import PrivateRule, ScopedQuerySet


class OwnedQuerySet(ScopedQuerySet):
    """Scoped by the organization that owns the bank, holds the test or runs the survey."""

    scope_org = "organization"
    scope_path = "org_path"


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Một đáp án đúng")
    MULTIPLE = "multiple", _("Nhiều đáp án đúng")


class QuestionBank(models.Model):
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("tổ chức đảng")
    )
    org_path = models.CharField(max_length=255, editable=False, db_index=True)
    topic = models.CharField(_("chủ đề"), max_length=255)
    title = models.CharField(_("tên ngân hàng câu hỏi"), max_length=255)
    description = models.TextField(_("mô tả"), blank=True)
    active = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("ngân hàng câu hỏi")
        verbose_name_plural = _("ngân hàng câu hỏi")
        ordering = ["org_path", "topic", "pk"]

    def __str__(self):
        return self.title


class BankRowQuerySet(ScopedQuerySet):
    scope_org = "bank__organization"
    scope_path = "bank__org_path"


class Question(models.Model):
    bank = models.ForeignKey(
        QuestionBank, on_delete=models.PROTECT, related_name="questions", verbose_name=_("ngân hàng")
    )
    text = models.TextField(_("câu hỏi"))
    kind = models.CharField(_("loại câu hỏi"), max_length=16, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    active = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    objects = BankRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("câu hỏi")
        verbose_name_plural = _("câu hỏi")
        ordering = ["bank", "pk"]

    def __str__(self):
        return self.text[:80]


class OptionQuerySet(ScopedQuerySet):
    scope_org = "question__bank__organization"
    scope_path = "question__bank__org_path"


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="options", verbose_name=_("câu hỏi"))
    text = models.CharField(_("phương án"), max_length=500)
    is_correct = models.BooleanField(_("đáp án đúng"), default=False)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    objects = OptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("phương án trả lời")
        verbose_name_plural = _("phương án trả lời")
        ordering = ["question", "position", "pk"]

    def __str__(self):
        return self.text


class Quiz(models.Model):
    """A test: its questions, window (opens/closes, Asia/Ho_Chi_Minh), duration and invitees."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("tổ chức tổ chức thi")
    )
    org_path = models.CharField(max_length=255, editable=False, db_index=True)
    title = models.CharField(_("tên bài kiểm tra"), max_length=255)
    description = models.TextField(_("hướng dẫn"), blank=True)
    opens_at = models.DateTimeField(_("mở lúc"))
    closes_at = models.DateTimeField(_("đóng lúc"))
    duration_minutes = models.PositiveIntegerField(_("thời gian làm bài (phút)"))
    attempts_allowed = models.PositiveSmallIntegerField(_("số lần được làm"), default=1)
    pass_percent = models.PositiveSmallIntegerField(_("điểm đạt (%)"), default=50)
    audience = models.CharField(_("đối tượng dự kiểm tra"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người tạo")
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("bài kiểm tra")
        verbose_name_plural = _("bài kiểm tra")
        ordering = ["-opens_at", "pk"]

    def __str__(self):
        return self.title


class QuizRowQuerySet(ScopedQuerySet):
    scope_org = "quiz__organization"
    scope_path = "quiz__org_path"


class QuizQuestion(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="items", verbose_name=_("bài kiểm tra"))
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+", verbose_name=_("câu hỏi"))
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    objects = QuizRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("câu hỏi của bài kiểm tra")
        verbose_name_plural = _("câu hỏi của bài kiểm tra")
        ordering = ["quiz", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["quiz", "question"], name="quiz_question_once")]


class InvitationQuerySet(ScopedQuerySet):
    """Scoped by the organization holding the test; a member sees their own invitations."""

    scope_org = "quiz__organization"
    scope_path = "quiz__org_path"
    scope_member = "member"


class QuizInvitation(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="invitations", verbose_name=_("bài kiểm tra"))
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="quiz_invitations", verbose_name=_("đảng viên")
    )
    cell = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("chi bộ")
    )
    cell_path = models.CharField(max_length=255, editable=False, db_index=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("người dự kiểm tra")
        verbose_name_plural = _("người dự kiểm tra")
        constraints = [models.UniqueConstraint(fields=["quiz", "member"], name="quiz_invited_once")]


class AttemptQuerySet(ScopedQuerySet):
    """Scoped by the organization holding the test; the member reaches their own attempts. Their
    content (answers, score) is private: `restrict_private` / `selectors.results_readable`."""

    scope_org = "organization"
    scope_path = "org_path"
    scope_member = "member"


class Attempt(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts", verbose_name=_("bài kiểm tra"))
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="quiz_attempts", verbose_name=_("đảng viên")
    )
    # The organization holding the test (copied from it): whose committee reads the result.
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("tổ chức tổ chức thi")
    )
    org_path = models.CharField(max_length=255, editable=False, db_index=True)
    cell = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("chi bộ")
    )
    number = models.PositiveSmallIntegerField(_("lần làm"), default=1)
    started_at = models.DateTimeField(_("bắt đầu lúc"))
    deadline_at = models.DateTimeField(_("hạn nộp"))
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    correct = models.PositiveSmallIntegerField(_("số câu đúng"), null=True, blank=True)
    total = models.PositiveSmallIntegerField(_("số câu"), default=0)
    percent = models.DecimalField(_("điểm (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("đạt"), null=True, blank=True)

    objects = AttemptQuerySet.as_manager()
    private_rule = PrivateRule(org="organization", member="member", written="started_at")

    class Meta:
        verbose_name = _("lượt làm bài")
        verbose_name_plural = _("lượt làm bài")
        ordering = ["quiz", "member", "number"]
        constraints = [models.UniqueConstraint(fields=["quiz", "member", "number"], name="attempt_number_once")]

    def __str__(self):
        return f"{self.quiz} – {self.member} ({self.number})"


class AttemptRowQuerySet(ScopedQuerySet):
    scope_org = "attempt__organization"
    scope_path = "attempt__org_path"
    scope_member = "attempt__member"


class AttemptAnswer(models.Model):
    attempt = models.ForeignKey(
        Attempt, on_delete=models.PROTECT, related_name="answers", verbose_name=_("lượt làm bài")
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+", verbose_name=_("câu hỏi"))
    chosen = models.JSONField(_("phương án đã chọn"), default=list, blank=True)
    is_correct = models.BooleanField(_("đúng"), default=False)

    objects = AttemptRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("câu trả lời")
        verbose_name_plural = _("câu trả lời")
        ordering = ["attempt", "pk"]


# --- Surveys ---------------------------------------------------------------------------------------


class SurveyQuestionKind(models.TextChoices):
    SINGLE = "single", _("Chọn một")
    MULTIPLE = "multiple", _("Chọn nhiều")
    TEXT = "text", _("Trả lời tự do")


class Survey(models.Model):
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("tổ chức khảo sát")
    )
    org_path = models.CharField(max_length=255, editable=False, db_index=True)
    title = models.CharField(_("tên cuộc khảo sát"), max_length=255)
    description = models.TextField(_("mục đích, hướng dẫn"), blank=True)
    anonymous = models.BooleanField(
        _("ẩn danh"), default=True, help_text=_("Ẩn danh: câu trả lời không gắn với người trả lời.")
    )
    opens_at = models.DateTimeField(_("mở lúc"))
    closes_at = models.DateTimeField(_("đóng lúc"))
    audience = models.CharField(_("đối tượng khảo sát"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người tạo")
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("cuộc khảo sát")
        verbose_name_plural = _("cuộc khảo sát")
        ordering = ["-opens_at", "pk"]

    def __str__(self):
        return self.title


class SurveyRowQuerySet(ScopedQuerySet):
    scope_org = "survey__organization"
    scope_path = "survey__org_path"


class SurveyQuestion(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="questions", verbose_name=_("khảo sát"))
    text = models.TextField(_("câu hỏi"))
    kind = models.CharField(_("loại câu hỏi"), max_length=16, choices=SurveyQuestionKind.choices)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    objects = SurveyRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("câu hỏi khảo sát")
        verbose_name_plural = _("câu hỏi khảo sát")
        ordering = ["survey", "position", "pk"]

    def __str__(self):
        return self.text[:80]


class SurveyChoiceQuerySet(ScopedQuerySet):
    scope_org = "question__survey__organization"
    scope_path = "question__survey__org_path"


class SurveyChoice(models.Model):
    question = models.ForeignKey(
        SurveyQuestion, on_delete=models.PROTECT, related_name="choices", verbose_name=_("câu hỏi")
    )
    text = models.CharField(_("phương án"), max_length=500)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    objects = SurveyChoiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("phương án khảo sát")
        verbose_name_plural = _("phương án khảo sát")
        ordering = ["question", "position", "pk"]

    def __str__(self):
        return self.text


class SurveyInvitationQuerySet(ScopedQuerySet):
    scope_org = "survey__organization"
    scope_path = "survey__org_path"
    scope_member = "member"


class SurveyInvitation(models.Model):
    """Who is asked, and only whether they answered (never which answer is theirs)."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="invitations", verbose_name=_("khảo sát"))
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="survey_invitations", verbose_name=_("đảng viên")
    )
    cell = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("chi bộ")
    )
    answered = models.BooleanField(_("đã trả lời"), default=False)

    objects = SurveyInvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("người được khảo sát")
        verbose_name_plural = _("người được khảo sát")
        constraints = [models.UniqueConstraint(fields=["survey", "member"], name="survey_invited_once")]


class SurveyResponseQuerySet(ScopedQuerySet):
    scope_org = "survey__organization"
    scope_path = "survey__org_path"


class SurveyResponse(models.Model):
    """One person's answers. Anonymous surveys: no member, no time, a random key (no order)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses", verbose_name=_("khảo sát"))
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người trả lời (khảo sát có ghi tên)"),
    )
    submitted_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)

    objects = SurveyResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("phiếu trả lời khảo sát")
        verbose_name_plural = _("phiếu trả lời khảo sát")


class SurveyAnswerQuerySet(ScopedQuerySet):
    scope_org = "response__survey__organization"
    scope_path = "response__survey__org_path"


class SurveyAnswer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(
        SurveyResponse, on_delete=models.PROTECT, related_name="answers", verbose_name=_("phiếu trả lời")
    )
    question = models.ForeignKey(SurveyQuestion, on_delete=models.PROTECT, related_name="+", verbose_name=_("câu hỏi"))
    # Choice ids (a list, not a many-to-many table whose row ids would tell the order of answers).
    choices = models.JSONField(_("phương án đã chọn"), default=list, blank=True)
    text = models.TextField(_("trả lời"), blank=True)

    objects = SurveyAnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("câu trả lời khảo sát")
        verbose_name_plural = _("câu trả lời khảo sát")
