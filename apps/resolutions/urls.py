from django.urls import path

from . import views

app_name = "resolutions"
urlpatterns = [
    path("", views.index, name="index"),
    path("moi/", views.resolution_create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sua/", views.resolution_edit, name="edit"),
    path("<int:pk>/van-ban/", views.resolution_file, name="file"),
    path("<int:pk>/chi-tieu/them/", views.target_create, name="target_create"),
    path("<int:pk>/chi-tieu.xlsx", views.table_xlsx, name="table_xlsx"),
    path("<int:pk>/chi-tieu.pdf", views.table_pdf, name="table_pdf"),
    path("chi-tieu/", views.targets, name="targets"),
    path("chi-tieu/<int:pk>/", views.target_detail, name="target"),
    path("chi-tieu/<int:pk>/sua/", views.target_edit, name="target_edit"),
    path("chi-tieu/<int:pk>/giao/", views.target_break_down, name="target_break_down"),
    path("chot-so-lieu/<int:org>/", views.close_period, name="close"),
    path("nhiem-vu/", views.tasks, name="tasks"),
    path("nhiem-vu/moi/", views.task_create, name="task_create"),
    path("nhiem-vu/cua-toi/", views.my_tasks, name="my_tasks"),
    path("nhiem-vu/tre-han/", views.overdue, name="overdue"),
    path("nhiem-vu/danh-sach.xlsx", views.tasks_xlsx, name="tasks_xlsx"),
    path("nhiem-vu/<int:pk>/", views.task_detail, name="task"),
    path("danh-gia-nhiem-vu/<int:org>/", views.reviews, name="reviews"),
    path("quy-che/<int:org>/", views.working_rules, name="working_rules"),
    path("quy-che/van-ban/<int:pk>/", views.working_rules_file, name="working_rules_file"),
]
