"""Browser test (issue 16 #2): the log written through the year is beside the review form, on a
phone, and the year-end summary is one tap away from the member's page."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from apps.core.roles import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_log_is_beside_the_cell_review(tree, make_member, make_user, page_as, admin_user):
    from apps.accountability import services as acc
    from apps.evaluations import rulesets
    from apps.evaluations import services as ev
    from apps.evaluations.models import Criterion, Evaluation, Frame, Level, RuleSet

    rulesets.load(RuleSet, Level, Frame, Criterion)
    year = dt.date.today().year
    hung = make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    secretary = make_user("bithu_a", Role.CELL_SECRETARY, tree["cell_a"], include_subtree=False)
    for day, kind, text in (
        (dt.date(year, 1, 8), "strength", "Vận động 12 hộ đóng góp làm đường"),
        (dt.date(year, 2, 5), "shortcoming", "Vắng sinh hoạt tháng 2 không báo"),
    ):
        acc.logbook_add(user=secretary, member=hung, date=day, kind=kind, source="meeting", content=text)
    ev.campaign_open(
        user=admin_user,
        organization=tree["ward"],
        year=year,
        self_review_due=dt.date(year, 12, 5),
        review_due=dt.date(year, 12, 15),
        decision_due=dt.date(year, 12, 31),
    )
    e = Evaluation.objects.get(member=hung)
    page = page_as(secretary, phone=True)
    page.goto(f"/danh-gia/ket-qua/{e.pk}/chi-bo/")
    entries = page.locator("#evidence-entries li")
    expect(entries).to_have_count(2)
    expect(entries.nth(0)).to_contain_text("08/01/")
    expect(entries.nth(0)).to_contain_text("Vận động 12 hộ đóng góp làm đường")
    expect(entries.nth(1)).to_contain_text("Vắng sinh hoạt tháng 2 không báo")
    page.goto(f"/dang-vien/{hung.pk}/")
    page.click(f"text=Tổng hợp căn cứ kiểm điểm năm {year}")
    expect(page.locator("h1")).to_contain_text(f"Nguyễn Văn Hùng · {year}")
    expect(page.locator("#evidence-entries li")).to_have_count(2)
