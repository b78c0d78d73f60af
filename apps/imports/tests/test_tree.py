"""A committee sets up by importing its organizations: preview first, then all or nothing."""

import io

import pytest
from auditlog.models import LogEntry

from apps.core.roles import Role
from apps.imports.models import BatchStatus, ImportBatch
from apps.organizations.models import Kind, Organization

pytestmark = pytest.mark.django_db

HEADINGS = ["STT", "Tên tổ chức", "Mã", "Loại tổ chức", "Loại hình", "Trực thuộc", "Ngày thành lập", "Ngày kết thúc"]


def _upload(client, org, xlsx, rows):
    return client.post(
        f"/excel/to-chuc/{org.pk}/nhap-to-chuc/", {"file": xlsx([["DANH SÁCH TỔ CHỨC ĐẢNG"], HEADINGS, *rows])}
    )


def test_a_ward_previews_then_imports_its_tree_in_file_order(xlsx, tree, ward_staff, client_for):
    client = client_for(ward_staff)
    ward = tree["ward"]
    rows = [
        [1, "Đảng bộ bộ phận khu vực Tây", "BT-T", "Đảng bộ bộ phận", "Khác", "", "03/02/2010", ""],
        [
            2,
            "Chi bộ khu phố 7",
            "BT-T-7",
            "Chi bộ trực thuộc",
            "Thôn, tổ dân phố, khu dân cư",
            "BT-T",
            "03/02/2010",
            "",
        ],
        [3, "Tổ đảng số 1", "BT-T-7-1", "Tổ đảng", "", "chi bo khu pho 7", "", ""],
        [4, "Chi bộ Trường Tiểu học Bình Thắng", "BT-TH", "Chi bộ trực thuộc", "Đơn vị sự nghiệp", "", "", ""],
        [5, "Chi bộ khu phố 9 (cũ)", "BT-9", "Chi bộ", "", "", "01/01/2001", "31/12/2019"],
    ]
    before = Organization.objects.count()
    response = _upload(client, ward, xlsx, rows)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/excel/nhap/{batch.pk}/"
    assert (batch.kind, batch.status, batch.row_count) == ("organizations", BatchStatus.READY, 5)
    assert Organization.objects.count() == before  # the check wrote nothing
    page = client.get(response["Location"]).content.decode()
    assert "Nhập 5 tổ chức" in page and "Chi bộ khu phố 7" in page and "Đảng bộ bộ phận khu vực Tây" in page

    assert client.post(f"/excel/nhap/{batch.pk}/xac-nhan/").status_code == 302
    batch.refresh_from_db()
    assert (batch.status, batch.imported_count) == (BatchStatus.IMPORTED, 5)
    made = {o.code: o for o in Organization.objects.filter(code__startswith="BT-")}
    assert made["BT-T"].parent == ward and made["BT-T"].kind == Kind.INTERMEDIATE
    assert made["BT-T-7"].parent == made["BT-T"] and made["BT-T-7"].path.startswith(made["BT-T"].path)
    assert made["BT-T-7-1"].parent == made["BT-T-7"] and made["BT-T-7-1"].kind == Kind.PARTY_GROUP
    assert made["BT-TH"].parent == ward and made["BT-TH"].sector == "public_service"
    assert str(made["BT-9"].ended_on) == "2019-12-31"
    entry = LogEntry.objects.get_for_object(made["BT-T-7"]).filter(action=LogEntry.Action.CREATE).get()
    assert entry.actor == ward_staff
    # Confirming twice creates nothing more.
    client.post(f"/excel/nhap/{batch.pk}/xac-nhan/")
    assert Organization.objects.count() == before + 5
    # The ward's page links the import.
    assert f"/excel/to-chuc/{ward.pk}/nhap-to-chuc/" in client.get(f"/to-chuc/{ward.pk}/").content.decode()


def test_bad_rows_are_named_and_nothing_is_created(xlsx, tree, ward_staff, client_for):
    client = client_for(ward_staff)
    rows = [
        [1, "Chi bộ khu phố 8", "BT-8", "Chi đoàn", "", "", "", ""],
        [2, "Chi bộ khu phố 10", "", "Chi bộ trực thuộc", "", "", "", ""],
        [3, "Chi bộ ngoài", "BT-X", "Chi bộ trực thuộc", "", tree["cell_c"].code, "", ""],  # another ward's
        [4, "Chi bộ trùng mã", tree["cell_a"].code, "Chi bộ trực thuộc", "", "", "", ""],
        [5, "Tổ đảng lạc", "BT-TD", "Tổ đảng", "", "", "", ""],
        [6, "Chi bộ tốt", "BT-OK", "Chi bộ trực thuộc", "", "", "31/02/2010", ""],
    ]
    before = Organization.objects.count()
    _upload(client, tree["ward"], xlsx, rows)
    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.INVALID
    errors = {e["row"]: " ".join(e["messages"]) for e in batch.errors}
    assert "Loại tổ chức “Chi đoàn” không rõ" in errors[3]
    assert "Thiếu mã tổ chức." in errors[4]
    assert f"Không có tổ chức cấp trên “{tree['cell_c'].code}” trong Đảng bộ phường Bình Thắng" in errors[5]
    assert tree["cell_c"].name not in errors[5]  # the other ward's cell is not named
    assert f"Mã tổ chức “{tree['cell_a'].code}” đã được dùng." in errors[6]
    assert "Tổ đảng chỉ đặt dưới một chi bộ" in errors[7]
    assert "không phải ngày có thật" in errors[8]
    assert Organization.objects.count() == before
    response = client.post(f"/excel/nhap/{batch.pk}/xac-nhan/")
    assert response.status_code == 302 and Organization.objects.count() == before


def test_the_template_imports_as_is_and_outsiders_get_404(xlsx, tree, ward_staff, make_user, client_for):
    client = client_for(ward_staff)
    template = client.get(f"/excel/to-chuc/{tree['ward'].pk}/mau-cay-to-chuc.xlsx")
    assert template.status_code == 200
    content = io.BytesIO(b"".join(template.streaming_content))
    content.name = "mau-cay-to-chuc.xlsx"
    client.post(f"/excel/to-chuc/{tree['ward'].pk}/nhap-to-chuc/", {"file": content})
    assert ImportBatch.objects.get().status == BatchStatus.READY
    other = client_for(make_user("dangu_khac", Role.COMMITTEE_STAFF, tree["ward2"]))
    assert other.get(f"/excel/to-chuc/{tree['ward'].pk}/nhap-to-chuc/").status_code == 404
    assert other.get(f"/excel/nhap/{ImportBatch.objects.get().pk}/").status_code == 404
