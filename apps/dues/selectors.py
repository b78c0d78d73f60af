"""Reads: the cell's book, what members owe, arrears, remittance positions and reports.

Every figure for a subtree comes from the maintained `MonthlyTotal` rows (one indexed range per
month), never from summing ledger entries at read time.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Sum
from django.utils import timezone

from apps.accounts.models import User
from apps.members.models import CURRENT_STATUSES, Member
from apps.organizations.models import CELL_KINDS, Organization

from .models import (
    DuesBasis,
    DuesEntry,
    DuesExemption,
    DuesMonthClose,
    DuesReceipt,
    DuesRuleSet,
    MonthlyTotal,
    Remittance,
    month_last_day,
)
from .rules import Due, add_months, compute_due, first_of, months_between


class RuleSets:
    """All rule sets, loaded once, picked per month (the set in force on the month's last day)."""

    def __init__(self):
        self.sets = list(DuesRuleSet.objects.order_by("effective_from"))

    def for_month(self, month: date):
        day = month_last_day(month)
        found = None
        for rs in self.sets:
            if (rs.effective_from is None or rs.effective_from <= day) and (
                rs.effective_to is None or rs.effective_to >= day
            ):
                found = rs
        return found


def dues_for(member_ids, months, rule_sets: RuleSets | None = None) -> dict[tuple[int, date], Due]:
    """What each member owes for each month (two queries)."""
    rule_sets = rule_sets or RuleSets()
    bases, exemptions = defaultdict(list), defaultdict(list)
    for basis in DuesBasis.objects.filter(member_id__in=member_ids).order_by("since", "pk"):
        bases[basis.member_id].append(basis)
    for exemption in DuesExemption.objects.filter(member_id__in=member_ids).order_by("start_month", "pk"):
        exemptions[exemption.member_id].append(exemption)
    return {
        (mid, month): compute_due(rule_sets.for_month(month), bases[mid], exemptions[mid], month)
        for mid in member_ids
        for month in months
    }


def paid_for(member_ids, months) -> dict[tuple[int, date], int]:
    """Net amount paid per member and month, wherever it was booked."""
    rows = (
        DuesEntry.objects.filter(member_id__in=member_ids, month__in=months)
        .values("member_id", "month")
        .annotate(total=Sum("amount"))
    )
    return {(r["member_id"], r["month"]): r["total"] or 0 for r in rows}


def cell_members(organization, month: date) -> list[Member]:
    """The members who owe this cell the month: those in it on the month's last day."""
    from apps.meetings.rules import roll_for

    return [entry.member for entry in roll_for(organization, month_last_day(month))]


def cell_of(member, month: date) -> int:
    status, org_id = member.state_on(month_last_day(month))
    if org_id and status in CURRENT_STATUSES:
        return org_id
    # After the member's last recorded step (future months): their current cell.
    return member.organization_id if month > first_of(timezone.localdate()) else org_id


@dataclass
class BookRow:
    member: Member
    due: Due
    paid: int

    @property
    def remaining(self) -> int:
        return max((self.due.amount or 0) - self.paid, 0)

    @property
    def state(self) -> str:
        if self.due.amount is None:
            return "none"
        if self.due.exempt:
            return "exempt"
        if self.paid >= self.due.amount:
            return "paid"
        return "partial" if self.paid > 0 else "unpaid"


@dataclass
class Book:
    organization: Organization
    month: date
    rows: list[BookRow]
    rule_set: DuesRuleSet | None
    closed: bool
    totals: dict = field(default_factory=dict)


def is_closed(organization, month: date) -> bool:
    return DuesMonthClose.objects.filter(organization=organization, month=month).exists()


def cell_book(organization, month: date, rule_sets: RuleSets | None = None) -> Book:
    rule_sets = rule_sets or RuleSets()
    members = cell_members(organization, month)
    ids = [m.pk for m in members]
    dues = dues_for(ids, [month], rule_sets)
    paid = paid_for(ids, [month])
    rows = [BookRow(m, dues[(m.pk, month)], paid.get((m.pk, month), 0)) for m in members]
    book = Book(organization, month, rows, rule_sets.for_month(month), is_closed(organization, month))
    book.totals = {
        "members": len(rows),
        "due": sum(r.due.amount or 0 for r in rows),
        "paid": sum(min(r.paid, r.due.amount or 0) for r in rows),
        "paid_count": sum(1 for r in rows if r.state in ("paid", "exempt")),
        "remaining": sum(r.remaining for r in rows),
    }
    return book


def member_history(member, months: list[date]) -> list[dict]:
    dues = dues_for([member.pk], months)
    paid = paid_for([member.pk], months)
    out = []
    for month in months:
        due = dues[(member.pk, month)]
        got = paid.get((member.pk, month), 0)
        out.append({"month": month, "due": due, "paid": got, "remaining": max((due.amount or 0) - got, 0)})
    return out


def arrears(organization, until: date, months_back: int = 12) -> dict[str, list]:
    """Members of the cell behind by 1, 2, 3+ months over the months up to `until`."""
    # The current month is not late yet.
    current = first_of(timezone.localdate())
    months = [m for m in months_between(add_months(until, -(months_back - 1)), until) if m < current]
    members = cell_members(organization, until)
    ids = [m.pk for m in members]
    dues = dues_for(ids, months)
    paid = paid_for(ids, months)
    groups: dict[str, list] = {"1": [], "2": [], "3": []}
    for member in members:
        behind = [
            m
            for m in months
            if member_owed(member, m, organization) and (dues[(member.pk, m)].amount or 0) > paid.get((member.pk, m), 0)
        ]
        if behind:
            key = "3" if len(behind) >= 3 else str(len(behind))
            groups[key].append({"member": member, "months": behind})
    return groups


def member_owed(member, month: date, organization) -> bool:
    """Whether the member owed this cell the month (members who moved owe each cell its months)."""
    status, org_id = member.state_on(month_last_day(month))
    return org_id == organization.pk and status in CURRENT_STATUSES


def unpaid_three_months(organization, year: int, user: User | None = None) -> list[dict]:
    """Members of the subtree who did not pay for 3 or more months of `year` (the striking-off
    ground of RULES.md §6; feeds the screening list). Exempted months do not count."""
    months = [date(year, m, 1) for m in range(1, 13)]
    today = first_of(timezone.localdate())
    months = [m for m in months if m < today]  # the current month is not late yet
    members_qs = Member.objects.filter(status__in=CURRENT_STATUSES)
    members_qs = (
        members_qs.restrict_within(user, organization) if user is not None else members_qs.in_subtree(organization)
    )
    members = list(members_qs.prefetch_related("status_changes").order_by("sort_key", "pk"))
    ids = [m.pk for m in members]
    dues = dues_for(ids, months)
    paid = paid_for(ids, months)
    out = []
    for member in members:
        unpaid = []
        for m in months:
            status, org_id = member.state_on(month_last_day(m))
            if not org_id or status not in CURRENT_STATUSES:
                continue
            due = dues[(member.pk, m)]
            if due.amount and paid.get((member.pk, m), 0) < due.amount:
                unpaid.append(m)
        if len(unpaid) >= 3:
            out.append({"member": member, "months": unpaid})
    return out


# --- Remittance and reports, from the maintained totals -------------------------------------------


def totals_for(org_ids, months) -> dict[tuple[int, date], MonthlyTotal]:
    return {
        (t.organization_id, t.month): t
        for t in MonthlyTotal.objects.filter(organization_id__in=org_ids, month__in=months)
    }


@dataclass
class Position:
    organization: Organization
    month: date
    collected: int = 0
    received: int = 0
    remitted: int = 0
    kept: int = 0
    to_remit: int = 0

    @property
    def inflow(self) -> int:
        return self.collected + self.received

    @property
    def outstanding(self) -> int:
        return max(self.to_remit - self.remitted, 0)

    @property
    def reconciled(self) -> bool:
        return self.inflow == self.kept + self.remitted + self.outstanding


def position(organization, month: date, total: MonthlyTotal | None, rule_set) -> Position:
    p = Position(organization, month)
    if total is not None:
        p.collected, p.received, p.remitted = total.collected, total.received, total.remitted
    if organization.parent_id is None or rule_set is None:
        p.to_remit = 0
    else:
        from .rules import round_half_up

        p.to_remit = p.inflow - round_half_up(p.inflow * rule_set.keep_bp(organization.kind), 10000, 1)
    p.kept = p.inflow - max(p.to_remit, p.remitted)
    return p


def remittance_view(organization, month: date) -> dict:
    """What the organization received this month and from whom, what it must pass up, what is outstanding."""
    rule_set = RuleSets().for_month(month)
    children = list(Organization.objects.filter(parent=organization).order_by("path"))
    totals = totals_for([organization.pk] + [c.pk for c in children], [month])
    own = position(organization, month, totals.get((organization.pk, month)), rule_set)
    rows = [position(c, month, totals.get((c.pk, month)), rule_set) for c in children]
    received_from = defaultdict(int)
    for r in (
        Remittance.objects.filter(to_organization=organization, month=month)
        .values("organization_id")
        .annotate(s=Sum("amount"))
    ):
        received_from[r["organization_id"]] = r["s"]
    remittances_in = list(
        Remittance.objects.filter(to_organization=organization, month=month).select_related("organization")
    )
    remittances_out = list(Remittance.objects.filter(organization=organization, month=month))
    return {
        "own": own,
        "children": [r for r in rows if r.inflow or r.remitted or r.organization.kind in CELL_KINDS],
        "received_from": received_from,
        "remittances_in": remittances_in,
        "remittances_out": remittances_out,
        "rule_set": rule_set,
    }


PERIODS = ("month", "quarter", "year")


def period_months(period: str, year: int, number: int) -> list[date]:
    if period == "year":
        return [date(year, m, 1) for m in range(1, 13)]
    if period == "quarter":
        return [date(year, 3 * (number - 1) + m, 1) for m in range(1, 4)]
    return [date(year, number, 1)]


def subtree_report(organization, months: list[date]) -> dict:
    """Per direct child and for the whole subtree: members due, due, collected, remitted, arrears.

    Sums of the maintained totals, grouped by the child each organization sits under: one query
    whatever the number of cells.
    """
    children = list(Organization.objects.filter(parent=organization).order_by("path"))
    fields = ("due", "members_due", "members_paid", "paid_for_month", "collected", "received", "remitted")
    rows = []
    qs = MonthlyTotal.objects.filter(month__in=months, organization__path__startswith=organization.path)
    aggregates = {f: Sum(f) for f in fields}
    by_path = {}
    if children:
        # One grouped query: every total under a child, keyed by the child's path prefix.
        plen = len(children[0].path)
        from django.db.models.functions import Substr

        grouped = (
            qs.exclude(organization=organization)
            .annotate(prefix=Substr("organization__path", 1, plen))
            .values("prefix")
            .annotate(**aggregates)
        )
        by_path = {g["prefix"]: g for g in grouped}
    own = qs.filter(organization=organization).aggregate(**aggregates)
    # The whole subtree is its own totals plus every child's: no third scan of the totals.
    whole = {f: (own[f] or 0) + sum(g[f] or 0 for g in by_path.values()) for f in fields}

    def row(label, org, values):
        values = {f: (values or {}).get(f) or 0 for f in fields}
        values["arrears"] = max(values["due"] - values["paid_for_month"], 0)
        values["label"] = label
        values["organization"] = org
        return values

    first = months[0]
    for child in children:
        values = by_path.get(child.path)
        # An organization ended before the period, with no figures in it, is no row of the report.
        if values is None and child.ended_on is not None and child.ended_on < first:
            continue
        rows.append(row(child.name, child, values))
    if any(own.values()):
        rows.append(row(organization.name, organization, own))
    return {"rows": rows, "total": row("", organization, whole), "months": months}


def member_receipts(member):
    """The receipts of a member the caller loaded through the door."""
    return (
        DuesReceipt.objects.vouched("receipts of a member loaded through the door")
        .filter(member=member)
        .prefetch_related("entries")
        .order_by("-paid_on", "-pk")
    )


def closed_months(organization, months) -> set[date]:
    return set(
        DuesMonthClose.objects.filter(organization=organization, month__in=months).values_list("month", flat=True)
    )


def counts_by_state(book: Book) -> dict:
    counts: defaultdict[str, int] = defaultdict(int)
    for row in book.rows:
        counts[row.state] += 1
    return dict(counts)
