from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("them/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sua/", views.edit, name="edit"),
    path("<int:pk>/tinh-trang/", views.change_status, name="change_status"),
    path("<int:pk>/chuyen-sinh-hoat/", views.transfer, name="transfer"),
    path("<int:pk>/khen-thuong/them/", views.award_create, name="award_create"),
]
