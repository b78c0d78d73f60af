import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from apps.core.periods import Period, month_end
from apps.meetings import selectors
from apps.meetings.models import Kind, QualityAssessment
from apps.organizations.models import OversightAssignment

from .conftest import held_meeting


@pytest.fixture
def people(tree, make_member):
    cell = tree["cell_a"]
    return {
        "an": make_member(cell, "Nguyễn Văn An"),
        "binh": make_member(cell, "Trần Thị Bình"),
        "cuong": make_member(cell, "Lê Văn Cường"),
        "overseer": make_member(tree["ward"], "Lê Anh Tuấn"),
    }


@pytest.mark.django_db
def test_cells_without_a_regular_meeting_this_month_or_a_thematic_one_this_quarter(
    tree, ward_staff, people, rule_set, today
):
    held_meeting(tree["cell_a"], today, kind=Kind.COMBINED, present=[people["an"]], minutes=130, rule_set=rule_set)
    c = selectors.compliance(ward_staff, tree["ward"], Period.month_of(today), today)
    # This month and quarter are still running: not yet due, so nobody is missing them.
    assert (c.no_regular, c.no_thematic) == ([], [])
    assert [o.name for o in c.pending_regular] == ["Chi bộ khu phố 2"]
    assert [o.name for o in c.pending_thematic] == ["Chi bộ khu phố 2"]
    assert c.short == []
    # Looked at once the month is over, the same month is due and missing.
    after = month_end(today.year, today.month) + dt.timedelta(days=1)
    c = selectors.compliance(ward_staff, tree["ward"], Period.month_of(today), after)
    assert [o.name for o in c.no_regular] == ["Chi bộ khu phố 2"] and c.pending_regular == []


@pytest.mark.django_db
def test_short_meetings_are_flagged_by_the_rule_set(tree, ward_staff, people, rule_set, today):
    regular = held_meeting(tree["cell_a"], today, present=[people["an"]], minutes=80, rule_set=rule_set)
    combined = held_meeting(tree["cell_b"], today, kind=Kind.COMBINED, minutes=110, rule_set=rule_set)
    held_meeting(tree["cell_b"], today - dt.timedelta(days=1), minutes=90, rule_set=rule_set)  # exactly enough
    c = selectors.compliance(ward_staff, tree["ward"], Period.month_of(today), today)
    assert sorted((s["meeting"].pk, s["minutes"], s["required"]) for s in c.short) == [
        (regular.pk, 80, 90),
        (combined.pk, 110, 120),
    ]


@pytest.mark.django_db
def test_overseeing_committee_member_who_missed_the_cell_meeting(tree, ward_staff, people, rule_set, today):
    OversightAssignment.objects.create(
        organization=tree["cell_a"],
        member=people["overseer"],
        assigned_by=tree["ward"],
        starts_on=today - dt.timedelta(days=400),
    )
    missed = held_meeting(tree["cell_a"], today, present=[people["an"]], rule_set=rule_set)
    held_meeting(
        tree["cell_a"],
        today - dt.timedelta(days=1),
        present=[people["an"]],
        rule_set=rule_set,
        higher_representative=people["overseer"],
    )
    c = selectors.compliance(ward_staff, tree["ward"], Period.month_of(today), today)
    assert [(o["member"], o["meeting"]) for o in c.overseer_missed] == [(people["overseer"], missed)]


@pytest.mark.django_db
def test_unexcused_absences_and_three_months_running_are_flagged_only(tree, ward_staff, people, rule_set, today):
    # March, April, May: Cường absent without reason each time; Bình in April only.
    for month in (3, 4, 5):
        held_meeting(
            tree["cell_a"],
            dt.date(today.year, month, 10),
            present=[people["an"]] + ([people["binh"]] if month != 4 else []),
            unexcused=[people["cuong"]] + ([people["binh"]] if month == 4 else []),
            rule_set=rule_set,
        )
    c = selectors.compliance(ward_staff, tree["ward"], Period(today.year), dt.date(today.year, 5, 31))
    assert [(f["member"], f["months"], f["until"]) for f in c.streaks] == [(people["cuong"], 3, 5)]
    assert [a.member.given_name for a in c.unexcused] == ["Cường", "Bình", "Cường", "Cường"]
    people["cuong"].refresh_from_db()
    assert people["cuong"].status == "full"  # flagged, never struck off automatically


@pytest.mark.django_db
def test_rates_with_base_year_against_year_and_thematic_quality_share(
    tree, ward_staff, make_member, people, rule_set, today
):
    cell = tree["cell_a"]
    extra = [make_member(cell, f"Phạm Văn {n}") for n in ("Dũng", "Hòa", "Khang")]
    everyone = [people["an"], people["binh"], people["cuong"], *extra]  # 6 members
    this_year = dt.date(today.year, 2, 10)
    last_year = dt.date(today.year - 1, 2, 10)
    # This year: 6/6 and 5/6 → 11/12 = 91,67 %. Last year: 4/6 and 5/6 → 9/12 = 75 %.
    held_meeting(cell, this_year, present=everyone, rule_set=rule_set)
    thematic = held_meeting(
        cell,
        this_year + dt.timedelta(days=30),
        kind=Kind.THEMATIC,
        present=everyone[:5],
        excused=everyone[5:],
        rule_set=rule_set,
    )
    held_meeting(cell, last_year, present=everyone[:4], unexcused=everyone[4:], rule_set=rule_set)
    held_meeting(
        cell,
        last_year + dt.timedelta(days=30),
        kind=Kind.THEMATIC,
        present=everyone[:5],
        unexcused=everyone[5:],
        rule_set=rule_set,
    )
    QualityAssessment.objects.create(
        meeting=thematic,
        rule_set=rule_set,
        points=95,
        meets_quality=True,
        self_level="Tốt",
        assessed_by=ward_staff,
        assessed_at=thematic.started_at,
    )
    r = selectors.rates(ward_staff, tree["ward"], Period(today.year))
    assert (r["total"].present, r["total"].base, r["total"].value) == (11, 12, Decimal("91.67"))
    assert (r["previous"].present, r["previous"].base, r["previous"].value) == (9, 12, Decimal("75.00"))
    assert (r["thematic"].present, r["thematic"].base) == (1, 1)
    assert (r["thematic_previous"].present, r["thematic_previous"].base) == (0, 1)
    by_cell = {row["organization"].name: row["rate"].value for row in r["per_child"]}
    assert by_cell == {"Chi bộ khu phố 1": Decimal("91.67"), "Chi bộ khu phố 2": None}
    assert r["per_quarter"][0]["rate"].value == Decimal("91.67")


@pytest.mark.django_db
def test_rates_against_any_earlier_year(tree, ward_staff, people, rule_set, today):
    cell = tree["cell_a"]
    held_meeting(cell, dt.date(today.year, 3, 10), present=[people["an"], people["binh"]], rule_set=rule_set)
    held_meeting(
        cell,
        dt.date(2020, 3, 10),
        present=[people["an"]],
        unexcused=[people["binh"], people["cuong"]],
        rule_set=rule_set,
    )
    r = selectors.rates(ward_staff, tree["ward"], Period(today.year), 2020)
    assert (r["previous_year"], r["previous"].present, r["previous"].base) == (2020, 1, 3)
    assert (r["total"].present, r["total"].base, r["total"].value) == (2, 2, Decimal("100.00"))


@pytest.mark.django_db
def test_a_past_year_by_month_and_quarter_with_cells_founded_and_ended_inside_it(
    tree, admin_user, ward_staff, people, rule_set, today
):
    from apps.organizations.services import organization_end

    cell_a, cell_b = tree["cell_a"], tree["cell_b"]
    for month in (1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12):  # no regular meeting in March
        kind = Kind.COMBINED if month in (2, 5, 8) else Kind.REGULAR  # no thematic one in quarter IV
        held_meeting(cell_a, dt.date(2020, month, 10), present=[people["an"]], kind=kind, rule_set=rule_set)
    organization_end(user=admin_user, organization=cell_b, on=dt.date(2020, 3, 1))  # met never, ended in March
    c = selectors.compliance(ward_staff, tree["ward"], Period(2020), today)
    rows = {row.cell.name: (row.missing_months, row.missing_quarters) for row in c.gaps}
    assert rows == {"Chi bộ khu phố 1": ([3], [4]), "Chi bộ khu phố 2": ([1, 2], [1])}
    assert (c.pending_regular, c.pending_thematic) == ([], [])
    q1 = selectors.compliance(ward_staff, tree["ward"], Period(2020, 1), today)
    assert {row.cell.name: row.missing_months for row in q1.gaps} == {
        "Chi bộ khu phố 1": [3],
        "Chi bộ khu phố 2": [1, 2],
    }
    # The page: the picker keeps the period, each cell links to its meetings, the gaps are named.
    client = Client()
    client.force_login(ward_staff)
    html = client.get("/sinh-hoat/canh-bao/", {"org": tree["ward"].pk, "year": 2020, "period": ""}).content.decode()
    assert '<option value="" selected>Cả năm</option>' in html and "năm 2020" in html
    assert f'href="/sinh-hoat/ke-hoach/?org={cell_a.pk}&year=2020"' in html
    assert "Thường kỳ: tháng 3" in html and "Chuyên đề: quý 4" in html
    html = client.get("/sinh-hoat/canh-bao/", {"org": tree["ward"].pk, "year": 2020, "period": "q1"}).content.decode()
    assert "quý I/2020" in html and "quý 4" not in html
    rates = client.get("/sinh-hoat/ty-le/", {"org": tree["ward"].pk, "year": 2020, "period": "q1"})
    assert rates.context["r"]["total"].base == 2  # January and February: one member each


@pytest.mark.django_db
def test_a_province_reads_its_units_and_a_bounded_list_of_cells(tree, admin_user, monkeypatch):
    """A province's page named every one of its 3.000 cells (556 KB, 1,3 s): it now sums them up
    by the units under it and names a bounded number of cells."""
    from apps.meetings import views

    monkeypatch.setattr(views, "COMPLIANCE_LIST_LIMIT", 2)
    client = Client()
    client.force_login(admin_user)
    html = client.get("/sinh-hoat/canh-bao/", {"org": tree["province"].pk, "year": 2020, "period": ""}).content.decode()
    units = html[html.index('id="by-unit"') : html.index('id="gaps"')]
    # The ward has cells A and B, the second ward cell C; none met in 2020.
    assert f'href="?org={tree["ward"].pk}&year=2020&period="' in units
    ward_row = units[units.index(tree["ward"].name) :].split("</tr>")[0]
    assert '<td data-label="Chi bộ">2</td><td data-label="Thiếu sinh hoạt đã đến hạn">2</td>' in ward_row
    ward2_row = units[units.index(tree["ward2"].name) :].split("</tr>")[0]
    assert '<td data-label="Chi bộ">1</td>' in ward2_row
    gaps = html[html.index('id="gaps"') : html.index("</section>", html.index('id="gaps"'))]
    assert gaps.count("<li>") == 2 and 'id="gaps-more"' in gaps
    assert "Đã nêu 2 chi bộ đầu" in gaps
    cell_page = client.get("/sinh-hoat/canh-bao/", {"org": tree["ward"].pk, "year": 2020, "period": ""}).content
    assert b'id="by-unit"' not in cell_page  # a ward's children are cells: no summary
