"""Screening pages: the proposals and cases of a subtree, one case, its vote and decision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.forms import attempt
from apps.core.scoping import CHANGE, scope_for
from apps.core.views import get_scoped
from apps.members.models import Member
from apps.members.selectors import _chosen_organization, _scope_tops, org_picker

from . import forms, selectors, services
from .models import ScreeningCase, Stage


def _organization(request):
    organization, refused = _chosen_organization(request.user, request.GET)
    if refused:
        raise Http404
    if organization is None:
        tops = _scope_tops(request.user)
        if not tops:
            raise Http404
        organization = tops[0]
    return organization


def _year(request) -> int:
    text = request.GET.get("year", "")
    this = timezone.localdate().year
    return int(text) if text.isdigit() and 1930 <= int(text) <= this else this


@login_required
def index(request):
    organization = _organization(request)
    year = _year(request)
    can_change = scope_for(request.user).reaches_org(organization, CHANGE)
    context = {
        "organization": organization,
        "year": year,
        "years": list(range(timezone.localdate().year, timezone.localdate().year - 5, -1)),
        "proposals": selectors.proposals(request.user, organization, year),
        "cases": list(selectors.cases(request.user, organization)[:500]),
        "can_change": can_change,
        "picker": org_picker(request.user, organization),
        "open_form": forms.OpenForm(),
    }
    return render(request, "screening/index.html", context)


@login_required
@require_POST
def open_case(request, member_pk):
    member = get_scoped(Member, request.user, member_pk, CHANGE, queryset=Member.objects.select_related("organization"))
    form = forms.OpenForm(request.POST)
    year = _year(request)
    if form.is_valid():
        case, ok = attempt(
            request,
            None,
            lambda: services.case_open(
                user=request.user,
                member=member,
                year=year,
                grounds=form.cleaned_data["grounds"],
                detail=form.cleaned_data["detail"],
            ),
        )
        if ok:
            messages.success(request, _("Đã đưa đảng viên ra chi bộ xem xét."))
            return redirect("screening:case", case.pk)
    else:
        messages.error(request, _("Hãy chọn ít nhất một căn cứ xóa tên trong danh mục."))
    return redirect(f"{_index_url(member.organization_id)}&year={year}")


def _index_url(org_id) -> str:
    from django.urls import reverse

    return f"{reverse('screening:index')}?org={org_id}"


def _case(request, pk, action=None):
    return get_scoped(
        ScreeningCase,
        request.user,
        pk,
        action or "view",
        queryset=ScreeningCase.objects.select_related("member", "organization__parent", "rule_set", "decided_by_org"),
    )


@login_required
def case_detail(request, pk):
    case = _case(request, pk)
    scope = scope_for(request.user)
    committee = services.deciding_organization(case)
    context = {
        "case": case,
        "can_vote": case.stage == Stage.OPEN and scope.reaches_org(case.organization, CHANGE),
        "can_decide": case.stage == Stage.CELL_VOTED and scope.reaches_org(committee, CHANGE),
        "committee": committee,
        "vote_form": forms.VoteForm(initial={"meeting_on": timezone.localdate()}),
        "decide_form": forms.DecideForm(initial={"decided_on": timezone.localdate(), "strike_off": "1"}),
    }
    return render(request, "screening/case.html", context)


def _step(request, pk, form_class, call, success, where):
    case = _case(request, pk)
    if not scope_for(request.user).reaches_org(where(case), CHANGE):
        raise Http404
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _result, ok = attempt(request, form, lambda: call(case, form.cleaned_data))
        if ok:
            messages.success(request, success)
            return redirect("screening:case", case.pk)
    status = 200 if request.method == "GET" else 400
    return render(request, "screening/step.html", {"case": case, "form": form}, status=status)


@login_required
def vote(request, pk):
    return _step(
        request,
        pk,
        forms.VoteForm,
        lambda case, data: services.case_cell_vote(user=request.user, case=case, **data),
        _("Đã ghi kết quả biểu quyết của chi bộ."),
        lambda case: case.organization,
    )


@login_required
def decide(request, pk):
    return _step(
        request,
        pk,
        forms.DecideForm,
        lambda case, data: services.case_decide(user=request.user, case=case, **data),
        _("Đã ghi quyết định của cấp ủy."),
        services.deciding_organization,
    )
