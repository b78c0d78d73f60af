"""Writes: bases, exemptions, payments (one, several months, partial, "all paid"), reversals,
month closing, remittances and reminders. Each runs inside `audited(user)` and keeps the
organization's `MonthlyTotal` rows in step in the same transaction.
"""

from __future__ import annotations

from datetime import date

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.services import audited, require_org
from apps.core.templatetags.vn import format_int

from . import selectors
from .models import (
    AMOUNT_CATEGORIES,
    Category,
    Channel,
    DuesBasis,
    DuesEntry,
    DuesExemption,
    DuesMonthClose,
    DuesReceipt,
    EntryKind,
    ExemptionKind,
    MonthlyTotal,
    Remittance,
)
from .rules import add_months, first_of


def month_label(month: date) -> str:
    return f"{month.month:02d}/{month.year}"


# --- Totals ---------------------------------------------------------------------------------------


def bump(org_id: int, month: date, **deltas) -> None:
    """Add to an organization's month totals (created on first use)."""
    deltas = {k: v for k, v in deltas.items() if v}
    if not deltas:
        return
    updated = MonthlyTotal.objects.filter(organization_id=org_id, month=month).update(
        **{k: F(k) + v for k, v in deltas.items()}
    )
    if not updated:
        MonthlyTotal.objects.create(organization_id=org_id, month=month, **deltas)


def refresh_cell_month(organization, month: date, book=None) -> None:
    """Recompute the due side of a cell's month totals from its book."""
    book = book or selectors.cell_book(organization, month)
    values = {
        "due": book.totals["due"],
        "members_due": sum(1 for r in book.rows if (r.due.amount or 0) > 0),
        "members_paid": sum(1 for r in book.rows if (r.due.amount or 0) > 0 and r.state == "paid"),
        "paid_for_month": book.totals["paid"],
    }
    updated = MonthlyTotal.objects.filter(organization=organization, month=month).update(**values)
    if not updated:
        MonthlyTotal.objects.create(organization=organization, month=month, **values)


def _bulk_log(objects, actor) -> None:
    """Audit rows written by bulk_create (which sends no signals): one creation entry each."""
    if not objects:
        return
    ct = ContentType.objects.get_for_model(objects[0].__class__)
    now = timezone.now()
    LogEntry.objects.bulk_create(
        [
            LogEntry(
                content_type=ct,
                object_pk=str(o.pk),
                object_id=o.pk,
                object_repr=str(o)[:200],
                action=LogEntry.Action.CREATE,
                changes={"amount": ["None", str(getattr(o, "amount", getattr(o, "total", "")))]},
                actor=actor,
                timestamp=now,
            )
            for o in objects
        ]
    )


# --- Bases and exemptions -------------------------------------------------------------------------


def _positive(value, field: str, message: str | None = None) -> int | None:
    if value in (None, ""):
        return None
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("Số tiền phải là số nguyên đồng.")}) from None
    if value <= 0:
        raise ValidationError({field: message or _("Số tiền phải lớn hơn 0.")})
    return value


def validate_basis(*, category: str, amount, declared_amount=None, since: date | None) -> tuple:
    if category not in Category.values:
        raise ValidationError({"category": _("Đối tượng không hợp lệ.")})
    amount = _positive(amount, "amount", _("Số tiền làm căn cứ không được âm hoặc bằng 0."))
    declared = _positive(declared_amount, "declared_amount")
    if category in AMOUNT_CATEGORIES and amount is None:
        raise ValidationError(
            {"amount": _("Đối tượng này đóng theo tỷ lệ: hãy nhập số tiền làm căn cứ (lương, trợ cấp, lương hưu).")}
        )
    if since is None:
        raise ValidationError({"since": _("Hãy chọn tháng bắt đầu áp dụng.")})
    if category in (Category.OTHER, Category.ABROAD) and amount is None:
        rule_set = selectors.RuleSets().for_month(first_of(since))
        fixed = None
        if rule_set is not None:
            fixed = rule_set.abroad_amount if category == Category.ABROAD else rule_set.other_amount
        if fixed is None:
            raise ValidationError(
                {"amount": _("Bộ quy tắc chưa quy định mức cho đối tượng này: hãy nhập số tiền đóng hằng tháng.")}
            )
    return amount, declared, first_of(since)


def basis_add(*, user: User, member, category: str, amount=None, since: date, declared_amount=None, note: str = ""):
    require_org(user, member.organization)
    amount, declared, since = validate_basis(
        category=category, amount=amount, declared_amount=declared_amount, since=since
    )
    with audited(user):
        basis = DuesBasis.objects.create(
            member=member, category=category, amount=amount, declared_amount=declared, since=since, note=note
        )
        _refresh_after_basis(member, since)
        return basis


def exemption_add(
    *, user: User, member, kind: str, start_month: date, end_month=None, percent=None, reason="", decision=""
):
    require_org(user, member.organization)
    errors = {}
    if kind not in ExemptionKind.values:
        errors["kind"] = _("Hình thức không hợp lệ.")
    if kind == ExemptionKind.REDUCE:
        try:
            percent = int(percent)
        except (TypeError, ValueError):
            percent = None
        if percent is None or not 0 < percent < 100:
            errors["percent"] = _("Mức giảm phải từ 1 đến 99 %.")
    else:
        percent = None
    if not (reason or "").strip():
        errors["reason"] = _("Hãy ghi lý do miễn, giảm.")
    if not (decision or "").strip():
        errors["decision"] = _("Hãy ghi số quyết định miễn, giảm.")
    if start_month is None:
        errors["start_month"] = _("Hãy chọn tháng bắt đầu.")
    elif end_month is not None and first_of(end_month) < first_of(start_month):
        errors["end_month"] = _("Tháng kết thúc phải sau tháng bắt đầu.")
    if errors:
        raise ValidationError(errors)
    with audited(user):
        exemption = DuesExemption.objects.create(
            member=member,
            kind=kind,
            percent=percent,
            start_month=first_of(start_month),
            end_month=first_of(end_month) if end_month else None,
            reason=reason.strip(),
            decision=decision.strip(),
        )
        _refresh_after_basis(member, first_of(start_month))
        return exemption


def _refresh_after_basis(member, since: date) -> None:
    """The due side of the member's cell for the current month, when the change reaches it and
    the cell already has figures for it (closed months keep what they were closed with)."""
    month = first_of(timezone.localdate())
    if since > month or not member.organization.is_cell:
        return
    if MonthlyTotal.objects.filter(organization=member.organization, month=month).exists():
        if not selectors.is_closed(member.organization, month):
            refresh_cell_month(member.organization, month)


# --- Payments -------------------------------------------------------------------------------------


def _check_open(organization, booked: date) -> None:
    if selectors.is_closed(organization, booked):
        raise ValidationError(
            _("Sổ tháng %(month)s của %(org)s đã khóa: không ghi thêm được.")
            % {"month": month_label(booked), "org": organization.name}
        )


def _check_channel(channel: str, reference: str) -> None:
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Hình thức nộp không hợp lệ.")})
    if channel in (Channel.TRANSFER, Channel.PORTAL) and not (reference or "").strip():
        raise ValidationError({"reference": _("Nộp chuyển khoản cần ghi mã giao dịch.")})


def _paid_on(paid_on: date | None) -> date:
    today = timezone.localdate()
    paid_on = paid_on or today
    if paid_on > today:
        raise ValidationError({"paid_on": _("Ngày nộp không được sau hôm nay.")})
    return paid_on


def _next_numbers(organization, year: int, count: int) -> list[int]:
    last = DuesReceipt.objects.filter(organization=organization, year=year).aggregate(n=Max("number"))["n"] or 0
    return list(range(last + 1, last + 1 + count))


def payment_record(
    *,
    user: User,
    organization,
    member,
    months: list[date],
    amount=None,
    channel: str = Channel.CASH,
    reference: str = "",
    paid_on: date | None = None,
    note: str = "",
) -> DuesReceipt:
    """One payment by one member for one or several months (in order). `amount` less than what
    is owed is a partial payment, filling the months in order; None pays all of it."""
    require_org(user, organization)
    if not months:
        raise ValidationError({"months": _("Hãy chọn ít nhất một tháng.")})
    months = sorted({first_of(m) for m in months})
    paid_on = _paid_on(paid_on)
    booked = first_of(paid_on)
    _check_channel(channel, reference)
    member.refresh_from_db()
    for month in months:
        if selectors.cell_of(member, month) != organization.pk:
            raise ValidationError(
                {
                    "months": _("Tháng %(month)s đồng chí %(name)s không sinh hoạt ở %(org)s.")
                    % {"month": month_label(month), "name": member.full_name, "org": organization.name}
                }
            )
    dues = selectors.dues_for([member.pk], months)
    paid = selectors.paid_for([member.pk], months)
    owed = []
    for month in months:
        due = dues[(member.pk, month)]
        if due.amount is None:
            raise ValidationError(
                {"months": _("Tháng %(month)s: %(problem)s") % {"month": month_label(month), "problem": due.problem}}
            )
        remaining = due.amount - paid.get((member.pk, month), 0)
        if remaining <= 0:
            raise ValidationError({"months": _("Tháng %(month)s đã đóng đủ.") % {"month": month_label(month)}})
        owed.append((month, remaining, due.amount, due.rule_set_id))
    total_owed = sum(r for _m, r, _d, _s in owed)
    if amount in (None, ""):
        amount = total_owed
    try:
        amount = int(amount)
    except (TypeError, ValueError):
        raise ValidationError({"amount": _("Số tiền phải là số nguyên đồng.")}) from None
    if amount <= 0:
        raise ValidationError({"amount": _("Số tiền nộp phải lớn hơn 0.")})
    if amount > total_owed:
        raise ValidationError(
            {
                "amount": _("Số tiền %(amount)s đ vượt số còn phải đóng của các tháng đã chọn (%(owed)s đ).")
                % {"amount": format_int(amount), "owed": format_int(total_owed)}
            }
        )
    with audited(user):
        _check_open(organization, booked)
        receipt = DuesReceipt.objects.create(
            organization=organization,
            member=member,
            year=paid_on.year,
            number=_next_numbers(organization, paid_on.year, 1)[0],
            total=amount,
            paid_on=paid_on,
            channel=channel,
            reference=(reference or "").strip(),
            recorded_by=user,
        )
        left = amount
        for month, remaining, due_amount, rule_set_id in owed:
            if left <= 0:
                break
            part = min(left, remaining)
            DuesEntry.objects.create(
                organization=organization,
                member=member,
                month=month,
                booked_month=booked,
                amount=part,
                due=due_amount,
                receipt=receipt,
                rule_set_id=rule_set_id,
                note=note,
                recorded_by=user,
            )
            left -= part
        bump(organization.pk, booked, collected=amount)
        for month, *_rest in owed:
            if month <= first_of(timezone.localdate()):
                refresh_cell_month(organization, month)
    return receipt


def pay_all(
    *,
    user: User,
    organization,
    month: date,
    channel: str = Channel.CASH,
    reference: str = "",
    paid_on=None,
    members=None,
) -> int:
    """Every member of the cell who still owes the month pays the rest of it, in cash at the
    meeting (one receipt each). Bulk writes: a bounded number of queries whatever the cell's size."""
    require_org(user, organization)
    month = first_of(month)
    paid_on = _paid_on(paid_on)
    booked = first_of(paid_on)
    _check_channel(channel, reference)
    book = selectors.cell_book(organization, month)
    # Members who paid part of the month already are settled one by one, not here.
    owing = [r for r in book.rows if r.due.amount is not None and r.remaining > 0 and r.paid == 0]
    if members is not None:  # only these (ids), e.g. the ones ticked on the page
        owing = [r for r in owing if r.member.pk in set(members)]
    if not owing:
        raise ValidationError(_("Không còn đảng viên nào phải đóng tháng %(month)s.") % {"month": month_label(month)})
    with audited(user):
        _check_open(organization, booked)
        numbers = _next_numbers(organization, paid_on.year, len(owing))
        receipts = DuesReceipt.objects.bulk_create(
            [
                DuesReceipt(
                    organization=organization,
                    member=r.member,
                    year=paid_on.year,
                    number=n,
                    total=r.remaining,
                    paid_on=paid_on,
                    channel=channel,
                    reference=reference,
                    recorded_by=user,
                    recorded_at=timezone.now(),
                )
                for r, n in zip(owing, numbers, strict=True)
            ]
        )
        if receipts and receipts[0].pk is None:  # backends that do not return ids
            by_number = dict(
                DuesReceipt.objects.filter(
                    organization=organization, year=paid_on.year, number__in=numbers
                ).values_list("number", "pk")
            )
            for receipt in receipts:
                receipt.pk = by_number[receipt.number]
        entries = DuesEntry.objects.bulk_create(
            [
                DuesEntry(
                    organization=organization,
                    member=r.member,
                    month=month,
                    booked_month=booked,
                    amount=r.remaining,
                    due=r.due.amount or 0,  # owing rows all have an amount
                    receipt=receipt,
                    rule_set_id=r.due.rule_set_id,
                    recorded_by=user,
                    recorded_at=timezone.now(),
                )
                for r, receipt in zip(owing, receipts, strict=True)
            ]
        )
        _bulk_log(receipts, user)
        total = sum(r.remaining for r in owing)
        bump(organization.pk, booked, collected=total)
        for r in owing:
            r.paid += r.remaining
        book.totals["paid"] = sum(min(r.paid, r.due.amount or 0) for r in book.rows)
        refresh_cell_month(organization, month, book)
    return len(entries)


def entry_reverse(*, user: User, entry: DuesEntry, reason: str, on: date | None = None) -> DuesEntry:
    """A correction: a new entry of the opposite amount, booked in an open month; both stay."""
    require_org(user, entry.organization)
    if entry.kind != EntryKind.PAYMENT:
        raise ValidationError(_("Không đảo một bút toán điều chỉnh."))
    if DuesEntry.objects.filter(reverses=entry).exists():
        raise ValidationError(_("Bút toán này đã được đảo."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Hãy ghi lý do điều chỉnh.")})
    on = _paid_on(on)
    booked = first_of(on)
    with audited(user):
        _check_open(entry.organization, booked)
        reversal = DuesEntry.objects.create(
            organization=entry.organization,
            member=entry.member,
            month=entry.month,
            booked_month=booked,
            amount=-entry.amount,
            due=entry.due,
            kind=EntryKind.REVERSAL,
            reverses=entry,
            receipt=None,
            rule_set_id=entry.rule_set_id,
            note=reason.strip()[:255],
            recorded_by=user,
        )
        bump(entry.organization_id, booked, collected=-entry.amount)
        if entry.month <= first_of(timezone.localdate()):
            refresh_cell_month(entry.organization, entry.month)
    return reversal


def month_close(*, user: User, organization, month: date) -> DuesMonthClose:
    require_org(user, organization)
    month = first_of(month)
    if month > first_of(timezone.localdate()):
        raise ValidationError(_("Không khóa sổ tháng chưa đến."))
    if DuesMonthClose.objects.filter(organization=organization, month=month).exists():
        raise ValidationError(_("Sổ tháng %(month)s đã khóa.") % {"month": month_label(month)})
    with audited(user):
        if organization.is_cell:
            refresh_cell_month(organization, month)
        return DuesMonthClose.objects.create(organization=organization, month=month, closed_by=user)


def remittance_record(
    *,
    user: User,
    organization,
    month: date,
    amount,
    paid_on: date | None = None,
    channel=Channel.TRANSFER,
    reference="",
) -> Remittance:
    """The organization passes `amount` of a month's dues up to its directly higher level."""
    require_org(user, organization)
    if organization.parent_id is None:
        raise ValidationError(_("Tổ chức cấp cao nhất không nộp lên cấp trên."))
    month = first_of(month)
    amount = _positive(amount, "amount", _("Số tiền nộp lên phải lớn hơn 0."))
    if amount is None:
        raise ValidationError({"amount": _("Hãy nhập số tiền nộp lên.")})
    paid_on = _paid_on(paid_on)
    _check_channel(channel, reference)
    view = selectors.remittance_view(organization, month)
    own = view["own"]
    if amount > own.inflow - own.remitted:
        raise ValidationError(
            {
                "amount": _("Số tiền %(amount)s đ vượt số đảng phí tháng %(month)s còn giữ (%(left)s đ).")
                % {
                    "amount": format_int(amount),
                    "month": month_label(month),
                    "left": format_int(own.inflow - own.remitted),
                }
            }
        )
    with audited(user):
        remittance = Remittance.objects.create(
            organization=organization,
            to_organization_id=organization.parent_id,
            month=month,
            amount=amount,
            paid_on=paid_on,
            channel=channel,
            reference=(reference or "").strip(),
            recorded_by=user,
        )
        bump(organization.pk, month, remitted=amount)
        bump(organization.parent_id, month, received=amount)
    return remittance


def reminders_send(*, user: User, organization, month: date) -> int:
    """A reminder, in the product's notifications, to each member of the cell still owing the month."""
    from apps.meetings.models import Notification, Topic
    from apps.notices.models import Topic as NoticeTopic
    from apps.notices.services import notify

    require_org(user, organization)
    book = selectors.cell_book(organization, first_of(month))
    owing = [r for r in book.rows if r.remaining > 0]
    if not owing:
        raise ValidationError(_("Không có đảng viên nào còn nợ đảng phí tháng này."))
    with audited(user):
        for r in owing:
            Notification.objects.create(
                organization=organization,
                topic=Topic.DUES,
                recipient=r.member.user if r.member.user_id else None,
                member=r.member,
                text=_("Nhắc đóng đảng phí tháng %(month)s: còn %(amount)s đ.")
                % {"month": month_label(book.month), "amount": format_int(r.remaining)},
            )
            notify(
                r.member.user if r.member.user_id else None,
                NoticeTopic.OVERDUE,
                _("Nhắc đóng đảng phí tháng %(month)s") % {"month": month_label(book.month)},
                _("Nhắc đóng đảng phí tháng %(month)s: còn %(amount)s đ.")
                % {"month": month_label(book.month), "amount": format_int(r.remaining)},
                reverse("dues:mine"),
                in_app=False,
            )
    return len(owing)


def previous_month(day: date | None = None) -> date:
    return add_months(first_of(day or timezone.localdate()), -1)
