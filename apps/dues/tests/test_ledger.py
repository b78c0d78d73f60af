"""The ledger: payments, advances, partials, moves between cells, reversals, closing, remittance,
and the maintained totals against a plain recount."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from apps.dues import selectors, services
from apps.dues.models import Category, DuesBasis, DuesEntry, DuesReceipt, EntryKind, MonthlyTotal, Remittance
from apps.members.services import member_transfer_internal

pytestmark = pytest.mark.django_db
D = dt.date


def counts():
    return (
        DuesEntry.objects.count(),
        DuesReceipt.objects.count(),
        DuesBasis.objects.count(),
        Remittance.objects.count(),
    )


def test_advance_payment_across_the_rule_change(tree, make_member, basis, admin_user):
    m = make_member(tree["cell_a"])
    basis(m, category=Category.STUDENT, amount=None)
    months = [D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1), D(2026, 4, 1)]
    receipt = services.payment_record(
        user=admin_user, organization=tree["cell_a"], member=m, months=months, paid_on=D(2026, 1, 15)
    )
    assert receipt.total == 17_000  # January 2.000 (342) + February–April 3 × 5.000 (01-QĐ/TW)
    assert [(e.month.month, e.amount) for e in receipt.entries.order_by("month")] == [
        (1, 2000),
        (2, 5000),
        (3, 5000),
        (4, 5000),
    ]
    assert set(receipt.entries.values_list("booked_month", flat=True)) == {D(2026, 1, 1)}
    assert MonthlyTotal.objects.get(organization=tree["cell_a"], month=D(2026, 1, 1)).collected == 17_000


def test_partial_payment_then_the_rest_then_refused(tree, make_member, basis, admin_user):
    m = make_member(tree["cell_a"])
    basis(m, amount=6_000_000)
    cell, mar = tree["cell_a"], D(2026, 3, 1)
    services.payment_record(
        user=admin_user, organization=cell, member=m, months=[mar], amount=20_000, paid_on=D(2026, 3, 5)
    )
    row = selectors.cell_book(cell, mar).rows[0]
    assert (row.state, row.paid, row.remaining) == ("partial", 20_000, 40_000)
    r2 = services.payment_record(
        user=admin_user,
        organization=cell,
        member=m,
        months=[mar],
        channel="transfer",
        reference="FT2603",
        paid_on=D(2026, 3, 20),
    )
    assert r2.total == 40_000 and r2.reference == "FT2603"
    before = counts()
    with pytest.raises(ValidationError, match="đã đóng đủ"):
        services.payment_record(user=admin_user, organization=cell, member=m, months=[mar], paid_on=D(2026, 3, 21))
    assert counts() == before


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"amount": -5000}, "phải lớn hơn 0"),
        ({"amount": 0}, "phải lớn hơn 0"),
        ({"amount": 70_000}, "vượt số còn phải đóng"),
        ({"channel": "transfer"}, "mã giao dịch"),
        ({"paid_on": D(2099, 1, 1)}, "sau hôm nay"),
    ],
)
def test_bad_payments_change_nothing(tree, make_member, basis, admin_user, kwargs, message):
    m = make_member(tree["cell_a"])
    basis(m, amount=6_000_000)
    before = counts()
    with pytest.raises(ValidationError, match=message):
        services.payment_record(
            user=admin_user, organization=tree["cell_a"], member=m, months=[D(2026, 3, 1)], **kwargs
        )
    assert counts() == before
    assert not MonthlyTotal.objects.exists()


def test_basis_without_amount_is_refused(tree, make_member, admin_user):
    m = make_member(tree["cell_a"])
    for category in (Category.INSURED, Category.PENSION):
        with pytest.raises(ValidationError, match="hãy nhập số tiền làm căn cứ"):
            services.basis_add(user=admin_user, member=m, category=category, amount=None, since=D(2026, 1, 1))
    with pytest.raises(ValidationError, match="không được âm"):
        services.basis_add(user=admin_user, member=m, category=Category.INSURED, amount=-1, since=D(2026, 1, 1))
    with pytest.raises(ValidationError, match="chưa quy định mức"):
        services.basis_add(user=admin_user, member=m, category=Category.OTHER, amount=None, since=D(2026, 3, 1))
    assert DuesBasis.objects.count() == 0


def test_payment_for_a_member_out_of_scope_is_refused(tree, make_member, basis, secretary_a):
    m = make_member(tree["cell_c"])
    basis(m)
    with pytest.raises(PermissionDenied):
        services.payment_record(user=secretary_a, organization=tree["cell_c"], member=m, months=[D(2026, 3, 1)])
    with pytest.raises(ValidationError, match="không sinh hoạt"):
        services.payment_record(user=secretary_a, organization=tree["cell_a"], member=m, months=[D(2026, 3, 1)])
    assert counts()[:2] == (0, 0)


def test_member_who_moved_in_march_owes_each_cell_its_months(tree, make_member, basis, admin_user):
    a, b = tree["cell_a"], tree["cell_b"]
    m = make_member(a, admission_date=D(2010, 5, 19))
    basis(m, amount=5_000_000)
    member_transfer_internal(user=admin_user, member=m, target=b, on=D(2026, 3, 10))
    m.refresh_from_db()
    jan, feb, mar = D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1)
    assert [r.member.pk for r in selectors.cell_book(a, feb).rows] == [m.pk]
    assert selectors.cell_book(a, mar).rows == []
    assert [r.member.pk for r in selectors.cell_book(b, mar).rows] == [m.pk]
    with pytest.raises(ValidationError, match="không sinh hoạt"):
        services.payment_record(user=admin_user, organization=b, member=m, months=[feb], paid_on=D(2026, 3, 12))
    services.payment_record(user=admin_user, organization=a, member=m, months=[jan, feb], paid_on=D(2026, 2, 20))
    services.payment_record(user=admin_user, organization=b, member=m, months=[mar], paid_on=D(2026, 3, 12))
    with pytest.raises(ValidationError, match="đã đóng đủ"):
        services.payment_record(user=admin_user, organization=a, member=m, months=[feb], paid_on=D(2026, 3, 1))
    by_cell = dict(DuesEntry.objects.values("organization").annotate(s=Sum("amount")).values_list("organization", "s"))
    assert by_cell == {a.pk: 100_000, b.pk: 50_000}  # 2 months to A, March to B, no month twice
    assert selectors.arrears(a, feb)["1"] == [] and selectors.arrears(b, mar)["1"] == []


def test_reversal_after_the_month_closed(tree, make_member, basis, admin_user):
    cell, mar = tree["cell_a"], D(2026, 3, 1)
    m = make_member(cell)
    basis(m, amount=6_000_000)
    receipt = services.payment_record(
        user=admin_user, organization=cell, member=m, months=[mar], paid_on=D(2026, 3, 10)
    )
    services.month_close(user=admin_user, organization=cell, month=mar)
    entry = receipt.entries.get()
    nam = make_member(cell, "Lê Văn Nam")
    basis(nam)
    with pytest.raises(ValidationError, match="đã khóa"):  # nothing more is booked in March
        services.payment_record(user=admin_user, organization=cell, member=nam, months=[mar], paid_on=D(2026, 3, 30))
    assert DuesEntry.objects.count() == 1
    reversal = services.entry_reverse(user=admin_user, entry=entry, reason="Ghi nhầm người", on=D(2026, 4, 2))
    assert (reversal.amount, reversal.kind, reversal.booked_month, reversal.month) == (
        -60_000,
        EntryKind.REVERSAL,
        D(2026, 4, 1),
        mar,
    )
    assert DuesEntry.objects.filter(pk=entry.pk, amount=60_000).exists()  # the old entry stays
    totals = {t.month: t.collected for t in MonthlyTotal.objects.filter(organization=cell)}
    assert totals[mar] == 60_000 and totals[D(2026, 4, 1)] == -60_000  # the closed month is untouched
    assert {r.member.pk: r.state for r in selectors.cell_book(cell, mar).rows}[m.pk] == "unpaid"
    assert selectors.paid_for([m.pk], [mar]) == {(m.pk, mar): 0}
    with pytest.raises(ValidationError, match="đã được đảo"):
        services.entry_reverse(user=admin_user, entry=entry, reason="lần nữa", on=D(2026, 4, 2))
    # The member pays March again, late, in April: allowed (booked in April).
    services.payment_record(user=admin_user, organization=cell, member=m, months=[mar], paid_on=D(2026, 4, 3))
    assert selectors.paid_for([m.pk], [mar]) == {(m.pk, mar): 60_000}


def test_all_paid_uses_bounded_queries(cell_of_n, tree, admin_user):
    def run(n, cell, month):
        members = cell_of_n(n, cell)
        with CaptureQueriesContext(connection) as ctx:
            count = services.pay_all(user=admin_user, organization=cell, month=month, paid_on=D(2026, 3, 28))
        assert count == len(members)
        return len(ctx.captured_queries)

    small = run(5, tree["cell_a"], D(2026, 3, 1))
    large = run(40, tree["cell_b"], D(2026, 3, 1))
    assert large == small
    assert MonthlyTotal.objects.get(organization=tree["cell_b"], month=D(2026, 3, 1)).collected == 40 * 50_000
    t = MonthlyTotal.objects.get(organization=tree["cell_b"], month=D(2026, 3, 1))
    assert (t.due, t.members_due, t.members_paid, t.paid_for_month) == (2_000_000, 40, 40, 2_000_000)
    assert DuesReceipt.objects.filter(organization=tree["cell_b"]).count() == 40
    with pytest.raises(ValidationError, match="Không còn đảng viên"):
        services.pay_all(user=admin_user, organization=tree["cell_b"], month=D(2026, 3, 1), paid_on=D(2026, 3, 28))


def test_remittance_reconciles_at_every_level(cell_of_n, tree, admin_user):
    cell, ward, province, mar = tree["cell_a"], tree["ward"], tree["province"], D(2026, 3, 1)
    cell_of_n(3, cell)  # 3 × 50.000 = 150.000
    services.pay_all(user=admin_user, organization=cell, month=mar, paid_on=D(2026, 3, 28))
    view = selectors.remittance_view(cell, mar)
    # Cell keeps 30 % [unconfirmed share] = 45.000 and passes up 105.000.
    assert (view["own"].collected, view["own"].to_remit, view["own"].outstanding) == (150_000, 105_000, 105_000)
    with pytest.raises(ValidationError, match="vượt số đảng phí"):
        services.remittance_record(user=admin_user, organization=cell, month=mar, amount=200_000, reference="x")
    services.remittance_record(user=admin_user, organization=cell, month=mar, amount=105_000, reference="UNC-01")
    own = selectors.remittance_view(cell, mar)["own"]
    assert (own.kept, own.remitted, own.outstanding, own.reconciled) == (45_000, 105_000, 0, True)
    ward_view = selectors.remittance_view(ward, mar)
    assert ward_view["own"].received == 105_000
    assert ward_view["received_from"] == {cell.pk: 105_000}
    # Ward keeps 90 % [unconfirmed] = 94.500, passes 10.500 to the province.
    assert (ward_view["own"].to_remit, ward_view["own"].outstanding) == (10_500, 10_500)
    services.remittance_record(user=admin_user, organization=ward, month=mar, amount=10_500, reference="UNC-02")
    prov = selectors.remittance_view(province, mar)["own"]
    assert (prov.received, prov.to_remit, prov.kept, prov.reconciled) == (10_500, 0, 10_500, True)
    # Collected = kept by every level + nothing left in transit.
    kept = sum(selectors.remittance_view(o, mar)["own"].kept for o in (cell, ward, province))
    assert kept == 150_000


def test_maintained_totals_equal_a_plain_recount(cell_of_n, tree, admin_user, make_member, basis):
    a, b = tree["cell_a"], tree["cell_b"]
    cell_of_n(4, a)
    cell_of_n(3, b)
    services.pay_all(user=admin_user, organization=a, month=D(2026, 2, 1), paid_on=D(2026, 2, 20))
    services.pay_all(user=admin_user, organization=b, month=D(2026, 3, 1), paid_on=D(2026, 3, 20))
    m = a.members.first()
    services.payment_record(
        user=admin_user,
        organization=a,
        member=m,
        months=[D(2026, 3, 1), D(2026, 4, 1)],
        amount=70_000,
        paid_on=D(2026, 3, 2),
    )
    entry = DuesEntry.objects.filter(organization=b).first()
    services.entry_reverse(user=admin_user, entry=entry, reason="nhầm", on=D(2026, 4, 1))
    services.remittance_record(user=admin_user, organization=a, month=D(2026, 2, 1), amount=100_000, reference="r")
    recount = {}
    for row in DuesEntry.objects.values("organization", "booked_month").annotate(s=Sum("amount")):
        recount[(row["organization"], row["booked_month"])] = {"collected": row["s"]}
    for row in Remittance.objects.values("organization", "month").annotate(s=Sum("amount")):
        recount.setdefault((row["organization"], row["month"]), {})["remitted"] = row["s"]
    for row in Remittance.objects.values("to_organization", "month").annotate(s=Sum("amount")):
        recount.setdefault((row["to_organization"], row["month"]), {})["received"] = row["s"]
    for t in MonthlyTotal.objects.all():
        expected = recount.get((t.organization_id, t.month), {})
        assert (t.collected, t.remitted, t.received) == (
            expected.get("collected", 0),
            expected.get("remitted", 0),
            expected.get("received", 0),
        ), (t.organization_id, t.month)
    assert sum(v.get("collected", 0) for v in recount.values()) == 4 * 50_000 + 3 * 50_000 + 70_000 - 50_000


def test_unpaid_three_months_in_a_year(tree, make_member, basis, admin_user):
    cell = tree["cell_a"]
    good, bad = make_member(cell, "Lê Văn An"), make_member(cell, "Phạm Văn Bình")
    basis(good)
    basis(bad)
    months = [D(2025, m, 1) for m in range(1, 13)]
    services.payment_record(user=admin_user, organization=cell, member=good, months=months[:12], paid_on=D(2025, 1, 5))
    services.payment_record(user=admin_user, organization=cell, member=bad, months=months[:9], paid_on=D(2025, 1, 5))
    rows = selectors.unpaid_three_months(tree["ward"], 2025)
    assert [(r["member"].pk, [m.month for m in r["months"]]) for r in rows] == [(bad.pk, [10, 11, 12])]
    groups = selectors.arrears(cell, D(2025, 12, 1))
    assert [g["member"].pk for g in groups["3"]] == [bad.pk] and groups["1"] == groups["2"] == []
