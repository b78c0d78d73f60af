"""The OpenAPI schema at /api/openapi.json: JSON, valid, listing every endpoint and both auth schemes."""

import json

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

EXPECTED = {
    "/api/auth/token/": {"post", "delete"},
    "/api/members/": {"get", "post"},
    "/api/members/{id}/": {"get", "patch"},
    "/api/members/{id}/status-changes/": {"get", "post"},
    "/api/members/{id}/history/": {"get"},
    "/api/organizations/": {"get", "post"},
    "/api/organizations/{id}/": {"get"},
    "/api/organizations/{id}/rename/": {"post"},
    "/api/organizations/{id}/move/": {"post"},
    "/api/dues-entries/": {"get"},
    "/api/dues-entries/{id}/": {"get"},
    "/api/review-counts/": {"get"},
    "/api/statistics/members/": {"get"},
    "/api/statistics/movement/": {"get"},
    "/api/statistics/training/": {"get"},
    "/api/statistics/awards/": {"get"},
    "/api/statistics/organizations/": {"get"},
    "/api/statistics/meetings/": {"get"},
    "/api/resolutions/": {"get"},
    "/api/resolutions/{id}/": {"get"},
    "/api/targets/": {"get"},
    "/api/targets/{id}/": {"get"},
    "/api/tasks/": {"get"},
    "/api/tasks/{id}/": {"get"},
    "/api/library-documents/": {"get"},
    "/api/library-documents/{id}/": {"get"},
    "/api/library-receipts/": {"get"},
    "/api/library-receipts/{id}/": {"get"},
    "/api/library-receipts/{id}/open/": {"post"},
    "/api/library-receipts/{id}/confirm/": {"post"},
    "/api/admission-cases/": {"get", "post"},
    "/api/admission-cases/{id}/": {"get"},
    "/api/admission-cases/{id}/steps/": {"post"},
    "/api/quizzes/mine/": {"get"},
    "/api/quizzes/{id}/start/": {"post"},
    "/api/quizzes/{id}/results/": {"get"},
    "/api/quiz-attempts/{id}/submit/": {"post"},
    "/api/petitions/": {"get", "post"},
    "/api/petitions/{id}/": {"get"},
    "/api/petitions/{id}/assign/": {"post"},
    "/api/petitions/{id}/answer/": {"post"},
    "/api/training-records/": {"get", "post"},
    "/api/training-records/{id}/": {"get", "patch"},
    "/api/badges/": {"get", "post"},
    "/api/badges/{id}/": {"get"},
    "/api/badges/{id}/decide/": {"post"},
    "/api/badges/{id}/present/": {"post"},
}


@pytest.mark.django_db
def test_schema_is_json_listing_the_endpoints(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Chi Bộ Số API"
    api_paths = {path: set(ops) - {"parameters"} for path, ops in schema["paths"].items() if path.startswith("/api/")}
    assert api_paths == EXPECTED
    assert set(schema["components"]["securitySchemes"]) == {"tokenAuth", "cookieAuth"}
    # Obtaining a token needs no credentials; everything else does.
    assert schema["paths"]["/api/auth/token/"]["post"].get("security", []) in ([], [{}])
    assert schema["paths"]["/api/members/"]["get"]["security"] == [{"tokenAuth": []}, {"cookieAuth": []}]


@pytest.mark.django_db
def test_schema_documents_filters_and_privacy(client):
    schema = json.loads(client.get("/api/openapi.json").content)
    members = {p["name"] for p in schema["paths"]["/api/members/"]["get"]["parameters"]}
    sync = {"include_ended", "updated_since", "ordering"}
    assert members == {"q", "organization", "status", "cursor", "page_size", "fields", *sync}
    organizations = {p["name"] for p in schema["paths"]["/api/organizations/"]["get"]["parameters"]}
    assert organizations == {"kind", "sector", "parent", "within", "active", "cursor", "page_size", *sync}
    listed = set(schema["components"]["schemas"]["MemberList"]["properties"])
    detailed = set(schema["components"]["schemas"]["MemberDetail"]["properties"])
    assert {"citizen_id", "phone", "email"} & listed == set()
    assert {"citizen_id", "phone", "email"} <= detailed


def test_schema_passes_the_openapi_validator():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)


@pytest.mark.django_db
def test_the_documentation_page_is_served_locally_without_inline_script(client, ward_staff):
    import re

    assert client.get("/api/tai-lieu/").status_code in (401, 403)  # signed-in users only, like every page
    client.force_login(ward_staff)
    page = client.get("/api/tai-lieu/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<style" not in html and "style=" not in html
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert len(scripts) == 3 and all('src="/' in attrs and body.strip() == "" for attrs, body in scripts)
    assert "cdn" not in html.lower() and "http" not in html.split("<body>")[1]
    start = client.get("/api/tai-lieu/?script=")
    assert start.status_code == 200
    assert start["Content-Type"].startswith("application/javascript")
    assert "/api/openapi.json" in start.content.decode()


@pytest.mark.django_db
def test_answers_carry_the_api_version(client):
    assert client.get("/api/members/")["API-Version"] == "1"
