"""The API's member list is an export: personal data only for the roles that keep the registry,
and every page recorded (issue 18, finding 10)."""

import pytest

from apps.core.roles import Role
from apps.safeguards.models import ExportRecord

pytestmark = pytest.mark.django_db


def test_inspection_list_has_no_birth_dates_and_is_recorded(cells, tree, make_user, api_for):
    inspector = make_user("ubkt_bt", Role.INSPECTION, tree["ward"])
    response = api_for(inspector).get("/api/members/", {"organization": tree["ward"].pk})
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 4
    assert {r["birth_date"] for r in results} == {None}
    assert all("citizen_id" not in r and "phone" not in r for r in results)
    record = ExportRecord.objects.get()
    assert (record.user, record.kind, record.row_count, record.personal_columns) == (inspector, "api_members", 4, [])
    assert record.filters == {"organization": str(tree["ward"].pk)}


def test_committee_staff_list_keeps_birth_dates(cells, ward_staff, api_for):
    results = api_for(ward_staff).get("/api/members/").json()["results"]
    assert {r["birth_date"] for r in results} == {"1980-01-01"}
    record = ExportRecord.objects.get()
    assert (record.row_count, record.personal_columns) == (4, ["Ngày sinh"])
