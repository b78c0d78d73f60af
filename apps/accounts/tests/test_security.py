"""Issue 18, findings 5 and 6: password guessing, own passwords, forced changes, second factor,
session lifetime, token revocation."""

import time

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.accounts import security
from apps.accounts.models import User
from apps.api.tests.shapes import legacy
from apps.core.roles import Role

LOGIN = "/tai-khoan/dang-nhap/"
LOCKED = (
    "Đăng nhập tạm khóa vì nhập sai mật khẩu quá nhiều lần. Hãy thử lại sau 30 phút hoặc nhờ quản trị hệ thống mở khóa."
)


def _login(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _code(device, offset=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


# --- finding 5: password guessing -----------------------------------------------------------------


@pytest.mark.django_db
def test_thirty_wrong_passwords_then_the_right_one_is_refused(make_user):
    make_user("bithu_a")
    client = Client()
    for _ in range(30):
        _login(client, "bithu_a", "wrong-password")
    response = _login(client, "bithu_a", "pass-12345")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AccessFailureLog.objects.filter(username="bithu_a").count() == 31


@pytest.mark.django_db
def test_account_lock_holds_from_another_address(make_user):
    make_user("bithu_a")
    for i in range(5):
        _login(Client(), "bithu_a", "wrong", ip=f"10.0.1.{i}")
    response = _login(Client(), "bithu_a", "pass-12345", ip="10.9.9.9")
    assert response.status_code == 429
    assert "_auth_user_id" not in response.wsgi_request.session


@pytest.mark.django_db
def test_four_wrong_then_right_still_logs_in(make_user):
    make_user("bithu_a")
    client = Client()
    for _ in range(4):
        _login(client, "bithu_a", "wrong")
    response = _login(client, "bithu_a", "pass-12345")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(username="bithu_a").pk)


@pytest.mark.django_db
def test_one_address_guessing_many_accounts_is_locked_for_every_account(make_user):
    make_user("victim")
    client = Client()
    for i in range(20):  # one wrong password each for 20 accounts: no account reaches its own limit
        _login(client, f"user{i}", "wrong", ip="203.0.113.7")
    response = _login(client, "victim", "pass-12345", ip="203.0.113.7")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # The same account from another address is not locked.
    other = Client()
    assert _login(other, "victim", "pass-12345", ip="198.51.100.1").status_code == 302


@pytest.mark.django_db
def test_system_admin_unlocks_an_address(make_user, admin_user):
    make_user("victim")
    for i in range(20):
        _login(Client(), f"user{i}", "wrong", ip="203.0.113.7")
    admin = Client()
    admin.force_login(admin_user)
    assert "địa chỉ bị khóa" in admin.get("/tai-khoan/khoa-dang-nhap/").content.decode()
    admin.post("/tai-khoan/khoa-dang-nhap/", {"ip_address": "203.0.113.7"})
    assert not AccessAttempt.objects.filter(ip_address="203.0.113.7").exists()
    assert _login(Client(), "victim", "pass-12345", ip="203.0.113.7").status_code == 302


@pytest.mark.django_db
def test_address_behind_trusted_proxy_is_the_forwarded_one(settings, rf):
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9", REMOTE_ADDR="127.0.0.1")
    assert security.client_ip(request) == "203.0.113.9"
    settings.TRUSTED_PROXY_COUNT = 0
    assert security.client_ip(request) == "127.0.0.1"


@pytest.mark.django_db
def test_system_admin_sees_failures_and_unlocks_an_account_audited(make_user, admin_user):
    make_user("bithu_a")
    for _ in range(6):
        _login(Client(), "bithu_a", "wrong")
    admin = Client()
    admin.force_login(admin_user)
    page = admin.get("/tai-khoan/khoa-dang-nhap/").content.decode()
    assert "tài khoản bị khóa" in page and "bithu_a" in page and "10.0.0.1" in page
    assert "Đăng nhập bị khóa và đăng nhập sai" in admin.get("/tai-khoan/").content.decode()
    response = admin.post("/tai-khoan/khoa-dang-nhap/", {"username": "bithu_a"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="bithu_a").exists()
    entry = LogEntry.objects.filter(content_type__model="accessattempt", action=LogEntry.Action.DELETE).get()
    assert entry.actor == admin_user
    assert _login(Client(), "bithu_a", "pass-12345").status_code == 302
    # Failures stay on record after the unlock.
    assert AccessFailureLog.objects.filter(username="bithu_a").count() == 6


@pytest.mark.django_db
def test_unlock_page_refused_to_a_manager_who_is_not_system_admin(make_user, tree, ward_staff):
    make_user("bithu_a")
    for _ in range(6):
        _login(Client(), "bithu_a", "wrong")
    client = Client()
    client.force_login(ward_staff)
    assert client.get("/tai-khoan/khoa-dang-nhap/").status_code == 403
    assert client.post("/tai-khoan/khoa-dang-nhap/", {"username": "bithu_a"}).status_code == 403
    assert AccessAttempt.objects.filter(username="bithu_a").exists()
    assert "Đăng nhập bị khóa và đăng nhập sai" not in client.get("/tai-khoan/").content.decode()


@pytest.mark.django_db
def test_token_endpoint_is_locked_after_repeated_failures(make_user):
    make_user("bithu_a")
    client = APIClient(REMOTE_ADDR="10.0.0.5")
    for _ in range(5):
        assert client.post(
            "/api/auth/token/", {"username": "bithu_a", "password": "wrong"}, format="json"
        ).status_code in (
            400,
            429,
        )
    response = client.post("/api/auth/token/", {"username": "bithu_a", "password": "pass-12345"}, format="json")
    assert response.status_code == 429
    assert legacy(response) == {"detail": LOCKED}
    assert response.json()["code"] == "locked_out"
    assert not Token.objects.filter(user__username="bithu_a").exists()
    # The lock is shared with the login page.
    assert _login(Client(), "bithu_a", "pass-12345", ip="10.0.0.77").status_code == 429


# --- finding 6: passwords -------------------------------------------------------------------------


@pytest.mark.django_db
def test_change_own_password_old_one_stops_working_and_token_revoked(make_user):
    user = make_user("bithu_a")
    Token.objects.create(user=user)
    client = Client()
    client.force_login(user)
    assert "Đổi mật khẩu" in client.get("/").content.decode()  # user menu
    response = client.post(
        "/tai-khoan/doi-mat-khau/",
        {"old_password": "pass-12345", "new_password1": "Sao-Vang-1945", "new_password2": "Sao-Vang-1945"},
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # still signed in
    assert not Token.objects.filter(user=user).exists()
    assert _login(Client(), "bithu_a", "pass-12345").status_code == 200
    assert _login(Client(), "bithu_a", "Sao-Vang-1945").status_code == 302


@pytest.mark.django_db
def test_change_password_with_wrong_old_one_changes_nothing(make_user):
    user = make_user("bithu_a")
    client = Client()
    client.force_login(user)
    response = client.post(
        "/tai-khoan/doi-mat-khau/",
        {"old_password": "nope", "new_password1": "Sao-Vang-1945", "new_password2": "Sao-Vang-1945"},
    )
    assert response.status_code == 200
    assert "Mật khẩu hiện tại không đúng." in response.content.decode()
    assert User.objects.get(pk=user.pk).check_password("pass-12345")


@pytest.mark.django_db
def test_manager_reset_forces_a_change_at_next_login(tree, ward_staff, make_user):
    target = make_user("bithu_a", Role.CELL_SECRETARY, tree["cell_a"], include_subtree=False)
    manager = Client()
    manager.force_login(ward_staff)
    assert f"/tai-khoan/{target.pk}/dat-lai-mat-khau/" in manager.get(f"/tai-khoan/{target.pk}/").content.decode()
    response = manager.post(f"/tai-khoan/{target.pk}/dat-lai-mat-khau/", {"new_password": "Tam-Thoi-2026"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.must_change_password is True
    entry = LogEntry.objects.get_for_object(target).filter(actor=ward_staff).get()
    assert entry.changes_dict["must_change_password"] == ["False", "True"]
    assert "password" not in entry.changes_dict
    client = Client()
    assert _login(client, "bithu_a", "Tam-Thoi-2026").status_code == 302
    response = client.get("/dang-vien/")
    assert response.status_code == 302
    assert response["Location"].startswith("/tai-khoan/doi-mat-khau/?next=")
    response = client.post(
        "/tai-khoan/doi-mat-khau/",
        {"old_password": "Tam-Thoi-2026", "new_password1": "Cua-Rieng-Toi-9", "new_password2": "Cua-Rieng-Toi-9"},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=target.pk).must_change_password is False
    assert client.get("/dang-vien/").status_code == 200


@pytest.mark.django_db
def test_manager_cannot_reset_an_account_outside_reach(tree, secretary_a, make_user):
    other = make_user("bithu_c", Role.CELL_SECRETARY, tree["cell_c"], include_subtree=False)
    client = Client()
    client.force_login(secretary_a)
    response = client.post(f"/tai-khoan/{other.pk}/dat-lai-mat-khau/", {"new_password": "Tam-Thoi-2026"})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.check_password("pass-12345") and other.must_change_password is False


@pytest.mark.django_db
def test_account_created_by_a_manager_must_change_its_password(tree, ward_staff):
    from apps.accounts import services

    account = services.account_create(user=ward_staff, username="moi", password="Mat-Khau-Dau-1")
    assert account.must_change_password is True


# --- finding 6: second factor ---------------------------------------------------------------------


@pytest.mark.django_db
def test_totp_required_for_province_board_when_setting_on(settings, tree, make_user):
    settings.OTP_REQUIRED = True
    make_user("bantochuc", Role.ORGANIZATION_BOARD, tree["province"])
    client = Client()
    assert _login(client, "bantochuc", "pass-12345").status_code == 302
    response = client.get("/dang-vien/")
    assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/xac-thuc-hai-buoc/?next=")
    page = client.get("/tai-khoan/xac-thuc-hai-buoc/").content.decode()
    assert "<svg" in page
    assert not TOTPDevice.objects.exists()  # opening the page stores nothing
    device = TOTPDevice(key=client.session["otp_setup_key"])
    wrong = client.post("/tai-khoan/xac-thuc-hai-buoc/", {"token": "000000" if _code(device) != "000000" else "111111"})
    assert wrong.status_code == 200 and not TOTPDevice.objects.exists()
    assert "Mã không đúng hoặc đã hết hạn." in wrong.content.decode()
    assert client.post("/tai-khoan/xac-thuc-hai-buoc/", {"token": _code(device)}).status_code == 302
    device = TOTPDevice.objects.get(user__username="bantochuc", confirmed=True)
    assert client.get("/dang-vien/").status_code == 200
    # Next sign-in: password alone does not open pages; the code does.
    second = Client()
    _login(second, "bantochuc", "pass-12345")
    response = second.get("/dang-vien/")
    assert response["Location"].startswith("/tai-khoan/xac-thuc-hai-buoc/nhap-ma/")
    device.refresh_from_db()
    device.last_t = -1
    device.save()
    assert second.post("/tai-khoan/xac-thuc-hai-buoc/nhap-ma/", {"token": _code(device)}).status_code == 302
    assert second.get("/dang-vien/").status_code == 200


@pytest.mark.django_db
def test_totp_not_required_for_cell_secretary(settings, tree, make_user):
    settings.OTP_REQUIRED = True
    make_user("bithu_a", Role.CELL_SECRETARY, tree["cell_a"], include_subtree=True)
    client = Client()
    _login(client, "bithu_a", "pass-12345")
    assert client.get("/dang-vien/").status_code == 200


@pytest.mark.django_db
def test_totp_off_by_default_in_tests(tree, make_user):
    make_user("bantochuc", Role.ORGANIZATION_BOARD, tree["province"])
    client = Client()
    _login(client, "bantochuc", "pass-12345")
    assert client.get("/dang-vien/").status_code == 200


@pytest.mark.django_db
def test_token_endpoint_requires_the_code_when_totp_required(settings, tree, make_user):
    settings.OTP_REQUIRED = True
    user = make_user("bantochuc", Role.ORGANIZATION_BOARD, tree["province"])
    client = APIClient()
    body = {"username": "bantochuc", "password": "pass-12345"}
    response = client.post("/api/auth/token/", body, format="json")
    assert response.status_code == 403
    device = TOTPDevice.objects.create(user=user, name="x", confirmed=True)
    response = client.post("/api/auth/token/", body, format="json")
    assert response.status_code == 400 and legacy(response) == {"otp": ["Thiếu hoặc sai mã xác thực hai bước."]}
    assert not Token.objects.filter(user=user).exists()
    response = client.post("/api/auth/token/", {**body, "otp": _code(device)}, format="json")
    assert response.status_code == 200 and response.json()["token"] == Token.objects.get(user=user).key


# --- finding 6: sessions --------------------------------------------------------------------------


@pytest.mark.django_db
def test_idle_session_is_signed_out(make_user, settings):
    user = make_user("bithu_a")
    client = Client()
    client.force_login(user)
    assert client.get("/dang-vien/").status_code == 200
    session = client.session
    session[security.SESSION_SEEN] = int(time.time()) - int(settings.SESSION_IDLE_MINUTES * 60) - 5
    session.save()
    response = client.get("/dang-vien/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session
    assert client.get("/dang-vien/")["Location"].startswith(LOGIN)


@pytest.mark.django_db
def test_session_ends_a_working_day_after_sign_in_even_when_active(make_user, settings):
    assert (settings.SESSION_MAX_HOURS, settings.SESSION_IDLE_MINUTES) == (9, 120)
    user = make_user("bithu_a")
    client = Client()
    client.force_login(user)
    session = client.session
    session[security.SESSION_STARTED] = int(time.time()) - 9 * 3600 - 5
    session[security.SESSION_SEEN] = int(time.time())
    session.save()
    response = client.get("/dang-vien/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_active_session_within_limits_stays(make_user):
    user = make_user("bithu_a")
    client = Client()
    client.force_login(user)
    session = client.session
    session[security.SESSION_SEEN] = int(time.time()) - 60 * 60
    session.save()
    assert client.get("/dang-vien/").status_code == 200


def test_demo_logins_say_whether_the_second_factor_is_on(settings):
    from io import StringIO
    from types import SimpleNamespace

    from apps.demo.management.commands.seed_demo import Command

    named = SimpleNamespace(name="X")
    context = {
        "province": named,
        "ward": named,
        "cells_by_key": {"trung-thang": named},
        "named": {"secretary:trung-thang": "A", "inspection_chair": "B", "nguyen_van_hung": "C"},
    }
    out = StringIO()
    Command(stdout=out).print_logins(context)
    assert "Xác thực hai bước (OTP_REQUIRED) đang TẮT trong bản dùng thử" in out.getvalue()
    settings.OTP_REQUIRED = True
    out = StringIO()
    Command(stdout=out).print_logins(context)
    assert "Xác thực hai bước (OTP_REQUIRED) đang BẬT" in out.getvalue()
