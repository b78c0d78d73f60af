from django.urls import path

from . import views

app_name = "evaluations"
urlpatterns = [
    path("", views.index, name="index"),
    path("mo-dot/", views.campaign_create, name="campaign_create"),
    path("dot/<int:pk>/", views.campaign_detail, name="campaign"),
    path("dot/<int:pk>/quyet-dinh/<int:org_pk>/", views.decide, name="decide"),
    path("ket-qua/<int:pk>/", views.evaluation_detail, name="evaluation"),
    path("ket-qua/<int:pk>/tu-kiem-diem/", views.self_review, name="self_review"),
    path("ket-qua/<int:pk>/chi-bo/", views.review, name="review"),
    path("ket-qua/<int:pk>/khong-xep-loai/", views.mark_not_classified, name="not_classified"),
    path("ket-qua/<int:pk>/xep-loai-lai/", views.include, name="include"),
    path("ket-qua/<int:pk>/dieu-chinh/", views.revise, name="revise"),
    path("bang-tong-hop/", views.table, name="table"),
    path("bang-tong-hop.xlsx", views.table_xlsx, name="table_xlsx"),
    path("bang-tong-hop.pdf", views.table_pdf, name="table_pdf"),
    path("cua-toi/", views.my_history, name="my_history"),
    path("bo-quy-tac/", views.rule_sets, name="rule_sets"),
    path("bo-quy-tac/them/", views.rule_set_copy, name="rule_set_copy"),
    path("chi-tieu/", views.target_create, name="target_create"),
]
