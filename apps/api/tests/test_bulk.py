"""Full records in bulk: `fields=full` on the member list gives every row as the detail GET does."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.api.tests.shapes import legacy


@pytest.mark.django_db
def test_full_rows_equal_the_detail_field_by_field(cells, ward_staff, api_for):
    client = api_for(ward_staff)
    response = client.get("/api/members/", {"fields": "full"})
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert len(rows) == 4
    for row in rows:
        assert row == client.get(f"/api/members/{row['id']}/").json()
    by_id = {row["id"]: row for row in rows}
    assert by_id[cells["a1"].pk]["citizen_id"] == "079080000001"
    assert by_id[cells["b1"].pk]["email"] == "binh@example.com"
    # The default stays brief.
    assert "citizen_id" not in client.get("/api/members/").json()["results"][0]


@pytest.mark.django_db
def test_full_rows_keep_the_export_policy(cells, inspector, api_for):
    rows = api_for(inspector).get("/api/members/", {"fields": "full"}).json()["results"]
    assert rows and all(row["citizen_id"] is None and row["phone"] is None for row in rows)


@pytest.mark.django_db
def test_full_list_query_count_does_not_grow_with_members_or_cells(tree, make_member, ward_staff, api_for, admin_user):
    from apps.organizations.services import organization_create

    client = api_for(ward_staff)
    make_member(tree["cell_a"], "Lê Văn Một")
    with CaptureQueriesContext(connection) as few:
        assert len(client.get("/api/members/", {"fields": "full"}).json()["results"]) == 1
    for i in range(6):
        cell = organization_create(
            user=admin_user, name=f"Chi bộ {i}", code=f"X{i}", kind="cell", sector="other", parent=tree["ward"]
        )
        for j in range(3):
            make_member(cell, f"Trần Văn Số{i}x{j}")
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/api/members/", {"fields": "full"}).json()["results"]) == 19
    assert len(many) == len(few) <= 6


@pytest.mark.django_db
def test_a_bad_fields_value_is_refused_in_the_error_shape(cells, ward_staff, api_for):
    response = api_for(ward_staff).get("/api/members/", {"fields": "everything"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_choice"
    assert body["errors"][0]["field"] == "fields"
    assert legacy(response) == {"fields": ["“everything” không phải là một lựa chọn hợp lệ."]}
