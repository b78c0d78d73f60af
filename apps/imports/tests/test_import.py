import datetime as dt
import unicodedata

import pytest
from auditlog.models import LogEntry
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from apps.imports.models import BatchStatus, ImportBatch
from apps.imports.parsing import parse_workbook
from apps.imports.services import ImportRejected, import_members
from apps.members.models import Member, StatusChange

from .conftest import HEADINGS

pytestmark = pytest.mark.django_db


def _snapshot():
    return (Member.objects.count(), StatusChange.objects.count())


def test_two_bad_rows_change_nothing_and_are_named(xlsx, tree, ward_staff, client_for):
    file = xlsx(
        [
            ["DANH SÁCH ĐẢNG VIÊN"],
            HEADINGS + ["Chi bộ"],
            [1, "Nguyễn Văn Hùng", "Nam", "15/03/1980", "19/05/2010", "19/05/2011", "10000001", "", "Chi bộ khu phố 1"],
            [2, "Trần Thị Lan", "Nữ", "31/02/2020", "19/05/2010", "", "10000002", "", "Khu phố 2"],
            [3, "", "Nam", "01/01/1980", "19/05/2010", "", "10000003", "", "khu pho 1"],
            [4, "Lê Văn Tám", "Nam", "01/01/1980", "19/05/2010", "", "10000004", "", "Chi bộ khu phố 9"],
        ]
    )
    before = _snapshot()
    client = client_for(ward_staff)
    response = client.post(f"/excel/to-chuc/{tree['ward'].pk}/nhap-dang-vien/", {"file": file})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/excel/nhap/{batch.pk}/"
    assert batch.status == BatchStatus.INVALID
    assert batch.row_count == 4
    assert batch.error_row_count == 3
    assert batch.errors == [
        {"row": 4, "name": "Trần Thị Lan", "messages": ["Ngày sinh: “31/02/2020” không phải ngày có thật."]},
        {"row": 5, "name": "", "messages": ["Thiếu họ và tên."]},
        {
            "row": 6,
            "name": "Lê Văn Tám",
            "messages": ["Không có chi bộ “Chi bộ khu phố 9” trong Đảng bộ phường Bình Thắng."],
        },
    ]
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Dòng 4" in html and "không phải ngày có thật" in html
    assert "Dòng 5" in html and "Thiếu họ và tên." in html
    assert "Chi bộ khu phố 9" in html
    # Confirming is refused and nothing changes.
    response = client.post(f"/excel/nhap/{batch.pk}/xac-nhan/")
    assert response.status_code == 302
    assert _snapshot() == before
    batch.refresh_from_db()
    assert batch.status == BatchStatus.INVALID


def test_good_file_imports_all_rows_with_history_and_audit(xlsx, good_rows, tree, secretary_a, client_for):
    client = client_for(secretary_a)
    response = client.post(f"/excel/to-chuc/{tree['cell_a'].pk}/nhap-dang-vien/", {"file": xlsx(good_rows)})
    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.READY
    assert batch.errors == []
    page = client.get(response["Location"])
    assert "Nhập 3 đảng viên" in page.content.decode()
    response = client.post(f"/excel/nhap/{batch.pk}/xac-nhan/")
    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.status, batch.imported_count) == (BatchStatus.IMPORTED, 3)
    members = list(Member.objects.vn_ordered())
    assert [(m.full_name, m.organization, m.status, m.card_number, m.citizen_id) for m in members] == [
        ("Nguyễn Văn Hùng", tree["cell_a"], "full", "10000001", "001080000001"),
        ("Trần Thị Lan", tree["cell_a"], "full", "10000002", "001085000002"),
        ("Lê Hoàng Nam", tree["cell_a"], "probationary", None, None),
    ]
    lan = members[1]
    assert (lan.birth_date, lan.admission_date, lan.full_membership_date) == (
        dt.date(1985, 9, 2),
        dt.date(2015, 2, 3),
        dt.date(2016, 2, 3),
    )
    assert (lan.family_name, lan.middle_name, lan.given_name, lan.gender) == ("Trần", "Thị", "Lan", "female")
    assert lan.search_name == " tran thi lan"
    assert lan.org_path == tree["cell_a"].path
    assert list(lan.status_changes.values_list("kind", "date", "status")) == [
        ("admitted", dt.date(2015, 2, 3), "probationary"),
        ("recognized", dt.date(2016, 2, 3), "full"),
    ]
    assert list(members[2].status_changes.values_list("kind", flat=True)) == ["admitted"]
    # Each member's record says who imported them, from which file.
    note = lan.status_changes.first().note
    assert note.startswith(f"Nhập từ Excel (tệp {batch.file_name}, lần tải số {batch.pk}) bởi {secretary_a}")
    assert f"tệp {batch.file_name}" in client.get(f"/dang-vien/{lan.pk}/").content.decode()
    # Found by an unaccented search like any other member.
    assert list(Member.objects.search("tran thi lan")) == [lan]
    # The import is recorded with its actor, and so is every member and history step it created,
    # as a save would have left them: the member's page shows who created the record.
    entry = LogEntry.objects.get_for_object(batch).latest("timestamp")
    assert entry.actor == secretary_a
    created = LogEntry.objects.get_for_object(lan).get()
    assert (created.action, created.actor, created.object_repr) == (LogEntry.Action.CREATE, secretary_a, "Trần Thị Lan")
    assert created.changes["given_name"] == ["None", "Lan"]
    assert created.changes["birth_date"] == ["None", "1985-09-02"]
    assert "search_name" not in created.changes  # excluded from the member's audit, as on save()
    steps = [LogEntry.objects.get_for_object(step).get() for step in lan.status_changes.all()]
    assert [(e.action, e.actor, e.object_repr) for e in steps] == [
        (LogEntry.Action.CREATE, secretary_a, "Kết nạp 03/02/2015"),
        (LogEntry.Action.CREATE, secretary_a, "Công nhận đảng viên chính thức 03/02/2016"),
    ]
    # A second confirmation is refused.
    response = client.post(f"/excel/nhap/{batch.pk}/xac-nhan/", follow=True)
    assert "Tệp này đã được nhập rồi." in response.content.decode()
    assert Member.objects.count() == 3
    batch.refresh_from_db()
    assert batch.status == BatchStatus.IMPORTED


def test_rules_of_the_member_sheet_are_checked_row_by_row(xlsx, tree, admin_user):
    future = (timezone.localdate() + relativedelta(days=10)).strftime("%d/%m/%Y")
    file = xlsx(
        [
            HEADINGS,
            [1, "Nguyễn Văn A", "Nam", "01/01/2000", "01/06/2015", "", "", ""],
            [2, "Nguyễn Văn B", "Nam", "01/01/1980", "01/06/2015", "01/01/2016", "", ""],
            [3, "Nguyễn Văn C", "Nam", future, "01/06/2015", "", "", ""],
            [4, "Nguyễn Văn D", "Nam", "01/01/1980", "01/06/2015", "", "", "12345"],
            [5, "Nguyễn Văn E", "Không rõ", "01/01/1980", "", "", "", ""],
            [6, "Nguyễn Văn G", "Nam", "1980", "01/06/2015", "", "", ""],
        ]
    )
    with pytest.raises(ImportRejected) as caught:
        import_members(user=admin_user, organization=tree["cell_a"], file=file)
    assert [(r.row, r.messages) for r in caught.value.check.error_rows] == [
        (2, ["Chưa đủ 18 tuổi vào ngày vào Đảng."]),
        (
            3,
            [
                "Ngày chính thức 01/01/2016 chưa đủ 12 tháng dự bị kể từ ngày vào Đảng 01/06/2015: sớm nhất là 01/06/2016."
            ],
        ),
        (4, ["Ngày sinh ở tương lai.", "Chưa đủ 18 tuổi vào ngày vào Đảng."]),
        (5, ["Số CCCD “12345” phải gồm 12 chữ số (hoặc 9 chữ số với CMND cũ)."]),
        (6, ["Giới tính “Không rõ” không rõ (ghi Nam hoặc Nữ).", "Thiếu ngày vào Đảng."]),
        (7, ["Ngày sinh: “1980” chỉ có năm; hãy ghi đủ ngày/tháng/năm."]),
    ]
    assert Member.objects.count() == 0


def test_duplicates_within_the_file_and_against_the_registry(xlsx, tree, admin_user, make_member):
    make_member(tree["cell_b"], "Phạm Văn Cũ", card_number="20000001", citizen_id="001070000001")
    file = xlsx(
        [
            HEADINGS,
            [1, "Nguyễn Văn A", "Nam", "01/01/1980", "01/06/2010", "", "20000001", ""],
            [2, "Nguyễn Văn B", "Nam", "01/01/1980", "01/06/2010", "", "", "001070000001"],
            [3, "Nguyễn Văn C", "Nam", "01/01/1980", "01/06/2010", "", "30000001", "001080000009"],
            [4, "Nguyễn Văn D", "Nam", "01/01/1980", "01/06/2010", "", "30000001", "001080000009"],
        ]
    )
    before = _snapshot()
    with pytest.raises(ImportRejected) as caught:
        import_members(user=admin_user, organization=tree["cell_a"], file=file)
    assert [(r.row, r.messages) for r in caught.value.check.error_rows] == [
        (2, ["Số thẻ đảng viên 20000001 đã có ở đảng viên Phạm Văn Cũ."]),
        (3, ["Số CCCD 001070000001 đã có ở đảng viên Phạm Văn Cũ."]),
        (5, ["Số thẻ đảng viên 30000001 trùng với dòng 4.", "Số CCCD 001080000009 trùng với dòng 4."]),
    ]
    assert _snapshot() == before


def test_committee_target_places_rows_in_named_cells(xlsx, tree, ward_staff):
    file = xlsx(
        [
            ["Họ và tên", "Giới tính", "Ngày sinh", "Ngày vào Đảng", "Chi bộ"],
            ["Nguyễn Văn A", "Nam", "01/01/1980", "01/06/2010", "CHI BO KHU PHO 1"],
            ["Nguyễn Văn B", "Nam", "01/01/1980", "01/06/2010", "T-BT-2"],
            ["Nguyễn Văn C", "Nam", "01/01/1980", "01/06/2010", "Khu phố 2"],
        ]
    )
    assert import_members(user=ward_staff, organization=tree["ward"], file=file) == 3
    assert list(Member.objects.order_by("given_name").values_list("given_name", "organization")) == [
        ("A", tree["cell_a"].pk),
        ("B", tree["cell_b"].pk),
        ("C", tree["cell_b"].pk),
    ]


def test_cell_of_another_ward_is_unknown(xlsx, tree, ward_staff):
    file = xlsx(
        [
            ["Họ và tên", "Giới tính", "Ngày sinh", "Ngày vào Đảng", "Chi bộ"],
            ["Nguyễn Văn A", "Nam", "01/01/1980", "01/06/2010", "Chi bộ khu phố Tân Hòa"],
            ["Nguyễn Văn B", "Nam", "01/01/1980", "01/06/2010", ""],
        ]
    )
    with pytest.raises(ImportRejected) as caught:
        import_members(user=ward_staff, organization=tree["ward"], file=file)
    assert [(r.row, r.messages) for r in caught.value.check.error_rows] == [
        (2, ["Không có chi bộ “Chi bộ khu phố Tân Hòa” trong Đảng bộ phường Bình Thắng."]),
        (3, ["Thiếu chi bộ."]),
    ]
    assert Member.objects.count() == 0


def test_missing_columns_are_file_errors(xlsx, tree, ward_staff):
    file = xlsx([["Họ và tên", "Quê quán"], ["Nguyễn Văn A", "Hà Nội"]])
    with pytest.raises(ImportRejected) as caught:
        import_members(user=ward_staff, organization=tree["ward"], file=file)
    assert caught.value.check.file_errors == [
        "Tệp thiếu cột “Ngày sinh”.",
        "Tệp thiếu cột “Ngày vào Đảng”.",
        "Tệp thiếu cột “Giới tính”.",
        "Tệp thiếu cột “Chi bộ”: khi nhập vào Đảng bộ phường Bình Thắng, mỗi dòng phải ghi chi bộ sinh hoạt.",
    ]


def test_out_of_scope_organization_is_not_found(xlsx, good_rows, tree, secretary_a, client_for):
    client = client_for(secretary_a)
    url = f"/excel/to-chuc/{tree['cell_b'].pk}/nhap-dang-vien/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"file": xlsx(good_rows)}).status_code == 404
    assert ImportBatch.objects.count() == 0
    assert Member.objects.count() == 0


def test_batch_of_another_organization_is_not_found(xlsx, good_rows, tree, admin_user, secretary_a, client_for):
    from apps.imports.services import batch_create

    batch = batch_create(user=admin_user, organization=tree["cell_b"], upload=xlsx(good_rows))
    client = client_for(secretary_a)
    assert client.get(f"/excel/nhap/{batch.pk}/").status_code == 404
    assert client.post(f"/excel/nhap/{batch.pk}/xac-nhan/").status_code == 404
    batch.refresh_from_db()
    assert batch.status == BatchStatus.READY
    assert Member.objects.count() == 0


def test_registry_changed_between_preview_and_confirm(xlsx, good_rows, tree, secretary_a, client_for, make_member):
    client = client_for(secretary_a)
    client.post(f"/excel/to-chuc/{tree['cell_a'].pk}/nhap-dang-vien/", {"file": xlsx(good_rows)})
    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.READY
    make_member(tree["cell_b"], "Phạm Văn Nhanh", card_number="10000002")
    client.post(f"/excel/nhap/{batch.pk}/xac-nhan/")
    batch.refresh_from_db()
    assert batch.status == BatchStatus.INVALID
    assert batch.errors == [
        {
            "row": 3,
            "name": "Trần Thị Lan",
            # Cell B is outside the secretary of cell A's reach: the holder is not named.
            "messages": ["Số thẻ đảng viên 10000002 đã có ở một đảng viên khác (ngoài phạm vi quản lý của đồng chí)."],
        }
    ]
    assert Member.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"a;b;c\n", "ds.csv", "Chỉ nhận tệp Excel .xlsx"),
        (b"\xd0\xcf\x11\xe0 old excel", "ds.xls", "Chỉ nhận tệp Excel .xlsx"),
        (b"PK\x03\x04 broken", "ds.xlsx", "Không đọc được tệp"),
    ],
)
def test_bad_files_get_a_vietnamese_message(content, name, message, tree, secretary_a, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(secretary_a)
    response = client.post(
        f"/excel/to-chuc/{tree['cell_a'].pk}/nhap-dang-vien/", {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_empty_sheet_below_headings(xlsx, tree, secretary_a, client_for):
    client = client_for(secretary_a)
    client.post(f"/excel/to-chuc/{tree['cell_a'].pk}/nhap-dang-vien/", {"file": xlsx([HEADINGS])})
    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.INVALID
    assert batch.errors == [
        {"row": None, "name": "", "messages": ["Trang tính không có dòng dữ liệu nào dưới dòng tiêu đề."]}
    ]


def test_parse_and_import_are_separate_steps(xlsx, good_rows, tree, admin_user):
    sheet = parse_workbook(xlsx(good_rows))
    assert len(sheet.rows) == 3
    assert import_members(user=admin_user, organization=tree["cell_a"], sheet=sheet) == 3


def test_quick_date_check_never_passes_a_row_validate_member_refuses():
    import random

    from apps.imports.checking import surely_valid as _surely_valid
    from apps.members.services import validate_member

    rng = random.Random(7)
    today = timezone.localdate()
    passed = 0
    for _ in range(3000):
        birth = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 90))
        admission = birth + dt.timedelta(days=rng.randrange(365 * 17, 365 * 19 + 3))
        full = rng.choice([None, admission + dt.timedelta(days=rng.randrange(360, 370))])
        if _surely_valid(birth, admission, full, today):
            validate_member(Member(birth_date=birth, admission_date=admission, full_membership_date=full))
            passed += 1
    # The draws straddle the age and probation edges: the quick check must take most rows, not none.
    assert passed > 500, passed  # 819 of the 3.000 draws with this seed


def test_imported_ids_do_not_collide_with_later_members(xlsx, good_rows, tree, admin_user, make_member):
    assert import_members(user=admin_user, organization=tree["cell_a"], file=xlsx(good_rows)) == 3
    later = make_member(tree["cell_b"], "Phạm Văn Sau", card_number="90000001")
    assert later.pk > max(Member.objects.exclude(pk=later.pk).values_list("pk", flat=True))
    assert StatusChange.objects.filter(member__in=Member.objects.exclude(pk=later.pk)).count() == 5


def test_gender_marks_and_family_middle_column(xlsx, tree, admin_user):
    file = xlsx(
        [
            ["Họ và tên đệm", "Tên", "Nam", "Nữ", "Ngày sinh", "Ngày vào Đảng"],
            ["Tôn Thất Minh", "Tuấn", "x", "", "01/01/1980", "01/06/2010"],
            ["Nguyễn Thị", "Hoa", "", "x", "01/01/1980", "01/06/2010"],
            ["Lê Văn", "Bình", "", "", "01/01/1980", "01/06/2010"],
        ]
    )
    with pytest.raises(ImportRejected) as caught:
        import_members(user=admin_user, organization=tree["cell_a"], file=file)
    rows = caught.value.check.rows
    assert [(m.family_name, m.middle_name, m.given_name, m.gender) for m in (r.member for r in rows)] == [
        ("Tôn Thất", "Minh", "Tuấn", "male"),
        ("Nguyễn", "Thị", "Hoa", "female"),
        ("Lê", "Văn", "Bình", ""),
    ]
    assert [r.messages for r in rows] == [[], [], ["Thiếu giới tính."]]


def test_upload_page_lists_recent_batches_and_headings(xlsx, good_rows, tree, secretary_a, client_for):
    client = client_for(secretary_a)
    client.post(f"/excel/to-chuc/{tree['cell_a'].pk}/nhap-dang-vien/", {"file": xlsx(good_rows, name="ds-kp1.xlsx")})
    response = client.get(f"/excel/to-chuc/{tree['cell_a'].pk}/nhap-dang-vien/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nhập danh sách đảng viên từ Excel" in html
    assert "ds-kp1.xlsx" in html and "Sẵn sàng nhập" in html
    assert "Số thẻ ĐV" in html


def test_decomposed_text_is_stored_composed_and_found_by_exact_lookup(xlsx, tree, ward_staff, client_for):
    """A list saved on a Mac (NFD: letters plus combining marks) imports as if typed composed."""
    nfd = lambda text: unicodedata.normalize("NFD", text)  # noqa: E731
    headings = [nfd(heading) for heading in HEADINGS] + [nfd("Chi bộ")]
    row = [
        1,
        nfd("Nguyễn Thị Hường"),
        nfd("Nữ"),
        "15/03/1980",
        "19/05/2010",
        "19/05/2011",
        "",
        "",
        nfd("Chi bộ khu phố 1"),
    ]
    assert row[1] != "Nguyễn Thị Hường"
    client = client_for(ward_staff)
    client.post(f"/excel/to-chuc/{tree['ward'].pk}/nhap-dang-vien/", {"file": xlsx([headings, row])})
    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.READY, batch.errors
    client.post(f"/excel/nhap/{batch.pk}/xac-nhan/")
    member = Member.objects.get(family_name="Nguyễn", middle_name="Thị", given_name="Hường")
    assert (member.gender, member.organization) == ("female", tree["cell_a"])
    assert list(Member.objects.search("Hường")) == [member]
