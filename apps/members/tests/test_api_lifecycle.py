"""Training records and badges through /api/: the same door, the same services."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.core.roles import Role
from apps.members.models import Award, TrainingRecord


def api(user):
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.mark.django_db
def test_training_records_api(tree, make_member, secretary_a, make_user):
    member = make_member(tree["cell_a"])
    outsider = make_member(tree["cell_c"], "Lê Văn Xa")
    other_ward = make_user("dangu_dh", Role.COMMITTEE_STAFF, tree["ward2"])
    inspector = make_user("ubkt", Role.INSPECTION, tree["ward"])
    client = api(secretary_a)
    body = {
        "member": member.pk,
        "kind": "intermediate",
        "institution": "Trường Chính trị tỉnh",
        "starts_on": "2018-09-01",
        "ends_on": "2019-06-30",
    }
    response = client.post("/api/training-records/", body, format="json")
    assert response.status_code == 201, response.json()
    record_id = response.json()["id"]
    member.refresh_from_db()
    assert member.political_theory == "intermediate"
    # Bad input: a Vietnamese message, nothing written.
    response = client.post("/api/training-records/", {**body, "ends_on": "2017-01-01"}, format="json")
    assert response.status_code == 400
    assert "Ngày kết thúc trước ngày bắt đầu." in str(response.json())
    # A member out of reach is not found; another ward sees nothing; an inspector sees but may not write.
    assert client.post("/api/training-records/", {**body, "member": outsider.pk}, format="json").status_code == 400
    assert api(other_ward).get(f"/api/training-records/{record_id}/").status_code == 404
    assert api(inspector).get(f"/api/training-records/{record_id}/").status_code == 200
    assert api(inspector).post("/api/training-records/", body, format="json").status_code == 403
    assert TrainingRecord.objects.count() == 1
    listed = client.get(f"/api/training-records/?member={member.pk}").json()["results"]
    assert [r["id"] for r in listed] == [record_id]
    response = client.patch(
        f"/api/training-records/{record_id}/", {"grade": "Giỏi"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 200 and response.json()["grade"] == "Giỏi"
    stale = client.patch(f"/api/training-records/{record_id}/", {"grade": "Khá"}, format="json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    assert TrainingRecord.objects.get().grade == "Giỏi"


@pytest.mark.django_db
def test_badges_api(tree, make_member, secretary_a, ward_staff, make_user):
    import datetime as dt

    member = make_member(
        tree["cell_a"],
        admission_date=dt.date(1995, 1, 1),
        full_membership_date=dt.date(1996, 1, 1),
        birth_date=dt.date(1960, 1, 1),
    )
    other_ward = make_user("dangu_dh", Role.COMMITTEE_STAFF, tree["ward2"])
    client = api(secretary_a)
    response = client.post(
        "/api/badges/",
        {"member": member.pk, "years": 30, "occasion": "2025-02-03", "proposed_on": "2025-01-10"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    badge = response.json()
    assert (badge["badge_years"], badge["stage"], badge["name"]) == (30, "proposed", "Huy hiệu 30 năm tuổi Đảng")
    refused = client.post(
        "/api/badges/",
        {"member": member.pk, "years": 40, "occasion": "2025-02-03", "proposed_on": "2025-01-10"},
        format="json",
    )
    assert refused.status_code == 400
    assert "Đến 03/02/2025 chưa đủ 40 năm tuổi Đảng (đủ ngày 01/01/2035)." in str(refused.json())
    assert (
        api(other_ward)
        .post(f"/api/badges/{badge['id']}/decide/", {"decided_on": "2025-01-20", "decision": "1"}, format="json")
        .status_code
        == 404
    )
    assert Award.objects.get().date is None
    response = api(ward_staff).post(
        f"/api/badges/{badge['id']}/decide/", {"decided_on": "2025-01-20", "decision": "99-QĐ/TU"}, format="json"
    )
    assert response.status_code == 200 and response.json()["stage"] == "decided"
    response = client.post(f"/api/badges/{badge['id']}/present/", {"presented_on": "2025-02-03"}, format="json")
    assert response.status_code == 200 and response.json()["stage"] == "presented"
    assert [b["id"] for b in client.get("/api/badges/").json()["results"]] == [badge["id"]]
