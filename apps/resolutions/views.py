from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.files import scoped_file_response
from apps.core.forms import attempt
from apps.core.history import change_history
from apps.core.periods import Period, choices
from apps.core.scoping import CHANGE, scope_for
from apps.core.views import get_scoped
from apps.meetings.models import Meeting
from apps.members.models import CURRENT_STATUSES, Member
from apps.organizations.models import CommitteePost, Organization, OversightAssignment, Term

from . import documents, selectors, services
from .forms import (
    BreakdownForm,
    CloseForm,
    ResolutionForm,
    ResultForm,
    TargetForm,
    TaskForm,
    TaskReviewForm,
    TaskUpdateForm,
    WorkingRulesForm,
)
from .models import Level, Resolution, Target, Task, TaskReview, WorkingRules

BREAKDOWN_LINES = 5


def _change_orgs(user):
    return Organization.objects.restrict(user, CHANGE).current().order_by("path")


def _can_change(user, organization) -> bool:
    return scope_for(user).reaches_org(organization, CHANGE)


def _period(request) -> Period:
    today = timezone.localdate()
    if "year" not in request.GET:
        return Period(today.year, (today.month - 1) // 3 + 1)
    return Period.parse(request.GET.get("year"), request.GET.get("key"), today)


@login_required
def index(request):
    rows = selectors.resolutions_for(request.user).select_related("meeting").order_by("-issued_on", "-pk")
    level = request.GET.get("level", "")
    if level in Level.values:
        rows = rows.filter(level=level)
    scope = scope_for(request.user)
    return render(
        request,
        "resolutions/index.html",
        {
            "rows": rows[:300],
            "levels": Level.choices,
            "level": level,
            "can_create": scope.is_admin or bool(scope.subtrees.get(CHANGE) or scope.orgs.get(CHANGE)),
        },
    )


def _resolution_form(request, data=None, files=None, **kwargs):
    user = request.user
    return ResolutionForm(
        data,
        files,
        organizations=_change_orgs(user),
        terms=Term.objects.restrict(user, CHANGE).select_related("organization"),
        above=selectors.resolutions_for(user),
        **kwargs,
    )


@login_required
def resolution_create(request):
    if not _change_orgs(request.user).exists():
        raise Http404
    initial = {"level": Level.YEAR, "year": timezone.localdate().year}
    meeting = None
    if request.GET.get("meeting"):
        meeting = get_scoped(Meeting, request.user, request.GET["meeting"], CHANGE)
        initial.update(
            level=Level.MONTH,
            organization=meeting.organization_id,
            year=meeting.date.year,
            month=meeting.date.month,
            issued_on=meeting.date,
        )
    if request.GET.get("implements"):
        initial["implements"] = request.GET["implements"]
    form = _resolution_form(request, request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.values_without_version()
        resolution, ok = attempt(
            request, form, lambda: services.resolution_create(user=request.user, meeting=meeting, **data)
        )
        if ok:
            messages.success(request, _("Đã lưu nghị quyết."))
            return redirect("resolutions:detail", pk=resolution.pk)
    return render(
        request,
        "resolutions/form.html",
        {"form": form, "title": _("Nghị quyết mới"), "meeting": meeting, "multipart": True},
        status=400 if form.errors else 200,
    )


@login_required
def resolution_edit(request, pk):
    r = get_scoped(Resolution, request.user, pk, CHANGE)
    initial = {
        f: getattr(r, f)
        for f in ("level", "year", "quarter", "month", "number", "title", "issued_on", "issuer", "summary", "plan_due")
    }
    initial.update(organization=r.organization_id, term=r.term_id, implements=r.implements_id)
    form = _resolution_form(request, request.POST or None, request.FILES or None, initial=initial, version=r.version)
    del form.fields["organization"]
    if request.method == "POST" and form.is_valid():
        data = form.values_without_version()
        _result, ok = attempt(
            request,
            form,
            lambda: services.resolution_update(
                user=request.user, resolution=r, expected_version=form.expected_version, **data
            ),
        )
        if ok:
            messages.success(request, _("Đã lưu nghị quyết."))
            return redirect("resolutions:detail", pk=r.pk)
    return render(
        request,
        "resolutions/form.html",
        {"form": form, "title": _("Sửa nghị quyết"), "multipart": True},
        status=400 if form.errors else 200,
    )


@login_required
def resolution_file(request, pk):
    return scoped_file_response(request, Resolution, pk)


@login_required
def detail(request, pk):
    r = get_scoped(
        Resolution,
        request.user,
        pk,
        queryset=Resolution.objects.select_related("organization", "term", "implements", "meeting"),
    )
    period = _period(request)
    today = timezone.localdate()
    table = selectors.target_table(request.user, r, period, today)
    can_change = _can_change(request.user, r.organization)
    implements_visible = (
        r.implements_id is not None and selectors.resolutions_for(request.user).filter(pk=r.implements_id).exists()
    )
    meeting_visible = (
        r.meeting_id is not None and Meeting.objects.restrict(request.user).filter(pk=r.meeting_id).exists()
    )
    return render(
        request,
        "resolutions/detail.html",
        {
            "r": r,
            "table": table,
            "rows": selectors.flatten(table.rows),
            "period": period,
            "period_choices": choices(),
            "can_change": can_change,
            "adoptions": selectors.adoptions(request.user, r) if can_change else [],
            "implements_visible": implements_visible,
            "meeting_visible": meeting_visible,
            "tasks": selectors.tasks_for(request.user).filter(resolution=r)[:100],
            "history": change_history(r) if can_change else [],
            "can_implement": _change_orgs(request.user)
            .filter(path__startswith=r.org_path)
            .exclude(pk=r.organization_id)
            .exists(),
        },
    )


def _members_in(user, organization):
    return (
        Member.objects.restrict(user, CHANGE)
        .filter(org_path__startswith=organization.path, status__in=CURRENT_STATUSES)
        .order_by("sort_key", "pk")
    )


@login_required
def target_create(request, pk):
    r = get_scoped(Resolution, request.user, pk, CHANGE, queryset=Resolution.objects.select_related("term"))
    form = TargetForm(request.POST or None, years=r.years, members=_members_in(request.user, r.organization))
    if request.method == "POST" and form.is_valid():
        data = form.values()
        target, ok = attempt(request, form, lambda: services.target_create(user=request.user, resolution=r, **data))
        if ok:
            messages.success(request, _("Đã thêm chỉ tiêu."))
            return redirect("resolutions:target", pk=target.pk)
    return render(
        request,
        "resolutions/form.html",
        {"form": form, "title": _("Chỉ tiêu mới – %(r)s") % {"r": r}},
        status=400 if form.errors else 200,
    )


@login_required
def target_edit(request, pk):
    t = get_scoped(Target, request.user, pk, CHANGE, queryset=Target.objects.select_related("resolution__term"))
    initial = {
        f: getattr(t, f) for f in ("indicator", "unit", "frequency", "direction", "rollup", "baseline", "term_value")
    }
    initial["owner"] = t.owner_id
    initial.update({f"year_{y}": t.year_value(y) for y in t.resolution.years})
    form = TargetForm(
        request.POST or None,
        years=t.resolution.years,
        members=_members_in(request.user, t.organization),
        editing=True,
        initial=initial,
        version=t.version,
    )
    if request.method == "POST" and form.is_valid():
        data = form.values()
        _result, ok = attempt(
            request,
            form,
            lambda: services.target_update(user=request.user, target=t, expected_version=form.expected_version, **data),
        )
        if ok:
            messages.success(request, _("Đã lưu chỉ tiêu."))
            return redirect("resolutions:target", pk=t.pk)
    return render(
        request,
        "resolutions/form.html",
        {"form": form, "title": _("Sửa chỉ tiêu – %(t)s") % {"t": t.indicator}},
        status=400 if form.errors else 200,
    )


@login_required
def targets(request):
    """The targets of the organizations the user reaches (a cell's own, given from above)."""
    rows = (
        Target.objects.restrict(request.user)
        .select_related("organization", "resolution")
        .filter(ended_on__isnull=True)
        .order_by("org_path", "resolution_id", "position", "pk")
    )
    org = request.GET.get("org", "")
    if org.isdigit():
        rows = rows.filter(organization_id=int(org))
    return render(request, "resolutions/targets.html", {"rows": rows[:500]})


@login_required
def target_detail(request, pk):
    t = get_scoped(
        Target,
        request.user,
        pk,
        queryset=Target.objects.select_related(
            "organization", "resolution__term", "resolution__organization", "owner", "parent"
        ),
    )
    can_change = _can_change(request.user, t.organization)
    today = timezone.localdate()
    initial = {"year": today.year}
    if t.frequency == "quarter":
        initial["quarter"] = (today.month - 1) // 3 + 1
    if t.frequency == "month":
        initial["month"] = today.month
    form = ResultForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not can_change:
            raise Http404
        if form.is_valid():
            d = form.cleaned_data
            month = d.get("month")
            quarter = d.get("quarter") if not month else (month - 1) // 3 + 1
            period = Period(d["year"], quarter, month)
            _result, ok = attempt(
                request,
                form,
                lambda: services.result_enter(
                    user=request.user,
                    target=t,
                    period=period,
                    value=d["value"],
                    note=d.get("note", ""),
                    expected_version=None,
                ),
                aliases={"period": "year"},
            )
            if ok:
                messages.success(request, _("Đã lưu kết quả %(p)s.") % {"p": period})
                return redirect("resolutions:target", pk=t.pk)
    parts = list(
        Target.objects.restrict(request.user).filter(parent=t).select_related("organization").order_by("org_path")
    )
    resolution_visible = selectors.resolutions_for(request.user).filter(pk=t.resolution_id).exists()
    return render(
        request,
        "resolutions/target.html",
        {
            "t": t,
            "form": form if can_change and not t.parts.exists() else None,
            "results": t.results.select_related("entered_by").order_by("-year", "-quarter", "-month"),
            "revisions": t.revisions.select_related("recorded_by").order_by("-recorded_at", "-pk"),
            "years": t.resolution.years,
            "parts": parts,
            "can_change": can_change,
            "parent_visible": t.parent_id is not None
            and Target.objects.restrict(request.user).filter(pk=t.parent_id).exists(),
            "resolution_visible": resolution_visible,
            "history": change_history(t) if can_change else [],
        },
        status=400 if form.errors else 200,
    )


@login_required
def target_break_down(request, pk):
    t = get_scoped(
        Target, request.user, pk, CHANGE, queryset=Target.objects.select_related("resolution__term", "organization")
    )
    below = _change_orgs(request.user).filter(path__startswith=t.org_path).exclude(pk=t.organization_id)
    years = t.resolution.years
    forms_ = [
        BreakdownForm(
            request.POST or None, prefix=f"p{i}", organizations=below, years=years, use_required_attribute=False
        )
        for i in range(BREAKDOWN_LINES)
    ]
    error_form = None
    if request.method == "POST":
        parts = []
        valid = True
        for f in forms_:
            if not f.has_changed():
                continue
            if f.is_valid():
                parts.append(f.part())
            else:
                valid = False
        if valid:
            error_form = forms_[0]
            _created, ok = attempt(
                request, error_form, lambda: services.target_break_down(user=request.user, target=t, parts=parts)
            )
            if ok:
                messages.success(request, _("Đã giao chỉ tiêu cho cấp dưới."))
                return redirect("resolutions:target", pk=t.pk)
    return render(
        request,
        "resolutions/break_down.html",
        {"t": t, "forms": forms_},
        status=400 if any(f.errors for f in forms_) else 200,
    )


@login_required
@require_POST
def close_period(request, org):
    organization = get_scoped(Organization, request.user, org, CHANGE)
    form = CloseForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        month = d.get("month")
        period = Period(d["year"], d.get("quarter") if not month else (month - 1) // 3 + 1, month)
        _r, ok = attempt(
            request, None, lambda: services.results_close(user=request.user, organization=organization, period=period)
        )
        if ok:
            messages.success(request, _("Đã chốt số liệu %(p)s.") % {"p": period})
    else:
        messages.error(request, _("Hãy chọn kỳ chốt số liệu."))
    back = request.POST.get("next", "")
    if back.isdigit():
        return redirect("resolutions:detail", pk=int(back))
    return redirect("resolutions:targets")


# --- Tasks ----------------------------------------------------------------------------------------
def _task_rows(request, qs):
    org = request.GET.get("org", "")
    member = request.GET.get("member", "")
    if org.isdigit():
        qs = qs.filter(organization_id=int(org))
    if member.isdigit():
        qs = qs.filter(owner_member_id=int(member))
    state = request.GET.get("state", "open")
    today = timezone.localdate()
    if state == "open":
        qs = qs.open()
    elif state == "overdue":
        qs = qs.overdue(today)
    return qs.order_by("deadline", "pk"), state


@login_required
def tasks(request):
    rows, state = _task_rows(request, selectors.tasks_for(request.user))
    scope = scope_for(request.user)
    return render(
        request,
        "resolutions/tasks.html",
        {
            "rows": rows[:300],
            "state": state,
            "today": timezone.localdate(),
            "can_create": scope.is_admin or bool(scope.subtrees.get(CHANGE) or scope.orgs.get(CHANGE)),
            "title": _("Nhiệm vụ"),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def overdue(request):
    rows = selectors.tasks_for(request.user).overdue(timezone.localdate()).order_by("deadline", "pk")
    return render(
        request,
        "resolutions/tasks.html",
        {"rows": rows[:300], "state": "overdue", "today": timezone.localdate(), "title": _("Nhiệm vụ trễ hạn")},
    )


@login_required
def my_tasks(request):
    member = getattr(request.user, "member", None) if hasattr(request.user, "member") else None
    if member is None:
        raise Http404
    rows = selectors.tasks_for(request.user).filter(owner_member=member).order_by("-status", "deadline", "pk")
    return render(
        request,
        "resolutions/tasks.html",
        {"rows": rows[:300], "state": "all", "today": timezone.localdate(), "title": _("Nhiệm vụ của tôi")},
    )


@login_required
def task_create(request):
    user = request.user
    orgs = _change_orgs(user)
    if not orgs.exists():
        raise Http404
    initial = {}
    if request.GET.get("resolution"):
        initial["resolution"] = request.GET["resolution"]
    if request.GET.get("org"):
        initial["owner_organization"] = request.GET["org"]
    form = TaskForm(
        request.POST or None,
        members=Member.objects.restrict(user, CHANGE).filter(status__in=CURRENT_STATUSES),
        organizations=orgs,
        resolutions=selectors.resolutions_for(user),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        task, ok = attempt(request, form, lambda: services.task_create(user=user, **form.cleaned_data))
        if ok:
            messages.success(request, _("Đã giao nhiệm vụ."))
            return redirect("resolutions:task", pk=task.pk)
    return render(
        request,
        "resolutions/form.html",
        {"form": form, "title": _("Giao nhiệm vụ")},
        status=400 if form.errors else 200,
    )


@login_required
def task_detail(request, pk):
    task = get_scoped(
        Task,
        request.user,
        pk,
        queryset=Task.objects.select_related("organization", "owner_member", "owner_organization", "resolution"),
    )
    scope = scope_for(request.user)
    can_change = scope.reaches_org(task.organization, CHANGE)
    own = scope.member_id is not None and task.owner_member_id == scope.member_id
    form = TaskUpdateForm(
        request.POST or None,
        initial={"status": task.status, "result": task.result, "done_on": task.done_on, "deadline": task.deadline},
        version=task.version,
    )
    if not can_change:
        del form.fields["deadline"]
    if request.method == "POST":
        if not (can_change or own):
            raise Http404
        if form.is_valid():
            d = form.values_without_version()
            _r, ok = attempt(
                request,
                form,
                lambda: services.task_update(user=request.user, task=task, expected_version=form.expected_version, **d),
            )
            if ok:
                messages.success(request, _("Đã cập nhật nhiệm vụ."))
                return redirect("resolutions:task", pk=task.pk)
    return render(
        request,
        "resolutions/task.html",
        {
            "task": task,
            "form": form if (can_change or own) else None,
            "today": timezone.localdate(),
            "resolution_visible": task.resolution_id is not None
            and selectors.resolutions_for(request.user).filter(pk=task.resolution_id).exists(),
            "history": change_history(task),
        },
        status=400 if form.errors else 200,
    )


@login_required
def reviews(request, org):
    organization = get_scoped(Organization, request.user, org)
    can_change = _can_change(request.user, organization)
    today = timezone.localdate()
    members = Member.objects.restrict(request.user).filter(organization=organization, status__in=CURRENT_STATUSES)
    form = TaskReviewForm(
        request.POST or None, members=members.order_by("sort_key", "pk"), initial={"year": today.year}
    )
    if request.method == "POST":
        if not can_change:
            raise Http404
        if form.is_valid():
            d = form.cleaned_data
            month = d.get("month")
            period = Period(d["year"], d.get("quarter") if not month else (month - 1) // 3 + 1, month)
            _r, ok = attempt(
                request,
                form,
                lambda: services.task_review_create(
                    user=request.user,
                    organization=organization,
                    period=period,
                    rating=d["rating"],
                    comment=d.get("comment", ""),
                    member=d.get("member"),
                ),
                aliases={"period": "year"},
            )
            if ok:
                messages.success(request, _("Đã lưu đánh giá."))
                return redirect("resolutions:reviews", org=organization.pk)
    rows = TaskReview.objects.restrict(request.user).filter(organization=organization).select_related("member")
    return render(
        request,
        "resolutions/reviews.html",
        {"organization": organization, "rows": rows[:200], "form": form if can_change else None},
        status=400 if form.errors else 200,
    )


# --- Exports --------------------------------------------------------------------------------------
def _table_for_export(request, pk):
    r = get_scoped(Resolution, request.user, pk, queryset=Resolution.objects.select_related("organization", "term"))
    period = _period(request)
    return r, period, selectors.target_table(request.user, r, period, timezone.localdate())


@login_required
def table_xlsx(request, pk):
    r, period, table = _table_for_export(request, pk)
    return documents.table_xlsx(r, period, table)


@login_required
def table_pdf(request, pk):
    r, period, table = _table_for_export(request, pk)
    return documents.table_pdf(r, period, table)


@login_required
def tasks_xlsx(request):
    rows, _state = _task_rows(request, selectors.tasks_for(request.user))
    return documents.tasks_xlsx(rows, timezone.localdate())


# --- Working rules --------------------------------------------------------------------------------
@login_required
def working_rules(request, org):
    """A committee's working rules, edition by edition, the areas of its committee posts and the
    committee members following its cells (the oversight assignments that exist)."""
    organization = get_scoped(Organization, request.user, org)
    can_change = _can_change(request.user, organization)
    terms = Term.objects.restrict(request.user).filter(organization=organization).order_by("-starts_on")
    posts = (
        CommitteePost.objects.restrict(request.user)
        .filter(organization=organization, term__isnull=False)
        .select_related("member", "term")
        .order_by("-term__starts_on", "post", "pk")
    )
    form = WorkingRulesForm(request.POST or None, request.FILES or None, terms=terms, posts=posts)
    if request.method == "POST":
        if not can_change:
            raise Http404
        if form.is_valid():
            d = form.cleaned_data
            _r, ok = attempt(
                request,
                form,
                lambda: services.working_rules_adopt(
                    user=request.user,
                    organization=organization,
                    term=d["term"],
                    number=d["number"],
                    title=d["title"],
                    adopted_on=d["adopted_on"],
                    upload=d.get("upload"),
                    areas=form.areas(),
                ),
            )
            if ok:
                messages.success(request, _("Đã lưu quy chế làm việc."))
                return redirect("resolutions:working_rules", org=organization.pk)
    editions = (
        WorkingRules.objects.restrict(request.user)
        .filter(organization=organization)
        .select_related("term")
        .prefetch_related("areas__post__member")
    )
    oversight = (
        OversightAssignment.objects.restrict(request.user)
        .filter(assigned_by=organization)
        .select_related("organization", "member")
        .order_by("-starts_on", "organization__sort_key")
    )
    return render(
        request,
        "resolutions/working_rules.html",
        {
            "organization": organization,
            "editions": editions,
            "oversight": oversight[:200],
            "form": form if can_change else None,
            "today": timezone.localdate(),
        },
        status=400 if form.errors else 200,
    )


@login_required
def working_rules_file(request, pk):
    return scoped_file_response(request, WorkingRules, pk)
