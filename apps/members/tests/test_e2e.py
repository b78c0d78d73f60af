"""Browser tests of the member pages on a phone-sized screen."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from apps.core.roles import Role
from apps.members.models import Member, Status

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_add_member_then_change_status_on_a_phone(tree, make_user, phone_page, login_as):
    make_user("canbo", Role.COMMITTEE_STAFF, tree["ward"])
    page = phone_page
    login_as(page, "canbo")
    page.goto(f"/dang-vien/them/?org={tree['cell_a'].pk}")
    page.fill("#id_family_name", "Nguyễn")
    page.fill("#id_middle_name", "Thị")
    page.fill("#id_given_name", "Đào")
    page.select_option("#id_gender", "female")
    page.fill("#id_birth_date", "19/04/1985")
    page.fill("#id_admission_date", "03/02/2022")
    page.fill("#id_card_number", "79001234")
    page.fill("#id_citizen_id", "12")  # wrong: refused, nothing saved
    page.click("button[type=submit]")
    assert "Số CCCD phải gồm 12 chữ số" in page.inner_text("main")
    assert Member.objects.count() == 0
    page.fill("#id_citizen_id", "079185001234")
    page.click("button[type=submit]")
    page.wait_for_url("**/dang-vien/*/")
    assert "Đã thêm đảng viên." in page.inner_text("main")
    member = Member.objects.get()
    assert member.status == Status.PROBATIONARY and member.birth_date == dt.date(1985, 4, 19)
    assert "03/02/2023" in page.inner_text("main")  # end of probation
    page.click("text=Thay đổi tình trạng")
    page.select_option("#id_kind", "transfer_out")
    assert page.is_visible("#id_other_organization_name")
    page.select_option("#id_kind", "recognized")
    assert page.is_hidden("#id_other_organization_name")
    page.fill("#id_date", "10/03/2023")
    page.click("button[type=submit]")
    page.wait_for_url(f"**/dang-vien/{member.pk}/")
    member.refresh_from_db()
    assert member.status == Status.FULL and member.full_membership_date == dt.date(2023, 2, 3)


def test_filter_and_load_more_without_reload(tree, make_member, make_user, phone_page, login_as, monkeypatch):
    from apps.members import selectors

    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    for name in ("Trần Thị An", "Lê Văn Bình", "Phạm Văn Cường"):
        make_member(tree["cell_a"], name)
    make_member(tree["cell_b"], "Võ Thị Dung")
    make_user("canbo", Role.COMMITTEE_STAFF, tree["ward"])
    page = phone_page
    login_as(page, "canbo")
    page.goto("/dang-vien/")
    rows = page.locator("#member-rows tr:not(#more)")
    assert rows.count() == 2
    page.click("#more a")
    expect(page.locator("#member-rows tr")).to_have_count(4)  # no wait_for_function: CSP forbids eval
    assert [r.split("\n")[0] for r in rows.all_inner_texts()] == [
        "Trần Thị An",
        "Lê Văn Bình",
        "Phạm Văn Cường",
        "Võ Thị Dung",
    ]
    page.select_option("#org", str(tree["cell_b"].pk))
    expect(page.locator("#member-rows tr")).to_have_count(1)  # no wait_for_function: CSP forbids eval
    assert "Võ Thị Dung" in page.inner_text("#member-rows")
