import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_login_and_search_without_diacritics(tree, make_member, make_user, phone_page, login_as):
    from apps.accounts.roles import Role

    make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    make_member(tree["cell_b"], "Trần Thị Lan")
    make_user("canbo", Role.COMMITTEE_STAFF, tree["ward"])
    login_as(phone_page, "canbo")
    phone_page.goto("/dang-vien/")
    phone_page.fill("#q", "nguyen van hung")
    phone_page.keyboard.press("Enter")
    phone_page.wait_for_url("**q=nguyen*")
    rows = phone_page.locator("#member-rows tr")
    assert rows.count() == 1
    assert "Nguyễn Văn Hùng" in rows.first.inner_text()
