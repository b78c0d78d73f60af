"""Exports of personal data go only to the roles that need them, and every export is recorded
(issue 18, finding 10). The policy lives in apps.members.disclosure."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from apps.accounts.models import RoleAssignment
from apps.core.roles import Role
from apps.safeguards.models import ExportRecord

pytestmark = pytest.mark.django_db

PERSONAL = ["Ngày sinh", "Dân tộc", "Tôn giáo", "Quê quán", "Nơi ở hiện nay", "Số CCCD", "Điện thoại", "Email"]


def _download(client, **params):
    response = client.get("/excel/dang-vien.xlsx", params)
    assert response.status_code == 200
    return [list(r) for r in load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values]


@pytest.fixture
def registry(tree, make_member):
    return {
        "a": make_member(
            tree["cell_a"], "Nguyễn Văn Hùng", citizen_id="079080000001", phone="0903000001", hometown="Phú Yên"
        ),
        "b": make_member(tree["cell_b"], "Lê Văn Bình", citizen_id="079080000002", phone="0903000002"),
        "b2": make_member(tree["cell_b"], "Đặng Thị Dung", email="dung@example.com"),
        "c": make_member(tree["cell_c"], "Phạm Văn Đạt", citizen_id="079080000003"),
    }


def test_inspection_export_has_no_personal_columns(tree, registry, make_user, client_for):
    inspector = make_user("ubkt_bt", Role.INSPECTION, tree["ward"])
    rows = _download(client_for(inspector), org=tree["ward"].pk)
    headings = rows[0]
    for heading in PERSONAL:
        assert heading not in headings
    assert "Họ" in headings and "Số thẻ đảng viên" in headings and "Chi bộ" in headings
    flat = " ".join(str(v) for row in rows for v in row if v is not None)
    for value in ("079080000001", "079080000002", "0903000001", "0903000002", "dung@example.com", "Phú Yên"):
        assert value not in flat
    assert sorted(r[headings.index("Tên")] for r in rows[1:]) == ["Bình", "Dung", "Hùng"]
    record = ExportRecord.objects.get()
    assert (record.user.username, record.kind, record.row_count, record.personal_columns) == (
        "ubkt_bt",
        "members",
        3,
        [],
    )
    assert record.organization == tree["ward"]
    assert record.filters == {"org": str(tree["ward"].pk)}


def test_committee_staff_export_is_full_and_recorded(tree, registry, ward_staff, client_for):
    rows = _download(client_for(ward_staff), org=tree["ward"].pk, q="bình")
    headings = rows[0]
    for heading in PERSONAL:
        assert heading in headings
    assert [r[headings.index("Số CCCD")] for r in rows[1:]] == ["079080000002"]
    record = ExportRecord.objects.get()
    assert (record.user, record.row_count, record.personal_columns) == (ward_staff, 1, PERSONAL)
    assert record.filters == {"org": str(tree["ward"].pk), "q": "bình"}
    assert record.remote_addr == "127.0.0.1"


def test_personal_columns_only_where_a_full_role_reaches(tree, registry, secretary_a, client_for):
    # The secretary of cell A also sits on the ward's inspection commission.
    RoleAssignment.objects.create(user=secretary_a, role=Role.INSPECTION, organization=tree["ward"])
    rows = _download(client_for(secretary_a), org=tree["ward"].pk)
    headings = rows[0]
    by_name = {r[headings.index("Tên")]: r for r in rows[1:]}
    assert by_name["Hùng"][headings.index("Số CCCD")] == "079080000001"
    assert by_name["Hùng"][headings.index("Điện thoại")] == "0903000001"
    assert by_name["Bình"][headings.index("Số CCCD")] is None
    assert by_name["Bình"][headings.index("Điện thoại")] is None
    assert by_name["Bình"][headings.index("Ngày sinh")] is None
    assert ExportRecord.objects.get().row_count == 3


def test_every_export_writes_one_record(tree, registry, ward_staff, secretary_a, client_for):
    _download(client_for(ward_staff))
    _download(client_for(secretary_a), status="all")
    assert list(ExportRecord.objects.order_by("pk").values_list("user__username", "row_count")) == [
        ("dangu_bt", 3),
        ("bithu_a", 1),
    ]


def test_out_of_reach_export_is_empty_and_still_recorded(tree, registry, secretary_a, client_for):
    rows = _download(client_for(secretary_a), org=tree["cell_c"].pk)
    assert rows[1:] == []
    record = ExportRecord.objects.get()
    assert record.row_count == 0 and record.organization is None


def test_administrators_see_export_records(tree, registry, ward_staff, admin_user, client_for):
    _download(client_for(ward_staff), org=tree["ward"].pk)
    admin = Client()
    admin.force_login(admin_user)
    body = admin.get(reverse("safeguards:index")).content.decode()
    assert "dangu_bt" in body and "Danh sách đảng viên" in body and "Số CCCD" in body
    assert tree["ward"].name in body
