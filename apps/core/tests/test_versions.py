"""Finding 7 (lost updates): a save made from a stale copy is refused, saying what changed."""

import datetime as dt
import json

import pytest
from django.test import Client

from apps.core.roles import Role
from apps.members.models import Member
from apps.organizations.models import Organization
from apps.organizations.services import organization_rename


def _sheet_post(member: Member, version, **changes) -> dict:
    """The member sheet as the edit page posts it, with `changes` applied."""
    data = {}
    for name in (
        "family_name",
        "middle_name",
        "given_name",
        "gender",
        "ethnicity",
        "religion",
        "hometown",
        "residence",
        "citizen_id",
        "phone",
        "email",
        "education",
        "general_education",
        "political_theory",
        "occupation",
        "position",
        "card_number",
    ):
        value = getattr(member, name)
        data[name] = "" if value is None else value
    for name in ("birth_date", "admission_date", "full_membership_date"):
        value = getattr(member, name)
        data[name] = value.strftime("%d/%m/%Y") if value else ""
    data["version"] = version
    data.update(changes)
    return data


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_second_edit_from_a_stale_page_is_refused_and_says_what_changed(tree, make_member, make_user):
    member = make_member(tree["cell_a"], "Nguyễn Văn Hùng", phone="0901000001", email="")
    anh = make_user("anh", Role.CELL_SECRETARY, tree["cell_a"], include_subtree=False)
    anh.first_name, anh.last_name = "Anh", "Lê"
    anh.save()
    binh = make_user("binh", Role.COMMITTEE_STAFF, tree["ward"])
    url = f"/dang-vien/{member.pk}/sua/"
    first, second = _client(anh), _client(binh)
    # Both open the edit page on the same version.
    page = first.get(url)
    assert page.status_code == 200
    opened = member.version
    assert f'name="version" value="{opened}"' in page.content.decode()
    assert second.get(url).status_code == 200

    assert first.post(url, _sheet_post(member, opened, phone="0912000002")).status_code == 302
    response = second.post(url, _sheet_post(member, opened, email="hung@example.com"))

    assert response.status_code == 400
    body = response.content.decode()
    assert "Hồ sơ này đã được sửa sau khi đồng chí mở trang" in body
    assert "Điện thoại: 0901000001 → 0912000002, sửa bởi Lê Anh lúc" in body
    member.refresh_from_db()
    assert (member.phone, member.email, member.version) == ("0912000002", "", opened + 1)


@pytest.mark.django_db
def test_edit_from_the_current_version_saves(tree, make_member, secretary_a):
    member = make_member(tree["cell_a"], "Nguyễn Văn Hùng", phone="0901000001")
    client = _client(secretary_a)
    response = client.post(f"/dang-vien/{member.pk}/sua/", _sheet_post(member, member.version, phone="0912000002"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.phone == "0912000002"


@pytest.mark.django_db
def test_api_etag_and_if_match(tree, make_member, ward_staff):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    member = make_member(tree["cell_a"], "Nguyễn Văn Hùng", phone="0901000001")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=ward_staff).key}")
    url = f"/api/members/{member.pk}/"
    read = client.get(url)
    etag = read["ETag"]
    assert etag == f'"{member.version}"'
    assert read.json()["version"] == member.version

    ok = client.patch(url, {"phone": "0912000002"}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200
    assert ok["ETag"] == f'"{member.version + 1}"'

    stale = client.patch(url, {"phone": "0988000003"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    data = stale.json()
    assert data["current_version"] == member.version + 1
    assert data["changes"][0].startswith("Điện thoại: 0901000001 → 0912000002, sửa bởi dangu_bt lúc ")
    # The body's version works like the header.
    assert client.patch(url, {"phone": "0988000003", "version": member.version}, format="json").status_code == 412
    member.refresh_from_db()
    assert member.phone == "0912000002"


@pytest.mark.django_db
def test_schema_documents_if_match_etag_and_412(admin_user):
    client = Client()
    client.force_login(admin_user)
    schema = json.loads(client.get("/api/openapi.json").content)
    patch = schema["paths"]["/api/members/{id}/"]["patch"]
    assert "If-Match" in [p["name"] for p in patch["parameters"] if p["in"] == "header"]
    assert "412" in patch["responses"]
    assert "ETag" in schema["paths"]["/api/members/{id}/"]["get"]["responses"]["200"]["headers"]
    rename = schema["paths"]["/api/organizations/{id}/rename/"]["post"]
    assert "412" in rename["responses"]


@pytest.mark.django_db
def test_stale_organization_rename_is_refused(tree, admin_user):
    from django.core.exceptions import ValidationError

    cell = tree["cell_a"]
    seen = cell.version
    organization_rename(user=admin_user, organization=cell, name="Chi bộ khu phố Một", on=dt.date(2024, 1, 1))
    stale = Organization.objects.get(pk=cell.pk)
    with pytest.raises(ValidationError) as error:
        organization_rename(
            user=admin_user, organization=stale, name="Chi bộ số 1", on=dt.date(2024, 2, 1), expected_version=seen
        )
    assert "Tên: Chi bộ khu phố 1 → Chi bộ khu phố Một" in " ".join(error.value.messages)
    assert Organization.objects.get(pk=cell.pk).name == "Chi bộ khu phố Một"
