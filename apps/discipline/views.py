from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.core.access import readings_of, record_read
from apps.core.forms import apply_errors
from apps.core.scoping import CHANGE, INSPECT, VIEW
from apps.core.views import get_scoped
from apps.members.models import Member
from apps.organizations.models import Organization

from . import services
from .forms import AppealForm, DisciplineForm
from .models import Discipline


def _reach(model, user, pk, queryset=None):
    for action in (VIEW, INSPECT):
        try:
            return get_scoped(model, user, pk, action, queryset)
        except Http404:
            continue
    raise Http404


def _writable(model, user, pk):
    for action in (CHANGE, INSPECT):
        try:
            return get_scoped(model, user, pk, action)
        except Http404:
            continue
    raise Http404


@login_required
def discipline_list(request):
    rows = (
        Discipline.objects.restrict(request.user, VIEW) | Discipline.objects.restrict(request.user, INSPECT)
    ).distinct()
    rows = rows.select_related("member", "organization")
    return render(request, "discipline/list.html", {"rows": rows[:300]})


@login_required
def create(request):
    member = organization = None
    if request.GET.get("member") or request.POST.get("member"):
        member = _writable(Member, request.user, request.GET.get("member") or request.POST.get("member"))
    elif request.GET.get("org") or request.POST.get("org"):
        organization = _writable(Organization, request.user, request.GET.get("org") or request.POST.get("org"))
    else:
        return render(request, "discipline/choose.html", {})
    allowed = services.allowed_forms(member=member, organization=organization)
    form = DisciplineForm(request.POST or None, allowed=allowed)
    if request.method == "POST" and form.is_valid():
        try:
            d = services.discipline_create(
                user=request.user, member=member, organization=organization, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Đã ghi quyết định kỷ luật."))
            return redirect("discipline:detail", pk=d.pk)
    return render(
        request,
        "discipline/form.html",
        {"form": form, "member": member, "organization": organization},
        status=400 if form.errors else 200,
    )


@login_required
def detail(request, pk):
    d = _reach(Discipline, request.user, pk, Discipline.objects.select_related("member", "organization"))
    form = AppealForm(
        request.POST or None,
        initial={"appealed_on": d.appealed_on, "appeal_result": d.appeal_result, "revoked_on": d.revoked_on},
        version=d.version,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.discipline_update(
                user=request.user, discipline=d, expected_version=form.expected_version, **form.values_without_version()
            )
        except (ValidationError, PermissionDenied) as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Đã cập nhật."))
            return redirect("discipline:detail", pk=d.pk)
    record_read(request.user, d, basis="scope", where="discipline_page")
    accesses = readings_of(d)
    return render(request, "discipline/detail.html", {"d": d, "form": form, "accesses": accesses})
