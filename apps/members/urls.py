from django.urls import path

from . import views, views_lifecycle

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("them/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sua/", views.edit, name="edit"),
    path("<int:pk>/tinh-trang/", views.change_status, name="change_status"),
    path("<int:pk>/chuyen-sinh-hoat/", views.transfer, name="transfer"),
    path("<int:pk>/khen-thuong/them/", views.award_create, name="award_create"),
    path("<int:pk>/dao-tao/them/", views_lifecycle.training_create, name="training_create"),
    path("dao-tao/<int:pk>/sua/", views_lifecycle.training_edit, name="training_edit"),
    path("dao-tao/xuat-excel/", views_lifecycle.training_export, name="training_export"),
    path("<int:pk>/huy-hieu/de-nghi/", views_lifecycle.badge_propose, name="badge_propose"),
    path("huy-hieu/<int:pk>/quyet-dinh/", views_lifecycle.badge_decide, name="badge_decide"),
    path("huy-hieu/<int:pk>/trao/", views_lifecycle.badge_present, name="badge_present"),
    path("huy-hieu/", views_lifecycle.badges_due, name="badges_due"),
    path("<int:pk>/mien-sinh-hoat/", views_lifecycle.exempt, name="exempt"),
    path("<int:pk>/ket-nap-lai/", views_lifecycle.readmit, name="readmit"),
    path("kiem-tra-ho-so/", views_lifecycle.file_checks, name="file_checks"),
    path("kiem-tra-ho-so/xuat-excel/", views_lifecycle.file_checks_export, name="file_checks_export"),
]
