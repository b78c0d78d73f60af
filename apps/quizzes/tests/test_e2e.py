"""A test is held and scored: a member takes it on a phone from the home page, the organizer sees
the result."""

import re

import pytest
from django.urls import get_resolver

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_member_takes_a_test_on_a_phone_and_the_organizer_sees_the_result(world, page_as):
    assert get_resolver().url_patterns  # import every URLconf before the browser's first request
    quiz = world["quiz"]
    page = page_as(world["users"][0], phone=True)
    page.set_default_timeout(60000)
    page.goto("/")
    page.get_by_role("link", name=re.compile("Kiểm tra nhận thức Điều lệ Đảng")).first.click()
    page.click("#start")
    page.locator("#take-form").wait_for()
    page.get_by_label("1930").check()
    page.get_by_label("12 tháng").check()
    page.get_by_label("Tập trung dân chủ").check()
    page.get_by_label("Tự phê bình và phê bình").check()
    page.get_by_role("button", name="Nộp bài").click()
    page.wait_for_url(re.compile(r"/luot-lam-bai/\d+/"))
    assert page.locator("#score").inner_text() == "3/3"
    assert page.locator("#percent").inner_text() == "100,00%"
    assert page.locator("#verdict").inner_text() == "Đạt"

    organizer = page_as(world["ward_staff"])
    organizer.goto(f"/kiem-tra-nhan-thuc/bai/{quiz.pk}/")
    row = organizer.locator("#results tbody tr").first
    assert "Trần Thị Lan" in row.inner_text() and "100,00%" in row.inner_text()
    assert organizer.locator("#overall-pass-rate").inner_text() == "100,00%"
