"""Named API tokens per client: expiry, read-only or read-write, revocation; and throttling."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from apps.accounts.models import ApiToken
from apps.accounts.services import api_token_create, api_token_revoke
from apps.core.roles import Role
from apps.members.models import Member


def client_with(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_a_read_only_token_reads_but_cannot_write(cells, secretary_a):
    _token, key = api_token_create(user=secretary_a, name="Đồng bộ", days=30, read_only=True)
    client = client_with(key)
    member = cells["a1"]
    assert client.get(f"/api/members/{member.pk}/").status_code == 200
    response = client.patch(f"/api/members/{member.pk}/", {"phone": "0909999999"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Token này chỉ được đọc: hãy dùng token đọc và ghi để thay đổi dữ liệu."
    member.refresh_from_db()
    assert (member.phone, member.version) == ("0903000001", 1)
    count = Member.objects.count()
    response = client.post(f"/api/members/{member.pk}/status-changes/", {"kind": "struck_off"}, format="json")
    assert response.status_code == 403
    assert Member.objects.count() == count
    assert Member.objects.get(pk=member.pk).status == "full"


@pytest.mark.django_db
def test_a_read_write_token_writes_and_its_use_is_recorded(cells, secretary_a):
    token, key = api_token_create(user=secretary_a, name="Nhập liệu", days=30, read_only=False)
    assert key.startswith("cbs_") and token.prefix == key[:10] and token.key_hash != key
    response = client_with(key).patch(f"/api/members/{cells['a1'].pk}/", {"phone": "0909999999"}, format="json")
    assert response.status_code == 200
    assert Member.objects.get(pk=cells["a1"].pk).phone == "0909999999"
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.django_db
def test_another_wards_token_sees_nothing_of_this_ward(cells, tree, make_user):
    other = make_user("dangu_dh", Role.COMMITTEE_STAFF, tree["ward2"])
    _token, key = api_token_create(user=other, name="Phường Đông Hòa", days=30, read_only=False)
    client = client_with(key)
    assert client.get(f"/api/members/{cells['a1'].pk}/").status_code == 404
    ids = {row["id"] for row in client.get("/api/members/").json()["results"]}
    assert ids == {cells["c1"].pk, cells["c2"].pk}
    response = client.patch(f"/api/members/{cells['a1'].pk}/", {"phone": "0909999999"}, format="json")
    assert response.status_code == 404
    assert Member.objects.get(pk=cells["a1"].pk).phone == "0903000001"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        ("revoke", "Token này đã bị thu hồi."),
        ("expire", "Token này đã hết hạn."),
        ("forge", "Token không hợp lệ hoặc tài khoản đã bị khóa."),
        ("lock", "Token không hợp lệ hoặc tài khoản đã bị khóa."),
    ],
)
def test_a_revoked_expired_or_unknown_token_is_refused(cells, secretary_a, spoil, message):
    token, key = api_token_create(user=secretary_a, name="Đồng bộ", days=30, read_only=False)
    if spoil == "revoke":
        api_token_revoke(user=secretary_a, token=token)
    elif spoil == "expire":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    elif spoil == "forge":
        key = key[:-2] + ("aa" if not key.endswith("aa") else "bb")
    else:
        secretary_a.is_active = False
        secretary_a.save()
    client = client_with(key)
    response = client.patch(f"/api/members/{cells['a1'].pk}/", {"phone": "0909999999"}, format="json")
    assert response.status_code == 401
    assert response.json()["detail"] == message
    assert response["WWW-Authenticate"] == "Token"
    assert Member.objects.get(pk=cells["a1"].pk).phone == "0903000001"


@pytest.mark.django_db
def test_tokens_are_revoked_one_by_one_and_all_by_a_password_change(cells, secretary_a, api_for):
    first, first_key = api_token_create(user=secretary_a, name="Một", days=30)
    second, second_key = api_token_create(user=secretary_a, name="Hai", days=30)
    # A named token revokes itself through the API, leaving the others.
    assert client_with(first_key).delete("/api/auth/token/").status_code == 204
    assert client_with(first_key).get("/api/members/").status_code == 401
    assert client_with(second_key).get("/api/members/").status_code == 200
    legacy = api_for(secretary_a)
    assert legacy.get("/api/members/").status_code == 200
    secretary_a.set_password("mat-khau-moi-2026")
    secretary_a.save()
    assert client_with(second_key).get("/api/members/").status_code == 401
    assert legacy.get("/api/members/").status_code == 401
    assert ApiToken.objects.filter(user=secretary_a, revoked_at__isnull=True).count() == 0


@pytest.mark.django_db
def test_token_names_and_lengths_are_checked(secretary_a):
    api_token_create(user=secretary_a, name="Đồng bộ", days=30)
    with pytest.raises(Exception) as refused:
        api_token_create(user=secretary_a, name="  đồng   bộ ", days=400)
    assert refused.value.message_dict == {
        "name": ["Đồng chí đã có token còn hiệu lực tên “đồng bộ”."],
        "days": ["Thời hạn phải từ 1 đến 365 ngày."],
    }
    assert ApiToken.objects.count() == 1


@pytest.mark.django_db
def test_the_old_token_endpoint_still_works(cells, secretary_a):
    response = APIClient().post("/api/auth/token/", {"username": "bithu_a", "password": "pass-12345"}, format="json")
    assert response.status_code == 200
    assert client_with(response.json()["token"]).get("/api/members/").status_code == 200


@pytest.mark.django_db
def test_throttling_answers_429_with_retry_after_per_client(cells, secretary_a, settings):
    settings.API_THROTTLE_RATES = {"client": "3/minute", "anonymous": "2/minute"}
    _t, one = api_token_create(user=secretary_a, name="Một", days=30)
    _t, two = api_token_create(user=secretary_a, name="Hai", days=30)
    client = client_with(one)
    assert [client.get("/api/organizations/").status_code for _ in range(3)] == [200, 200, 200]
    response = client.get("/api/organizations/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json()["detail"] == "Quá nhiều yêu cầu; hãy thử lại sau."
    assert client_with(two).get("/api/organizations/").status_code == 200  # another client, its own budget
    # Without credentials a request is refused (401) before any count; what it may read is counted.
    anonymous = APIClient()
    assert [anonymous.get("/api/openapi.json").status_code for _ in range(3)] == [200, 200, 429]
