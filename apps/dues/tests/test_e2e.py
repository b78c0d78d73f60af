"""The issue's "Done when" story on a phone: the secretary records a month for a cell of 30 (one
partial, one advance), the ward officer sees the remittance arrive and the report reconcile, a
member sees their receipt."""

import re

import pytest
from django.urls import get_resolver
from django.utils import timezone

from apps.core.roles import Role
from apps.dues.models import DuesEntry, DuesReceipt, DuesRuleSet
from apps.dues.rulesets import load

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_month_of_dues_on_a_phone(tree, make_member, make_user, basis, page_as):
    load(DuesRuleSet)  # the shipped rule sets (a transactional test starts from empty tables)
    assert get_resolver().url_patterns  # import every URLconf before the browser's first request
    cell, ward = tree["cell_a"], tree["ward"]
    members = []
    for i in range(30):
        m = make_member(cell, f"Trần Văn Tên{i:02d}")
        basis(m, amount=5_000_000)  # 50.000 đ a month
        members.append(m)
    partial, advance, tapped, me = members[3], members[7], members[11], members[20]
    secretary = make_user("bithu", Role.CELL_SECRETARY, cell, include_subtree=False)
    officer = make_user("phuong", Role.COMMITTEE_STAFF, ward)
    member_user = make_user("dangvien", Role.MEMBER, cell, include_subtree=False, member=me)
    month = timezone.localdate().strftime("%Y-%m")

    page = page_as(secretary, phone=True)
    page.set_default_timeout(60000)
    page.goto(f"/dang-phi/so/{cell.pk}/?thang={month}")
    assert page.locator(".dues-cell").count() == 30
    # A partial payment: 20.000 of 50.000.
    page.locator(f"#due-{partial.pk} a", has_text="Khác").click()
    page.fill("#id_amount", "20.000")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/dang-phi/so/"))
    assert "Đóng một phần 20.000/50.000 đ" in page.locator(f"#due-{partial.pk}").inner_text()
    # An advance: three months at once, by transfer.
    page.locator(f"#due-{advance.pk} a", has_text="Khác").click()
    page.fill("#id_count", "3")
    page.select_option("#id_channel", "transfer")
    page.fill("#id_reference", "FT26120001")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/dang-phi/so/"))
    # One tap (htmx) on one member.
    page.locator(f"#due-{tapped.pk} button").click()
    page.locator(f"#due-{tapped.pk}.s-paid").wait_for()
    # Everyone else at once.
    page.click("#pay-all")
    page.wait_for_url(re.compile(r"/dang-phi/so/"))
    summary = page.locator("#book-summary").inner_text()
    assert "29/30" in summary and "1.470.000" in summary  # 29 × 50.000 + 20.000 for the month
    assert "Đóng một phần 20.000/50.000 đ" in page.locator(f"#due-{partial.pk}").inner_text()
    assert DuesEntry.objects.filter(member=advance).count() == 3
    # The cell remits its share (70 % of 1.570.000 collected = 1.099.000; shares unconfirmed).
    page.goto(f"/dang-phi/nop-cap-tren/{cell.pk}/?thang={month}")
    assert "1.570.000 đ" in page.locator(".n-collected").inner_text()
    assert page.input_value("#id_amount") == "1099000"
    page.fill("#id_reference", "UNC-12")
    page.click("#remit")
    page.wait_for_url(re.compile(r"/dang-phi/nop-cap-tren/"))
    assert page.locator(".n-outstanding").inner_text().startswith("0")

    ward_page = page_as(officer, phone=True)
    ward_page.goto(f"/dang-phi/nop-cap-tren/{ward.pk}/?thang={month}")
    row = ward_page.locator("#children tr[data-org='Chi bộ khu phố 1']")
    assert "1.099.000 đ" in row.locator(".n-got").inner_text()
    assert "1.099.000 đ" in ward_page.locator(".n-received").inner_text()
    assert "Khớp" in ward_page.locator(".n-reconciled").inner_text()
    ward_page.goto(f"/dang-phi/bao-cao/{ward.pk}/?thang={month}")
    assert ward_page.locator("#report .t-collected").inner_text() == "1.570.000"
    assert ward_page.locator("#report .t-paid").inner_text() == "1.470.000"
    assert ward_page.locator("#report .t-due").inner_text() == "1.500.000"

    member_page = page_as(member_user, phone=True)
    member_page.goto("/")
    member_page.click("text=Đảng phí của tôi")
    link = member_page.locator(".receipt-link").first
    receipt = DuesReceipt.objects.get(member=me)
    assert link.get_attribute("href") == f"/dang-phi/phieu-thu/{receipt.pk}.pdf"
    response = member_page.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.body()[:4] == b"%PDF"
