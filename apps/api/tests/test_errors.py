"""One error shape for every API error: {code, message, detail, errors[{field, code, message}]}."""

import json

import pytest
from django.core.cache import cache

from apps.accounts.services import api_token_create
from apps.api.exceptions import field_errors
from apps.members.models import Member


@pytest.mark.django_db
def test_field_errors_are_listed_with_their_paths(cells, secretary_a, api_for):
    response = api_for(secretary_a).patch(
        f"/api/members/{cells['a1'].pk}/", {"birth_date": "hôm qua", "gender": "x"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["message"], body["detail"]) == ("invalid",) + ("Dữ liệu gửi lên không hợp lệ.",) * 2
    assert [(e["field"], e["code"]) for e in body["errors"]] == [
        ("gender", "invalid_choice"),
        ("birth_date", "invalid"),
    ]
    assert all(e["message"] for e in body["errors"])
    assert Member.objects.get(pk=cells["a1"].pk).version == 1


@pytest.mark.django_db
def test_an_unknown_field_in_a_body_is_refused(cells, secretary_a, api_for):
    response = api_for(secretary_a).patch(
        f"/api/members/{cells['a1'].pk}/", {"phone": "0909999999", "favourite_colour": "đỏ"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "unknown_field",
        "message": "Trường này không có trong API (xem /api/openapi.json).",
        "detail": "Trường này không có trong API (xem /api/openapi.json).",
        "errors": [
            {
                "field": "favourite_colour",
                "code": "unknown_field",
                "message": "Trường này không có trong API (xem /api/openapi.json).",
            }
        ],
    }
    assert Member.objects.get(pk=cells["a1"].pk).phone == "0903000001"


@pytest.mark.django_db
@pytest.mark.parametrize("size", ["0", "201", "abc", "-1", "1.5", "٣"])
def test_a_bad_page_size_answers_400(cells, ward_staff, api_for, size):
    response = api_for(ward_staff).get("/api/members/", {"page_size": size})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_page_size"
    assert body["errors"] == [
        {
            "field": "page_size",
            "code": "invalid_page_size",
            "message": "Số bản ghi mỗi trang phải là số nguyên từ 1 đến 200.",
        }
    ]


@pytest.mark.django_db
def test_a_bad_cursor_answers_400_in_both_orders(cells, ward_staff, api_for):
    client = api_for(ward_staff)
    for params in ({"cursor": "bogus"}, {"cursor": "bogus", "ordering": "updated_at"}):
        response = client.get("/api/members/", params)
        assert response.status_code == 400
        assert response.json()["code"] == "invalid_cursor"
        assert response.json()["errors"][0]["field"] == "cursor"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/api/khong-co/"), ("post", "/api/members/1/khong-co/"), ("get", "/api/members/abc/"), ("get", "/api/x")],
)
def test_unknown_api_addresses_answer_json_404(method, path, client):
    response = getattr(client, method)(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_out_of_scope_and_missing_answer_the_same_404(cells, secretary_a, api_for):
    client = api_for(secretary_a)
    outside = client.get(f"/api/members/{cells['c1'].pk}/").json()
    missing = client.get("/api/members/999999/").json()
    assert (
        outside
        == missing
        == {"code": "not_found", "message": "Không tìm thấy.", "detail": "Không tìm thấy.", "errors": []}
    )


@pytest.mark.django_db
def test_codes_for_authentication_rights_media_and_throttling(cells, secretary_a, api_for, settings):
    assert api_for().get("/api/members/").json()["code"] == "not_authenticated"
    _t, key = api_token_create(user=secretary_a, name="Đọc", days=30)
    reader = api_for()
    reader.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert reader.patch(f"/api/members/{cells['a1'].pk}/", {}, format="json").json()["code"] == "read_only_token"
    writer = api_for(secretary_a)
    response = writer.patch(f"/api/members/{cells['a1'].pk}/", "phone=1", content_type="text/plain")
    assert (response.status_code, response.json()["code"]) == (415, "unsupported_media_type")
    response = writer.patch(f"/api/members/{cells['a1'].pk}/", "{", content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (400, "parse_error")
    response = writer.patch(f"/api/members/{cells['a1'].pk}/", {"phone": "0909"}, format="json", HTTP_IF_MATCH='"7"')
    body = response.json()
    assert (response.status_code, body["code"], body["current_version"], body["errors"]) == (412, "stale", 1, [])
    cache.clear()
    settings.API_THROTTLE_RATES = {"client": "1/minute", "anonymous": "1/minute"}
    writer.get("/api/organizations/")
    response = writer.get("/api/organizations/")
    assert (response.status_code, response.json()["code"]) == (429, "throttled")
    cache.clear()


@pytest.mark.django_db
def test_created_records_answer_201_with_their_location(tree, secretary_a, api_for):
    response = api_for(secretary_a).post(
        "/api/members/",
        {
            "organization": tree["cell_a"].pk,
            "family_name": "Võ",
            "middle_name": "Thị",
            "given_name": "Sáu",
            "gender": "female",
            "birth_date": "1990-02-03",
            "admission_date": "2020-05-19",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response["Location"] == f"http://testserver/api/members/{pk}/"
    response = api_for(secretary_a).post(
        f"/api/members/{pk}/status-changes/", {"kind": "struck_off", "date": "2024-01-02"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response["Location"] == f"http://testserver/api/members/{pk}/status-changes/"


def test_nested_errors_are_flattened_to_paths():
    from rest_framework.exceptions import ErrorDetail as E

    detail = {
        "non_field_errors": [E("chung", code="x")],
        "items": [{}, {"name": [E("thiếu", code="required")]}],
        "tags": {0: [E("sai", code="invalid")]},
    }
    assert field_errors(detail) == [
        {"field": None, "code": "x", "message": "chung"},
        {"field": "items[1].name", "code": "required", "message": "thiếu"},
        {"field": "tags[0]", "code": "invalid", "message": "sai"},
    ]


@pytest.mark.django_db
def test_the_schema_declares_the_error_shape_for_each_status(client):
    schema = json.loads(client.get("/api/openapi.json").content)
    assert set(schema["components"]["schemas"]["Error"]["required"]) == {"code", "message", "detail", "errors"}
    patch = schema["paths"]["/api/members/{id}/"]["patch"]["responses"]
    assert {"400", "401", "403", "404", "412", "415", "429"} <= set(patch)
    assert patch["400"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert patch["412"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/StaleError"}
    assert "Retry-After" in patch["429"]["headers"]
    create = schema["paths"]["/api/members/"]["post"]["responses"]
    assert {"201", "400", "409", "415"} <= set(create)
    assert "Location" in create["201"]["headers"]
