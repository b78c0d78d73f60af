from django.urls import path

from . import views

app_name = "accountability"
urlpatterns = [
    path("", views.index, name="index"),
    path("so-tay/<int:year>/", views.my_exam, name="my_exam"),
    path("so-tay/xem/<int:pk>/", views.exam_detail, name="exam_detail"),
    path("so-tay/xem/<int:pk>/mo/", views.exam_open, name="exam_open"),
    path("ke-hoach/", views.plans, name="plans"),
    path("ke-hoach/moi/", views.plan_create, name="plan_create"),
    path("ke-hoach/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("ke-hoach/viec/<int:pk>/sua/", views.action_correct, name="action_correct"),
    path("ke-hoach/viec/<int:pk>/<str:op>/", views.action_update, name="action_update"),
    path("ke-hoach/<int:pk>/dinh-kem/", views.plan_attach, name="plan_attach"),
    path("ke-hoach/<int:pk>/sua/", views.plan_edit, name="plan_edit"),
    path("ke-hoach/tai-lieu/<int:pk>/", views.plan_attachment, name="plan_attachment"),
    path("qua-han/", views.overdue, name="overdue"),
    path("cam-ket/", views.commitments, name="commitments"),
    path("cam-ket/<int:pk>/danh-gia/", views.commitment_review, name="commitment_review"),
    path("so-theo-doi/", views.logbook, name="logbook"),
    path("so-theo-doi/<int:pk>/", views.logbook_entry, name="logbook_entry"),
    path("tong-hop/<int:member_pk>/<int:year>/", views.year_summary, name="year_summary"),
    path("tong-hop/to-chuc/<int:org_pk>/<int:year>/", views.org_year_summary, name="org_year_summary"),
    path("doan-kiem-diem/", views.review_groups, name="review_groups"),
    path("doan-kiem-diem/<int:pk>/", views.review_group_detail, name="review_group_detail"),
    path("doan-kiem-diem/so-lieu/", views.review_counts, name="review_counts"),
    path("doan-kiem-diem/so-lieu/xlsx/", views.review_counts_xlsx, name="review_counts_xlsx"),
    path("doan-kiem-diem/doi-tuong/<int:pk>/", views.review_target_detail, name="review_target_detail"),
    path("doan-kiem-diem/doi-tuong/<int:pk>/ghi/", views.review_target_record, name="review_target_record"),
    path("goi-y-kiem-diem/", views.suggestions, name="suggestions"),
    path("cham-khac-phuc/", views.slow, name="slow"),
    path("xoay-vong/", views.rotating, name="rotating"),
    path("xoay-vong/<int:pk>/xong/", views.rotating_done, name="rotating_done"),
]
