"""In a real browser: a member files a petition from a phone, the cell answers it, the member
sees the answer and the e-mail arrives at the SMTP server."""

import pytest
from playwright.sync_api import expect

from apps.voice.models import Petition, PetitionStatus

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_petition_from_a_phone_answered_by_the_cell(world, mail, page_as):
    phone = page_as(world["hung_user"], phone=True)
    phone.goto("/")
    phone.get_by_text("☰ Menu").click()
    menu_link = phone.locator("details.usermenu a[href='/y-kien/']")
    expect(menu_link).to_be_visible()
    menu_link.click()
    phone.wait_for_url("**/y-kien/")
    phone.locator("a[href='/y-kien/gui/']").click()
    expect(phone.locator("select[name=organization]")).to_have_value(str(world["cell_a"].pk))
    phone.fill("input[name=title]", "Đèn đường hẻm 5 hỏng")
    phone.fill("textarea[name=content]", "Đề nghị chi bộ kiến nghị phường thay bóng đèn hẻm 5.")
    phone.get_by_role("button", name="Gửi", exact=True).click()
    expect(phone.locator("#petition-status")).to_have_text("Mới gửi")
    petition = Petition.objects.get()

    desk = page_as(world["secretary_a"])
    desk.goto("/y-kien/")
    desk.get_by_role("link", name="Đèn đường hẻm 5 hỏng").click()
    desk.get_by_role("button", name="Giao", exact=True).click()
    expect(desk.locator("#petition-status")).to_have_text("Đang xử lý")
    desk.fill("textarea[name=answer]", "Chi bộ đã kiến nghị phường; đèn được thay trong tuần này.")
    desk.get_by_role("button", name="Gửi trả lời").click()
    expect(desk.locator("#petition-status")).to_have_text("Đã trả lời")

    phone.goto(f"/y-kien/{petition.pk}/")
    expect(phone.locator("#answer")).to_contain_text("đèn được thay trong tuần này")
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ANSWERED
    to_member = [m for m in mail.messages if m["to"] == ["hung@example.vn"]]
    assert len(to_member) == 1
    assert "đèn được thay trong tuần này" in to_member[0]["message"].get_body(("plain",)).get_content()
