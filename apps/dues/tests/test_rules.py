"""Hand-computed amounts: each figure below is worked out by hand in the comment next to it."""

import datetime as dt

import pytest

from apps.dues.models import Category, DuesRuleSet
from apps.dues.rules import round_half_up
from apps.dues.selectors import RuleSets, dues_for
from apps.dues.services import exemption_add

pytestmark = pytest.mark.django_db

D = dt.date


def due(member, month):
    return dues_for([member.pk], [month])[(member.pk, month)]


def test_both_rule_sets_ship_with_sources_and_dates():
    sets = RuleSets()
    old, new = sets.for_month(D(2026, 1, 1)), sets.for_month(D(2026, 2, 1))
    assert old.regulation == "342-QĐ/TW" and old.effective_to == D(2026, 2, 2)
    assert new.regulation == "01-QĐ/TW" and new.effective_from == D(2026, 2, 3)
    assert "342-QĐ/TW" in new.source and old.source
    assert "keep_shares" in new.unconfirmed and "student_amount" in old.unconfirmed
    assert DuesRuleSet.objects.count() == 2


def test_rounding_is_integer_half_up_to_the_unit():
    assert round_half_up(7_654_321 * 100, 10000, 100) == 76_500  # 76.543,21 → 76.500
    assert round_half_up(7_655_000 * 100, 10000, 100) == 76_600  # 76.550 → 76.600 (half up)
    assert round_half_up(7_654_321 * 100, 10000, 1) == 76_543  # whole đồng


def test_salary_change_mid_year_uses_last_months_salary(tree, make_member, basis):
    m = make_member(tree["cell_a"])
    basis(m, amount=6_000_000, since=D(2026, 1, 1))
    basis(m, amount=7_500_000, since=D(2026, 7, 1))
    assert due(m, D(2026, 6, 1)).amount == 60_000  # 1 % of May's 6.000.000
    assert due(m, D(2026, 7, 1)).amount == 60_000  # July's dues: 1 % of June's salary, still 6.000.000
    assert due(m, D(2026, 8, 1)).amount == 75_000  # 1 % of July's 7.500.000


def test_retiree_pays_half_a_percent_of_the_pension_rounded(tree, make_member, basis):
    m = make_member(tree["cell_a"])
    basis(m, category=Category.PENSION, amount=4_567_890)
    assert due(m, D(2026, 5, 1)).amount == 22_800  # 0,5 % = 22.839,45 → 22.800


def test_student_and_the_rule_change_on_3_2_2026(tree, make_member, basis):
    m = make_member(tree["cell_a"])
    basis(m, category=Category.STUDENT, amount=None)
    assert due(m, D(2026, 1, 1)).amount == 2_000  # 342-QĐ/TW (value unconfirmed)
    assert due(m, D(2026, 2, 1)).amount == 5_000  # February ends under 01-QĐ/TW
    assert due(m, D(2026, 3, 1)).amount == 5_000
    jan, feb = dues_for([m.pk], [D(2026, 1, 1), D(2026, 2, 1)]).values()
    assert jan.rule_set_id != feb.rule_set_id


def test_salary_rounding_in_the_book(tree, make_member, basis):
    m = make_member(tree["cell_a"])
    basis(m, amount=7_654_321, since=D(2025, 1, 1))
    assert due(m, D(2026, 3, 1)).amount == 76_500


def test_reduction_exemption_and_declared_amount(tree, make_member, basis, admin_user):
    m = make_member(tree["cell_a"])
    basis(m, amount=6_000_000, since=D(2026, 1, 1))
    exemption_add(
        user=admin_user,
        member=m,
        kind="reduce",
        percent=50,
        start_month=D(2026, 4, 1),
        end_month=D(2026, 5, 1),
        reason="Hoàn cảnh khó khăn",
        decision="12-QĐ/ĐU",
    )
    exemption_add(
        user=admin_user, member=m, kind="exempt", start_month=D(2026, 6, 1), reason="Ốm nặng", decision="15-QĐ/ĐU"
    )
    assert due(m, D(2026, 3, 1)).amount == 60_000
    assert due(m, D(2026, 4, 1)).amount == 30_000  # 60.000 − 50 %
    assert due(m, D(2026, 6, 1)).amount == 0 and due(m, D(2026, 6, 1)).exempt
    other = make_member(tree["cell_a"], "Lê Thị Hoa")
    basis(other, amount=6_000_000, since=D(2026, 1, 1), declared_amount=100_000)
    assert due(other, D(2026, 3, 1)).amount == 100_000  # pays more of her own will


def test_other_category_needs_an_amount_under_01(tree, make_member, basis):
    m = make_member(tree["cell_a"])
    basis(m, category=Category.OTHER, amount=10_000, since=D(2026, 3, 1))
    assert due(m, D(2026, 3, 1)).amount == 10_000
    assert due(m, D(2026, 2, 1)).amount is None  # no basis yet: not computable


def test_import_reads_vietnamese_categories_whatever_the_interface_language():
    """The module may first be imported during an English request: the file is still Vietnamese."""
    import importlib

    from django.utils import translation

    from apps.core.text import fold
    from apps.dues import imports

    with translation.override("en"):
        importlib.reload(imports)
    assert imports.CATEGORY_VALUES[fold("Hưởng lương hưu")] == "pension"
    assert imports.CATEGORY_VALUES[fold("Học sinh, sinh viên")] == "student"
