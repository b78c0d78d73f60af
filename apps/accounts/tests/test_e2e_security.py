"""In the browser: the user menu leads to the password change, and the new password is the one that works."""

import pytest

from apps.core.roles import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_secretary_changes_her_password_from_the_user_menu(tree, make_user, desktop_page, login_as):
    page = desktop_page
    make_user("bithu", Role.CELL_SECRETARY, tree["cell_a"], include_subtree=False)
    login_as(page, "bithu")
    page.click("details.usermenu summary")
    page.click("text=Đổi mật khẩu")
    page.wait_for_url("**/doi-mat-khau/")
    page.fill("input[name=old_password]", "pass-12345")
    page.fill("input[name=new_password1]", "Sao-Vang-1945")
    page.fill("input[name=new_password2]", "Sao-Vang-1945")
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "doi-mat-khau" not in url)
    assert "Đã đổi mật khẩu." in page.inner_text("main")
    page.click("details.usermenu summary")
    page.click("text=Đăng xuất")
    page.wait_for_url("**/dang-nhap/")
    page.fill("input[name=username]", "bithu")
    page.fill("input[name=password]", "pass-12345")
    page.click("main button[type=submit]")
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in page.inner_text("main")
    login_as(page, "bithu", "Sao-Vang-1945")
    assert page.goto("/dang-vien/").status == 200
