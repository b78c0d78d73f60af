"""Finding 11: implausible data refused with messages, in forms, API and the Excel import."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.api.tests.shapes import legacy
from apps.members.models import Member, StatusChangeKind
from apps.members.services import member_change_status


def _api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def _body(cell, **overrides):
    return {
        "organization": cell.pk,
        "family_name": "Trần",
        "middle_name": "Văn",
        "given_name": "Nam",
        "gender": "male",
        "birth_date": "1980-01-01",
        "admission_date": "2010-01-01",
        **overrides,
    }


@pytest.mark.django_db
def test_api_refuses_implausible_dates_and_non_strings(tree, ward_staff):
    client = _api(ward_staff)
    cell = tree["cell_a"]
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    cases = [
        ({"birth_date": "1899-12-31"}, {"birth_date": ["Ngày sinh trước năm 1900: hãy kiểm tra lại."]}),
        (
            {"birth_date": "1900-01-01", "admission_date": "1929-05-01"},
            {"admission_date": ["Ngày vào Đảng trước ngày thành lập Đảng (03/02/1930)."]},
        ),
        ({"admission_date": "1995-01-01"}, {"admission_date": ["Chưa đủ 18 tuổi vào ngày vào Đảng."]}),
        (
            {"birth_date": tomorrow},
            {"birth_date": ["Ngày sinh ở tương lai."], "admission_date": ["Chưa đủ 18 tuổi vào ngày vào Đảng."]},
        ),
        ({"full_membership_date": tomorrow}, {"full_membership_date": ["Ngày chính thức ở tương lai."]}),
        ({"given_name": 0}, {"given_name": ["Giá trị phải là một chuỗi ký tự."]}),
        ({"family_name": True}, {"family_name": ["Giá trị phải là một chuỗi ký tự."]}),
        ({"phone": 903000001}, {"phone": ["Giá trị phải là một chuỗi ký tự."]}),
    ]
    for overrides, errors in cases:
        response = client.post("/api/members/", _body(cell, **overrides), format="json")
        assert (response.status_code, legacy(response)) == (400, errors), overrides
    assert Member.objects.count() == 0
    renamed = client.post(f"/api/organizations/{cell.pk}/rename/", {"name": 0, "date": "2024-01-01"}, format="json")
    assert (renamed.status_code, legacy(renamed)) == (400, {"name": ["Giá trị phải là một chuỗi ký tự."]})


@pytest.mark.django_db
def test_form_refuses_birth_before_1900_and_admission_before_1930(tree, secretary_a):
    client = Client()
    client.force_login(secretary_a)
    response = client.post(
        "/dang-vien/them/",
        {
            "organization": tree["cell_a"].pk,
            "family_name": "Trần",
            "given_name": "Nam",
            "gender": "male",
            "birth_date": "01/01/1899",
            "admission_date": "01/01/1925",
            "ethnicity": "Kinh",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Ngày sinh trước năm 1900: hãy kiểm tra lại." in body
    assert "Ngày vào Đảng trước ngày thành lập Đảng (03/02/1930)." in body
    assert Member.objects.count() == 0


@pytest.mark.django_db
def test_status_change_before_the_party_existed_is_refused(tree, make_member, admin_user):
    member = make_member(tree["cell_a"], "Nguyễn Văn Hùng", birth_date=dt.date(1900, 1, 1))
    member.status_changes.all().update(date=dt.date(1920, 1, 1))  # an old, bad history step
    with pytest.raises(ValidationError) as error:
        member_change_status(user=admin_user, member=member, kind=StatusChangeKind.EXEMPTED, on=dt.date(1929, 1, 1))
    assert error.value.message_dict == {"date": ["Ngày trước ngày thành lập Đảng (03/02/1930): hãy kiểm tra lại."]}
    assert member.status_changes.count() == 2
