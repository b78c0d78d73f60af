from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("dang-nhap/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.account_list, name="list"),
    path("moi/", views.account_create, name="create"),
    path("<int:pk>/", views.account_detail, name="detail"),
    path("vai-tro/<int:pk>/ket-thuc/", views.role_end, name="role_end"),
]
