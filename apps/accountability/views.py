from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.access import readings_of, record_read
from apps.core.forms import apply_errors, error_messages
from apps.core.scoping import CHANGE, INSPECT, VIEW, scope_for
from apps.core.versioning import parse_version
from apps.core.views import get_or_404, get_scoped
from apps.inspections.models import Inspection
from apps.meetings.models import CELL_MEETING_KINDS, Meeting, MeetingStatus
from apps.members.models import CURRENT_STATUSES, Member
from apps.organizations.models import Organization, line_paths

from . import selectors, services
from .forms import (
    ActionAddForm,
    CheckForm,
    CommitmentForm,
    CommitmentReviewForm,
    LogbookForm,
    OpeningForm,
    PlanForm,
    ReviewGroupForm,
    ReviewRecordForm,
    ReviewTargetForm,
    RotatingForm,
)
from .models import (
    Commitment,
    Degree,
    ExamStatus,
    LogbookEntry,
    RemediationAction,
    RemediationPlan,
    ReviewGroup,
    ReviewTarget,
    RotatingReview,
    SelfExamination,
)


def _year(request):
    try:
        return int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


def _my_member(user):
    return getattr(user, "member", None) if hasattr(user, "member") else None


def _members(user):
    return Member.objects.restrict(user, CHANGE).filter(status__in=CURRENT_STATUSES).order_by("sort_key", "pk")


def _orgs(user, action=CHANGE):
    return Organization.objects.restrict(user, action).current().order_by("path")


@login_required
def index(request):
    year = _year(request)
    me = _my_member(request.user)
    mine = me.self_examinations.order_by("-year") if me else []
    scope = scope_for(request.user)
    counts = selectors.completion_counts(request.user, year) if scope.has_any_org else []
    readable = (
        selectors.examinations_readable(request.user)
        .filter(year=year)
        .exclude(member=me)
        .order_by("org_path", "member__sort_key")
    )
    base = sum(c.members for c in counts)
    done = sum(c.completed for c in counts)
    return render(
        request,
        "accountability/index.html",
        {
            "year": year,
            "mine": mine,
            "me": me,
            "counts": counts,
            "readable": readable,
            "base": base,
            "done": done,
            "overdue": selectors.overdue_summary(request.user) if scope.has_any_org else None,
        },
    )


@login_required
def my_exam(request, year):
    me = _my_member(request.user)
    if me is None:
        raise Http404
    exam = me.self_examinations.filter(year=year).first()
    if exam is None:
        if request.method != "POST":
            return render(request, "accountability/my_exam_start.html", {"year": year})
        try:
            exam = services.self_examination_start(user=request.user, member=me, year=year)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
            return redirect("accountability:index")
        return redirect("accountability:my_exam", year=year)
    items = list(exam.items.select_related("manifestation"))
    errors = []
    if request.method == "POST" and request.POST.get("save"):
        degrees, notes = {}, {}
        for item in items:
            n = item.manifestation.number
            value = request.POST.get(f"degree_{n}")
            if value:
                degrees[n] = value
            notes[n] = request.POST.get(f"note_{n}", "")
        try:
            services.self_examination_save(
                user=request.user,
                examination=exam,
                degrees=degrees,
                notes=notes,
                self_assessment=request.POST.get("self_assessment", ""),
                complete=request.POST.get("save") == "complete",
                expected_version=parse_version(request.POST.get("version")),
            )
        except ValidationError as e:
            errors = e.messages
            for item in items:  # keep what was typed
                item.degree = degrees.get(item.manifestation.number, item.degree)
                item.note = notes.get(item.manifestation.number, item.note)
        else:
            messages.success(request, _("Đã lưu sổ tự soi."))
            return redirect("accountability:my_exam", year=year)
    return render(
        request,
        "accountability/my_exam.html",
        {
            "exam": exam,
            "items": items,
            "degrees": Degree.choices,
            "editable": exam.status != ExamStatus.COMPLETED,
            "errors": errors,
            "year": year,
            "plans": exam.plans.all(),
        },
    )


def _exam_in_reach(user, pk):
    """404 unless the user is the member, their cell committee, an opener, or reaches the cell above."""
    qs = SelfExamination.objects.all()
    reached = qs.restrict_private(user) | qs.restrict(user, VIEW) | qs.restrict(user, INSPECT)
    exam = reached.select_related("member", "organization").filter(pk=pk).first() if str(pk).isdigit() else None
    if exam is None:
        raise Http404
    return exam, scope_for(user).may_read_private(exam)


@login_required
def exam_detail(request, pk):
    exam, access = _exam_in_reach(request.user, pk)
    if not access.allowed:
        targets = ReviewTarget.objects.restrict(request.user, CHANGE).filter(member=exam.member).select_related("group")
        inspections = (
            (Inspection.objects.restrict(request.user, INSPECT) | Inspection.objects.restrict(request.user, CHANGE))
            .filter(subject_path__in=line_paths(exam.org_path))
            .distinct()
        )
        form = OpeningForm(targets=targets, inspections=inspections)
        return render(request, "accountability/exam_private.html", {"exam": exam, "form": form}, status=403)
    services.examination_read(user=request.user, examination=exam)
    return render(
        request,
        "accountability/exam_detail.html",
        {
            "exam": exam,
            "items": exam.items.select_related("manifestation"),
            "access": access,
            "plans": exam.plans.prefetch_related("actions"),
            "openings": exam.openings.select_related("opened_by", "organization"),
            "accesses": readings_of(exam),
        },
    )


@login_required
@require_POST
def exam_open(request, pk):
    exam, access = _exam_in_reach(request.user, pk)
    targets = ReviewTarget.objects.restrict(request.user, CHANGE).filter(member=exam.member).select_related("group")
    inspections = (
        (Inspection.objects.restrict(request.user, INSPECT) | Inspection.objects.restrict(request.user, CHANGE))
        .filter(subject_path__in=line_paths(exam.org_path))
        .distinct()
    )
    form = OpeningForm(request.POST, targets=targets, inspections=inspections)
    if form.is_valid():
        basis = form.cleaned_data["basis"]
        try:
            services.opening_create(
                user=request.user,
                examination=exam,
                reason=form.cleaned_data["reason"],
                review_target=form.targets.get(basis),
                inspection=form.inspections.get(basis),
                ends_on=form.cleaned_data["ends_on"],
            )
        except (ValidationError, PermissionDenied) as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Đã ghi nhận việc mở sổ tự soi."))
            return redirect("accountability:exam_detail", pk=exam.pk)
    return render(request, "accountability/exam_private.html", {"exam": exam, "form": form}, status=400)


# --- Remediation plans ------------------------------------------------------------------------


@login_required
def plans(request):
    year = _year(request)
    qs = (
        RemediationPlan.objects.restrict(request.user, VIEW)
        .filter(year=year)
        .select_related("member", "organization", "subject_org")
    )
    visible, hidden = [], {}
    scope = scope_for(request.user)
    for p in qs.prefetch_related("actions"):
        if scope.may_read_private(p).allowed:
            visible.append(p)
        else:
            hidden[p.subject_org] = hidden.get(p.subject_org, 0) + 1
    return render(
        request,
        "accountability/plans.html",
        {
            "year": year,
            "plans": visible,
            "hidden": sorted(hidden.items(), key=lambda kv: kv[0].path),
            "today": timezone.localdate(),
        },
    )


@login_required
def plan_create(request):
    me = _my_member(request.user)
    exam = None
    member = organization = None
    if request.GET.get("exam") or request.POST.get("exam"):
        if me is None:
            raise Http404
        exam = get_or_404(me.self_examinations.all(), request.GET.get("exam") or request.POST.get("exam"))
        member = me
    elif request.GET.get("org") or request.POST.get("org"):
        organization = get_scoped(Organization, request.user, request.GET.get("org") or request.POST.get("org"), CHANGE)
    elif request.GET.get("member") or request.POST.get("member"):
        member = get_scoped(Member, request.user, request.GET.get("member") or request.POST.get("member"), CHANGE)
    elif me is not None:
        member = me
    else:
        raise Http404
    initial = {
        "year": exam.year if exam else timezone.localdate().year,
        "owner_name": member.full_name if member else "",
    }
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.remediation_plan_create(
                user=request.user,
                year=form.cleaned_data["year"],
                title=form.cleaned_data["title"],
                owner_name=form.cleaned_data["owner_name"],
                shortcomings=form.cleaned_data["shortcomings"],
                member=member,
                organization=organization,
                examination=exam,
                actions=form.actions(),
            )
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Đã lập kế hoạch khắc phục."))
            return redirect("accountability:plan_detail", pk=plan.pk)
    return render(
        request,
        "accountability/plan_form.html",
        {
            "form": form,
            "exam": exam,
            "member": member,
            "organization": organization,
        },
    )


def _plan_for(user, pk):
    plan = get_scoped(
        RemediationPlan, user, pk, VIEW, RemediationPlan.objects.select_related("member", "organization", "subject_org")
    )
    access = scope_for(user).may_read_private(plan)
    if not access.allowed:
        raise Http404
    record_read(user, plan, basis=access.basis, opening=access.opening, where="plan_page")
    return plan, access


@login_required
def plan_detail(request, pk):
    plan, access = _plan_for(request.user, pk)
    return render(
        request,
        "accountability/plan_detail.html",
        {
            "plan": plan,
            "actions": plan.actions.all(),
            "today": timezone.localdate(),
            "accesses": readings_of(plan) if plan.is_private else None,
            "add_form": ActionAddForm(),
            "check_form": CheckForm(),
            "can_change": (plan.member_id and selectors.is_own(request.user, plan.member))
            or scope_for(request.user).reaches_org(plan.subject_org, CHANGE),
            "can_check": scope_for(request.user).reaches_org(plan.subject_org, CHANGE)
            and not (plan.member_id and selectors.is_own(request.user, plan.member)),
        },
    )


@login_required
@require_POST
def action_update(request, pk, op):
    if op == "add":
        plan, _access = _plan_for(request.user, pk)
        form = ActionAddForm(request.POST)
        target = plan
    else:
        action = get_scoped(RemediationAction, request.user, pk, VIEW, RemediationAction.objects.select_related("plan"))
        plan, _access = _plan_for(request.user, action.plan_id)
        form = CheckForm(request.POST) if op == "check" else None
        target = action
    try:
        if op == "add":
            if not form.is_valid():
                raise ValidationError(_("Hãy ghi nội dung và thời hạn (dd/mm/yyyy) của việc khắc phục."))
            services.remediation_action_add(
                user=request.user,
                plan=target,
                action=form.cleaned_data["action"],
                deadline=form.cleaned_data["deadline"],
            )
        elif op == "done":
            services.remediation_action_done(
                user=request.user, action=target, expected_version=parse_version(request.POST.get("version"))
            )
        elif op == "check":
            if not form.is_valid():
                raise ValidationError(_("Hãy chọn kết quả hậu kiểm tra."))
            services.remediation_action_check(
                user=request.user,
                action=target,
                passed=form.cleaned_data["passed"],
                result=form.cleaned_data["result"],
                expected_version=parse_version(request.POST.get("version")),
            )
        else:
            raise Http404
    except (ValidationError, PermissionDenied) as e:
        messages.error(request, " ".join(error_messages(e)))
    else:
        messages.success(request, _("Đã cập nhật."))
    return redirect("accountability:plan_detail", pk=plan.pk)


@login_required
def overdue(request):
    return render(
        request,
        "accountability/overdue.html",
        {"summary": selectors.overdue_summary(request.user), "today": timezone.localdate()},
    )


# --- Commitments, logbook -----------------------------------------------------------------------


@login_required
def commitments(request):
    year = _year(request)
    me = _my_member(request.user)
    members = _members(request.user)
    if me is not None:
        members = (members | Member.objects.filter(pk=me.pk)).distinct()
    form = CommitmentForm(request.POST or None, members=members, initial={"year": year, "member": me})
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_register(user=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Đã đăng ký."))
            return redirect(f"{request.path}?year={form.cleaned_data['year']}")
    rows = Commitment.objects.restrict(request.user, VIEW).filter(year=year).select_related("member")
    return render(
        request,
        "accountability/commitments.html",
        {
            "year": year,
            "rows": rows,
            "form": form,
            "review_form": CommitmentReviewForm(),
        },
    )


@login_required
@require_POST
def commitment_review(request, pk):
    c = get_scoped(Commitment, request.user, pk, CHANGE)
    form = CommitmentReviewForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Hãy chọn kết quả."))
        services.commitment_review(
            user=request.user, commitment=c, result=form.cleaned_data["result"], note=form.cleaned_data["note"]
        )
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Đã ghi nhận xét."))
    return redirect(f"/tu-soi-tu-sua/cam-ket/?year={c.year}")


@login_required
def logbook(request):
    year = _year(request)
    form = LogbookForm(request.POST or None, members=_members(request.user), organizations=_orgs(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.logbook_add(user=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Đã ghi vào sổ theo dõi."))
            return redirect("accountability:logbook")
    rows = (
        LogbookEntry.objects.restrict(request.user, VIEW)
        .filter(date__year=year)
        .select_related("member", "organization")
    )
    can_write = _orgs(request.user).exists()
    return render(
        request, "accountability/logbook.html", {"year": year, "rows": rows, "form": form, "can_write": can_write}
    )


def _summary_years(year: int, url_name: str, pk: int) -> list[tuple[int, str]]:
    this_year = timezone.localdate().year
    return [
        (y, reverse(f"accountability:{url_name}", args=[pk, y]))
        for y in (year - 1, year + 1)
        if services.MIN_YEAR <= y <= this_year
    ]


@login_required
def year_summary(request, member_pk, year):
    """The year-end self-review sheet of a member: the year's evidence (log, discipline,
    suggestions, open remediation, inspections, commitments)."""
    member = get_scoped(Member, request.user, member_pk, VIEW, Member.objects.select_related("organization"))
    if not selectors.may_see_summary(request.user, member=member):
        raise Http404
    evidence = selectors.evidence_for(request.user, year=year, member=member, where="year_summary")
    return render(
        request,
        "accountability/year_summary.html",
        {
            "member": member,
            "year": year,
            "evidence": evidence,
            "other_years": _summary_years(year, "year_summary", member.pk),
            "today": timezone.localdate(),
        },
    )


@login_required
def org_year_summary(request, org_pk, year):
    """The same sheet for a collective (a cell or a committee)."""
    organization = get_scoped(Organization, request.user, org_pk, VIEW)
    if not selectors.may_see_summary(request.user, organization=organization):
        raise Http404
    evidence = selectors.evidence_for(request.user, year=year, organization=organization, where="year_summary")
    return render(
        request,
        "accountability/year_summary.html",
        {
            "organization": organization,
            "year": year,
            "evidence": evidence,
            "other_years": _summary_years(year, "org_year_summary", organization.pk),
            "today": timezone.localdate(),
        },
    )


# --- Review groups and rotating reviews -------------------------------------------------------


@login_required
def review_groups(request):
    form = ReviewGroupForm(
        request.POST or None, organizations=_orgs(request.user), initial={"year": timezone.localdate().year}
    )
    if request.method == "POST" and form.is_valid():
        try:
            g = services.review_group_create(user=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as e:
            apply_errors(form, e)
        else:
            return redirect("accountability:review_group_detail", pk=g.pk)
    groups = ReviewGroup.objects.restrict(request.user, VIEW).select_related("organization").prefetch_related("targets")
    return render(
        request,
        "accountability/review_groups.html",
        {"groups": groups, "form": form, "can_create": _orgs(request.user).exists()},
    )


@login_required
def review_group_detail(request, pk):
    group = get_scoped(ReviewGroup, request.user, pk, VIEW, ReviewGroup.objects.select_related("organization"))
    members = Member.objects.restrict(request.user, CHANGE).filter(
        org_path__startswith=group.organization.path, status__in=CURRENT_STATUSES
    )
    orgs = _orgs(request.user).filter(path__startswith=group.organization.path)
    form = ReviewTargetForm(request.POST or None, members=members, organizations=orgs)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_target_add(user=request.user, group=group, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as e:
            apply_errors(form, e)
        else:
            return redirect("accountability:review_group_detail", pk=group.pk)
    return render(
        request,
        "accountability/review_group_detail.html",
        {
            "group": group,
            "targets": _with_summary_urls(request.user, group),
            "form": form,
            "record_form": ReviewRecordForm(),
            "can_change": scope_for(request.user).reaches_org(group.organization, CHANGE),
        },
    )


def _with_summary_urls(user, group):
    targets = list(group.targets.select_related("member", "member__organization", "organization"))
    for t in targets:
        t.summary_url = selectors.summary_url(user, year=group.year, member=t.member, organization=t.organization)
    return targets


@login_required
@require_POST
def review_target_record(request, pk):
    target = get_scoped(ReviewTarget, request.user, pk, CHANGE)
    form = ReviewRecordForm(request.POST)
    if form.is_valid():
        services.review_target_record(user=request.user, target=target, **form.cleaned_data)
        messages.success(request, _("Đã ghi nhận."))
    return redirect("accountability:review_group_detail", pk=target.group_id)


@login_required
def rotating(request):
    form = RotatingForm(request.POST or None, organizations=_orgs(request.user).cells())
    if request.method == "POST" and form.is_valid():
        try:
            rows = services.rotating_schedule(user=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Đã xếp lịch cho %(n)s đảng viên.") % {"n": len(rows)})
            return redirect("accountability:rotating")
    rows = list(RotatingReview.objects.restrict(request.user, VIEW).select_related("member", "organization", "meeting"))
    scope = scope_for(request.user)
    pending_orgs = {r.organization_id for r in rows if r.done_on is None}
    meetings: dict[int, list] = {}
    for m in (
        Meeting.objects.restrict(request.user, VIEW)
        .filter(organization_id__in=pending_orgs, kind__in=CELL_MEETING_KINDS, date__lte=timezone.localdate())
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("-date", "-pk")
    ):
        meetings.setdefault(m.organization_id, []).append(m)
    for r in rows:
        r.out_of_rotation = r.member.status in services.NOT_IN_ROTATION
        r.can_record = r.done_on is None and not r.out_of_rotation and scope.reaches_org(r.organization, CHANGE)
        r.meeting_choices = meetings.get(r.organization_id, [])[:12]
    return render(
        request,
        "accountability/rotating.html",
        {"rows": rows, "form": form, "can_schedule": _orgs(request.user).cells().exists()},
    )


@login_required
@require_POST
def rotating_done(request, pk):
    row = get_scoped(RotatingReview, request.user, pk, CHANGE, RotatingReview.objects.select_related("member"))
    raw = request.POST.get("meeting", "")
    meeting = Meeting.objects.restrict(request.user, VIEW).filter(pk=raw).first() if raw.isdigit() else None
    try:
        services.rotating_done(user=request.user, review=row, meeting=meeting, note=request.POST.get("note", ""))
    except ValidationError as e:
        messages.error(request, " ".join(error_messages(e)))
    else:
        messages.success(request, _("Đã ghi lượt kiểm điểm của %(name)s.") % {"name": row.member.full_name})
    return redirect("accountability:rotating")
