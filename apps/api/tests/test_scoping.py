"""Cross-boundary tests: outside the user's organizations nothing can be read or written by API.

Out of scope answers 404 exactly like a missing row; a row in sight but not in the user's CHANGE
reach answers 403 with the service's Vietnamese message. Every refusal is checked to change nothing.
"""

import pytest
from auditlog.models import LogEntry

from apps.api.tests.shapes import legacy
from apps.members.models import Member, StatusChange
from apps.organizations.models import Organization, OrganizationEvent, OrganizationVersion

NOT_FOUND = {"detail": "Không tìm thấy."}
NO_RIGHT = {"detail": "Bạn không có quyền thực hiện thao tác này ở tổ chức đảng này."}


def _snapshot():
    return (
        list(Member.objects.order_by("pk").values()),
        list(StatusChange.objects.order_by("pk").values()),
        list(Organization.objects.order_by("pk").values()),
        OrganizationEvent.objects.count(),
        OrganizationVersion.objects.count(),
        LogEntry.objects.count(),
    )


def _names(response):
    assert response.status_code == 200, response.content
    return sorted(row.get("full_name") or row["name"] for row in legacy(response)["results"])


def _new_member(cell):
    return {
        "organization": cell.pk,
        "family_name": "Hồ",
        "given_name": "Lan",
        "gender": "female",
        "birth_date": "1990-01-01",
        "admission_date": "2015-01-01",
    }


def _every_member_endpoint_refused(client, member, expected_status, expected_body):
    """Read and write a member by URL; each must answer the same refusal."""
    base = f"/api/members/{member.pk}/"
    calls = [
        client.get(base),
        client.patch(base, {"phone": "0999999999"}, format="json"),
        client.get(base + "status-changes/"),
        client.post(base + "status-changes/", {"kind": "deceased", "date": "2024-01-01"}, format="json"),
        client.get(base + "history/"),
    ]
    return [(r.status_code, legacy(r)) for r in calls] == [(expected_status, expected_body)] * 5


# --- cell secretary of cell A ---------------------------------------------------------------------


@pytest.mark.django_db
def test_cell_secretary_lists_only_own_cell(cells, tree, secretary_a, api_for):
    client = api_for(secretary_a)
    assert _names(client.get("/api/members/")) == ["Nguyễn Văn Hùng", "Trần Thị An"]
    assert _names(client.get("/api/members/", {"status": "all"})) == ["Nguyễn Văn Hùng", "Trần Thị An"]
    assert _names(client.get("/api/members/", {"q": "binh"})) == []
    assert _names(client.get("/api/members/", {"q": cells["b1"].card_number})) == []
    assert _names(client.get("/api/members/", {"q": "079080000002"})) == []  # B's citizen ID
    assert _names(client.get("/api/members/", {"organization": tree["cell_b"].pk})) == []
    assert _names(client.get("/api/members/", {"organization": tree["ward"].pk})) == []
    assert _names(client.get("/api/organizations/")) == ["Chi bộ khu phố 1"]


@pytest.mark.django_db
def test_cell_secretary_cannot_read_or_write_cell_b(cells, secretary_a, api_for):
    before = _snapshot()
    client = api_for(secretary_a)
    for key in ("b1", "b2", "c1"):
        assert _every_member_endpoint_refused(client, cells[key], 404, NOT_FOUND), key
    assert _snapshot() == before
    # The same calls on a member of cell A work.
    assert client.get(f"/api/members/{cells['a1'].pk}/").status_code == 200


@pytest.mark.django_db
def test_out_of_scope_answers_like_a_missing_member(cells, secretary_a, api_for):
    client = api_for(secretary_a)
    missing = client.get("/api/members/999999/")
    other = client.get(f"/api/members/{cells['b1'].pk}/")
    assert (missing.status_code, legacy(missing)) == (other.status_code, legacy(other)) == (404, NOT_FOUND)


@pytest.mark.django_db
def test_cell_secretary_cannot_create_a_member_in_cell_b(cells, tree, secretary_a, api_for):
    before = _snapshot()
    client = api_for(secretary_a)
    for cell in (tree["cell_b"], tree["ward"], tree["cell_c"]):
        response = client.post("/api/members/", _new_member(cell), format="json")
        assert response.status_code == 400
        assert legacy(response) == {"organization": [f"Không tìm thấy tổ chức đảng có mã số {cell.pk}."]}
    assert _snapshot() == before
    assert client.post("/api/members/", _new_member(tree["cell_a"]), format="json").status_code == 201


@pytest.mark.django_db
def test_cell_secretary_cannot_move_own_member_out_by_status_change_to_cell_b(cells, tree, secretary_a, api_for):
    # Naming an organization out of reach as the destination is refused like a missing one.
    before = _snapshot()
    response = api_for(secretary_a).post(
        f"/api/members/{cells['a1'].pk}/status-changes/",
        {"kind": "transfer_out", "date": "2024-01-01", "other_organization": tree["cell_b"].pk},
        format="json",
    )
    assert response.status_code == 400
    assert legacy(response) == {"other_organization": [f"Không tìm thấy tổ chức đảng có mã số {tree['cell_b'].pk}."]}
    assert _snapshot() == before


@pytest.mark.django_db
def test_cell_secretary_cannot_touch_other_organizations(tree, secretary_a, api_for):
    before = _snapshot()
    client = api_for(secretary_a)
    for org in (tree["cell_b"], tree["ward"], tree["cell_c"]):
        base = f"/api/organizations/{org.pk}/"
        assert (client.get(base).status_code, legacy(client.get(base))) == (404, NOT_FOUND)
        response = client.post(base + "rename/", {"name": "Tên mới", "date": "2024-01-01"}, format="json")
        assert (response.status_code, legacy(response)) == (404, NOT_FOUND)
        response = client.post(base + "move/", {"new_parent": tree["cell_a"].pk, "date": "2024-01-01"}, format="json")
        assert (response.status_code, legacy(response)) == (404, NOT_FOUND)
        response = client.post(
            "/api/organizations/",
            {"name": "Tổ đảng 1", "code": "TD-1", "kind": "party_group", "sector": "other", "parent": org.pk},
            format="json",
        )
        assert legacy(response) == {"parent": [f"Không tìm thấy tổ chức đảng có mã số {org.pk}."]}
    # Moving their own cell under another organization: the destination is out of reach.
    response = client.post(
        f"/api/organizations/{tree['cell_a'].pk}/move/",
        {"new_parent": tree["ward2"].pk, "date": "2024-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert _snapshot() == before


# --- ward staff -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_ward_staff_sees_both_cells_but_not_the_other_ward(cells, tree, ward_staff, api_for):
    before = _snapshot()
    client = api_for(ward_staff)
    assert _names(client.get("/api/members/")) == ["Lê Văn Bình", "Nguyễn Văn Hùng", "Trần Thị An", "Đặng Thị Dung"]
    assert _names(client.get("/api/organizations/")) == [
        "Chi bộ khu phố 1",
        "Chi bộ khu phố 2",
        "Đảng bộ phường Bình Thắng",
    ]
    for key in ("a1", "b1"):
        assert client.get(f"/api/members/{cells[key].pk}/").status_code == 200
    for key in ("c1", "c2"):
        assert _every_member_endpoint_refused(client, cells[key], 404, NOT_FOUND), key
    response = client.post("/api/members/", _new_member(tree["cell_c"]), format="json")
    assert response.status_code == 400
    assert _snapshot() == before


@pytest.mark.django_db
def test_ward_staff_writes_in_both_cells(cells, tree, ward_staff, api_for):
    client = api_for(ward_staff)
    assert client.patch(f"/api/members/{cells['b1'].pk}/", {"phone": "0911111111"}, format="json").status_code == 200
    assert client.post("/api/members/", _new_member(tree["cell_b"]), format="json").status_code == 201
    assert Member.objects.get(pk=cells["b1"].pk).phone == "0911111111"


# --- a plain member -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_member_sees_only_themself(cells, tree, member_user, api_for):
    client = api_for(member_user)
    assert _names(client.get("/api/members/")) == ["Nguyễn Văn Hùng"]
    assert _names(client.get("/api/members/", {"q": "tran"})) == []
    assert _names(client.get("/api/organizations/")) == []
    own = client.get(f"/api/members/{cells['a1'].pk}/")
    assert own.status_code == 200
    assert legacy(own)["citizen_id"] == "079080000001"
    assert client.get(f"/api/members/{cells['a1'].pk}/status-changes/").status_code == 200
    for key in ("a2", "b1", "c1"):
        assert _every_member_endpoint_refused(client, cells[key], 404, NOT_FOUND), key
    assert client.get(f"/api/organizations/{tree['cell_a'].pk}/").status_code == 404


@pytest.mark.django_db
def test_member_cannot_change_own_record(cells, tree, member_user, api_for):
    before = _snapshot()
    client = api_for(member_user)
    base = f"/api/members/{cells['a1'].pk}/"
    response = client.patch(base, {"phone": "0999999999"}, format="json")
    assert (response.status_code, legacy(response)) == (403, NO_RIGHT)
    response = client.post(base + "status-changes/", {"kind": "deceased", "date": "2024-01-01"}, format="json")
    assert (response.status_code, legacy(response)) == (403, NO_RIGHT)
    response = client.post("/api/members/", _new_member(tree["cell_a"]), format="json")
    assert response.status_code == 400
    assert _snapshot() == before


@pytest.mark.django_db
def test_user_without_roles_sees_nothing(cells, make_user, api_for):
    client = api_for(make_user("khach"))
    assert _names(client.get("/api/members/")) == []
    assert _names(client.get("/api/organizations/")) == []
    assert client.get(f"/api/members/{cells['a1'].pk}/").status_code == 404


# --- inspection: sees, does not change ------------------------------------------------------------


@pytest.mark.django_db
def test_inspection_reads_but_cannot_write(cells, tree, inspector, api_for):
    before = _snapshot()
    client = api_for(inspector)
    assert _names(client.get("/api/members/")) == ["Lê Văn Bình", "Nguyễn Văn Hùng", "Trần Thị An", "Đặng Thị Dung"]
    base = f"/api/members/{cells['a1'].pk}/"
    assert client.get(base).status_code == 200
    response = client.patch(base, {"phone": "0999999999"}, format="json")
    assert (response.status_code, legacy(response)) == (403, NO_RIGHT)
    response = client.post(base + "status-changes/", {"kind": "deceased", "date": "2024-01-01"}, format="json")
    assert (response.status_code, legacy(response)) == (403, NO_RIGHT)
    response = client.post("/api/members/", _new_member(tree["cell_a"]), format="json")
    assert (response.status_code, legacy(response)) == (403, NO_RIGHT)
    org = f"/api/organizations/{tree['cell_a'].pk}/"
    response = client.post(org + "rename/", {"name": "Tên mới", "date": "2024-01-01"}, format="json")
    assert (response.status_code, legacy(response)) == (403, NO_RIGHT)
    response = client.post(org + "move/", {"new_parent": tree["cell_b"].pk, "date": "2024-01-01"}, format="json")
    assert (response.status_code, legacy(response)) == (403, NO_RIGHT)
    assert _snapshot() == before
    # The inspector's read of a member's history is still allowed.
    assert client.get(base + "history/").status_code == 200


@pytest.mark.django_db
def test_expired_role_reaches_nothing(cells, tree, make_user, api_for):
    import datetime as dt

    from apps.accounts.models import RoleAssignment
    from apps.core.roles import Role

    user = make_user("cu_bithu")
    RoleAssignment.objects.create(
        user=user, role=Role.CELL_SECRETARY, organization=tree["cell_a"], ends_on=dt.date(2020, 1, 1)
    )
    client = api_for(user)
    assert _names(client.get("/api/members/")) == []
    assert client.get(f"/api/members/{cells['a1'].pk}/").status_code == 404


@pytest.mark.django_db
def test_absurd_ids_answer_like_missing_rows(cells, tree, ward_staff, api_for):
    client = api_for(ward_staff)
    big = "99999999999999999999"
    assert legacy(client.get(f"/api/members/{big}/")) == NOT_FOUND
    assert legacy(client.get(f"/api/organizations/{big}/")) == NOT_FOUND
    for url, params in [
        ("/api/members/", {"organization": big}),
        ("/api/members/", {"organization": "-1"}),
        ("/api/members/", {"organization": "1.5"}),
        ("/api/organizations/", {"parent": big}),
        ("/api/organizations/", {"within": big}),
    ]:
        assert _names(client.get(url, params)) == []
    before = _snapshot()
    response = client.post("/api/members/", {**_new_member(tree["cell_a"]), "organization": big}, format="json")
    assert response.status_code == 400
    assert legacy(response) == {"organization": [f"Không tìm thấy tổ chức đảng có mã số {big}."]}
    assert _snapshot() == before
