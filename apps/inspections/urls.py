from django.urls import path

from . import views

app_name = "inspections"
urlpatterns = [
    path("", views.index, name="index"),
    path("ke-hoach/moi/", views.plan_create, name="plan_create"),
    path("ke-hoach/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("moi/", views.inspection_create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sua/", views.inspection_edit, name="edit"),
    path("<int:pk>/khac-phuc/them/", views.remedy_add, name="remedy_add"),
    path("khac-phuc/<int:pk>/sua/", views.remedy_correct, name="remedy_correct"),
    path("khac-phuc/<int:pk>/<str:op>/", views.remedy_update, name="remedy_update"),
    path("<int:pk>/dinh-kem/", views.attach, name="attach"),
    path("tai-lieu/<int:pk>/", views.attachment, name="attachment"),
    path("don-thu/", views.complaints, name="complaints"),
    path("don-thu/<int:pk>/dinh-kem/", views.complaint_attach, name="complaint_attach"),
    path("don-thu/tai-lieu/<int:pk>/", views.complaint_attachment, name="complaint_attachment"),
    path("don-thu/<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("<int:pk>/ky-luat/", views.discipline_from_inspection, name="discipline_from_inspection"),
    path("don-thu/<int:pk>/ky-luat/", views.discipline_from_complaint, name="discipline_from_complaint"),
]
