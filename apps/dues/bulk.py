"""Many months of dues for many cells at once (the demo and the benchmark): what the monthly
"all paid" writes, computed in memory and inserted in bulk, then the maintained totals rebuilt
from the rows with a few grouped queries.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Sum
from django.utils import timezone

from apps.core.services import audited

from .models import DuesEntry, DuesMonthClose, DuesReceipt, MonthlyTotal, Remittance
from .rules import round_half_up
from .selectors import RuleSets, dues_for

CHUNK = 5000


def generate(*, user, cells: dict, months: list[date], skip=frozenset(), close_before: date | None = None, day=25):
    """`cells`: cell -> its members (who owe it every month of `months`); `skip`: (member id,
    month) pairs left unpaid. Each member pays each month on `day` (one receipt each), each cell
    remits its share to its parent in the same month, the parents theirs up to the top."""
    today = timezone.localdate()
    rule_sets = RuleSets()
    due_side = {}
    with audited(user):
        for cell, members in cells.items():
            ids = [m.pk for m in members]
            dues = dues_for(ids, months, rule_sets)
            receipts, entry_rows = [], []
            numbers = defaultdict(int)
            for month in months:
                paid_on = min(date(month.year, month.month, day), today)
                paid_total = members_paid = due_total = members_due = 0
                for m in members:
                    due = dues[(m.pk, month)]
                    if not due.amount:
                        continue
                    due_total += due.amount
                    members_due += 1
                    if (m.pk, month) in skip:
                        continue
                    numbers[paid_on.year] += 1
                    receipts.append(
                        DuesReceipt(
                            organization=cell,
                            member=m,
                            year=paid_on.year,
                            number=numbers[paid_on.year],
                            total=due.amount,
                            paid_on=paid_on,
                            recorded_by=user,
                        )
                    )
                    entry_rows.append((m, month, due))
                    paid_total += due.amount
                    members_paid += 1
                due_side[(cell.pk, month)] = (due_total, members_due, members_paid, paid_total)
            DuesReceipt.objects.bulk_create(receipts, batch_size=CHUNK)
            DuesEntry.objects.bulk_create(
                [
                    DuesEntry(
                        organization=cell,
                        member=m,
                        month=month,
                        booked_month=month,
                        amount=due.amount,
                        due=due.amount,
                        receipt=r,
                        rule_set_id=due.rule_set_id,
                        recorded_by=user,
                    )
                    for (m, month, due), r in zip(entry_rows, receipts, strict=True)
                ],
                batch_size=CHUNK,
            )
        rebuild_totals(due_side)
        _remit_up(user, list(cells), months, rule_sets, today, day)
        if close_before:
            DuesMonthClose.objects.bulk_create(
                [
                    DuesMonthClose(organization=c, month=m, closed_by=user)
                    for c in cells
                    for m in months
                    if m < close_before
                ],
                batch_size=CHUNK,
            )


def _remit_up(user, cells, months, rule_sets, today, day):
    """Every organization passes its share up, level by level from the deepest."""
    from apps.organizations.models import Organization

    orgs = {o.pk: o for o in cells}
    level = list(cells)
    while level:
        parent_ids = {o.parent_id for o in level if o.parent_id}
        parents = {o.pk: o for o in Organization.objects.filter(pk__in=parent_ids)}
        orgs.update(parents)
        totals = {(t.organization_id, t.month): t for t in MonthlyTotal.objects.filter(organization__in=level)}
        remittances = []
        for org in level:
            if not org.parent_id:
                continue
            for month in months:
                t = totals.get((org.pk, month))
                if t is None:
                    continue
                inflow = t.collected + t.received
                rs = rule_sets.for_month(month)
                amount = inflow - round_half_up(inflow * rs.keep_bp(org.kind), 10000, 1)
                if amount > 0:
                    remittances.append(
                        Remittance(
                            organization=org,
                            to_organization_id=org.parent_id,
                            month=month,
                            amount=amount,
                            paid_on=min(date(month.year, month.month, day), today),
                            channel="transfer",
                            reference=f"UNC-{org.code}-{month:%Y%m}",
                            recorded_by=user,
                        )
                    )
        Remittance.objects.bulk_create(remittances, batch_size=CHUNK)
        rebuild_totals(None, [o.pk for o in level] + list(parents))
        level = [p for p in parents.values() if p.parent_id]


def rebuild_totals(due_side: dict | None = None, org_ids=None) -> None:
    """Recompute the money side of `MonthlyTotal` from the ledger and the remittances (for the
    organizations named, or all), and set the due side where given."""
    values = defaultdict(dict)
    entries = DuesEntry.objects.all()
    out = Remittance.objects.all()
    inc = Remittance.objects.all()
    if org_ids is not None:
        entries = entries.filter(organization_id__in=org_ids)
        out = out.filter(organization_id__in=org_ids)
        inc = inc.filter(to_organization_id__in=org_ids)
    for r in entries.values("organization_id", "booked_month").annotate(s=Sum("amount")).order_by():
        values[(r["organization_id"], r["booked_month"])]["collected"] = r["s"]
    for r in out.values("organization_id", "month").annotate(s=Sum("amount")).order_by():
        values[(r["organization_id"], r["month"])]["remitted"] = r["s"]
    for r in inc.values("to_organization_id", "month").annotate(s=Sum("amount")).order_by():
        values[(r["to_organization_id"], r["month"])]["received"] = r["s"]
    for key, (due, members_due, members_paid, paid) in (due_side or {}).items():
        values[key].update(due=due, members_due=members_due, members_paid=members_paid, paid_for_month=paid)
    existing = {
        (t.organization_id, t.month): t for t in MonthlyTotal.objects.filter(organization_id__in={k[0] for k in values})
    }
    new, changed = [], []
    for key, v in values.items():
        t = existing.get(key)
        if t is None:
            new.append(MonthlyTotal(organization_id=key[0], month=key[1], **v))
        else:
            for f, x in v.items():
                setattr(t, f, x)
            changed.append(t)
    MonthlyTotal.objects.bulk_create(new, batch_size=CHUNK)
    fields = ["collected", "received", "remitted", "due", "members_due", "members_paid", "paid_for_month"]
    MonthlyTotal.objects.bulk_update(changed, fields, batch_size=CHUNK)
