from django.urls import path

from . import views

app_name = "statistics"
urlpatterns = [
    path("", views.index, name="index"),
    path("to-chuc/<int:pk>/", views.organization_statistics, name="organization"),
    path("to-chuc/<int:pk>/bang-thong-ke.xlsx", views.export_xlsx, name="export_xlsx"),
    path("to-chuc/<int:pk>/bang-thong-ke.pdf", views.export_pdf, name="export_pdf"),
]
