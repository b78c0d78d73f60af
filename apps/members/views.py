"""Member pages. Views are thin: load through the scoping door, call a service, render."""

from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.forms import apply_errors
from apps.core.history import change_history
from apps.core.scoping import CHANGE, VIEW, scope_for
from apps.core.views import get_scoped

from . import forms, services
from .models import AwardKind, LifecycleRuleSet, Member, Status
from .pages import detail_sections
from .selectors import member_page, member_timeline, org_picker, seniority_start


@login_required
def member_list(request):
    page = member_page(request.user, request.GET)
    labels = {value: str(label) for value, label in Status.choices}  # translated once a request
    for member in page.rows:
        member.status_label = labels.get(member.status, member.status)
    status = request.GET.get("status", "")
    context = {"page": page, "q": request.GET.get("q", ""), "status": status}
    htmx = request.htmx
    if htmx and not htmx.history_restore_request and htmx.target in (None, "member-rows", "more"):
        return render(request, "members/partials/rows.html", context)
    context.update(
        {
            "status_choices": forms.STATUS_FILTERS,
            "picker": org_picker(request.user, page.organization),
            "selected_org": page.organization.pk if page.organization else None,
            "can_create": _can_change_somewhere(request.user),
            "can_import": bool(page.organization)
            and scope_for(request.user).reaches_org(page.organization, CHANGE)
            and not page.organization.ended_on,
        }
    )
    return render(request, "members/list.html", context)


def _can_change_somewhere(user) -> bool:
    scope = scope_for(user)
    return scope.is_admin or bool(scope.subtrees.get(CHANGE) or scope.orgs.get(CHANGE))


def _derived(member: Member) -> dict:
    today = timezone.localdate()
    rules = LifecycleRuleSet.in_force_on(today)
    start = seniority_start(member, rules)
    badge = member.next_badge(today, rules.badge_years, start)
    seniority = relativedelta(today, start).years if start and today >= start else 0
    return {
        "seniority": seniority if member.is_current else None,
        "badge_years": badge[0] if badge else None,
        "badge_date": badge[1] if badge else None,
        "probation_end": member.probation_end_date if member.status == Status.PROBATIONARY else None,
        "age": member.age_on(today),
    }


@login_required
def detail(request, pk):
    user = request.user
    member = get_scoped(Member, user, pk, queryset=Member.objects.select_related("organization"))
    can_change = scope_for(user).reaches_org(member.organization, CHANGE)
    context = {
        "member": member,
        "breadcrumb": [
            *member.organization.ancestors().restrict(user),
            *([member.organization] if scope_for(user).reaches_org(member.organization, VIEW) else []),
        ],
        "derived": _derived(member),
        "history": member.status_changes.select_related("organization", "other_organization").order_by("date", "pk"),
        "awards": member.awards.order_by("-date"),
        "posts": member.committee_posts.select_related("organization").order_by(
            F("ends_on").desc(nulls_first=True), "-starts_on"
        ),
        "changes": change_history(member),
        "can_change": can_change and member.is_current,
        "can_add_award": can_change,
        "training": member.training_records.order_by("starts_on", "pk"),
        "badges": [a for a in member.awards.all() if a.kind == AwardKind.BADGE],
        "can_readmit": can_change and member.status in services.READMITTABLE,
        "can_exempt": can_change and member.status in (Status.PROBATIONARY, Status.FULL),
        "exemptions": member.exemptions.select_related("started", "ended").order_by("started__date", "pk"),
        "timeline": member_timeline(member),
    }
    context["awards"] = [a for a in context["awards"] if a.kind != AwardKind.BADGE]
    for section in detail_sections:
        context.update(section(user, member))
    return render(request, "members/detail.html", context)


def _form_page(request, form, title, save, success, member=None, extra=None):
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error, aliases={"on": "date"})
        else:
            messages.success(request, success)
            return redirect("members:detail", (result if isinstance(result, Member) else member).pk)
    status = 200 if request.method == "GET" else 400
    context = {"form": form, "title": title, "member": member, **(extra or {})}
    return render(request, "members/form.html", context, status=status)


@login_required
def create(request):
    initial = {}
    org_id = request.GET.get("org", "")
    if org_id.isdigit():
        initial["organization"] = org_id
    form = forms.MemberForm(request.POST or None, user=request.user, with_organization=True, initial=initial)

    def save(data):
        return services.member_create(
            user=request.user, organization=data["organization"], **form.values(), **form.arrival()
        )

    return _form_page(request, form, _("Thêm đảng viên"), save, _("Đã thêm đảng viên."))


def _member_for_change(request, pk) -> Member:
    return get_scoped(Member, request.user, pk, CHANGE, queryset=Member.objects.select_related("organization"))


@login_required
def edit(request, pk):
    member = _member_for_change(request, pk)
    initial = {f: getattr(member, f) for f in services.EDITABLE_FIELDS}
    form = forms.MemberForm(request.POST or None, initial=initial, version=member.version)
    if services._has_theory_records(member):
        form.fields["political_theory"].disabled = True
        form.fields["political_theory"].help_text = _("Lấy từ quá trình đào tạo của đảng viên.")

    def save(data):
        return services.member_update(
            user=request.user, member=member, expected_version=form.expected_version, **form.values()
        )

    return _form_page(request, form, _("Sửa phiếu đảng viên"), save, _("Đã lưu."), member=member)


@login_required
def change_status(request, pk):
    member = _member_for_change(request, pk)
    form = forms.StatusChangeForm(request.POST or None, member=member, user=request.user)

    def save(data):
        services.member_change_status(user=request.user, member=member, on=data.pop("date"), **data)
        return member

    return _form_page(
        request,
        form,
        _("Thay đổi tình trạng đảng viên"),
        save,
        _("Đã ghi thay đổi."),
        member=member,
        extra={"needs_other": [str(k) for k in services.NEEDS_OTHER_ORG]},
    )


@login_required
def transfer(request, pk):
    member = _member_for_change(request, pk)
    form = forms.TransferForm(request.POST or None, member=member, user=request.user)

    def save(data):
        services.member_transfer_internal(
            user=request.user, member=member, target=data["target"], on=data["date"], decision=data["decision"]
        )
        return member

    return _form_page(
        request, form, _("Chuyển sinh hoạt trong hệ thống"), save, _("Đã chuyển sinh hoạt."), member=member
    )


@login_required
def award_create(request, pk):
    member = _member_for_change(request, pk)
    form = forms.AwardForm(request.POST or None)

    def save(data):
        services.award_create(user=request.user, member=member, **data)
        return member

    return _form_page(request, form, _("Thêm khen thưởng"), save, _("Đã thêm khen thưởng."), member=member)
