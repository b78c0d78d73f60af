from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.routers import SimpleRouter

from . import views

app_name = "api"

router = SimpleRouter(use_regex_path=False)
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("members", views.MemberViewSet, basename="member")

urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="schema"),
    path("auth/token/", views.TokenView.as_view(), name="token"),
    *router.urls,
]
