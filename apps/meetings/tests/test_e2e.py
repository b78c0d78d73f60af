"""Browser test of the issue's Done-when on a phone-sized screen (390×844).

A cell secretary plans a quarter, holds the meeting, ticks the roll of 30 members, approves the
minutes and downloads them as .docx and PDF; the ward committee then sees the alert for the cell
that held no thematic meeting this quarter.
"""

import io
import time

import pytest
from django.utils import timezone

from apps.core.roles import Role
from apps.meetings.models import Attendance, Meeting, MeetingStatus, Presence

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dung",
    "Em",
    "Giang",
    "Hải",
    "Hòa",
    "Khánh",
    "Lan",
    "Long",
    "Mai",
    "Minh",
    "Nam",
    "Nga",
    "Oanh",
    "Phúc",
    "Quang",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thu",
    "Trang",
    "Trung",
    "Tuấn",
    "Uyên",
    "Vân",
    "Việt",
    "Xuân",
    "Yến",
]


def test_secretary_holds_a_meeting_on_a_phone_and_the_ward_sees_the_alert(
    tree, make_member, make_user, browser, live_server, phone_page, login_as
):
    from docx import Document
    from playwright.sync_api import expect

    cell = tree["cell_a"]
    members = [make_member(cell, f"Nguyễn Văn {g}") for g in GIVEN]
    make_user("bithu_a", Role.CELL_SECRETARY, cell, include_subtree=False)
    make_user("dangu_bt", Role.COMMITTEE_STAFF, tree["ward"])
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    page = phone_page
    login_as(page, "bithu_a")

    # 1. Plan the quarter: a meeting each month on today's day, the thematic one combined this month.
    page.goto(f"/sinh-hoat/ke-hoach/?org={cell.pk}&year={today.year}")
    page.click("text=Lập kế hoạch một quý")
    page.fill("#quarter-form input[name=year]", str(today.year))
    page.select_option("#quarter-form select[name=quarter]", str(quarter))
    page.fill("#quarter-form input[name=day]", str(today.day))
    page.fill("#quarter-form input[name=start_time]", "19:00")
    page.fill("#quarter-form input[name=place]", "Nhà văn hóa khu phố 1")
    page.select_option("#quarter-form select[name=thematic_month]", str(today.month))
    page.fill("#quarter-form input[name=thematic_theme]", "Chỉnh trang đô thị, xây dựng văn minh đô thị")
    page.click("#quarter-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Đã lập kế hoạch quý")
    assert Meeting.objects.filter(organization=cell, date__year=today.year).count() == 3

    # 2. Hold today's meeting.
    page.click(f"a:has-text('{today:%d/%m/%Y}')")
    page.click("#start-meeting")
    page.wait_for_url("**/diem-danh/")
    page.wait_for_load_state("networkidle")
    meeting = Meeting.objects.get(organization=cell, date=today)

    # 3. The roll: 30 members on one screen, big tap targets; all present, then two absences.
    first = page.locator(f"#roll-{members[0].pk} button")
    box = first.bounding_box()
    assert box["height"] >= 44 and box["width"] <= 200  # two columns of large buttons
    started = time.monotonic()
    page.click("#all-present")
    expect(page.locator("#roll-summary")).to_contain_text("Có mặt 30/30")
    page.wait_for_load_state("networkidle")  # the live server shares one SQLite connection
    giang = page.locator(f"#roll-{members[5].pk}")
    giang.locator("button").click()  # present → excused
    expect(giang.locator(".state")).to_contain_text("Vắng có lý do")
    giang.locator("input[name=reason]").fill("Ốm")
    # The reason is saved (its own request) before the next row's: the live server shares one connection.
    with page.expect_response(lambda r: r.request.method == "POST" and f"/{members[5].pk}/" in r.url):
        giang.locator("input[name=reason]").press("Tab")
    expect(page.locator(f"#roll-{members[5].pk} input[name=reason]")).to_have_value("Ốm")
    tam = page.locator(f"#roll-{members[19].pk}")
    tam.locator("button").click()
    expect(tam.locator(".state")).to_contain_text("Vắng có lý do")
    tam.locator("button").click()
    expect(tam.locator(".state")).to_contain_text("Vắng không lý do")
    expect(page.locator("#roll-summary")).to_contain_text("Có mặt 28/30")
    assert time.monotonic() - started < 60
    assert Attendance.objects.get(meeting=meeting, member=members[5]).reason == "Ốm"
    assert Attendance.objects.filter(meeting=meeting, presence=Presence.PRESENT).count() == 28

    # 4. Opening steps, chair and minute-taker; finish; the time of the meeting.
    page.goto(f"/sinh-hoat/{meeting.pk}/dien-bien/")
    for name in (
        "purpose_announced",
        "minute_taker_appointed",
        "attendance_reported",
        "agenda_adopted",
        "minutes_read_back",
    ):
        page.check(f"input[name={name}]")
    page.select_option("select[name=chair]", str(members[0].pk))
    page.select_option("select[name=minute_taker]", str(members[1].pk))
    page.click("form >> text=Lưu")
    expect(page.locator(".messages")).to_contain_text("Đã lưu")
    page.click("#finish-meeting")
    page.wait_for_url("**/bien-ban/")
    page.goto(f"/sinh-hoat/{meeting.pk}/dien-bien/")
    page.fill("input[name=started_at]", f"{today:%Y-%m-%d}T19:00")
    page.fill("input[name=ended_at]", f"{today:%Y-%m-%d}T21:10")
    page.click("text=Lưu thời gian")
    expect(page.locator(".messages")).to_contain_text("Đã lưu thời gian sinh hoạt")

    # 5. Minutes and resolution, then approval locks them.
    page.goto(f"/sinh-hoat/{meeting.pk}/bien-ban/")
    page.fill("textarea[name=conclusions]", "Chi bộ thống nhất ra quân chỉnh trang đô thị.")
    page.fill("textarea[name=results]", "Hoàn thành vận động 12 hộ.")
    page.fill("textarea[name=direction]", "Tháng tới ra quân dọn vệ sinh.")
    page.fill("textarea[name=assignments]", "Đồng chí An phụ trách tổ 1.")
    page.fill("textarea[name=self_assessment]", "Đạt chất lượng.")
    page.click("#save-minutes")
    expect(page.locator(".messages")).to_contain_text("Đã lưu biên bản")
    page.click("#approve-minutes")  # refused: the resolution has no vote yet
    expect(page.locator(".messages")).to_contain_text("Chưa có biểu quyết hợp lệ thông qua nghị quyết")
    page.click("summary:has-text('Ghi biểu quyết')")
    page.fill("#vote-form input[name=subject]", "Thông qua nghị quyết tháng")
    page.fill("#vote-form input[name=votes_for]", "40")  # more than the 28 present: refused, input kept
    page.click("#vote-form button")
    expect(page.locator("#vote-form")).to_contain_text("vượt quá số đảng viên làm căn cứ")
    expect(page.locator("#vote-form input[name=subject]")).to_have_value("Thông qua nghị quyết tháng")
    page.fill("#vote-form input[name=votes_for]", "28")  # the form came back open
    page.click("#vote-form button")
    expect(page.locator(".messages")).to_contain_text("Đã ghi biểu quyết: hợp lệ")
    page.click("#approve-minutes")
    expect(page.locator(".messages")).to_contain_text("Biên bản đã được thông qua và khóa")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.APPROVED and meeting.duration_minutes == 130

    # 6. Downloads: the .docx opens and carries the header; the PDF is a PDF.
    with page.expect_download() as info:
        page.click("#dl-minutes-docx")
    document = Document(io.BytesIO(open(info.value.path(), "rb").read()))
    text = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "CHI BỘ KHU PHỐ 1" in text
    with page.expect_download() as info:
        page.click("#dl-minutes-pdf")
    assert open(info.value.path(), "rb").read(4) == b"%PDF"

    # 7. The ward committee sees that cell 2 has not held this quarter's thematic meeting yet (the
    # quarter is still running: not yet due, not missing).
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", base_url=live_server.url)
    try:
        ward_page = context.new_page()
        ward_page.set_default_timeout(15000)
        login_as(ward_page, "dangu_bt")
        ward_page.goto(f"/sinh-hoat/canh-bao/?org={tree['ward'].pk}")
        alert = ward_page.locator("#pending-thematic")
        expect(alert).to_contain_text("Chi bộ khu phố 2")
        assert "Chi bộ khu phố 1" not in alert.inner_text()
    finally:
        context.close()
