from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.documents import file_response
from apps.core.forms import attempt
from apps.core.history import change_history
from apps.core.scoping import CHANGE, scope_for
from apps.core.views import get_scoped
from apps.members.models import Member, Status
from apps.organizations.models import Organization

from . import selectors, services
from .documents import DOCUMENTS, UNCONFIRMED, case_document
from .forms import CaseForm, HelperForm, StepForm
from .models import COMMITTEE_STEPS, AdmissionCase, CaseState, LifecycleRuleSet, SponsorRole, StepKind


def _cells(user):
    return Organization.objects.restrict(user, CHANGE).current().cells().order_by("path")


@login_required
def case_list(request):
    scope = scope_for(request.user)
    if not (scope.subtrees.get(CHANGE) or scope.orgs.get(CHANGE) or scope.is_admin):
        raise Http404
    rows = selectors.cases_for(request.user)
    org = None
    raw = request.GET.get("org", "")
    if raw:
        org = get_scoped(Organization, request.user, raw, CHANGE)
        rows = rows.in_subtree(org)
    state = request.GET.get("state", "")
    if state in CaseState.values:
        rows = rows.filter(state=state)
    return render(
        request,
        "admissions/list.html",
        {
            "rows": rows[:300],
            "org": org,
            "state": state,
            "states": CaseState.choices,
            "can_create": _cells(request.user).exists(),
        },
    )


@login_required
def create(request):
    cells = _cells(request.user)
    initial = {}
    raw = request.GET.get("org", "")
    if raw:
        initial["organization"] = get_scoped(Organization, request.user, raw, CHANGE).pk
    form = CaseForm(request.POST or None, cells=cells, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organization = data.pop("organization")
        case, ok = attempt(
            request, form, lambda: services.case_create(user=request.user, organization=organization, **data)
        )
        if ok:
            messages.success(request, _("Đã lập hồ sơ kết nạp."))
            return redirect("admissions:detail", pk=case.pk)
    return render(request, "admissions/create.html", {"form": form}, status=400 if form.errors else 200)


def _case(request, pk):
    return get_scoped(
        AdmissionCase, request.user, pk, CHANGE, AdmissionCase.objects.select_related("organization", "member")
    )


def _may_record(user, case, kind) -> bool:
    scope = scope_for(user)
    if kind in COMMITTEE_STEPS:
        return scope.reaches_org(services.committee_of(case), CHANGE)
    return scope.reaches_org(case.organization, CHANGE)


def _detail(request, case, form=None, helper_form=None, status=200):
    today = timezone.localdate()
    plan = selectors.case_plan(case, today)
    if form is None and plan.next_kind and _may_record(request.user, case, plan.next_kind):
        form = StepForm(kind=plan.next_kind, case=case, user=request.user)
    members = (
        Member.objects.restrict(request.user, CHANGE)
        .filter(organization=case.organization, status=Status.FULL)
        .order_by("sort_key", "pk")
    )
    if helper_form is None and case.state == CaseState.PROBATION:
        helper_form = HelperForm(members=members)
    stop_form = StepForm(kind=StepKind.STOPPED) if case.state == CaseState.OPEN else None
    return render(
        request,
        "admissions/detail.html",
        {
            "case": case,
            "plan": plan,
            "form": form,
            "committee": services.committee_of(case),
            "waits_for_committee": plan.next_kind in COMMITTEE_STEPS and form is None,
            "helper_form": helper_form,
            "stop_form": stop_form,
            "sponsors": case.sponsors.select_related("member").filter(role=SponsorRole.SPONSOR),
            "helpers": case.sponsors.select_related("member").filter(role=SponsorRole.HELPER),
            "documents": list(DOCUMENTS.items()),
            "unconfirmed": UNCONFIRMED,
            "changes": change_history(case),
        },
        status=status,
    )


@login_required
def detail(request, pk):
    return _detail(request, _case(request, pk))


@login_required
@require_POST
def step(request, pk):
    case = _case(request, pk)
    kind = request.POST.get("step", "")
    if kind not in StepKind.values:
        raise Http404
    form = StepForm(request.POST, kind=kind, case=case, user=request.user)
    if form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("step")
        on = data.pop("date")
        sponsors = []
        for i in (1, 2):
            member, since = data.pop(f"sponsor_{i}", None), data.pop(f"worked_since_{i}", None)
            if member is not None:
                sponsors.append((member, since))
        youth = data.pop("youth_union_committee", "")
        _result, ok = attempt(
            request,
            form,
            lambda: services.step_record(
                user=request.user, case=case, kind=kind, on=on, sponsors=sponsors, youth_union_committee=youth, **data
            ),
            aliases={"sponsors": "sponsor_1", "kind": None},
        )
        if ok:
            messages.success(request, _("Đã ghi “%(kind)s”.") % {"kind": StepKind(kind).label})
            return redirect("admissions:detail", pk=case.pk)
    return _detail(request, case, form=form if kind != StepKind.STOPPED else None, status=400)


@login_required
@require_POST
def helper(request, pk):
    case = _case(request, pk)
    members = Member.objects.restrict(request.user, CHANGE).filter(organization=case.organization, status=Status.FULL)
    form = HelperForm(request.POST, members=members)
    if form.is_valid():
        _row, ok = attempt(
            request,
            form,
            lambda: services.helper_assign(
                user=request.user, case=case, member=form.cleaned_data["member"], on=form.cleaned_data["date"]
            ),
        )
        if ok:
            messages.success(request, _("Đã phân công người giúp đỡ."))
            return redirect("admissions:detail", pk=case.pk)
    return _detail(request, case, helper_form=form, status=400)


@login_required
def document(request, pk, doc, fmt):
    case = _case(request, pk)
    if fmt not in ("docx", "pdf"):
        raise Http404
    d = case_document(case, doc)
    if d is None:
        raise Http404
    content = d.to_docx() if fmt == "docx" else d.to_pdf()
    return file_response(content, f"{doc}-{case.pk}.{fmt}", fmt)


@login_required
def probations(request):
    scope = scope_for(request.user)
    if not (scope.subtrees.get(CHANGE) or scope.orgs.get(CHANGE) or scope.is_admin):
        raise Http404
    org = None
    raw = request.GET.get("org", "")
    if raw:
        org = get_scoped(Organization, request.user, raw, CHANGE)
    today = timezone.localdate()
    data = selectors.probations(request.user, org, today)
    return render(request, "admissions/probations.html", {"org": org, "today": today, **data})


@login_required
def rules(request):
    scope = scope_for(request.user)
    if not (scope.subtrees.get(CHANGE) or scope.orgs.get(CHANGE) or scope.is_admin):
        raise Http404
    return render(request, "admissions/rules.html", {"rule_sets": LifecycleRuleSet.objects.order_by("effective_from")})
