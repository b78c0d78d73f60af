import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from apps.core.xlsx import Column, write_xlsx
from apps.imports.services import import_members
from apps.members.models import Member

pytestmark = pytest.mark.django_db

COMPARED = (
    "family_name",
    "middle_name",
    "given_name",
    "gender",
    "birth_date",
    "ethnicity",
    "religion",
    "hometown",
    "residence",
    "citizen_id",
    "phone",
    "email",
    "general_education",
    "education",
    "political_theory",
    "occupation",
    "position",
    "admission_date",
    "full_membership_date",
    "card_number",
    "status",
)


def _download(client, **params):
    response = client.get("/excel/dang-vien.xlsx", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    return io.BytesIO(b"".join(response.streaming_content))


def _rows(content):
    sheet = load_workbook(content, read_only=True).worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


@pytest.fixture
def registry(tree, make_member):
    return [
        make_member(
            tree["cell_a"],
            "Tôn Nữ Thị Ninh",
            family_name="Tôn Nữ",
            middle_name="Thị",
            given_name="Ninh",
            gender="female",
            birth_date=dt.date(1975, 2, 28),
            ethnicity="Hoa",
            religion="Phật giáo",
            hometown="Thừa Thiên Huế",
            residence="12 Lê Lợi, phường Bình Thắng",
            citizen_id="046175000123",
            phone="0905123456",
            email="ninh@example.vn",
            general_education="12/12",
            education="master",
            political_theory="advanced",
            occupation="Giáo viên",
            position="Hiệu trưởng",
            admission_date=dt.date(2000, 3, 3),
            full_membership_date=dt.date(2001, 3, 3),
            card_number="01234567",
        ),
        make_member(tree["cell_a"], "Nguyễn Văn Hùng", full_membership_date=None, admission_date=dt.date(2024, 5, 19)),
        make_member(tree["cell_b"], "Đặng Thị Dung", gender="female"),
        make_member(tree["cell_c"], "Lê Văn Xa"),
    ]


def test_export_has_headings_dates_and_scope(registry, tree, secretary_a, client_for):
    rows = _rows(_download(client_for(secretary_a)))
    assert rows[0] == [
        "STT",
        "Họ",
        "Tên đệm",
        "Tên",
        "Giới tính",
        "Ngày sinh",
        "Dân tộc",
        "Tôn giáo",
        "Quê quán",
        "Nơi ở hiện nay",
        "Số CCCD",
        "Điện thoại",
        "Email",
        "Giáo dục phổ thông",
        "Trình độ chuyên môn",
        "Lý luận chính trị",
        "Nghề nghiệp",
        "Chức vụ",
        "Ngày vào Đảng",
        "Ngày chính thức",
        "Số thẻ đảng viên",
        "Chi bộ",
        "Tình trạng",
        "Ngày tình trạng",
        "Ngày chuyển đến",
        "Chuyển từ",
    ]
    # A cell secretary's export holds only their cell, in Vietnamese name order (Hùng before Ninh).
    assert [r[1:4] for r in rows[1:]] == [["Nguyễn", "Văn", "Hùng"], ["Tôn Nữ", "Thị", "Ninh"]]
    ninh = rows[2]
    assert ninh[5] == dt.datetime(1975, 2, 28)
    assert ninh[10] == "046175000123"  # text: the leading zero stays
    assert ninh[14:16] == ["Thạc sĩ", "Cao cấp"]
    assert ninh[20:24] == ["01234567", "Chi bộ khu phố 1", "Chính thức", dt.datetime(2001, 3, 3)]
    assert not any(ninh[24:])  # admitted here: no transfer in


def test_export_dates_are_real_dates_shown_dd_mm_yyyy(registry, secretary_a, client_for):
    sheet = load_workbook(_download(client_for(secretary_a))).worksheets[0]
    assert sheet["F2"].is_date
    assert sheet["F2"].number_format == "dd/mm/yyyy"
    assert sheet["A1"].font.b is True
    assert sheet.column_dimensions["B"].width == 12


def test_export_follows_the_list_parameters(registry, tree, ward_staff, client_for):
    client = client_for(ward_staff)
    assert len(_rows(_download(client))) == 1 + 3  # the ward: cells A and B, never cell C
    assert [r[3] for r in _rows(_download(client, org=tree["cell_b"].pk))[1:]] == ["Dung"]
    assert [r[3] for r in _rows(_download(client, q="nguyen van hung"))[1:]] == ["Hùng"]
    assert [r[3] for r in _rows(_download(client, status="probationary"))[1:]] == ["Hùng"]
    # An organization out of reach gives an empty list, like the member list itself.
    assert _rows(_download(client, org=tree["cell_c"].pk))[1:] == []


def test_export_needs_login(client):
    response = client.get("/excel/dang-vien.xlsx")
    assert response.status_code == 302


def test_round_trip_export_then_import_into_another_organization(registry, tree, admin_user, client_for):
    originals = {m.pk: m for m in Member.objects.filter(organization__in=[tree["cell_a"], tree["cell_b"]])}
    content = _download(client_for(admin_user), org=tree["ward"].pk)
    # Card numbers and citizen IDs are unique: free them so the same people can be imported again.
    Member.objects.filter(pk__in=originals).update(card_number=None, citizen_id=None)
    before = set(Member.objects.values_list("pk", flat=True))

    # Into the ward itself: each row goes back to the cell named in the "Chi bộ" column.
    assert import_members(user=admin_user, organization=tree["ward"], file=content) == 3
    created = Member.objects.exclude(pk__in=before)
    by_name = {m.full_name: m for m in created}
    for original in originals.values():
        copy = by_name[original.full_name]
        assert {f: getattr(copy, f) for f in COMPARED} == {f: getattr(original, f) for f in COMPARED}
        assert copy.organization == original.organization
        assert [(c.kind, c.date) for c in copy.status_changes.all()] == [
            (c.kind, c.date) for c in original.status_changes.all()
        ]

    # Into another organization (a cell of the other ward): every row lands in that cell.
    created.update(card_number=None, citizen_id=None)
    before = set(Member.objects.values_list("pk", flat=True))
    assert import_members(user=admin_user, organization=tree["cell_c"], file=content) == 3
    created = Member.objects.exclude(pk__in=before)
    assert {m.organization for m in created} == {tree["cell_c"]}
    ninh = created.get(given_name="Ninh")
    original = next(m for m in originals.values() if m.given_name == "Ninh")
    assert {f: getattr(ninh, f) for f in COMPARED} == {f: getattr(original, f) for f in COMPARED}


def test_template_download_has_only_headings(client_for, admin_user):
    response = client_for(admin_user).get("/excel/mau-danh-sach-dang-vien.xlsx")
    rows = _rows(io.BytesIO(b"".join(response.streaming_content)))
    assert len(rows) == 1 and rows[0][1:4] == ["Họ", "Tên đệm", "Tên"]


def test_write_xlsx_generic_helper():
    buffer = io.BytesIO()
    count = write_xlsx(
        buffer,
        [Column("Tên", 20), "Số", "Ngày"],
        [["Chi bộ 1", 1985, dt.date(2019, 4, 19)], ["Chi bộ 2", 94.87, None]],
        sheet_title="Báo cáo: quý 1/2019",
    )
    assert count == 2
    sheet = load_workbook(buffer).worksheets[0]
    assert sheet.title == "Báo cáo  quý 1 2019"
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Tên", "Số", "Ngày"],
        ["Chi bộ 1", 1985, dt.datetime(2019, 4, 19)],
        ["Chi bộ 2", 94.87, None],
    ]
    assert sheet["C2"].number_format == "dd/mm/yyyy"


def test_round_trip_keeps_every_status_and_its_date(tree, make_member, admin_user, client_for):
    from apps.members.models import StatusChangeKind
    from apps.members.services import member_change_status

    cell = tree["cell_a"]
    exempted = make_member(cell, "Phạm Văn Miễn")
    member_change_status(user=admin_user, member=exempted, kind=StatusChangeKind.EXEMPTED, on=dt.date(2019, 4, 2))
    gone = make_member(cell, "Hoàng Văn Mất")
    member_change_status(user=admin_user, member=gone, kind=StatusChangeKind.DECEASED, on=dt.date(2021, 7, 9))
    away = make_member(cell, "Vũ Thị Đi")
    member_change_status(
        user=admin_user,
        member=away,
        kind=StatusChangeKind.TEMP_OUT,
        on=dt.date(2023, 1, 15),
        other_organization_name="Đảng bộ phường Khác",
    )
    make_member(cell, "Đỗ Văn Thường")
    originals = {m.full_name: m for m in Member.objects.filter(organization=cell)}
    content = _download(client_for(admin_user), org=cell.pk, status="all")
    Member.objects.filter(pk__in=[m.pk for m in originals.values()]).update(card_number=None, citizen_id=None)
    before = set(Member.objects.values_list("pk", flat=True))

    assert import_members(user=admin_user, organization=tree["cell_b"], file=content) == 4
    created = {m.full_name: m for m in Member.objects.exclude(pk__in=before)}
    assert {name: (m.status, m.status_since) for name, m in created.items()} == {
        name: (m.status, m.status_since) for name, m in originals.items()
    }
    # Each copy's history ends in the step that led to its status, on the same date.
    for name, copy in created.items():
        last = copy.status_changes.order_by("date", "pk").last()
        original_last = originals[name].status_changes.order_by("date", "pk").last()
        assert (last.kind, last.date, last.status) == (original_last.kind, original_last.date, original_last.status)
    assert created["Hoàng Văn Mất"].state_on(dt.date(2021, 7, 8)).is_current
    assert not created["Hoàng Văn Mất"].state_on(dt.date(2021, 7, 10)).is_current


def test_a_status_that_cannot_be_imported_refuses_its_row(tree, admin_user):
    from apps.imports.services import ImportRejected

    from .conftest import HEADINGS

    rows = [
        [*HEADINGS, "Tình trạng", "Ngày tình trạng"],
        [
            1,
            "Nguyễn Văn A",
            "Nam",
            "01/01/1980",
            "01/06/2010",
            "01/06/2011",
            "",
            "",
            "Miễn công tác và sinh hoạt đảng",
            "",
        ],
        [2, "Nguyễn Văn B", "Nam", "01/01/1980", "01/06/2010", "", "", "", "Chính thức", ""],
        [3, "Nguyễn Văn C", "Nam", "01/01/1980", "01/06/2010", "", "", "", "Sinh hoạt tạm thời (chuyển đến)", ""],
        [4, "Nguyễn Văn D", "Nam", "01/01/1980", "01/06/2010", "01/06/2011", "", "", "Đã nghỉ", ""],
        [5, "Nguyễn Văn E", "Nam", "01/01/1980", "01/06/2010", "01/06/2011", "", "", "Từ trần", "01/01/2009"],
    ]
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    content = io.BytesIO()
    book.save(content)
    before = Member.objects.count()
    with pytest.raises(ImportRejected) as caught:
        import_members(user=admin_user, organization=tree["cell_a"], file=content)
    assert [(r.row, r.messages) for r in caught.value.check.error_rows] == [
        (2, ["Thiếu ngày tình trạng."]),
        (3, ["Tình trạng “Chính thức” cần ngày chính thức."]),
        (4, ["Đảng viên sinh hoạt tạm thời không nhập từ danh sách: hãy ghi ở trang chuyển sinh hoạt tạm thời đến."]),
        (5, ["Tình trạng “Đã nghỉ” không rõ (ghi như tệp xuất, ví dụ: Chính thức, Dự bị)."]),
        (6, ["Ngày tình trạng 01/01/2009 trước ngày 01/06/2011."]),
    ]
    assert Member.objects.count() == before


def test_round_trip_keeps_a_transfer_in_and_the_counts_it_gives(tree, make_member, admin_user, client_for):
    cell = tree["cell_a"]
    make_member(
        cell,
        "Lê Thị Hoa",
        admission_date=dt.date(2005, 3, 1),
        full_membership_date=dt.date(2006, 3, 1),
        transferred_in_on=dt.date(2016, 4, 20),
        transferred_from="Đảng bộ xã Tân Phú",
    )
    content = _download(client_for(admin_user), org=cell.pk)
    before = set(Member.objects.values_list("pk", flat=True))
    Member.objects.filter(pk__in=before).update(card_number=None, citizen_id=None)
    assert import_members(user=admin_user, organization=tree["cell_b"], file=content) == 1
    copy = Member.objects.exclude(pk__in=before).get()
    assert list(copy.status_changes.values_list("kind", "date", "status", "other_organization_name")) == [
        ("transfer_in", dt.date(2016, 4, 20), "full", "Đảng bộ xã Tân Phú")
    ]
    counted = Member.objects.in_organizations_on([tree["cell_b"].pk], dt.date(2015, 6, 1))
    assert copy not in counted
