"""Fixtures shared by every app's tests: a small tree, users with roles, logged-in clients."""

import datetime as dt
import os

import pytest

from apps.accounts.models import RoleAssignment, User

# Playwright's sync API keeps an event loop running in the test thread once a browser is open;
# Django's ORM calls from tests are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
from apps.core.roles import Role
from apps.members.services import member_create
from apps.organizations.models import Kind, Sector
from apps.organizations.services import organization_create
from apps.statistics import routers


@pytest.fixture
def admin_user(db):
    return User.objects.create_superuser("admin", "admin@example.com", "admin-pass-123")


@pytest.fixture
def tree(admin_user):
    """Province → ward committee → cells A and B; a second ward with cell C."""
    province = organization_create(
        user=admin_user,
        name="Đảng bộ tỉnh Thử Nghiệm",
        code="T",
        kind=Kind.PROVINCIAL_COMMITTEE,
        sector=Sector.OTHER,
        parent=None,
        founded_on=dt.date(1975, 1, 1),
    )
    ward = organization_create(
        user=admin_user,
        name="Đảng bộ phường Bình Thắng",
        code="T-BT",
        kind=Kind.GRASSROOTS_COMMITTEE,
        sector=Sector.COMMUNE,
        parent=province,
        founded_on=dt.date(2000, 1, 1),
    )
    cell_a = organization_create(
        user=admin_user,
        name="Chi bộ khu phố 1",
        code="T-BT-1",
        kind=Kind.CELL,
        sector=Sector.RESIDENTIAL,
        parent=ward,
        founded_on=dt.date(2000, 1, 1),
    )
    cell_b = organization_create(
        user=admin_user,
        name="Chi bộ khu phố 2",
        code="T-BT-2",
        kind=Kind.CELL,
        sector=Sector.RESIDENTIAL,
        parent=ward,
        founded_on=dt.date(2000, 1, 1),
    )
    ward2 = organization_create(
        user=admin_user,
        name="Đảng bộ phường Đông Hòa",
        code="T-DH",
        kind=Kind.GRASSROOTS_COMMITTEE,
        sector=Sector.COMMUNE,
        parent=province,
        founded_on=dt.date(2000, 1, 1),
    )
    cell_c = organization_create(
        user=admin_user,
        name="Chi bộ khu phố Tân Hòa",
        code="T-DH-1",
        kind=Kind.CELL,
        sector=Sector.RESIDENTIAL,
        parent=ward2,
        founded_on=dt.date(2000, 1, 1),
    )
    return {"province": province, "ward": ward, "cell_a": cell_a, "cell_b": cell_b, "ward2": ward2, "cell_c": cell_c}


@pytest.fixture
def make_member(admin_user):
    counter = {"n": 0}

    def make(organization, full_name="Nguyễn Văn Hùng", **fields):
        counter["n"] += 1
        family, *middle, given = full_name.split()
        values = {
            "family_name": family,
            "middle_name": " ".join(middle),
            "given_name": given,
            "gender": "male",
            "birth_date": dt.date(1980, 1, 1),
            "admission_date": dt.date(2010, 5, 19),
            "full_membership_date": dt.date(2011, 5, 19),
            "card_number": f"{10000000 + counter['n']}",
        }
        values.update(fields)
        return member_create(user=admin_user, organization=organization, **values)

    return make


@pytest.fixture
def make_user(db):
    def make(username, role=None, organization=None, include_subtree=True, member=None):
        user = User.objects.create_user(username, password="pass-12345")
        if role:
            RoleAssignment.objects.create(
                user=user, role=role, organization=organization, include_subtree=include_subtree
            )
        if member is not None:
            member.user = user
            member.save(update_fields=["user"])
        return user

    return make


@pytest.fixture
def secretary_a(tree, make_user):
    return make_user("bithu_a", Role.CELL_SECRETARY, tree["cell_a"], include_subtree=False)


@pytest.fixture
def ward_staff(tree, make_user):
    return make_user("dangu_bt", Role.COMMITTEE_STAFF, tree["ward"])


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def pytest_collection_modifyitems(items):
    """Every test on a real transaction (the browser tests) starts from the migrated data, the rule
    sets the migrations ship included. Each such test flushes the database when it ends; restoring
    the data is Django's serialized_rollback, and it only holds when every transactional test uses
    it (a plain flush re-creates content types, which the restore then collides with)."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = (marker and marker.kwargs.get("transaction")) or "transactional_db" in item.fixturenames
        if transactional or "live_server" in item.fixturenames:
            # First, so that it is the closest marker even over the test's own decorator (whose
            # databases it keeps).
            databases = marker.kwargs.get("databases") if marker else None
            item.add_marker(
                pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=databases), append=False
            )


@pytest.fixture(autouse=True)
def _reads_on_primary(request, monkeypatch):
    """A replica sees only committed rows, and a test's rows live in its own transaction: reads stay
    on "default" unless the test asks for the replica's database (`databases=[..., "replica"]`, as
    apps/statistics/tests/test_replica.py does)."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and "replica" in (marker.kwargs.get("databases") or ())):
        monkeypatch.setattr(routers, "replica_configured", lambda: False)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """The data serialized_rollback restores, kept on the connection's class too: the live server
    replaces the connection object, and the data went missing with it."""
    from django.db import connections

    for connection in connections.all():
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            type(connection)._test_serialized_contents = contents


# --- Browser tests -----------------------------------------------------------------------------
# Playwright drives Debian's Chromium (no browser download here). A missing browser fails the
# test run rather than skipping it: browser tests are required.
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():

    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A phone-sized page (390×844) pointed at the live server."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def desktop_page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def page_as(browser, live_server):
    """Open pages as a user (a User or a username), logged in by session cookie: desktop-sized,
    or phone-sized with phone=True; other keywords go to the browser context."""
    from django.test import Client

    contexts = []

    def open_as(user, *, phone=False, **options):
        if isinstance(user, str):
            user = User.objects.get(username=user)
        client = Client()
        client.force_login(user)
        viewport = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
        context = browser.new_context(
            viewport=viewport, locale="vi-VN", base_url=live_server.url, accept_downloads=True, **options
        )
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        return page

    yield open_as
    for context in contexts:
        context.close()


@pytest.fixture
def login_as():
    """Log a page in through the real login form."""

    def login(page, username, password="pass-12345"):
        page.goto("/tai-khoan/dang-nhap/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "dang-nhap" not in url)

    return login
