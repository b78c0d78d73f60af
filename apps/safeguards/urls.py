from django.urls import path

from . import views

app_name = "safeguards"
urlpatterns = [
    path("", views.index, name="index"),
]
