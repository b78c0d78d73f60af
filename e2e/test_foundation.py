"""The foundation as a new user meets it, in a real browser: the issue's "Done when" story."""

import datetime as dt

import pytest
from openpyxl import Workbook

from apps.core.roles import Role
from apps.members.models import Member, Status

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HEADINGS = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Ngày vào Đảng", "Ngày chính thức", "Số thẻ ĐV", "Chi bộ"]


def _workbook(path, rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH ĐẢNG VIÊN"])  # officials put a title above the headings
    sheet.append(HEADINGS)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return str(path)


def test_a_ward_officer_keeps_the_registry(tree, make_member, make_user, desktop_page, login_as, tmp_path):
    page = desktop_page
    make_member(tree["cell_a"], "Nguyễn Văn Hùng", card_number="79000001")
    make_member(tree["cell_b"], "Nguyễn Văn Hưng", card_number="79000002")
    make_member(tree["cell_c"], "Nguyễn Văn Hùng", card_number="79000003")  # another ward: never shown
    make_user("canbo", Role.COMMITTEE_STAFF, tree["ward"])

    login_as(page, "canbo")

    # Search the Vietnamese way: no diacritics; only what is in reach.
    page.goto("/dang-vien/")
    page.fill("#q", "nguyen van hung")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=nguyen*")
    rows = page.locator("#member-rows tr")
    # Without diacritics "hung" is both Hùng and Hưng; the other ward's Hùng is out of reach.
    assert rows.count() == 2
    assert "Nguyễn Văn Hùng" in rows.nth(0).inner_text() and "Chi bộ khu phố 1" in rows.nth(0).inner_text()
    assert "Nguyễn Văn Hưng" in rows.nth(1).inner_text()
    assert "Tân Hòa" not in page.inner_text("#member-rows")

    # Add a member through the form.
    page.goto(f"/dang-vien/them/?org={tree['cell_b'].pk}")
    page.fill("#id_family_name", "Trần")
    page.fill("#id_middle_name", "Thị")
    page.fill("#id_given_name", "Lan")
    page.select_option("#id_gender", "female")
    page.fill("#id_birth_date", "02/09/1979")
    page.fill("#id_admission_date", "19/05/2005")
    page.fill("#id_full_membership_date", "19/05/2006")
    page.fill("#id_card_number", "79000010")
    page.click("button[type=submit]")
    page.wait_for_url("**/dang-vien/*/")
    lan = Member.objects.get(card_number="79000010")
    assert lan.organization == tree["cell_b"] and lan.status == Status.FULL

    # Import a file with two bad rows: nothing changes, both rows are named.
    before = Member.objects.count()
    bad = _workbook(
        tmp_path / "sai.xlsx",
        [
            [1, "Lê Văn Tám", "Nam", "01/01/1980", "03/02/2010", "03/02/2011", "79000020", "Chi bộ khu phố 1"],
            [2, "", "Nữ", "01/01/1981", "03/02/2010", "03/02/2011", "79000021", "Chi bộ khu phố 1"],
            [3, "Phạm Thị Hoa", "Nữ", "31/02/1985", "03/02/2010", "03/02/2011", "79000022", "Chi bộ khu phố 2"],
        ],
    )
    page.goto(f"/excel/to-chuc/{tree['ward'].pk}/nhap-dang-vien/")
    page.set_input_files("input[type=file]", bad)
    page.click("button[type=submit]")
    page.wait_for_url("**/excel/nhap/*/")
    errors = page.inner_text("#row-errors")
    assert "Dòng 4" in errors and "Dòng 5" in errors  # the title row and headings come first
    assert "Dòng 3" not in errors
    assert page.locator("form[action$='/xac-nhan/']").count() == 0
    assert Member.objects.count() == before

    # The corrected file imports, all rows at once.
    good = _workbook(
        tmp_path / "dung.xlsx",
        [
            [1, "Lê Văn Tám", "Nam", "01/01/1980", "03/02/2010", "03/02/2011", "79000020", "Chi bộ khu phố 1"],
            [
                2,
                "Đỗ Thị Mai",
                "Nữ",
                "01/01/1981",
                dt.date(2010, 2, 3),
                dt.date(2011, 2, 3),
                "79000021",
                "chi bo khu pho 1",
            ],
            [3, "Phạm Thị Hoa", "Nữ", "28/02/1985", "03/02/2010", "03/02/2011", "79000022", "Chi bộ khu phố 2"],
        ],
    )
    page.goto(f"/excel/to-chuc/{tree['ward'].pk}/nhap-dang-vien/")
    page.set_input_files("input[type=file]", good)
    page.click("button[type=submit]")
    page.wait_for_url("**/excel/nhap/*/")
    # A double click sends the import once: the first submit turns the button into "Đang nhập…".
    sent = page.evaluate(
        """() => {
            const form = document.querySelector("form[action$='/xac-nhan/']");
            form.requestSubmit();
            form.requestSubmit();
            const button = form.querySelector("button");
            return [button.disabled, button.textContent, button.getAttribute("aria-busy")];
        }"""
    )
    assert sent == [True, "Đang nhập…", "true"]
    page.wait_for_selector("text=Đã nhập 3 đảng viên")
    assert "đã được nhập rồi" not in page.content()
    assert Member.objects.count() == before + 3
    mai = Member.objects.get(card_number="79000021")
    assert mai.organization == tree["cell_a"] and mai.birth_date == dt.date(1981, 1, 1)

    # Change a member's status: exempted from work and meetings, dated.
    page.goto(f"/dang-vien/{lan.pk}/tinh-trang/")
    page.select_option("#id_kind", "exempted")
    page.fill("#id_date", "01/03/2024")
    page.click("button[type=submit]")
    page.wait_for_url(f"**/dang-vien/{lan.pk}/")
    lan.refresh_from_db()
    assert lan.status == Status.EXEMPTED and lan.status_since == dt.date(2024, 3, 1)
    assert "01/03/2024" in page.inner_text("main")


def test_a_cell_secretary_is_refused_another_cells_member(tree, make_member, make_user, phone_page, login_as):
    mine = make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    other = make_member(tree["cell_b"], "Trần Thị Lan")
    make_user("bithu", Role.CELL_SECRETARY, tree["cell_a"], include_subtree=False)
    login_as(phone_page, "bithu")
    phone_page.goto("/dang-vien/")
    listed = phone_page.inner_text("#member-rows")
    assert "Nguyễn Văn Hùng" in listed and "Trần Thị Lan" not in listed
    assert phone_page.goto(f"/dang-vien/{mine.pk}/").status == 200
    response = phone_page.goto(f"/dang-vien/{other.pk}/")
    assert response.status == 404
    assert "Trần Thị Lan" not in phone_page.content()
    assert phone_page.goto(f"/dang-vien/{other.pk}/tinh-trang/").status == 404
    other.refresh_from_db()
    assert other.status == Status.FULL
