"""Browser test of the Done-when list: a campaign for a cell of 10, two self-reviews, the cell's
review and vote, the committee's decision over the cap with a recorded exception, the table and
its .xlsx download."""

import openpyxl
import pytest

from apps.core.roles import Role
from apps.evaluations.models import Campaign, Evaluation, State

pytestmark = pytest.mark.e2e


def test_campaign_to_table_and_xlsx(transactional_db, live_server, page_as, tree, make_member, make_user, tmp_path):
    members = [
        make_member(tree["cell_a"], f"Lê Văn {name}")
        for name in "An Bình Cường Dũng Giang Hải Khoa Long Minh Nam".split()
    ]
    staff = make_user("danguy", Role.COMMITTEE_STAFF, tree["ward"])
    secretary = make_user("bithu", Role.CELL_SECRETARY, tree["cell_a"], include_subtree=False)
    an = make_user("an", member=members[0])
    binh = make_user("binh", member=members[1])

    # The ward committee opens the 2018 review for the cell.
    page = page_as(staff)
    page.goto("/danh-gia/mo-dot/")
    page.select_option("#id_organization", str(tree["cell_a"].pk))
    page.fill("#id_year", "2018")
    page.fill("#id_self_review_due", "05/12/2018")
    page.fill("#id_review_due", "15/12/2018")
    page.fill("#id_decision_due", "31/12/2018")
    page.click("button[type=submit]")
    page.wait_for_url("**/danh-gia/dot/*/")
    assert "132-QĐ/TW" in page.content()
    campaign = Campaign.objects.get()
    assert campaign.evaluations.filter(member__isnull=False).count() == 10

    # Two members fill their self-review.
    for user, level in ((an, "1"), (binh, "2")):
        member_page = page_as(user)
        e = Evaluation.objects.get(member=user.member, year=2018)
        member_page.goto(f"/danh-gia/ket-qua/{e.pk}/")
        member_page.click("a[href$='/tu-kiem-diem/']")
        member_page.fill("#id_strengths", "Gương mẫu, tích cực tham gia sinh hoạt")
        member_page.fill("#id_shortcomings", "Có lúc chưa mạnh dạn phê bình")
        member_page.fill("#id_remediation", "Đã khắc phục")
        member_page.select_option("#id_proposed_level", level)
        member_page.click("button[type=submit]")
        member_page.wait_for_url(f"**/danh-gia/ket-qua/{e.pk}/")
        assert "Đã lưu bản tự kiểm điểm." in member_page.content()
    assert Evaluation.objects.filter(state=State.SELF_REVIEWED).count() == 2

    # The cell reviews and votes on the two.
    cell_page = page_as(secretary)
    for member, level, votes in ((members[0], "1", ("8", "2")), (members[1], "2", ("1", "9"))):
        e = Evaluation.objects.get(member=member, year=2018)
        cell_page.goto(f"/danh-gia/ket-qua/{e.pk}/chi-bo/")
        cell_page.fill("#id_comments", "Chi bộ thống nhất với bản tự kiểm điểm")
        cell_page.fill("#id_votes_1", votes[0])
        cell_page.fill("#id_votes_2", votes[1])
        cell_page.select_option("#id_proposed_level", level)
        cell_page.click("button[type=submit]")
        cell_page.wait_for_url("**/danh-gia/dot/*/")
    assert Evaluation.objects.filter(state=State.REVIEWED).count() == 2

    # The committee decides: three excellent of ten is over the 20% cap.
    page.goto(f"/danh-gia/dot/{campaign.pk}/quyet-dinh/{tree['ward'].pk}/")
    for i, member in enumerate(members):
        e = Evaluation.objects.get(member=member, year=2018)
        page.select_option(f"select[name=level_{e.pk}]", "1" if i < 3 else "2")
    page.click("button[type=submit]")
    warning = page.locator("p.warning").first.inner_text()
    assert "vượt 1 người so với mức tối đa 20% (2 người)" in warning
    assert Evaluation.objects.filter(state=State.DECIDED).count() == 0
    page.fill("textarea[name=exception_reason]", "Chi bộ được Tỉnh ủy tặng Bằng khen năm 2018")
    page.click("button[type=submit]")
    page.wait_for_url(f"**/danh-gia/dot/{campaign.pk}/")
    assert Evaluation.objects.filter(state=State.DECIDED, member__isnull=False).count() == 10

    # The table, then the .xlsx.
    page.goto(f"/danh-gia/bang-tong-hop/?org={tree['cell_a'].pk}&years=2018")
    table = page.locator("#table-member").inner_text()
    assert "30,0%" in table and "70,0%" in table
    with page.expect_download() as info:
        page.click("#download-xlsx")
    path = tmp_path / "table.xlsx"
    info.value.save_as(path)
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(path).active.iter_rows()]
    assert rows[2][:3] == ["1. Hoàn thành xuất sắc nhiệm vụ", 3, 30.0]
    assert rows[3][:3] == ["2. Hoàn thành tốt nhiệm vụ", 7, 70.0]
    assert rows[6][:2] == ["Tổng số được xếp loại (cơ sở tính tỷ lệ)", 10]
