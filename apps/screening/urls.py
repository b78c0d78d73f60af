from django.urls import path

from . import views

app_name = "screening"
urlpatterns = [
    path("", views.index, name="index"),
    path("dang-vien/<int:member_pk>/dua-ra-xem-xet/", views.open_case, name="open"),
    path("<int:pk>/", views.case_detail, name="case"),
    path("<int:pk>/chi-bo-bieu-quyet/", views.vote, name="vote"),
    path("<int:pk>/cap-uy-quyet-dinh/", views.decide, name="decide"),
]
