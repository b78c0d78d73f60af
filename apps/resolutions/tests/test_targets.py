import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.core.periods import Period
from apps.core.roles import Role
from apps.organizations.models import Kind, Sector
from apps.organizations.services import organization_create
from apps.resolutions import selectors, services
from apps.resolutions.models import Result, Target, TargetRevision
from apps.resolutions.rules import Judgement

LATER = dt.date(2026, 3, 1)


def enter(user, target, year, quarter, value):
    return services.result_enter(user=user, target=target, period=Period(year, quarter), value=value)


def row_of(table, target):
    for r in selectors.flatten(table.rows):
        if r.target.pk == target.pk:
            return r
    raise AssertionError("no row")


def test_roll_up_two_cells_against_plan_and_same_quarter(admin_user, congress, new_members, split):
    a, b = split
    enter(admin_user, a, 2023, 2, 4)
    enter(admin_user, b, 2023, 2, 2)
    enter(admin_user, a, 2024, 1, 5)
    enter(admin_user, b, 2024, 1, 3)
    enter(admin_user, a, 2024, 2, 7)
    enter(admin_user, b, 2024, 2, 4)
    table = selectors.target_table(admin_user, congress, Period(2024, 2), LATER)
    top = row_of(table, new_members)
    # Q2 2024: 7 + 4 = 11; same quarter 2023: 4 + 2 = 6; 11 / 6 = 183,33 %.
    assert top.period_value == Decimal("11.00")
    assert top.last_year_value == Decimal("6.00")
    assert top.against_last_year == Decimal("183.33")
    # The year so far (Q1 + Q2): 5 + 3 + 7 + 4 = 19 of 40 = 47,5 %; half the year needs 20: at risk.
    assert top.year_to_date == Decimal("19.00")
    assert top.against_plan == Decimal("47.50")
    assert top.year_judgement == Judgement.AT_RISK
    # The term so far: 6 (2023) + 19 = 25 of 200.
    assert top.term_to_date == Decimal("25.00")
    cell_a = row_of(table, a)
    assert (cell_a.period_value, cell_a.year_to_date) == (Decimal("7.00"), Decimal("12.00"))
    # Cell A: 12 of 25 is under the 12,5 half a year needs; cell B: 7 of 15 under 7,5.
    assert cell_a.year_judgement == Judgement.AT_RISK


def test_year_met_and_share_of_targets_met(admin_user, congress, new_members, split):
    a, b = split
    for q, (va, vb) in enumerate([(6, 4), (6, 4), (7, 4), (7, 4)], start=1):
        enter(admin_user, a, 2024, q, va)
        enter(admin_user, b, 2024, q, vb)
    poverty = services.target_create(
        user=admin_user,
        resolution=congress,
        indicator="Tỷ lệ hộ nghèo",
        unit="%",
        frequency="year",
        direction="lower",
        rollup="mean",
        yearly={2024: "1.5"},
        term_value="1",
    )
    services.result_enter(user=admin_user, target=poverty, period=Period(2024), value="1.6")
    table = selectors.target_table(admin_user, congress, Period(2024), LATER)
    top = row_of(table, new_members)
    # 26 + 16 = 42 ≥ 40: met; 1,6 % > 1,5 %: not met. One of two: 50 %.
    assert top.year_to_date == Decimal("42.00")
    assert top.year_judgement == Judgement.MET
    assert row_of(table, a).year_judgement == Judgement.MET  # 26 ≥ 25
    assert row_of(table, b).year_judgement == Judgement.MET  # 16 ≥ 15
    assert row_of(table, poverty).year_judgement == Judgement.NOT_MET
    assert table.year_met == (1, 2)
    assert table.year_share == Decimal("50.00")


def test_mean_rollup_across_cells(admin_user, tree, congress):
    rate = services.target_create(
        user=admin_user,
        resolution=congress,
        indicator="Tỷ lệ đảng viên hoàn thành tốt nhiệm vụ",
        unit="%",
        frequency="year",
        rollup="mean",
        yearly={2024: 90},
    )
    a, b = services.target_break_down(
        user=admin_user,
        target=rate,
        parts=[
            {"organization": tree["cell_a"], "yearly": {2024: 90}},
            {"organization": tree["cell_b"], "yearly": {2024: 90}},
        ],
    )
    services.result_enter(user=admin_user, target=a, period=Period(2024), value=95)
    services.result_enter(user=admin_user, target=b, period=Period(2024), value=86)
    table = selectors.target_table(admin_user, congress, Period(2024), LATER)
    # (95 + 86) / 2 = 90,5 ≥ 90.
    top = row_of(table, rate)
    assert top.year_to_date == Decimal("90.50")
    assert top.year_judgement == Judgement.MET
    assert row_of(table, b).year_judgement == Judgement.NOT_MET


def test_target_changed_mid_term_keeps_what_was_promised(admin_user, new_members, split):
    a, _b = split
    enter(admin_user, a, 2023, 1, 5)
    first = TargetRevision.objects.get(target=a)
    assert first.year_value(2024) == Decimal("25")
    with pytest.raises(ValidationError) as err:
        services.target_update(
            user=admin_user, target=a, yearly={2023: 25, 2024: 20}, term_value=120, indicator=a.indicator, unit=a.unit
        )
    assert "lý do" in str(err.value)
    a.refresh_from_db()
    assert a.year_value(2024) == Decimal("25")
    moment = timezone.now()
    services.target_update(
        user=admin_user,
        target=a,
        yearly={2023: 25, 2024: 20},
        term_value=110,
        indicator=a.indicator,
        unit=a.unit,
        reason="Khu phố 1 tách một tổ dân phố sang khu phố 2",
        expected_version=a.version,
    )
    a.refresh_from_db()
    assert a.year_value(2024) == Decimal("20")
    revisions = list(TargetRevision.objects.filter(target=a).order_by("recorded_at", "pk"))
    assert [r.year_value(2024) for r in revisions] == [Decimal("25"), Decimal("20")]
    assert [r.term_value for r in revisions] == [Decimal("120.00"), Decimal("110.00")]
    assert revisions[1].reason == "Khu phố 1 tách một tổ dân phố sang khu phố 2"
    assert selectors.promised_on(a, moment).year_value(2024) == Decimal("25")
    assert selectors.promised_on(a, timezone.now()).year_value(2024) == Decimal("20")


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"unit": ""}, "đơn vị tính"),
        ({"frequency": ""}, "kỳ báo cáo"),
    ],
)
def test_target_without_unit_or_period_refused(admin_user, congress, fields, message):
    values = {"indicator": "Kết nạp đảng viên", "unit": "người", "frequency": "quarter", "term_value": 10, **fields}
    with pytest.raises(ValidationError) as err:
        services.target_create(user=admin_user, resolution=congress, **values)
    assert message in str(err.value)
    assert Target.objects.count() == 0


def test_owner_out_of_scope_refused(admin_user, tree, congress, make_member):
    outsider = make_member(tree["cell_c"], "Trần Thị Mai")
    with pytest.raises(ValidationError) as err:
        services.target_create(
            user=admin_user,
            resolution=congress,
            indicator="X",
            unit="người",
            frequency="year",
            term_value=1,
            owner=outsider,
        )
    assert "Người phụ trách" in str(err.value)
    assert Target.objects.count() == 0


def test_result_for_closed_period_refused(admin_user, tree, split):
    a, _b = split
    enter(admin_user, a, 2024, 1, 5)
    services.results_close(user=admin_user, organization=tree["ward"], period=Period(2024, 1))
    with pytest.raises(ValidationError) as err:
        enter(admin_user, a, 2024, 1, 9)
    assert "đã được" in str(err.value) and "chốt" in str(err.value)
    assert Result.objects.get(target=a).value == Decimal("5.00")
    # The whole year closed closes its quarters too.
    services.results_close(user=admin_user, organization=tree["ward"], period=Period(2023))
    with pytest.raises(ValidationError):
        enter(admin_user, a, 2023, 3, 1)
    assert Result.objects.count() == 1


def test_result_refused_for_wrong_kind_future_and_broken_down(admin_user, new_members, split):
    a, _b = split
    with pytest.raises(ValidationError):
        services.result_enter(user=admin_user, target=a, period=Period(2024, 1, 2), value=1)  # a month, not a quarter
    with pytest.raises(ValidationError):
        enter(admin_user, a, 2019, 1, 1)  # before the term
    with pytest.raises(ValidationError):
        enter(admin_user, new_members, 2024, 1, 1)  # broken down: figures come from below
    assert Result.objects.count() == 0


def test_breakdown_refuses_sibling_ward_and_repeat(admin_user, tree, new_members, split):
    with pytest.raises(ValidationError):
        services.target_break_down(
            user=admin_user, target=new_members, parts=[{"organization": tree["cell_c"], "term_value": 1}]
        )
    with pytest.raises(ValidationError):
        services.target_break_down(
            user=admin_user, target=new_members, parts=[{"organization": tree["cell_a"], "term_value": 1}]
        )
    assert Target.objects.count() == 3


def test_boundaries_nothing_changed(tree, make_user, make_member, admin_user, split):
    a, b = split
    enter(admin_user, a, 2024, 1, 5)
    secretary_b = make_user("bithu_b", Role.CELL_SECRETARY, tree["cell_b"], include_subtree=False)
    other_ward = make_user("dangu_dh", Role.COMMITTEE_STAFF, tree["ward2"])
    member = make_member(tree["cell_a"], "Lê Văn Tám")
    plain = make_user("dangvien_a", Role.MEMBER, tree["cell_a"], include_subtree=False, member=member)
    for user in (secretary_b, other_ward, plain):
        with pytest.raises(PermissionDenied):
            enter(user, a, 2024, 1, 99)
        with pytest.raises(PermissionDenied):
            services.target_update(
                user=user, target=a, indicator="Khác", unit="người", yearly={}, term_value=1, reason="x"
            )
    assert Result.objects.get(target=a).value == Decimal("5.00")
    a.refresh_from_db()
    assert a.indicator == "Kết nạp đảng viên mới"
    assert TargetRevision.objects.filter(target=a).count() == 1
    # The secretary of cell B enters cell B's own result.
    enter(secretary_b, b, 2024, 1, 3)
    assert Result.objects.get(target=b).value == Decimal("3.00")


def test_table_queries_do_not_grow_with_cells(admin_user, tree, congress, new_members):
    def add_cells(n, start):
        cells = []
        for i in range(n):
            cells.append(
                organization_create(
                    user=admin_user,
                    name=f"Chi bộ khu phố {start + i}",
                    code=f"T-BT-X{start + i}",
                    kind=Kind.CELL,
                    sector=Sector.RESIDENTIAL,
                    parent=tree["ward"],
                    founded_on=dt.date(2000, 1, 1),
                )
            )
        parts = services.target_break_down(
            user=admin_user, target=new_members, parts=[{"organization": c, "yearly": {2024: 2}} for c in cells]
        )
        for p in parts:
            enter(admin_user, p, 2024, 1, 1)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            table = selectors.target_table(admin_user, congress, Period(2024, 1), LATER)
            rows = selectors.flatten(table.rows)
        return len(ctx.captured_queries), rows

    add_cells(2, 10)
    few, rows = count()
    assert rows[0].period_value == Decimal("2.00")
    add_cells(8, 20)
    many, rows = count()
    assert rows[0].period_value == Decimal("10.00")
    assert len(rows) == 11
    assert many == few
