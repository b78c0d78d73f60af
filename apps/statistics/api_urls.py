"""/api/statistics/… (mounted before /api/ in config/urls.py)."""

from django.urls import path

from . import api

app_name = "statistics_api"
urlpatterns = [
    path("members/", api.MemberStatisticsView.as_view(), name="members"),
    path("movement/", api.MovementStatisticsView.as_view(), name="movement"),
    path("training/", api.TrainingStatisticsView.as_view(), name="training"),
    path("awards/", api.AwardStatisticsView.as_view(), name="awards"),
    path("organizations/", api.OrganizationStatisticsView.as_view(), name="organizations"),
    path("meetings/", api.MeetingStatisticsView.as_view(), name="meetings"),
]
