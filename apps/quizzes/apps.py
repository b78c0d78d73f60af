from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "apps.quizzes"
    verbose_name = _("Kiểm tra nhận thức, khảo sát")
    # Members see their own tests and surveys; organizers (change reach) the banks, tests and results.
    nav = [
        (_("Bài kiểm tra của tôi"), "quizzes:mine"),
        (_("Kiểm tra nhận thức, khảo sát"), "quizzes:index", "change"),
    ]
    nav_order = 62

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        for model in (
            models.QuestionBank,
            models.Question,
            models.Option,
            models.Quiz,
            models.QuizQuestion,
            models.QuizInvitation,
            models.Attempt,
            models.AttemptAnswer,
            models.Survey,
            models.SurveyQuestion,
            models.SurveyChoice,
            models.SurveyInvitation,
            # Named responses are logged; anonymous ones are written with the log off (it names its actor).
            models.SurveyResponse,
            models.SurveyAnswer,
        ):
            auditlog.register(model)
