"""/api/statistics/…: the page's figures as JSON, the same scoping, Vietnamese 400s, 404 out of reach."""

import datetime as dt
import json

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from apps.core.roles import Role
from apps.meetings.models import Kind as MeetingKind
from apps.meetings.models import QualityAssessment
from apps.meetings.tests.conftest import held_meeting
from apps.members.models import StatusChangeKind
from apps.members.services import member_change_status, member_transfer_internal


@pytest.fixture
def api(client):
    def for_user(user):
        token, _created = Token.objects.get_or_create(user=user)
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
        return client

    return for_user


@pytest.fixture
def people(tree, make_member, admin_user):
    a1 = make_member(tree["cell_a"], "Nguyễn Văn Hùng", birth_date=dt.date(1991, 6, 1))
    a2 = make_member(tree["cell_a"], "Trần Thị An", gender="female", ethnicity="Khmer", political_theory="advanced")
    b1 = make_member(tree["cell_b"], "Lê Thị Bình", gender="female", birth_date=dt.date(1950, 1, 1))
    c1 = make_member(tree["cell_c"], "Đỗ Văn Đạt")
    # 2021: a1 moves to cell B (inside the ward), b1 dies; 2022: c1 moves from ward 2 into cell A.
    member_transfer_internal(user=admin_user, member=a1, target=tree["cell_b"], on=dt.date(2021, 3, 1))
    member_change_status(user=admin_user, member=b1, kind=StatusChangeKind.DECEASED, on=dt.date(2021, 8, 1))
    member_transfer_internal(user=admin_user, member=c1, target=tree["cell_a"], on=dt.date(2022, 2, 1))
    return {"a1": a1, "a2": a2, "b1": b1, "c1": c1}


@pytest.mark.django_db
def test_members_on_a_date(api, tree, people, ward_staff):
    client = api(ward_staff)
    body = client.get(f"/api/statistics/members/?organization={tree['ward'].pk}&on=2020-12-31").json()
    assert body["total"] == 3
    assert body["by_gender"] == {"male": 1, "female": 2}
    assert body["by_status"] == {"full": 3}
    assert body["by_ethnicity"] == {"Kinh": 2, "Khmer": 1}
    assert body["by_theory_level"]["advanced"] == 1 and body["by_theory_level"]["none"] == 2
    # Born 01/06/1991 (29), 01/01/1980 (40), 01/01/1950 (70).
    assert body["by_age_band"] == {"18_30": 1, "31_40": 1, "41_50": 0, "51_60": 0, "61_70": 1, "over_70": 0}
    assert body["on"] == "2020-12-31"
    body = client.get(f"/api/statistics/members/?organization={tree['ward'].pk}&on=2022-12-31").json()
    assert body["total"] == 3  # b1 died, c1 came in
    assert body["by_gender"] == {"male": 2, "female": 1}


@pytest.mark.django_db
def test_movement_in_a_period(api, tree, people, ward_staff, admin_user):
    client = api(ward_staff)
    body = client.get(f"/api/statistics/movement/?organization={tree['ward'].pk}&from=2021-01-01&to=2022-12-31").json()
    assert body == {
        "organization": tree["ward"].pk,
        "from": "2021-01-01",
        "to": "2022-12-31",
        "admitted": 0,
        "recognized": 0,
        "transferred_in": 1,
        "transferred_out": 0,
        "exempted": 0,
        "struck_off": 0,
        "dismissed": 0,
        "expelled": 0,
        "deceased": 1,
    }
    cell_b = client.get(f"/api/statistics/movement/?organization={tree['cell_b'].pk}&from=2021-01-01&to=2021-12-31")
    assert cell_b.json()["transferred_in"] == 1
    ward2 = api(admin_user).get(
        f"/api/statistics/movement/?organization={tree['ward2'].pk}&from=2022-01-01&to=2022-12-31"
    )
    assert ward2.json()["transferred_out"] == 1
    assert (
        client.get(f"/api/statistics/movement/?organization={tree['ward'].pk}&from=2010-01-01&to=2010-12-31").json()[
            "admitted"
        ]
        == 4 - 1
    )  # a1, a2, b1 admitted on 19/05/2010 in the ward; c1 in ward 2


@pytest.mark.django_db
def test_organizations_on_a_date(api, tree, ward_staff, admin_user):
    body = (
        api(admin_user).get(f"/api/statistics/organizations/?organization={tree['province'].pk}&on=2020-12-31").json()
    )
    assert body["grassroots"]["total"] == 2
    assert body["grassroots"]["committees"] == 2
    assert body["grassroots"]["committees_by_sector"]["commune"] == 2
    assert body["subordinate_cells"] == 3
    assert body["by_kind"]["cell"] == 3 and body["by_sector"]["residential"] == 3
    before = api(admin_user).get(f"/api/statistics/organizations/?organization={tree['province'].pk}&on=1999-12-31")
    assert before.json()["subordinate_cells"] == 0  # founded in 2000


@pytest.mark.django_db
def test_meetings_in_a_period(api, tree, people, ward_staff, rule_set, admin_user):
    a2, c1 = people["a2"], people["c1"]
    held_meeting(tree["cell_a"], dt.date(2022, 3, 10), present=[a2, c1], rule_set=rule_set)
    thematic = held_meeting(
        tree["cell_a"], dt.date(2022, 6, 10), kind=MeetingKind.THEMATIC, present=[a2], unexcused=[c1], rule_set=rule_set
    )
    QualityAssessment.objects.create(
        meeting=thematic,
        rule_set=rule_set,
        points=90,
        meets_quality=True,
        self_level="Tốt",
        assessed_by=admin_user,
        assessed_at=timezone.now(),
    )
    held_meeting(tree["cell_c"], dt.date(2022, 3, 10), present=[c1], rule_set=rule_set)  # another ward
    body = (
        api(ward_staff)
        .get(f"/api/statistics/meetings/?organization={tree['ward'].pk}&from=2022-01-01&to=2022-12-31")
        .json()
    )
    assert body["held"] == 2
    assert body["held_by_kind"]["regular"] == 1 and body["held_by_kind"]["thematic"] == 1
    assert body["attendance"] == {"numerator": 3, "base": 4, "percent": "75.00"}
    assert body["thematic_up_to_quality"] == {"numerator": 1, "base": 1, "percent": "100.00"}


@pytest.mark.django_db
def test_bad_parameters_answer_400_in_vietnamese(api, tree, ward_staff):
    client = api(ward_staff)
    ward = tree["ward"].pk
    cases = [
        ("/api/statistics/members/?on=2020-01-01", "organization", "Hãy chọn tổ chức đảng (tham số organization)."),
        ("/api/statistics/members/?organization=abc", "organization", "Mã tổ chức phải là một số nguyên dương."),
        (
            f"/api/statistics/members/?organization={ward}&on=31/12/2020",
            "on",
            "Ngày không hợp lệ: hãy gửi theo dạng YYYY-MM-DD.",
        ),
        (f"/api/statistics/members/?organization={ward}&on=2999-01-01", "on", "Ngày không được sau hôm nay."),
        (
            f"/api/statistics/movement/?organization={ward}&from=2021-01-01&to=2020-01-01",
            "to",
            "Ngày cuối kỳ phải từ ngày đầu kỳ trở đi.",
        ),
        (
            f"/api/statistics/meetings/?organization={ward}&from=1900-01-01",
            "from",
            "Ngày không được trước ngày thành lập Đảng (03/02/1930).",
        ),
    ]
    for url, field, message in cases:
        response = client.get(url)
        assert response.status_code == 400, url
        body = response.json()
        assert (body["message"], body["errors"]) == (message, [{"field": field, "code": "invalid", "message": message}])


@pytest.mark.django_db
def test_out_of_reach_is_404(api, tree, secretary_a, make_user, client):
    other = make_user("dangu_dh", Role.COMMITTEE_STAFF, tree["ward2"])
    c = api(other)
    for name in ("members", "movement", "organizations", "meetings"):
        response = c.get(f"/api/statistics/{name}/?organization={tree['ward'].pk}")
        assert response.status_code == 404
        assert (response.json()["code"], response.json()["message"]) == ("not_found", "Không tìm thấy.")
    c = api(secretary_a)
    assert c.get(f"/api/statistics/members/?organization={tree['cell_b'].pk}").status_code == 404
    assert c.get(f"/api/statistics/members/?organization={tree['cell_a'].pk}").status_code == 200
    assert c.get("/api/statistics/members/?organization=999999").status_code == 404
    del client.defaults["HTTP_AUTHORIZATION"]
    anonymous = client.get(f"/api/statistics/members/?organization={tree['cell_a'].pk}")
    assert anonymous.status_code == 401


@pytest.mark.django_db
def test_documented_in_the_schema(client):
    schema = json.loads(client.get("/api/openapi.json").content)
    members = schema["paths"]["/api/statistics/members/"]["get"]
    assert {p["name"] for p in members["parameters"]} == {"organization", "on"}
    assert set(members["responses"]) == {"200", "400", "401", "403", "404"}
    movement = schema["paths"]["/api/statistics/movement/"]["get"]
    assert {p["name"] for p in movement["parameters"]} == {"organization", "from", "to"}
    props = schema["components"]["schemas"]["MovementStatistics"]["properties"]
    assert {"admitted", "recognized", "transferred_in", "transferred_out", "struck_off", "deceased"} <= set(props)
