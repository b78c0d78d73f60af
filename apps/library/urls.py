from django.urls import path

from . import views

app_name = "library"
urlpatterns = [
    path("", views.index, name="index"),
    path("cua-toi/", views.mine, name="mine"),
    path("moi/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sua/", views.edit, name="edit"),
    path("<int:pk>/tep/", views.document_file, name="file"),
    path("<int:pk>/da-hoc-tap/", views.confirm, name="confirm"),
    path("<int:pk>/danh-dau/", views.bookmark, name="bookmark"),
    path("<int:pk>/gui/", views.send, name="send"),
    path("<int:pk>/tien-do/", views.progress, name="progress"),
    path("<int:pk>/hoc-tap/moi/", views.session_create, name="session_create"),
    path("hoc-tap/", views.sessions, name="sessions"),
    path("hoc-tap/<int:pk>/", views.session, name="session"),
    path("hoc-tap/<int:pk>/thu-hoach/", views.reflection_submit, name="reflection_submit"),
    path("thu-hoach/<int:pk>/cham/", views.reflection_grade, name="reflection_grade"),
    path("hoi-thao/", views.seminars, name="seminars"),
    path("hoi-thao/moi/", views.seminar_create, name="seminar_create"),
    path("hoi-thao/<int:pk>/", views.seminar, name="seminar"),
]
