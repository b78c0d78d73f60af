from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [path("kiem-tra/so-lieu/", views.inspection_figures, name="inspection_figures")]
