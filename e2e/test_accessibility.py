"""axe-core (vendored, e2e/vendor/axe-core) over the pages a new user meets first, on the demo data,
as the demo role that uses each page, on a phone and on a desktop; on the phone also no sideways
scrolling and 44 px finger targets."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from apps.accounts.models import User
from apps.meetings.models import Meeting, MeetingStatus
from apps.members.models import Member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")


def _violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({id: v.id, impact: v.impact,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
        }"""
    )
    return [f"{v['id']} ({v['impact']}): {', '.join(v['nodes'])}" for v in found if v["impact"] in SERIOUS]


def _pages() -> list[tuple[str, str]]:
    """(demo user, path) for each page the issue names, on rows the demo seeded."""
    secretary = User.objects.get(username="bithu.trungthang")
    cell = secretary.member.organization
    held = Meeting.objects.filter(organization=cell, status=MeetingStatus.APPROVED).latest("date")
    member = Member.objects.filter(organization=cell).current().first()
    return [
        ("dangvien", "/"),
        ("bithu.trungthang", "/"),
        ("bithu.trungthang", "/dang-vien/"),
        ("bithu.trungthang", f"/dang-vien/{member.pk}/"),
        ("bithu.trungthang", f"/sinh-hoat/{held.pk}/diem-danh/"),
        ("bithu.trungthang", f"/sinh-hoat/{held.pk}/bien-ban/"),
        ("binhthang", f"/sinh-hoat/canh-bao/?org={cell.parent_id}"),
        ("binhthang", f"/danh-gia/bang-tong-hop/?org={cell.parent_id}&years=2018"),
        ("binhthang", f"/danh-gia/bang-tong-hop/?org={cell.parent_id}&years=2018,2019,2020,2021,2022,2023"),
        ("kiemtra", "/kiem-tra/so-lieu/"),
    ]


def _phone_problems(page) -> list[str]:
    """On a phone: the page does not scroll sideways, and every link a finger aims at is 44 px tall."""
    found = page.evaluate(
        """() => {
            const wide = document.documentElement.scrollWidth > window.innerWidth + 1;
            const selector = "main li > a, main .actions a, main a[download], .subnav a, .meeting-nav a";
            const small = [...document.querySelectorAll(selector)]
                .filter(a => a.offsetParent !== null && a.getBoundingClientRect().height < 44)
                .slice(0, 3).map(a => `${a.textContent.trim().slice(0, 30)} (${Math.round(a.getBoundingClientRect().height)} px)`);
            return {wide, small};
        }"""
    )
    return (["cuộn ngang"] if found["wide"] else []) + [f"liên kết thấp: {s}" for s in found["small"]]


def test_no_serious_accessibility_violation_on_the_first_pages(browser, live_server, page_as):
    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())
    findings = []
    # The login page, as someone not yet signed in.
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    findings += [f"đăng nhập: {v}" for v in _violations(page)]
    context.close()
    for username, path in _pages():
        for phone in (True, False):
            page = page_as(username, phone=phone, bypass_csp=True)
            response = page.goto(path)
            assert response.status == 200, (username, path, response.status)
            where = f"{username} {path} {'phone' if phone else 'desktop'}"
            if page.locator("h1").count() != 1:
                findings.append(f"{where}: {page.locator('h1').count()} headings level 1, not one")
            findings += [f"{where}: {v}" for v in _violations(page)]
            if phone:
                findings += [f"{where}: {p}" for p in _phone_problems(page)]
    assert not findings, "\n".join(findings)
