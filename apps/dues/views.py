"""Thin views: parse, call a service, render or redirect. Rows load only through the scoping door."""

from __future__ import annotations

import re
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.core.documents import file_response
from apps.core.forms import apply_errors, error_messages
from apps.core.scoping import CHANGE, VIEW, scope_for
from apps.core.views import get_or_404, get_scoped
from apps.core.xlsx import xlsx_response
from apps.members.models import Member
from apps.organizations.models import Organization

from . import documents, forms, imports, selectors, services
from .models import DuesEntry, DuesImport, DuesReceipt, DuesRuleSet, MonthlyTotal
from .rules import add_months, first_of, months_between


def _month(request, key: str = "thang") -> date:
    value = request.POST.get(key) or request.GET.get(key) or ""
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", value.strip())
    if m and 1 <= int(m.group(2)) <= 12 and 1990 <= int(m.group(1)) <= 2100:
        return date(int(m.group(1)), int(m.group(2)), 1)
    return first_of(timezone.localdate())


def _org(request, pk, action=VIEW):
    return get_scoped(Organization, request.user, pk, action)


def _month_nav(month: date) -> dict:
    return {"month": month, "prev": add_months(month, -1), "next": add_months(month, 1)}


@login_required
def index(request):
    scope = scope_for(request.user)
    if not scope.has_any_org:
        return redirect("dues:mine")
    pk = request.GET.get("org")
    if pk:
        org = _org(request, pk)
    else:
        org = Organization.objects.restrict(request.user).current().order_by("depth", "path").first()
        if org is None:
            return redirect("dues:mine")
    month = _month(request)
    children = list(Organization.objects.restrict(request.user).filter(parent=org).current().order_by("path"))
    totals = selectors.totals_for([org.pk] + [c.pk for c in children], [month])
    rule_set = selectors.RuleSets().for_month(month)
    rows = [(c, totals.get((c.pk, month)) or MonthlyTotal(organization=c, month=month)) for c in children]
    return render(
        request,
        "dues/index.html",
        {"org": org, "rows": rows, "own": totals.get((org.pk, month)), "rule_set": rule_set, **_month_nav(month)},
    )


def _book_context(request, org, month, book=None):
    book = book or selectors.cell_book(org, month)
    can_change = scope_for(request.user).reaches_org(org, CHANGE)
    # Money is booked in the month it comes in: a late payment for a closed month is still taken
    # while the current month is open.
    today = first_of(timezone.localdate())
    booking_open = not (book.closed if month == today else selectors.is_closed(org, today))
    return {"org": org, "book": book, "can_change": can_change and booking_open, **_month_nav(month)}


@login_required
def book(request, org_pk):
    org = _org(request, org_pk)
    if not org.is_cell:
        raise Http404
    month = _month(request)
    return render(request, "dues/book.html", _book_context(request, org, month))


def _book_member(org, member_pk, month):
    # A member belongs to a month's book by their history (they may have moved on since), so
    # the row is taken by pk and accepted only when it sat in `org` (loaded through the door).
    member = get_or_404(
        Member.objects.vouched("checked against the book's organization just below").prefetch_related("status_changes"),
        member_pk,
    )
    if selectors.cell_of(member, month) != org.pk:
        raise Http404
    return member


@login_required
@require_POST
def tap(request, org_pk, member_pk):
    """One tap: the member pays the rest of the month, in cash."""
    org = _org(request, org_pk, CHANGE)
    month = _month(request)
    member = _book_member(org, member_pk, month)
    error = ""
    try:
        services.payment_record(user=request.user, organization=org, member=member, months=[month])
    except ValidationError as exc:
        error = " ".join(error_messages(exc))
    except PermissionDenied as exc:
        raise Http404 from exc
    book = selectors.cell_book(org, month)
    if request.htmx:
        row = next((r for r in book.rows if r.member.pk == member.pk), None)
        context = {**_book_context(request, org, month, book), "row": row, "error": error}
        return render(request, "dues/partials/book_row.html", context)
    if error:
        messages.error(request, error)
    return redirect(f"{reverse('dues:book', args=[org.pk])}?thang={month:%Y-%m}")


@login_required
@require_POST
def pay_all(request, org_pk):
    org = _org(request, org_pk, CHANGE)
    month = _month(request)
    try:
        n = services.pay_all(user=request.user, organization=org, month=month)
        messages.success(
            request, _("Đã ghi thu đủ tháng %(month)s cho %(n)s đảng viên.") % {"month": f"{month:%m/%Y}", "n": n}
        )
    except ValidationError as exc:
        for m in error_messages(exc):
            messages.error(request, m)
    except PermissionDenied as exc:
        raise Http404 from exc
    return redirect(f"{reverse('dues:book', args=[org.pk])}?thang={month:%Y-%m}")


@login_required
def payment(request, org_pk, member_pk):
    """Several months (advance), a partial payment, a transfer with its reference."""
    org = _org(request, org_pk, CHANGE)
    month = _month(request)
    member = _book_member(org, member_pk, month)
    form = forms.PaymentForm(request.POST or None, initial={"start": f"{month:%m/%Y}", "count": 1})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        months = [add_months(d["start"], i) for i in range(d["count"])]
        try:
            receipt = services.payment_record(
                user=request.user,
                organization=org,
                member=member,
                months=months,
                amount=d["amount"],
                channel=d["channel"],
                reference=d["reference"],
                paid_on=d["paid_on"],
            )
            messages.success(request, _("Đã ghi phiếu thu số %(number)s.") % {"number": str(receipt)})
            return redirect(f"{reverse('dues:book', args=[org.pk])}?thang={month:%Y-%m}")
        except ValidationError as exc:
            apply_errors(form, exc, {"months": "start"})
        except PermissionDenied as exc:
            raise Http404 from exc
    history = selectors.member_history(member, months_between(add_months(month, -5), add_months(month, 6)))
    return render(
        request, "dues/payment.html", {"org": org, "member": member, "form": form, "history": history, "month": month}
    )


@login_required
@require_POST
def close(request, org_pk):
    org = _org(request, org_pk, CHANGE)
    month = _month(request)
    try:
        services.month_close(user=request.user, organization=org, month=month)
        messages.success(request, _("Đã khóa sổ tháng %(month)s.") % {"month": f"{month:%m/%Y}"})
    except ValidationError as exc:
        for m in error_messages(exc):
            messages.error(request, m)
    except PermissionDenied as exc:
        raise Http404 from exc
    target = "dues:book" if org.is_cell else "dues:remittance"
    return redirect(f"{reverse(target, args=[org.pk])}?thang={month:%Y-%m}")


@login_required
def reverse_entry(request, pk):
    entry = get_scoped(DuesEntry, request.user, pk, CHANGE, DuesEntry.objects.select_related("member", "organization"))
    form = forms.ReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_reverse(user=request.user, entry=entry, reason=form.cleaned_data["reason"])
            messages.success(request, _("Đã ghi bút toán điều chỉnh."))
            return redirect("dues:member", entry.member_id)
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            raise Http404 from exc
    return render(request, "dues/reverse.html", {"entry": entry, "form": form})


@login_required
def receipt_pdf(request, pk):
    receipt = get_scoped(
        DuesReceipt, request.user, pk, VIEW, DuesReceipt.objects.select_related("member", "organization__parent")
    )
    content = documents.receipt_document(receipt).to_pdf()
    return file_response(content, f"phieu-thu-dang-phi-{receipt.year}-{receipt.number:04d}.pdf", "pdf")


def _member_page(request, member, own: bool):
    today = first_of(timezone.localdate())
    months = months_between(date(today.year - 1, 1, 1), add_months(today, 3))
    history = [h for h in selectors.member_history(member, months) if h["due"].amount is not None or h["paid"]]
    return {
        "member": member,
        "history": list(reversed(history)),
        "receipts": list(selectors.member_receipts(member)[:50]),
        "bases": list(member.dues_bases.order_by("-since", "-pk")),
        "exemptions": list(member.dues_exemptions.order_by("-start_month")),
        "entries": list(member.dues_entries.select_related("organization").order_by("-month", "-pk")[:60]),
        "own": own,
        "can_change": (not own) and scope_for(request.user).reaches_org(member.organization, CHANGE),
    }


@login_required
def mine(request):
    member = getattr(request.user, "member", None) if hasattr(request.user, "member") else None
    if member is None:
        return render(request, "dues/mine.html", {"member": None})
    return render(request, "dues/mine.html", _member_page(request, member, True))


@login_required
def member_page(request, member_pk):
    member = get_scoped(Member, request.user, member_pk, VIEW)
    own = scope_for(request.user).member_id == member.pk and not scope_for(request.user).reaches_org(
        member.organization, VIEW
    )
    context = _member_page(request, member, own)
    context["basis_form"] = forms.BasisForm(prefix="b")
    context["exemption_form"] = forms.ExemptionForm(prefix="e")
    return render(request, "dues/member.html", context)


# The two forms of a member's dues page: (form class, prefix, service, message when saved).
MEMBER_FORMS = {
    "basis_form": (forms.BasisForm, "b", services.basis_add, gettext_lazy("Đã ghi căn cứ đóng đảng phí.")),
    "exemption_form": (forms.ExemptionForm, "e", services.exemption_add, gettext_lazy("Đã ghi miễn, giảm đảng phí.")),
}


def _member_form_post(request, member_pk, posted: str):
    """Save one of the member page's forms; on an error show the page again with it filled in."""
    member = get_scoped(Member, request.user, member_pk, CHANGE)
    form_class, prefix, service, saved = MEMBER_FORMS[posted]
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            service(user=request.user, member=member, **form.cleaned_data)
            messages.success(request, saved)
            return redirect("dues:member", member.pk)
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            raise Http404 from exc
    context = _member_page(request, member, False)
    context.update({name: cls(prefix=p) for name, (cls, p, _s, _m) in MEMBER_FORMS.items()})
    context[posted] = form
    return render(request, "dues/member.html", context, status=400)


@login_required
@require_POST
def basis_add(request, member_pk):
    return _member_form_post(request, member_pk, "basis_form")


@login_required
@require_POST
def exemption_add(request, member_pk):
    return _member_form_post(request, member_pk, "exemption_form")


@login_required
def remittance(request, org_pk):
    org = _org(request, org_pk)
    month = _month(request)
    form = forms.RemittanceForm(request.POST or None)
    can_change = scope_for(request.user).reaches_org(org, CHANGE)
    if request.method == "POST":
        if not can_change:
            raise Http404
        if form.is_valid():
            try:
                services.remittance_record(user=request.user, organization=org, month=month, **form.cleaned_data)
                messages.success(request, _("Đã ghi nộp đảng phí lên cấp trên."))
                return redirect(f"{reverse('dues:remittance', args=[org.pk])}?thang={month:%Y-%m}")
            except ValidationError as exc:
                apply_errors(form, exc)
            except PermissionDenied as exc:
                raise Http404 from exc
    view = selectors.remittance_view(org, month)
    if not request.POST and view["own"].outstanding:
        form.initial["amount"] = view["own"].outstanding
    return render(
        request,
        "dues/remittance.html",
        {"org": org, "form": form, "can_change": can_change, **view, **_month_nav(month)},
    )


def _period(request):
    kind = request.GET.get("ky", "month")
    if kind not in selectors.PERIODS:
        kind = "month"
    month = _month(request)
    try:
        year = int(request.GET.get("nam") or month.year)
        number = int(request.GET.get("so") or (month.month if kind == "month" else (month.month - 1) // 3 + 1))
    except ValueError:
        year, number = month.year, month.month
    if not 1990 <= year <= 2100:
        year = month.year
    number = min(max(number, 1), 12 if kind == "month" else 4)
    return kind, year, number


def _period_label(kind, year, number) -> str:
    if kind == "year":
        return _("Năm %(year)s") % {"year": year}
    if kind == "quarter":
        return _("Quý %(q)s năm %(year)s") % {"q": number, "year": year}
    return _("Tháng %(m)02d/%(year)s") % {"m": number, "year": year}


def _report(request, org_pk):
    org = _org(request, org_pk)
    kind, year, number = _period(request)
    months = selectors.period_months(kind, year, number)
    report = selectors.subtree_report(org, months)
    return org, report, _period_label(kind, year, number), (kind, year, number)


@login_required
def report(request, org_pk):
    org, data, label, (kind, year, number) = _report(request, org_pk)
    return render(
        request,
        "dues/report.html",
        {
            "org": org,
            "report": data,
            "label": label,
            "kind": kind,
            "year": year,
            "number": number,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def report_xlsx(request, org_pk):
    org, data, label, _p = _report(request, org_pk)
    columns, rows = documents.report_table(data)
    return xlsx_response(f"bao-cao-dang-phi-{org.code}.xlsx", columns, rows, sheet_title=_("Đảng phí"))


@login_required
def report_pdf(request, org_pk):
    org, data, label, _p = _report(request, org_pk)
    content = documents.report_document(org, data, label).to_pdf()
    return file_response(content, f"bao-cao-dang-phi-{org.code}.pdf", "pdf")


@login_required
def arrears(request, org_pk):
    org = _org(request, org_pk)
    if not org.is_cell:
        raise Http404
    month = _month(request)
    groups = selectors.arrears(org, month)
    year_unpaid = selectors.unpaid_three_months(org, month.year, request.user)
    can_change = scope_for(request.user).reaches_org(org, CHANGE)
    context = {"org": org, "groups": groups, "year_unpaid": year_unpaid, "can_change": can_change}
    return render(request, "dues/arrears.html", {**context, **_month_nav(month)})


@login_required
@require_POST
def remind(request, org_pk):
    org = _org(request, org_pk, CHANGE)
    month = _month(request)
    try:
        n = services.reminders_send(user=request.user, organization=org, month=month)
        messages.success(request, _("Đã gửi nhắc nhở tới %(n)s đảng viên.") % {"n": n})
    except ValidationError as exc:
        for m in error_messages(exc):
            messages.error(request, m)
    except PermissionDenied as exc:
        raise Http404 from exc
    return redirect(f"{reverse('dues:arrears', args=[org.pk])}?thang={month:%Y-%m}")


@login_required
def rule_sets(request):
    return render(request, "dues/rule_sets.html", {"rule_sets": DuesRuleSet.objects.order_by("effective_from")})


@login_required
def import_upload(request, org_pk):
    org = _org(request, org_pk, CHANGE)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = imports.batch_create(
                user=request.user, organization=org, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
            )
            return redirect("dues:import_preview", batch.pk)
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            raise Http404 from exc
    return render(request, "dues/import.html", {"org": org, "form": form, "headings": imports.HEADING_HELP})


@login_required
def import_preview(request, pk):
    batch = get_scoped(DuesImport, request.user, pk, CHANGE)
    return render(request, "dues/import_preview.html", {"batch": batch, "org": batch.organization})


@login_required
@require_POST
def import_confirm(request, pk):
    batch = get_scoped(DuesImport, request.user, pk, CHANGE)
    try:
        n = imports.batch_confirm(user=request.user, batch=batch)
        messages.success(request, _("Đã nhập %(n)s dòng.") % {"n": n})
        return redirect(f"{reverse('dues:index')}?org={batch.organization_id}")
    except ValidationError as exc:
        for m in error_messages(exc):
            messages.error(request, m)
    except PermissionDenied as exc:
        raise Http404 from exc
    return redirect("dues:import_preview", batch.pk)
