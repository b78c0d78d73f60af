"""The issue's story on a phone: the ward sends a resolution to its cells, a member opens it and
confirms having studied it, the ward sees the progress per cell."""

import re

import pytest
from django.urls import get_resolver

from apps.library.models import Receipt

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_send_open_confirm_progress_on_a_phone(tree, people, ward_staff, make_document, page_as):
    assert get_resolver().url_patterns  # import every URLconf before the browser's first request
    document = make_document(tree["ward"], "Nghị quyết về công tác xây dựng Đảng quý IV", number="07-NQ/ĐU")

    ward = page_as(ward_staff, phone=True)
    ward.goto("/thu-vien/?q=xay+dung+dang")
    ward.get_by_role("link", name="Nghị quyết về công tác xây dựng Đảng quý IV").click()
    ward.click("#document-send")
    ward.get_by_label("Chi bộ khu phố 1").check()
    ward.get_by_label("Chi bộ khu phố 2").check()
    ward.click("#send-form button[type=submit]")
    ward.wait_for_url(re.compile(r"/tien-do/"))
    assert Receipt.objects.filter(document=document).count() == 3
    total = ward.locator("#progress-total").inner_text()
    assert "3" in total and "0 (0,00%)" in total

    member = page_as(people["hung_user"], phone=True)
    member.goto("/")
    member.click("#home-library")
    member.locator("#my-receipts a").first.click()
    member.click("#confirm-study")
    member.locator("#studied").wait_for()

    ward.reload()
    rows = ward.locator("#progress tbody tr")
    assert rows.count() == 2
    cell_a = rows.filter(has_text="Chi bộ khu phố 1").inner_text()
    assert "1 (50,00%)" in cell_a  # Hùng of 2 in cell A opened and studied it
    assert "0 (0,00%)" in rows.filter(has_text="Chi bộ khu phố 2").inner_text()
    assert "1 (33,33%)" in ward.locator("#progress-total").inner_text()
