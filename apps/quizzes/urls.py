from django.urls import path

from . import views

app_name = "quizzes"
urlpatterns = [
    path("", views.index, name="index"),
    path("cua-toi/", views.mine, name="mine"),
    path("ngan-hang/moi/", views.bank_create, name="bank_create"),
    path("ngan-hang/<int:pk>/", views.bank_detail, name="bank_detail"),
    path("cau-hoi/<int:pk>/ngung/", views.question_retire, name="question_retire"),
    path("bai/moi/", views.quiz_create, name="quiz_create"),
    path("bai/<int:pk>/", views.quiz_detail, name="quiz_detail"),
    path("bai/<int:pk>/ket-qua.xlsx", views.quiz_export, name="quiz_export"),
    path("bai/<int:pk>/lam-bai/", views.take, name="take"),
    path("luot-lam-bai/<int:pk>/", views.attempt_detail, name="attempt_detail"),
    path("khao-sat/moi/", views.survey_create, name="survey_create"),
    path("khao-sat/<int:pk>/", views.survey_detail, name="survey_detail"),
    path("khao-sat/<int:pk>/tra-loi/", views.survey_answer, name="survey_answer"),
]
