"""The organization endpoints: scoped list with filters, detail, create, rename and move as dated events."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from apps.api.tests.shapes import legacy
from apps.members.models import Member
from apps.organizations.models import Organization, OrganizationEvent, OrganizationVersion


def _codes(response):
    assert response.status_code == 200, response.content
    return [row["code"] for row in legacy(response)["results"]]


def _snapshot():
    return (
        list(Organization.objects.order_by("pk").values()),
        list(Member.objects.order_by("pk").values("pk", "org_path", "organization")),
        OrganizationEvent.objects.count(),
        OrganizationVersion.objects.count(),
        LogEntry.objects.count(),
    )


@pytest.mark.django_db
def test_admin_lists_the_whole_tree_in_tree_order(tree, admin_user, api_for):
    assert _codes(api_for(admin_user).get("/api/organizations/")) == ["T", "T-BT", "T-BT-1", "T-BT-2", "T-DH", "T-DH-1"]


@pytest.mark.django_db
def test_filters(tree, admin_user, api_for):
    from apps.organizations.services import organization_end

    organization_end(user=admin_user, organization=tree["cell_b"], on=dt.date(2025, 7, 1))
    client = api_for(admin_user)
    assert _codes(client.get("/api/organizations/", {"kind": "cell"})) == ["T-BT-1", "T-BT-2", "T-DH-1"]
    assert _codes(client.get("/api/organizations/", {"sector": "commune"})) == ["T-BT", "T-DH"]
    assert _codes(client.get("/api/organizations/", {"parent": tree["ward"].pk})) == ["T-BT-1", "T-BT-2"]
    assert _codes(client.get("/api/organizations/", {"within": tree["ward"].pk})) == ["T-BT", "T-BT-1", "T-BT-2"]
    assert _codes(client.get("/api/organizations/", {"active": "false"})) == ["T-BT-2"]
    assert _codes(client.get("/api/organizations/", {"active": "true", "kind": "cell"})) == ["T-BT-1", "T-DH-1"]
    # An ended organization is still readable by id.
    data = legacy(client.get(f"/api/organizations/{tree['cell_b'].pk}/"))
    assert (data["is_active"], data["ended_on"]) == (False, "2025-07-01")


@pytest.mark.django_db
def test_filters_stay_in_scope(tree, ward_staff, api_for):
    client = api_for(ward_staff)
    assert _codes(client.get("/api/organizations/", {"parent": tree["province"].pk})) == ["T-BT"]
    assert _codes(client.get("/api/organizations/", {"within": tree["ward2"].pk})) == []
    assert _codes(client.get("/api/organizations/", {"within": tree["province"].pk})) == []


@pytest.mark.django_db
def test_bad_filters(tree, ward_staff, api_for):
    response = api_for(ward_staff).get("/api/organizations/", {"kind": "club", "parent": "x"})
    assert response.status_code == 400
    assert legacy(response) == {
        "kind": ["“club” không phải là một lựa chọn hợp lệ."],
        "parent": ["Phải là một số nguyên."],
    }


@pytest.mark.django_db
def test_detail(tree, ward_staff, api_for):
    data = api_for(ward_staff).get(f"/api/organizations/{tree['cell_a'].pk}/").json()
    cell = Organization.objects.get(pk=tree["cell_a"].pk)
    assert data == {
        "id": tree["cell_a"].pk,
        "name": "Chi bộ khu phố 1",
        "short_name": "",
        "code": "T-BT-1",
        "kind": "cell",
        "kind_display": "Chi bộ trực thuộc",
        "sector": "residential",
        "sector_display": "Thôn, tổ dân phố, khu dân cư",
        "parent": tree["ward"].pk,
        "depth": 2,
        "founded_on": "2000-01-01",
        "ended_on": None,
        "is_active": True,
        "address": "",
        "version": tree["cell_a"].version,
        "created_at": timezone.localtime(cell.created_at).isoformat(),
        "updated_at": timezone.localtime(cell.updated_at).isoformat(),
    }


@pytest.mark.django_db
def test_create_under_a_reached_parent(tree, ward_staff, api_for):
    response = api_for(ward_staff).post(
        "/api/organizations/",
        {
            "name": "  Chi bộ  khu phố 3 ",
            "code": "T-BT-3",
            "kind": "cell",
            "sector": "residential",
            "parent": tree["ward"].pk,
            "founded_on": "01/07/2025",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    org = Organization.objects.get(code="T-BT-3")
    assert (org.name, org.parent, org.founded_on, org.depth) == (
        "Chi bộ khu phố 3",
        tree["ward"],
        dt.date(2025, 7, 1),
        2,
    )
    assert org.path.startswith(tree["ward"].path)
    assert legacy(response)["id"] == org.pk
    assert LogEntry.objects.get_for_object(org).get(action=LogEntry.Action.CREATE).actor == ward_staff
    assert list(org.events.values_list("kind", flat=True)) == ["founded"]


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"code": "T-BT-1"}, {"code": ["Mã tổ chức “T-BT-1” đã được dùng."]}),
        ({"kind": "club"}, {"kind": ["“club” không phải là một lựa chọn hợp lệ."]}),
        ({"name": "   "}, {"name": ["Trường này không được để trống."]}),
        (
            {"founded_on": "30/02/2025"},
            {"founded_on": ["Ngày không hợp lệ: hãy ghi theo dạng YYYY-MM-DD (hoặc dd/mm/yyyy)."]},
        ),
        ({"parent": None}, {"non_field_errors": ["Chỉ quản trị hệ thống được tạo tổ chức cấp cao nhất."]}),
    ],
)
@pytest.mark.django_db
def test_create_bad_input_changes_nothing(tree, ward_staff, api_for, overrides, errors):
    before = _snapshot()
    body = {"name": "Chi bộ mới", "code": "NEW", "kind": "cell", "sector": "residential", "parent": tree["ward"].pk}
    body.update(overrides)
    response = api_for(ward_staff).post("/api/organizations/", body, format="json")
    assert response.status_code == 400
    assert legacy(response) == errors
    assert _snapshot() == before


@pytest.mark.django_db
def test_rename_is_a_dated_event_keeping_the_old_name(tree, ward_staff, api_for):
    cell = tree["cell_a"]
    response = api_for(ward_staff).post(
        f"/api/organizations/{cell.pk}/rename/",
        {"name": "Chi bộ khu phố 1A", "date": "01/07/2025", "decision": "15-QĐ/ĐU"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert legacy(response)["name"] == "Chi bộ khu phố 1A"
    cell.refresh_from_db()
    assert cell.name == "Chi bộ khu phố 1A"
    event = cell.events.get(kind="renamed")
    assert (event.old_name, event.new_name, event.date, event.decision) == (
        "Chi bộ khu phố 1",
        "Chi bộ khu phố 1A",
        dt.date(2025, 7, 1),
        "15-QĐ/ĐU",
    )
    from apps.organizations.selectors import name_on

    assert name_on(cell, dt.date(2019, 1, 1)) == "Chi bộ khu phố 1"


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"name": "", "date": "2025-07-01"}, {"name": ["Trường này không được để trống."]}),
        (
            {"name": "Mới", "date": "31/02/2025"},
            {"date": ["Ngày không hợp lệ: hãy ghi theo dạng YYYY-MM-DD (hoặc dd/mm/yyyy)."]},
        ),
        ({"name": "Mới", "date": "2099-01-01"}, {"date": ["Ngày không được ở tương lai."]}),
        ({"name": "Mới"}, {"date": ["Trường này là bắt buộc."]}),
        ({"name": "   ", "date": "2025-07-01"}, {"name": ["Trường này không được để trống."]}),
    ],
)
@pytest.mark.django_db
def test_rename_bad_input_changes_nothing(tree, ward_staff, api_for, body, errors):
    before = _snapshot()
    response = api_for(ward_staff).post(f"/api/organizations/{tree['cell_a'].pk}/rename/", body, format="json")
    assert response.status_code == 400
    assert legacy(response) == errors
    assert _snapshot() == before


@pytest.mark.django_db
def test_move_carries_subtree_and_members(tree, cells, admin_user, api_for):
    response = api_for(admin_user).post(
        f"/api/organizations/{tree['ward'].pk}/move/",
        {"new_parent": tree["ward2"].pk, "date": "2025-07-01"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert legacy(response)["parent"] == tree["ward2"].pk
    assert legacy(response)["depth"] == 2
    cell_a = Organization.objects.get(pk=tree["cell_a"].pk)
    assert cell_a.path.startswith(tree["ward2"].path) and cell_a.depth == 3
    assert Member.objects.get(pk=cells["a1"].pk).org_path == cell_a.path


@pytest.mark.django_db
def test_move_into_own_subtree_is_refused(tree, ward_staff, api_for):
    before = _snapshot()
    response = api_for(ward_staff).post(
        f"/api/organizations/{tree['ward'].pk}/move/",
        {"new_parent": tree["cell_a"].pk, "date": "2025-07-01"},
        format="json",
    )
    assert response.status_code == 400
    assert legacy(response) == {"new_parent": ["Không thể chuyển một tổ chức vào chính nó hoặc tổ chức trực thuộc nó."]}
    assert _snapshot() == before
