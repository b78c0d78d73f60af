from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/da-doc/", views.read, name="read"),
    path("nhan-thong-bao/", views.preferences, name="preferences"),
]
