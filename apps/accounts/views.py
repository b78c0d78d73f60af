"""Account management for those who may change an organization: accounts and the roles they hold."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.core.forms import apply_errors
from apps.core.scoping import CHANGE, scope_for
from apps.core.views import get_scoped
from apps.members.models import Member

from . import services
from .forms import AccountForm, RoleForm
from .models import RoleAssignment, User


def _require_manager(user):
    if not (scope_for(user).is_admin or scope_for(user).subtrees.get(CHANGE) or scope_for(user).orgs.get(CHANGE)):
        raise PermissionDenied


def _accounts_in_reach(user):
    """Accounts holding a role, or linked to a member, inside the user's reach."""
    if user.is_superuser:
        return User.objects.all()
    roles = RoleAssignment.objects.restrict(user, CHANGE).values("user_id")
    members = Member.objects.restrict(user, CHANGE).filter(user__isnull=False).values("user_id")
    return User.objects.filter(Q(pk__in=roles) | Q(pk__in=members))


@login_required
def account_list(request):
    _require_manager(request.user)
    accounts = (
        _accounts_in_reach(request.user)
        .prefetch_related(
            Prefetch("role_assignments", queryset=RoleAssignment.objects.select_related("organization")),
        )
        .order_by("username")
    )
    return render(request, "accounts/list.html", {"accounts": accounts})


@login_required
def account_create(request):
    _require_manager(request.user)
    member = None
    if request.GET.get("member") or request.POST.get("member"):
        member = get_scoped(Member, request.user, request.GET.get("member") or request.POST.get("member"), CHANGE)
    form = AccountForm(request.POST or None, initial={"full_name": member.full_name if member else ""})
    if request.method == "POST" and form.is_valid():
        try:
            account = services.account_create(user=request.user, member=member, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Đã tạo tài khoản %(name)s.") % {"name": account.username})
            return redirect("accounts:detail", account.pk)
    return render(request, "accounts/create.html", {"form": form, "member": member})


@login_required
def account_detail(request, pk):
    _require_manager(request.user)
    account = _accounts_in_reach(request.user).filter(pk=pk).first()
    if account is None:
        raise Http404
    form = RoleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.role_assign(user=request.user, account=account, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Đã giao vai trò."))
            return redirect("accounts:detail", account.pk)
    assignments = account.role_assignments.select_related("organization", "granted_by").order_by("-starts_on")
    manageable = set(
        RoleAssignment.objects.restrict(request.user, CHANGE).filter(user=account).values_list("pk", flat=True)
    )
    return render(
        request,
        "accounts/detail.html",
        {"account": account, "assignments": assignments, "manageable": manageable, "form": form},
    )


@login_required
def role_end(request, pk):
    if request.method != "POST":
        return redirect("accounts:list")
    assignment = get_scoped(RoleAssignment, request.user, pk, CHANGE)
    try:
        services.role_end(user=request.user, assignment=assignment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã kết thúc vai trò."))
    return redirect("accounts:detail", assignment.user_id)
