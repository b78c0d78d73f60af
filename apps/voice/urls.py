from django.urls import path

from . import views

app_name = "voice"
urlpatterns = [
    path("", views.index, name="index"),
    path("gui/", views.submit, name="submit"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/giao/", views.assign, name="assign"),
    path("<int:pk>/tra-loi/", views.answer, name="answer"),
    path("doi-thoai/", views.dialogues, name="dialogues"),
    path("doi-thoai/them/", views.dialogue_create, name="dialogue_create"),
    path("doi-thoai/<int:pk>/", views.dialogue_detail, name="dialogue"),
    path("doi-thoai/<int:pk>/van-de/", views.issue_add, name="issue_add"),
    path("doi-thoai/<int:pk>/van-de/<int:issue>/tra-loi/", views.issue_answer, name="issue_answer"),
    path("doi-thoai/<int:pk>/van-de/<int:issue>/theo-doi/", views.follow_up_add, name="follow_up_add"),
]
