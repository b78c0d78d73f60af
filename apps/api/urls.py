from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.routers import SimpleRouter

from apps.dues.api import DuesEntryViewSet

from . import views

app_name = "api"

router = SimpleRouter(use_regex_path=False)
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("members", views.MemberViewSet, basename="member")
router.register("dues-entries", DuesEntryViewSet, basename="dues-entry")

urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="schema"),
    path("auth/token/", views.TokenView.as_view(), name="token"),
    *router.urls,
]
