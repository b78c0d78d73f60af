from django.urls import path

from . import views

app_name = "admissions"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("moi/", views.create, name="create"),
    path("du-bi/", views.probations, name="probations"),
    path("quy-tac/", views.rules, name="rules"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/ghi-buoc/", views.step, name="step"),
    path("<int:pk>/giup-do/", views.helper, name="helper"),
    path("<int:pk>/van-ban/<str:doc>.<str:fmt>", views.document, name="document"),
]
