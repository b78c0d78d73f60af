from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("chon/dang-vien/", views.pick_member, name="pick_member"),
    path("chon/to-chuc/", views.pick_organization, name="pick_organization"),
]
