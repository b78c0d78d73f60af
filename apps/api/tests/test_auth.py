"""Token and session authentication; every endpoint refuses anonymous callers and writes nothing."""

import datetime as dt

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.api.tests.shapes import legacy
from apps.members.models import Member, StatusChange
from apps.organizations.models import Organization, OrganizationEvent

NOT_LOGGED_IN = "Bạn cần đăng nhập (bằng phiên làm việc hoặc token) để dùng API."
BAD_TOKEN = "Token không hợp lệ hoặc tài khoản đã bị khóa."


def _counts():
    return (
        Member.objects.count(),
        StatusChange.objects.count(),
        Organization.objects.count(),
        OrganizationEvent.objects.count(),
    )


def _endpoints(tree, member):
    m, org = member.pk, tree["cell_a"].pk
    return [
        ("get", "/api/members/", None),
        ("post", "/api/members/", {"organization": org, "family_name": "Lê", "given_name": "Na"}),
        ("get", f"/api/members/{m}/", None),
        ("patch", f"/api/members/{m}/", {"phone": "0909"}),
        ("get", f"/api/members/{m}/status-changes/", None),
        ("post", f"/api/members/{m}/status-changes/", {"kind": "deceased", "date": "2020-01-01"}),
        ("get", f"/api/members/{m}/history/", None),
        ("get", "/api/organizations/", None),
        ("post", "/api/organizations/", {"name": "X", "code": "X", "kind": "cell", "sector": "other", "parent": org}),
        ("get", f"/api/organizations/{org}/", None),
        ("post", f"/api/organizations/{org}/rename/", {"name": "Mới", "date": "2020-01-01"}),
        ("post", f"/api/organizations/{org}/move/", {"new_parent": tree["ward2"].pk, "date": "2020-01-01"}),
        ("delete", "/api/auth/token/", None),
    ]


@pytest.mark.django_db
def test_anonymous_gets_401_with_a_token_challenge_everywhere_and_nothing_changes(tree, make_member):
    member = make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    before = _counts()
    client = APIClient()
    for method, url, body in _endpoints(tree, member):
        response = getattr(client, method)(url, body, format="json")
        assert (method, url, response.status_code) == (method, url, 401)
        assert legacy(response) == {"detail": NOT_LOGGED_IN}
        assert response["WWW-Authenticate"] == "Token"
    assert _counts() == before
    member.refresh_from_db()
    assert (member.phone, member.status) == ("", "full")
    assert Organization.objects.get(pk=tree["cell_a"].pk).name == "Chi bộ khu phố 1"


@pytest.mark.django_db
def test_a_wrong_token_is_refused_everywhere(tree, make_member):
    member = make_member(tree["cell_a"])
    before = _counts()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    for method, url, body in _endpoints(tree, member):
        response = getattr(client, method)(url, body, format="json")
        assert (url, response.status_code, legacy(response)) == (url, 401, {"detail": BAD_TOKEN})
    assert _counts() == before


@pytest.mark.django_db
def test_obtain_a_token_and_use_it(ward_staff, tree, make_member):
    make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    client = APIClient()
    response = client.post("/api/auth/token/", {"username": "dangu_bt", "password": "pass-12345"}, format="json")
    assert response.status_code == 200
    key = legacy(response)["token"]
    assert Token.objects.get(user=ward_staff).key == key
    # The same token comes back on a second request.
    again = client.post("/api/auth/token/", {"username": "dangu_bt", "password": "pass-12345"}, format="json")
    assert legacy(again) == {"token": key}

    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get("/api/members/")
    assert response.status_code == 200
    assert [row["full_name"] for row in legacy(response)["results"]] == ["Nguyễn Văn Hùng"]


@pytest.mark.django_db
def test_wrong_password_gets_no_token(ward_staff):
    response = APIClient().post("/api/auth/token/", {"username": "dangu_bt", "password": "sai"}, format="json")
    assert response.status_code == 400
    assert legacy(response) == {"non_field_errors": ["Tên đăng nhập hoặc mật khẩu không đúng."]}
    assert Token.objects.count() == 0


@pytest.mark.django_db
def test_token_request_needs_both_fields():
    response = APIClient().post("/api/auth/token/", {}, format="json")
    assert response.status_code == 400
    assert legacy(response) == {"username": ["Trường này là bắt buộc."], "password": ["Trường này là bắt buộc."]}


@pytest.mark.django_db
def test_revoked_token_stops_working(ward_staff, api_for):
    client = api_for(ward_staff)
    assert client.get("/api/organizations/").status_code == 200
    assert client.delete("/api/auth/token/").status_code == 204
    assert Token.objects.filter(user=ward_staff).count() == 0
    response = client.get("/api/organizations/")
    assert (response.status_code, legacy(response)) == (401, {"detail": BAD_TOKEN})


@pytest.mark.django_db
def test_inactive_users_token_is_refused(ward_staff, api_for):
    client = api_for(ward_staff)
    ward_staff.is_active = False
    ward_staff.save()
    response = client.get("/api/organizations/")
    assert (response.status_code, legacy(response)) == (401, {"detail": BAD_TOKEN})
    response = APIClient().post("/api/auth/token/", {"username": "dangu_bt", "password": "pass-12345"}, format="json")
    assert response.status_code == 400


@pytest.mark.django_db
def test_session_authentication_works(ward_staff, tree, make_member):
    make_member(tree["cell_b"], "Lê Văn Bình")
    client = APIClient()
    client.force_login(ward_staff)
    response = client.get("/api/members/")
    assert response.status_code == 200
    assert [row["full_name"] for row in legacy(response)["results"]] == ["Lê Văn Bình"]


@pytest.mark.django_db
def test_session_writes_need_the_csrf_token(ward_staff, tree, make_member):
    member = make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(ward_staff)
    response = client.patch(f"/api/members/{member.pk}/", {"phone": "0909000000"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in legacy(response)["detail"]
    member.refresh_from_db()
    assert member.phone == ""

    # With the cookie's token echoed in the X-CSRFToken header the same request goes through.
    secret = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6"
    client.cookies["csrftoken"] = secret
    response = client.patch(
        f"/api/members/{member.pk}/", {"phone": "0909000000"}, format="json", HTTP_X_CSRFTOKEN=secret
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.phone == "0909000000"


@pytest.mark.django_db
def test_dates_are_iso_in_responses(ward_staff, api_for, tree, make_member):
    member = make_member(tree["cell_a"], birth_date=dt.date(1975, 4, 30))
    data = api_for(ward_staff).get(f"/api/members/{member.pk}/").json()
    assert data["birth_date"] == "1975-04-30"
