"""The published table: Bình Thắng 2018 built from counts, 2017 with its old labels, exports."""

import datetime as dt
import io
from decimal import Decimal as D

import openpyxl
import pytest

from apps.evaluations import services
from apps.evaluations.models import Evaluation, State, Subject, TargetSubject
from apps.evaluations.selectors import classification_table
from apps.members.models import StatusChangeKind
from apps.members.services import member_change_status
from apps.organizations.models import Kind, Sector
from apps.organizations.services import organization_create

from .conftest import dates

EXCEPTION = "Theo kết quả đã công bố"


@pytest.fixture
def binh_thang(tree, make_member, admin_user):
    """The ward of the article: 13 cells, 224 members; 40 exempted and 6 admitted late in 2018."""
    ward = tree["ward"]
    cells = [tree["cell_a"], tree["cell_b"]]
    for i in range(3, 14):
        cells.append(
            organization_create(
                user=admin_user,
                name=f"Chi bộ khu phố {i}",
                code=f"T-BT-{i}",
                kind=Kind.CELL,
                sector=Sector.RESIDENTIAL,
                parent=ward,
                founded_on=dt.date(2000, 1, 1),
            )
        )
    members = []
    for i in range(224):
        fields = {}
        if i >= 218:
            fields = {"admission_date": dt.date(2018, 8, 1), "full_membership_date": None}
        members.append(make_member(cells[i % 13], f"Trần Văn Số{i:03d}", **fields))
    for m in members[178:218]:
        member_change_status(user=admin_user, member=m, kind=StatusChangeKind.EXEMPTED, on=dt.date(2016, 1, 4))
    return {"ward": ward, "cells": cells, "members": members}


def decide_binh_thang(admin_user, binh_thang):
    ward, cells, members = binh_thang["ward"], binh_thang["cells"], binh_thang["members"]
    campaign = services.campaign_open(user=admin_user, organization=ward, year=2018, **dates(2018))
    evals = {
        e.member_id: e
        for e in Evaluation.objects.filter(campaign=campaign).members().select_related("rule_set", "group")
    }
    for m in members[218:]:
        services.evaluation_mark_not_classified(
            user=admin_user, evaluation=evals[m.pk], reason="newly_admitted", note="Kết nạp 01/08/2018"
        )
    levels = [1] * 34 + [2] * 135 + [3] * 9
    decisions = [(evals[m.pk], code, False) for m, code in zip(members[:178], levels, strict=True)]
    with pytest.raises(services.RulesRefused) as err:
        services.evaluations_decide(user=admin_user, decisions=decisions)
    assert "vượt 1 người so với mức tối đa 20% (33 người)" in err.value.warnings[0]
    services.evaluations_decide(user=admin_user, decisions=decisions, exception_reason=EXCEPTION)
    orgs = {
        e.organization_id: e
        for e in Evaluation.objects.filter(campaign=campaign).organizations().select_related("rule_set", "group")
    }
    services.evaluations_decide(
        user=admin_user,
        decisions=[(orgs[c.pk], 1 if i < 3 else 2, False) for i, c in enumerate(cells)],
        exception_reason=EXCEPTION,
    )
    return campaign


def test_binh_thang_2018_table(binh_thang, admin_user):
    decide_binh_thang(admin_user, binh_thang)
    assert Evaluation.objects.filter(year=2018, subject=Subject.MEMBER, state=State.NOT_CLASSIFIED).count() == 46
    table = classification_table(binh_thang["ward"], [2018])
    (members,) = table.members.columns
    assert [members.counts[c] for c in (1, 2, 3, 4)] == [34, 135, 9, 0]
    assert [members.percents[c] for c in (1, 2, 3, 4)] == [D("19.1"), D("75.8"), D("5.1"), D("0.0")]
    assert (members.classified, members.not_classified, members.undecided, members.total) == (178, 46, 0, 224)
    assert dict(members.reasons) == {"Miễn công tác và sinh hoạt đảng": 40, "Mới kết nạp trong năm": 6}
    (cells,) = table.organizations.columns
    assert [cells.counts[c] for c in (1, 2, 3, 4)] == [3, 10, 0, 0]
    assert [cells.percents[c] for c in (1, 2)] == [D("23.1"), D("76.9")]
    assert members.labels[1] == "Hoàn thành xuất sắc nhiệm vụ"
    assert members.rule_set.regulation == "132-QĐ/TW"


def test_the_person_printing_chooses_two_decimals_and_the_sums_stay_exact(binh_thang, admin_user, client_for):
    decide_binh_thang(admin_user, binh_thang)
    (members,) = classification_table(binh_thang["ward"], [2018], places=2).members.columns
    percents = [members.percents[c] for c in (1, 2, 3, 4)]
    assert percents == [D("19.10"), D("75.84"), D("5.06"), D("0.00")] and sum(percents) == 100
    client = client_for(admin_user)
    query = {"org": binh_thang["ward"].pk, "years": "2018", "places": "2"}
    page = client.get("/danh-gia/bang-tong-hop/", query).content.decode()
    for text in ("19,10%", "75,84%", "5,06%", "100,00%"):
        assert text in page
    assert '<option value="2" selected>' in page
    pdf_query = client.get("/danh-gia/bang-tong-hop.pdf", query)
    assert pdf_query.status_code == 200
    # Without a choice, the rule set's default (one decimal).
    assert "19,1%" in client.get("/danh-gia/bang-tong-hop/", {**query, "places": ""}).content.decode()


def test_binh_thang_page_and_exports(binh_thang, admin_user, client_for):
    decide_binh_thang(admin_user, binh_thang)
    services.target_set(
        user=admin_user,
        organization=binh_thang["ward"],
        year=2019,
        subject=TargetSubject.ORGANIZATIONS,
        level_code=3,
        percent=100,
    )
    client = client_for(admin_user)
    query = {"org": binh_thang["ward"].pk, "years": "2018"}
    page = client.get("/danh-gia/bang-tong-hop/", query).content.decode()
    for text in ("19,1%", "75,8%", "5,1%", "0,0%", "178", "23,1%", "76,9%", "132-QĐ/TW và 21-HD/BTCTW"):
        assert text in page
    assert "100% tổ chức đảng trực thuộc đạt mức “hoàn thành nhiệm vụ” trở lên" in page
    assert "2018: 100,0% (13/13)" in page
    response = client.get("/danh-gia/bang-tong-hop.xlsx", query)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Nội dung", "Năm 2018 – số lượng", "Năm 2018 – tỷ lệ (%)"]
    assert rows[1][0] == "ĐẢNG VIÊN"
    assert rows[2:6] == [
        ["1. Hoàn thành xuất sắc nhiệm vụ", 34, 19.1],
        ["2. Hoàn thành tốt nhiệm vụ", 135, 75.8],
        ["3. Hoàn thành nhiệm vụ", 9, 5.1],
        ["4. Không hoàn thành nhiệm vụ", 0, 0.0],
    ]
    assert rows[6][:2] == ["Tổng số được xếp loại (cơ sở tính tỷ lệ)", 178]
    assert rows[7][:2] == ["Không xếp loại", 46]
    pdf = client.get("/danh-gia/bang-tong-hop.pdf", query)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_2017_renders_with_old_labels(tree, cell_of, admin_user, ward_staff, client_for):
    members = cell_of(tree["cell_a"], 3)
    for year in (2017, 2018):
        services.campaign_open(user=admin_user, organization=tree["ward"], year=year, **dates(year))
        evals = Evaluation.objects.filter(year=year).select_related(
            "rule_set", "group", "decider", "member", "organization"
        )
        services.evaluations_decide(
            user=ward_staff,
            decisions=[
                (e, 1 if e.organization == tree["cell_a"] else 2, year == 2017 and e.organization == tree["cell_a"])
                for e in evals.organizations().exclude(organization=tree["ward"])
            ],
            exception_reason="Ngoại lệ",
        )
        services.evaluations_decide(
            user=ward_staff, decisions=[(e, 2, False) for e in evals.members()], exception_reason="x"
        )
    table = classification_table(tree["ward"], [2017, 2018])
    old, new = table.organizations.columns
    assert old.labels == {
        1: "Trong sạch, vững mạnh",
        2: "Hoàn thành tốt nhiệm vụ",
        3: "Hoàn thành nhiệm vụ",
        4: "Yếu kém",
    }
    assert old.distinguished == 1 and old.counts[1] == 1
    assert new.labels[1] == "Hoàn thành xuất sắc nhiệm vụ"
    assert table.members.columns[0].labels[2] == "Đủ tư cách, hoàn thành tốt nhiệm vụ"
    e2017 = Evaluation.objects.get(year=2017, organization=tree["cell_a"], subject=Subject.ORGANIZATION)
    assert e2017.level_label == "Trong sạch, vững mạnh tiêu biểu"
    page = client_for(ward_staff).get("/danh-gia/bang-tong-hop/", {"org": tree["ward"].pk, "years": "2017,2018"})
    html = page.content.decode()
    for text in (
        "Trong sạch, vững mạnh",
        "Yếu kém",
        "Đủ tư cách, hoàn thành tốt nhiệm vụ",
        "27-HD/BTCTW (2014)",
        "132-QĐ/TW",
    ):
        assert text in html
    detail = client_for(ward_staff).get(f"/danh-gia/ket-qua/{e2017.pk}/").content.decode()
    assert "Trong sạch, vững mạnh tiêu biểu" in detail
    assert members


def test_above_grassroots_the_table_reports_grassroots_organizations_apart_from_their_cells(
    binh_thang, admin_user, tree, client_for
):
    campaign = decide_binh_thang(admin_user, binh_thang)
    ward = binh_thang["ward"]
    (own,) = Evaluation.objects.filter(campaign=campaign, organization=ward).organizations()
    services.evaluations_decide(user=admin_user, decisions=[(own, 2, False)])
    table = classification_table(tree["province"], [2018])
    grassroots, cells = table.by_level
    assert [grassroots.columns[0].counts[c] for c in (1, 2)] == [0, 1] and grassroots.columns[0].classified == 1
    assert [cells.columns[0].counts[c] for c in (1, 2)] == [3, 10] and cells.columns[0].classified == 13
    mixed = table.organizations.columns[0]
    assert mixed.classified == grassroots.columns[0].classified + cells.columns[0].classified
    page = client_for(admin_user).get("/danh-gia/bang-tong-hop/", {"org": tree["province"].pk, "years": "2018"})
    html = page.content.decode()
    assert 'id="table-grassroots"' in html and 'id="table-cells"' in html and "Tổ chức cơ sở đảng" in html
    # At the ward, its subordinates are all cells: one section, as before.
    assert classification_table(ward, [2018]).by_level == []
