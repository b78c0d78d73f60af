"""The issue's "Done when" story on a phone: the ward enters a congress target, breaks it down to
two cells, the cells enter a quarter's results (and the same quarter last year), the ward sees the
roll-up against plan and against last year; a task is assigned, becomes overdue and shows on the
owner's home page."""

import datetime as dt
import re

import pytest
from django.urls import get_resolver
from django.utils import timezone

from apps.core.roles import Role
from apps.resolutions.models import Target, Task

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _choose(page, name, record):
    page.fill(f"#id_{name}", record.full_name)
    picker = page.locator("[data-picker]", has=page.locator(f"#id_{name}"))
    picker.locator(f"[data-pick='{record.pk}']").click()
    assert page.input_value(f"input[type=hidden][name={name}]") == str(record.pk)


def test_targets_roll_up_and_an_overdue_task_on_a_phone(tree, congress, make_member, make_user, page_as):
    assert get_resolver().url_patterns
    ward, cell_a, cell_b = tree["ward"], tree["cell_a"], tree["cell_b"]
    officer = make_user("phuong", Role.COMMITTEE_STAFF, ward)
    sec_a = make_user("bithu_a", Role.CELL_SECRETARY, cell_a, include_subtree=False)
    sec_b = make_user("bithu_b", Role.CELL_SECRETARY, cell_b, include_subtree=False)
    hung = make_member(cell_a, "Nguyễn Văn Hùng")
    member_user = make_user("dangvien", Role.MEMBER, cell_a, include_subtree=False, member=hung)

    page = page_as(officer, phone=True)
    page.set_default_timeout(60000)
    page.goto(f"/nghi-quyet/{congress.pk}/")
    page.click("text=Thêm chỉ tiêu")
    page.fill("#id_indicator", "Kết nạp đảng viên mới")
    page.fill("#id_unit", "đảng viên")
    page.select_option("#id_frequency", "quarter")
    page.fill("#id_term_value", "200")
    page.fill("#id_year_2024", "40")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/nghi-quyet/chi-tieu/\d+/$"))
    target = Target.objects.get(parent__isnull=True)
    page.click("text=Giao cho cấp dưới")
    page.select_option("#id_p0-organization", str(cell_a.pk))
    page.fill("#id_p0-year_2024", "25")
    page.select_option("#id_p1-organization", str(cell_b.pk))
    page.fill("#id_p1-year_2024", "15")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(rf"/nghi-quyet/chi-tieu/{target.pk}/$"))
    assert "Chi bộ khu phố 1" in page.locator("main").inner_text()

    for user, values in ((sec_a, {2023: "4", 2024: "7"}), (sec_b, {2023: "2", 2024: "4"})):
        cell_page = page_as(user, phone=True)
        cell_page.set_default_timeout(60000)
        cell_page.goto("/nghi-quyet/chi-tieu/")
        cell_page.click("text=Kết nạp đảng viên mới")
        for year, value in values.items():
            cell_page.fill("#id_year", str(year))
            cell_page.select_option("#id_quarter", "2")
            cell_page.fill("#id_value", value)
            cell_page.click("button[type=submit] >> text=Lưu kết quả")
            cell_page.wait_for_url(re.compile(r"/nghi-quyet/chi-tieu/\d+/$"))
            assert "Đã lưu kết quả" in cell_page.locator("body").inner_text()

    page.goto(f"/nghi-quyet/{congress.pk}/?year=2024&key=q2")
    row = page.locator("table.targets tbody tr").first
    text = row.inner_text()
    # 7 + 4 = 11 this quarter; 4 + 2 = 6 the same quarter of 2023 (183,33 %); 11 of 40 for the year.
    assert "11" in text and "6 (183,33%)" in text and "11 (27,5%)" in text, text

    # A task assigned today to Hùng, overdue once its day has passed.
    page.goto("/nghi-quyet/nhiem-vu/moi/")
    page.fill("#id_content", "Vận động các hộ đóng góp quỹ vì người nghèo")
    _choose(page, "owner_member", hung)
    today = timezone.localdate()
    page.fill("#id_deadline", today.strftime("%d/%m/%Y"))
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/nghi-quyet/nhiem-vu/\d+/$"))
    task = Task.objects.get()
    Task.objects.filter(pk=task.pk).update(deadline=today - dt.timedelta(days=1))  # a day later
    home = page_as(member_user, phone=True)
    home.goto("/")
    mine = home.locator("#my-day").locator("xpath=..").inner_text()
    assert "Vận động các hộ đóng góp quỹ vì người nghèo" in mine and "quá hạn" in mine
