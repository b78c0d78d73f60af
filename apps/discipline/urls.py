from django.urls import path

from . import views

app_name = "discipline"
urlpatterns = [
    path("", views.discipline_list, name="list"),
    path("moi/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/dinh-kem/", views.attach, name="attach"),
    path("tai-lieu/<int:pk>/", views.attachment, name="attachment"),
]
