"""The Content-Security-Policy is on and every page keeps it, in a real browser.

Any violation the browser reports (the `securitypolicyviolation` event, or the console's
"Refused to …" message) fails the test: an inline <script>, an on*= handler, hx-on, a
style="…" attribute, eval, or an asset from another site. The pages are the menu of a user who
reaches everything, the pages they link to, and the member and organization forms.
"""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from apps.core.roles import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
});
"""
MAX_PAGES = 45
# Links not to follow: downloads are not pages, and the browsable API is a third-party page
# (see docs/DEPLOY.md).
SKIP = ("/api/", "/i18n/", "dang-xuat")


def _watch(page):
    """Record every violation the page reports, from either channel."""
    seen = []
    page.add_init_script(LISTEN)
    page.on(
        "console",
        lambda msg: (
            seen.append(f"console: {msg.text}")
            if "Content Security Policy" in msg.text or "Refused to" in msg.text
            else None
        ),
    )
    return seen


def _violations(page, seen):
    return seen + [f"event: {v}" for v in page.evaluate("window.__csp || []")]


def _visit(page, seen, url):
    response = page.goto(url)
    assert response.status == 200, (url, response.status)
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "style-src 'self'" in policy, (url, policy)
    page.wait_for_load_state("load")
    return _violations(page, seen)


def _links(page, base):
    host = urlsplit(base).netloc
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    links = (h.split("#")[0] for h in hrefs)
    return [h for h in links if urlsplit(h).netloc == host and not any(s in h for s in SKIP)]


@pytest.fixture
def world(tree, make_member, make_user):
    member = make_member(tree["cell_a"], "Nguyễn Văn Hùng", card_number="79000001", citizen_id="079085000001")
    make_member(tree["cell_b"], "Trần Thị Lan", card_number="79000002")
    return {"member": member, "staff": make_user("canbo", Role.COMMITTEE_STAFF, tree["ward"])}


def test_every_page_keeps_the_policy(world, tree, admin_user, page_as, live_server):
    page = page_as(admin_user)
    seen = _watch(page)
    base = live_server.url
    member, org = world["member"], tree["cell_a"]
    start = [
        "/",
        f"/dang-vien/{member.pk}/",
        f"/dang-vien/{member.pk}/sua/",
        f"/dang-vien/{member.pk}/tinh-trang/",
        f"/dang-vien/{member.pk}/chuyen-sinh-hoat/",
        f"/dang-vien/them/?org={org.pk}",
        f"/to-chuc/{org.pk}/",
        "/to-chuc/?all=1",
        "/to-chuc/?on=01/01/2024",
        "/quan-tri/",
        "/quan-tri/members/member/",
        f"/quan-tri/members/member/{member.pk}/change/",
    ]
    queue = [base + u for u in start]
    visited, report = set(), {}
    while queue and len(visited) < MAX_PAGES:
        url = queue.pop(0)
        if url in visited:
            continue
        visited.add(url)
        head = page.request.get(url)
        if head.status != 200 or not head.headers.get("content-type", "").startswith("text/html"):
            continue  # a download or a redirect target is checked where it lands
        found = _visit(page, seen, url)
        if found:
            report[url] = list(found)
            seen.clear()
        queue.extend(u for u in _links(page, base) if u not in visited)
    assert len(visited) >= 20, sorted(visited)
    assert report == {}


def test_behaviour_moved_out_of_inline_script_still_works(world, tree, page_as):
    page = page_as(world["staff"])
    seen = _watch(page)

    # The tree's "show ended organizations" checkbox submits its form (was onchange="…").
    page.goto("/to-chuc/")
    page.check("input[name=all]")
    page.wait_for_url("**/to-chuc/?*all=1*")
    assert page.is_checked("input[name=all]")

    # The status form shows the "other organization" fields only for a transfer out (was <script>).
    page.goto(f"/dang-vien/{world['member'].pk}/tinh-trang/")
    page.select_option("#id_kind", "transfer_out")
    assert page.is_visible("#id_other_organization_name")
    page.select_option("#id_kind", "exempted")
    assert page.is_hidden("#id_other_organization_name")

    # Search as you type swaps rows in with htmx, under the same policy.
    page.goto("/dang-vien/")
    page.fill("#q", "tran thi")
    expect(page.locator("#member-rows tr")).to_have_count(1)  # wait_for_function would need eval
    assert "Trần Thị Lan" in page.inner_text("#member-rows")
    assert _violations(page, seen) == []


def test_the_policy_is_enforced_and_a_violation_is_caught(world, page_as):
    """The control: what the other tests must never see is seen, and blocked."""
    page = page_as(world["staff"])
    seen = _watch(page)
    page.goto("/")
    page.evaluate(
        """() => {
        const box = document.createElement("div");
        box.innerHTML = '<p id="styled" style="color: rgb(255, 0, 0)">x</p><img src="x" onerror="window.__ran = 1">';
        document.body.append(box);
        const s = document.createElement("script");
        s.textContent = "window.__ran = 2";
        document.body.append(s);
    }"""
    )
    page.wait_for_timeout(300)
    assert page.evaluate("window.__ran") is None
    assert page.eval_on_selector("#styled", "e => getComputedStyle(e).color") != "rgb(255, 0, 0)"
    found = " ".join(_violations(page, seen))
    assert "script-src" in found and "style-src" in found


def test_logging_in_through_the_form_keeps_the_policy(world, desktop_page, login_as):
    """The login page as a stranger meets it, and the real POST (form-action 'self')."""
    page = desktop_page
    seen = _watch(page)
    response = page.goto("/tai-khoan/dang-nhap/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert page.eval_on_selector("article", "e => getComputedStyle(e).maxWidth") != "none"  # was style="…"
    login_as(page, "canbo")
    assert page.url.endswith("/")
    assert _violations(page, seen) == []
