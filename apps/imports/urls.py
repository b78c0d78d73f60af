from django.urls import path

from . import views, views_training

app_name = "imports"
urlpatterns = [
    path("to-chuc/<int:org_pk>/nhap-dang-vien/", views.upload, name="upload"),
    path("to-chuc/<int:org_pk>/nhap-to-chuc/", views.tree_upload, name="tree_upload"),
    path("to-chuc/<int:org_pk>/mau-cay-to-chuc.xlsx", views.tree_template, name="tree_template"),
    path("nhap/<int:pk>/", views.preview, name="preview"),
    path("nhap/<int:pk>/xac-nhan/", views.confirm, name="confirm"),
    path("nhap/<int:pk>/tien-do/", views.progress, name="progress"),
    path("nhap/<int:pk>/tep/", views.batch_file, name="batch_file"),
    path("to-chuc/<int:org_pk>/nhap-dao-tao/", views_training.training_upload, name="training_upload"),
    path("dang-vien.xlsx", views.export_members, name="export_members"),
    path("mau-danh-sach-dang-vien.xlsx", views.template, name="template"),
]
