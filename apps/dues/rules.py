"""The amount a member owes for a month, as pure integer arithmetic over the rule set in force.

- insured: 1 % of the insured salary of the month before (the basis in force on the first day of
  the previous month, when it was already an insured salary; otherwise the current one);
- benefit (sick or maternity leave paid by social insurance): 1 % of that benefit;
- pension: 0,5 % of the pension; student: the set's fixed amount; other / abroad: the set's fixed
  amount, or the amount the cell recorded on the member's basis when the set has none;
- a member who declared more pays the declared amount; an exemption makes it 0, a reduction takes
  its percentage off; the result is rounded half up to the set's unit (whole đồng, no floats).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .models import Category, ExemptionKind


def first_of(day: date) -> date:
    return date(day.year, day.month, 1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def months_between(start: date, end: date) -> list[date]:
    """Months from `start` to `end`, both included."""
    out, m = [], first_of(start)
    while m <= end:
        out.append(m)
        m = add_months(m, 1)
    return out


def round_half_up(numerator: int, denominator: int, unit: int) -> int:
    """numerator / denominator rounded half up to a multiple of `unit` (integers only)."""
    unit = max(int(unit or 1), 1)
    step = unit * denominator
    return (numerator + step // 2) // step * unit


@dataclass(frozen=True)
class Due:
    amount: int | None  # None: cannot be computed (no basis, or no amount for the category)
    rule_set_id: int | None
    problem: str = ""
    exempt: bool = False


def basis_on(bases, month: date):
    """The newest basis whose `since` month is on or before `month` (bases sorted by since, pk)."""
    current = None
    for basis in bases:
        if first_of(basis.since) <= month:
            current = basis
        else:
            break
    return current


def exemption_on(exemptions, month: date):
    for exemption in exemptions:
        if exemption.start_month <= month and (exemption.end_month is None or month <= exemption.end_month):
            return exemption
    return None


def compute_due(rule_set, bases, exemptions, month: date) -> Due:
    from django.utils.translation import gettext as _

    if rule_set is None:
        return Due(None, None, _("Không có bộ quy tắc đảng phí áp dụng cho tháng này."))
    basis = basis_on(bases, month)
    if basis is None:
        return Due(None, rule_set.pk, _("Chưa có căn cứ đóng đảng phí."))
    category = basis.category
    unit = rule_set.rounding_unit
    if category == Category.INSURED:
        previous = basis_on(bases, add_months(month, -1))
        salary = previous.amount if previous is not None and previous.category == Category.INSURED else basis.amount
        value = round_half_up(int(salary or 0) * rule_set.insured_rate_bp, 10000, unit)
    elif category == Category.BENEFIT:
        value = round_half_up(int(basis.amount or 0) * rule_set.benefit_rate_bp, 10000, unit)
    elif category == Category.PENSION:
        value = round_half_up(int(basis.amount or 0) * rule_set.pension_rate_bp, 10000, unit)
    elif category == Category.STUDENT:
        value = rule_set.student_amount
    else:
        fixed = rule_set.abroad_amount if category == Category.ABROAD else rule_set.other_amount
        value = basis.amount if basis.amount else fixed
        if value is None:
            return Due(None, rule_set.pk, _("Bộ quy tắc chưa có mức cho đối tượng này: hãy ghi số tiền vào căn cứ."))
    if basis.declared_amount and basis.declared_amount > value:
        value = basis.declared_amount
    exemption = exemption_on(exemptions, month)
    if exemption is not None:
        if exemption.kind == ExemptionKind.EXEMPT:
            return Due(0, rule_set.pk, exempt=True)
        value = round_half_up(value * (100 - int(exemption.percent or 0)), 100, unit)
    return Due(int(value), rule_set.pk)
