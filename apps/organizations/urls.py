from django.urls import path

from . import views

app_name = "organizations"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/them-truc-thuoc/", views.create_child, name="create_child"),
    path("<int:pk>/doi-ten/", views.rename, name="rename"),
    path("<int:pk>/chuyen-truc-thuoc/", views.move, name="move"),
    path("<int:pk>/hop-nhat/", views.merge, name="merge"),
    path("<int:pk>/chia-tach/", views.split, name="split"),
    path("<int:pk>/ket-thuc/", views.end, name="end"),
    path("<int:pk>/nhiem-ky/them/", views.term_create, name="term_create"),
    path("<int:pk>/chuc-vu/them/", views.post_create, name="post_create"),
    path("chuc-vu/<int:pk>/ket-thuc/", views.post_end, name="post_end"),
    path("<int:pk>/phan-cong/them/", views.oversight_create, name="oversight_create"),
    path("phan-cong/<int:pk>/ket-thuc/", views.oversight_end, name="oversight_end"),
]
