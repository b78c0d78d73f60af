"""A member who came by transfer counts in the cell from the transfer's day, not from admission."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from rest_framework.authtoken.models import Token

from apps.api.tests.shapes import legacy
from apps.members.models import Member, StatusChange
from apps.members.services import member_create

pytestmark = pytest.mark.django_db
D = dt.date


def _sheet(**overrides):
    return {
        "family_name": "Lê",
        "middle_name": "Thị",
        "given_name": "Hoa",
        "gender": "female",
        "birth_date": D(1970, 5, 1),
        "admission_date": D(2005, 3, 1),
        "full_membership_date": D(2006, 3, 1),
        **overrides,
    }


def _in_cell_on(cell, day):
    return set(Member.objects.in_organizations_on([cell.pk], day).values_list("given_name", flat=True))


def test_counts_on_past_dates_follow_the_transfer_in(tree, admin_user, make_member):
    cell = tree["cell_a"]
    make_member(cell, "Nguyễn Văn An", admission_date=D(2001, 1, 1), full_membership_date=D(2002, 1, 1))
    hoa = member_create(
        user=admin_user,
        organization=cell,
        transferred_in_on=D(2016, 4, 20),
        transferred_from="Chi bộ 3, Đảng bộ phường An Khánh",
        **_sheet(),
    )
    steps = list(hoa.status_changes.values_list("kind", "date", "status", "other_organization_name"))
    assert steps == [("transfer_in", D(2016, 4, 20), "full", "Chi bộ 3, Đảng bộ phường An Khánh")]
    assert _in_cell_on(cell, D(2015, 12, 31)) == {"An"}
    assert _in_cell_on(cell, D(2016, 4, 19)) == {"An"}
    assert _in_cell_on(cell, D(2016, 4, 20)) == {"An", "Hoa"}
    assert hoa.admission_date == D(2005, 3, 1)  # party seniority still counts from admission


def test_a_probationary_member_who_came_is_recognized_after(tree, admin_user):
    lan = member_create(
        user=admin_user,
        organization=tree["cell_a"],
        transferred_in_on=D(2024, 8, 1),
        **_sheet(given_name="Lan", admission_date=D(2024, 1, 10), full_membership_date=D(2025, 1, 10)),
    )
    assert list(lan.status_changes.values_list("kind", "status")) == [
        ("transfer_in", "probationary"),
        ("recognized", "full"),
    ]


@pytest.mark.parametrize(
    "day, message",
    [
        (D(2004, 1, 1), "Ngày chuyển sinh hoạt đến 01/01/2004 trước ngày vào Đảng 01/03/2005."),
        (D(2999, 1, 1), "Ngày chuyển sinh hoạt đến 01/01/2999 ở tương lai."),
    ],
)
def test_bad_transfer_dates_are_refused_and_change_nothing(tree, admin_user, day, message):
    before = (Member.objects.count(), StatusChange.objects.count())
    with pytest.raises(ValidationError) as refused:
        member_create(user=admin_user, organization=tree["cell_a"], transferred_in_on=day, **_sheet())
    assert refused.value.message_dict == {"transferred_in_on": [message]}
    assert (Member.objects.count(), StatusChange.objects.count()) == before


def test_the_add_page_and_the_api_record_the_transfer(tree, secretary_a, client_for):
    client = client_for(secretary_a)
    page = client.get(f"/dang-vien/them/?org={tree['cell_a'].pk}").content.decode()
    assert "Ngày chuyển sinh hoạt đến" in page and "Chuyển từ" in page
    form = {
        "organization": tree["cell_a"].pk,
        "family_name": "Lê",
        "given_name": "Hoa",
        "gender": "female",
        "birth_date": "01/05/1970",
        "admission_date": "01/03/2005",
        "full_membership_date": "01/03/2006",
        "ethnicity": "Kinh",
        "religion": "Không",
        "transferred_in_on": "20/04/2016",
        "transferred_from": "Đảng bộ xã Tân Phú",
    }
    bad = client.post("/dang-vien/them/", {**form, "transferred_in_on": "01/01/2004"})
    assert bad.status_code == 400 and "trước ngày vào Đảng 01/03/2005" in bad.content.decode()
    assert 'value="Đảng bộ xã Tân Phú"' in bad.content.decode()
    assert client.post("/dang-vien/them/", form).status_code == 302
    hoa = Member.objects.get(given_name="Hoa")
    assert hoa.status_changes.get().other_organization_name == "Đảng bộ xã Tân Phú"

    token = Token.objects.create(user=secretary_a).key
    body = {
        "organization": tree["cell_a"].pk,
        "family_name": "Trần",
        "given_name": "Nam",
        "gender": "male",
        "birth_date": "1980-01-01",
        "admission_date": "2010-01-01",
        "transferred_in_on": "2018-09-02",
        "transferred_from": "Đảng bộ tỉnh Khác",
    }
    response = client.post(
        "/api/members/", json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}"
    )
    assert response.status_code == 201, response.content
    nam = Member.objects.get(pk=response.json()["id"])
    assert list(nam.status_changes.values_list("kind", "date")) == [("transfer_in", D(2018, 9, 2))]
    bad = client.post(
        "/api/members/",
        json.dumps({**body, "given_name": "Bình", "transferred_in_on": "2009-01-01"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    assert bad.status_code == 400 and "transferred_in_on" in legacy(bad)
