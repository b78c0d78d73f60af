"""The holder's API token page: list, make (key shown once), revoke; nobody else's tokens."""

import pytest
from rest_framework.test import APIClient

from apps.accounts.models import ApiToken
from apps.accounts.services import api_token_create, api_token_hash


@pytest.mark.django_db
def test_the_page_makes_a_token_shown_once_that_works(secretary_a, client_for, tree):
    client = client_for(secretary_a)
    page = client.get("/tai-khoan/token-api/")
    assert page.status_code == 200
    assert "Đồng chí chưa có token API nào." in page.content.decode()
    response = client.post("/tai-khoan/token-api/", {"name": "Đồng bộ CSDL", "days": "90", "access": "read"})
    assert response.status_code == 200
    key = response.context["new_key"]
    token = ApiToken.objects.get(user=secretary_a)
    assert (token.name, token.read_only, token.key_hash) == ("Đồng bộ CSDL", True, api_token_hash(key))
    assert (token.expires_at - token.created_at).days == 90
    assert key in response.content.decode()
    assert key not in client.get("/tai-khoan/token-api/").content.decode()  # never again
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/organizations/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "days": "90", "access": "read"}, "name", "Trường này là bắt buộc."),
        ({"name": "X", "days": "400", "access": "read"}, "days", None),
        ({"name": "X", "days": "90", "access": "admin"}, "access", None),
    ],
)
def test_bad_input_makes_nothing(secretary_a, client_for, data, field, message):
    response = client_for(secretary_a).post("/tai-khoan/token-api/", data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    if message:
        assert errors[field] == [message]
    assert ApiToken.objects.count() == 0


@pytest.mark.django_db
def test_a_duplicate_name_is_refused_on_the_form(secretary_a, client_for):
    api_token_create(user=secretary_a, name="Đồng bộ", days=30)
    response = client_for(secretary_a).post(
        "/tai-khoan/token-api/", {"name": "đồng bộ", "days": "30", "access": "read"}
    )
    assert response.context["form"].errors == {"name": ["Đồng chí đã có token còn hiệu lực tên “đồng bộ”."]}
    assert ApiToken.objects.count() == 1


@pytest.mark.django_db
def test_revoke_one_of_ones_own_and_never_anothers(secretary_a, ward_staff, client_for):
    mine, _ = api_token_create(user=secretary_a, name="Của tôi", days=30)
    theirs, _ = api_token_create(user=ward_staff, name="Của người khác", days=30)
    client = client_for(secretary_a)
    page = client.get("/tai-khoan/token-api/").content.decode()
    assert "Của tôi" in page and "Của người khác" not in page
    assert client.post(f"/tai-khoan/token-api/{theirs.pk}/thu-hoi/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert client.get(f"/tai-khoan/token-api/{mine.pk}/thu-hoi/").status_code == 405
    response = client.post(f"/tai-khoan/token-api/{mine.pk}/thu-hoi/")
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.revoked_at is not None
    assert "đã thu hồi" in client.get("/tai-khoan/token-api/").content.decode()


@pytest.mark.django_db
def test_the_menu_links_the_page(secretary_a, client_for):
    assert 'href="/tai-khoan/token-api/"' in client_for(secretary_a).get("/tai-khoan/doi-mat-khau/").content.decode()


@pytest.mark.django_db
def test_the_page_needs_a_login(client):
    assert client.get("/tai-khoan/token-api/").status_code == 302
