from django.urls import path, re_path, register_converter
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.routers import SimpleRouter

from . import views
from .accountability import ReviewCountsView
from .admissions import AdmissionCaseViewSet
from .dues import DuesEntryViewSet
from .library import LibraryDocumentViewSet, LibraryReceiptViewSet
from .lifecycle import BadgeViewSet, TrainingRecordViewSet
from .quizzes import AttemptSubmitView, MyQuizzesView, QuizResultsView, QuizStartView
from .resolutions import ResolutionViewSet, TargetViewSet, TaskViewSet
from .voice import PetitionViewSet

app_name = "api"


class SignedIntConverter:
    """Ids in API paths: a negative or malformed-but-numeric id reaches the view, which answers
    the API's JSON 404 (Django's `int` converter would let it fall through to the HTML 404)."""

    regex = "-?[0-9]+"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(SignedIntConverter, "signedint")

router = SimpleRouter(use_regex_path=False)
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("members", views.MemberViewSet, basename="member")
router.register("dues-entries", DuesEntryViewSet, basename="dues-entry")
router.register("resolutions", ResolutionViewSet, basename="resolution")
router.register("targets", TargetViewSet, basename="target")
router.register("tasks", TaskViewSet, basename="task")
router.register("library-documents", LibraryDocumentViewSet, basename="library-document")
router.register("library-receipts", LibraryReceiptViewSet, basename="library-receipt")
router.register("admission-cases", AdmissionCaseViewSet, basename="admission-case")
router.register("petitions", PetitionViewSet, basename="petition")
router.register("training-records", TrainingRecordViewSet, basename="training-record")
router.register("badges", BadgeViewSet, basename="badge")

urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="schema"),
    # The browsable documentation, served from local files (drf-spectacular-sidecar), its start-up
    # script a separate file so that the page needs no inline script (CSP).
    path(
        "tai-lieu/",
        views.DocsView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
        name="docs",
    ),
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("review-counts/", ReviewCountsView.as_view(), name="review_counts"),
    path("quizzes/mine/", MyQuizzesView.as_view(), name="quizzes_mine"),
    path("quizzes/<signedint:pk>/start/", QuizStartView.as_view(), name="quiz_start"),
    path("quizzes/<signedint:pk>/results/", QuizResultsView.as_view(), name="quiz_results"),
    path("quiz-attempts/<signedint:pk>/submit/", AttemptSubmitView.as_view(), name="quiz_attempt_submit"),
    *router.urls,
    # Last: every other address under /api/ answers the API's JSON 404.
    re_path(r"^.*$", views.NotFoundView.as_view(), name="not_found"),
]
