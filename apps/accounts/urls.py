from django.contrib.auth import views as auth_views
from django.urls import path

from . import auth_views as security_views
from . import token_views, views

app_name = "accounts"
urlpatterns = [
    path("dang-nhap/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", security_views.password_change, name="password_change"),
    path("xac-thuc-hai-buoc/", security_views.otp_setup, name="otp_setup"),
    path("xac-thuc-hai-buoc/nhap-ma/", security_views.otp_verify, name="otp_verify"),
    path("khoa-dang-nhap/", security_views.lockouts, name="lockouts"),
    path("token-api/", token_views.api_tokens, name="api_tokens"),
    path("token-api/<int:pk>/thu-hoi/", token_views.api_token_revoke, name="api_token_revoke"),
    path("token-api/token-chung/thu-hoi/", token_views.api_token_legacy_revoke, name="api_token_legacy_revoke"),
    path("", views.account_list, name="list"),
    path("moi/", views.account_create, name="create"),
    path("<int:pk>/", views.account_detail, name="detail"),
    path("<int:pk>/dat-lai-mat-khau/", security_views.account_password_reset, name="password_reset"),
    path("<int:pk>/go-xac-thuc-hai-buoc/", security_views.account_otp_remove, name="otp_remove"),
    path("vai-tro/<int:pk>/ket-thuc/", views.role_end, name="role_end"),
]
