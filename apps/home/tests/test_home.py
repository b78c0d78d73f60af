"""Each role's home page shows its day, counted within reach and with a query count that does not
grow with the number of cells."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.meetings import services as meetings
from apps.meetings.models import Kind, MeetingRuleSet
from apps.organizations.models import Kind as OrgKind
from apps.organizations.models import Sector
from apps.organizations.services import organization_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def rule_set(db):
    return MeetingRuleSet.objects.filter(valid_to__isnull=True).first() or MeetingRuleSet.objects.create(
        name="Sinh hoạt chi bộ theo Chỉ thị 50-CT/TW", regulation="50-CT/TW", valid_from=dt.date(2025, 10, 28)
    )


def _last_month(today):
    return today.replace(day=1) - dt.timedelta(days=1)


def test_a_member_sees_the_next_meeting_notices_and_the_self_examination_due(
    tree, rule_set, make_member, make_user, secretary_a, client_for
):
    today = timezone.localdate()
    member = make_member(tree["cell_a"], "Trần Thị Lan")
    user = make_user("lan", member=member)
    meeting = meetings.meeting_create(
        user=secretary_a,
        organization=tree["cell_a"],
        kind=Kind.REGULAR,
        date=today + dt.timedelta(days=3),
        start_time=dt.time(19, 30),
        place="Nhà văn hóa khu phố 1",
        agenda="Sơ kết công tác tháng; bàn giải pháp vệ sinh môi trường.",
    )
    meetings.meeting_notify(user=secretary_a, meeting=meeting)
    html = client_for(user).get("/").content.decode()
    assert "Cuộc sinh hoạt tới" in html
    assert f"/sinh-hoat/{meeting.pk}/" in html
    assert "19:30" in html and "Nhà văn hóa khu phố 1" in html and "vệ sinh môi trường" in html
    assert "1 thông báo chưa đọc" in html
    assert f"/tu-soi-tu-sua/so-tay/{today.year}/" in html
    # Nothing of the committee's figures for a plain member.
    assert "đảng viên đang sinh hoạt" not in html


def test_a_secretary_sees_what_this_months_meeting_lacks_and_probation_due(
    tree, rule_set, make_member, secretary_a, client_for
):
    today = timezone.localdate()
    soon = today - dt.timedelta(days=365) + dt.timedelta(days=10)
    due = make_member(tree["cell_a"], "Lê Hoàng Nam", admission_date=soon, full_membership_date=None)
    client = client_for(secretary_a)
    html = client.get("/").content.decode()
    assert "Chưa có kế hoạch sinh hoạt tháng này." in html
    assert f"/sinh-hoat/ke-hoach/{tree['cell_a'].pk}/them/" in html
    assert "Sắp hết 12 tháng dự bị" in html and f"/dang-vien/{due.pk}/" in html
    meetings.meeting_create(
        user=secretary_a, organization=tree["cell_a"], kind=Kind.REGULAR, date=today.replace(day=28)
    )
    html = client.get("/").content.decode()
    assert "Chưa có kế hoạch sinh hoạt tháng này." not in html
    assert "Chưa gửi thông báo cho đảng viên." in html


def test_a_committee_sees_the_cells_that_missed_last_month(tree, rule_set, make_member, ward_staff, client_for):
    today = timezone.localdate()
    make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    held = meetings.meeting_create(
        user=ward_staff, organization=tree["cell_a"], kind=Kind.REGULAR, date=_last_month(today)
    )
    meetings.meeting_start(user=ward_staff, meeting=held)
    meetings.attendance_all_present(user=ward_staff, meeting=held)
    held.refresh_from_db()
    meetings.meeting_finish(user=ward_staff, meeting=held, ended_at=held.started_at + dt.timedelta(minutes=95))
    html = client_for(ward_staff).get("/").content.decode()
    assert "Chi bộ chưa sinh hoạt thường kỳ tháng" in html
    missed = html.split("Chi bộ chưa sinh hoạt thường kỳ tháng", 1)[1].split("</ul>", 1)[0]
    assert tree["cell_b"].name in missed and tree["cell_a"].name not in missed


def _add_cells(tree, admin_user, n):
    start = tree["ward"].children.count()
    for i in range(start, start + n):
        organization_create(
            user=admin_user,
            name=f"Chi bộ tổ {i + 10}",
            code=f"T-BT-X{i}",
            kind=OrgKind.CELL,
            sector=Sector.RESIDENTIAL,
            parent=tree["ward"],
            founded_on=dt.date(2000, 1, 1),
        )


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    return len(captured.captured_queries)


def test_home_queries_do_not_grow_with_the_cells(tree, rule_set, admin_user, ward_staff, client_for, make_user):
    client = client_for(ward_staff)
    _add_cells(tree, admin_user, 2)
    few = _home_queries(client)
    _add_cells(tree, admin_user, 12)
    assert _home_queries(client) == few


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_member_opens_the_home_page_on_a_phone_and_sees_the_next_meeting(
    tree, rule_set, make_member, make_user, secretary_a, phone_page, login_as
):
    from playwright.sync_api import expect

    today = timezone.localdate()
    member = make_member(tree["cell_a"], "Trần Thị Lan")
    make_user("lan", member=member)
    meetings.meeting_create(
        user=secretary_a,
        organization=tree["cell_a"],
        kind=Kind.REGULAR,
        date=today + dt.timedelta(days=2),
        start_time=dt.time(19, 30),
        place="Nhà văn hóa khu phố 1",
    )
    login_as(phone_page, "lan")
    card = phone_page.locator(".next-meeting")
    expect(card).to_contain_text("Cuộc sinh hoạt tới")
    expect(card).to_contain_text("19:30")
    expect(card).to_contain_text("Nhà văn hóa khu phố 1")
    card.get_by_role("link").first.click()
    expect(phone_page.locator("h1")).to_contain_text((today + dt.timedelta(days=2)).strftime("%d/%m/%Y"))
