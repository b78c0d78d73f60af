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
from apps.core.files import owned_file_response
from apps.core.forms import AttachmentForm, apply_errors, attach_from_request, attempt, error_messages
from apps.core.history import change_history
from apps.core.periods import Period
from apps.core.periods import choices as period_choices
from apps.core.scoping import CHANGE, INSPECT, VIEW, scope_for
from apps.core.versioning import parse_version
from apps.core.views import get_or_404, get_scoped
from apps.core.xlsx import Column, xlsx_response
from apps.inspections.models import Inspection
from apps.meetings.models import CELL_MEETING_KINDS, Meeting, MeetingStatus
from apps.meetings.selectors import default_organization
from apps.members.models import CURRENT_STATUSES, Member
from apps.organizations.models import Organization, line_paths

from . import selectors, services
from .forms import (
    ActionAddForm,
    ActionCorrectForm,
    CheckForm,
    CommitmentForm,
    CommitmentReviewForm,
    LogbookEditForm,
    LogbookForm,
    OpeningForm,
    PlanEditForm,
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
    PlanAttachment,
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
        targets = (
            ReviewTarget.objects.of_groups(request.user, CHANGE).filter(member=exam.member).select_related("group")
        )
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
    targets = ReviewTarget.objects.of_groups(request.user, CHANGE).filter(member=exam.member).select_related("group")
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
    exam = target = None
    member = organization = None
    target_pk = request.GET.get("target") or request.POST.get("target")
    if target_pk:
        target = get_or_404(
            selectors.review_targets_for(request.user).active().select_related("member", "organization", "group"),
            target_pk,
        )
        member, organization = target.member, target.organization
        # The plan is written by whoever may change the subject's records (services check it).
    elif request.GET.get("exam") or request.POST.get("exam"):
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
        "year": exam.year if exam else (target.group.year if target else timezone.localdate().year),
        "owner_name": member.full_name if member else "",
    }
    if target is not None:
        initial["title"] = _("Khắc phục hạn chế sau kiểm điểm (%(group)s)") % {"group": target.group.name}
        initial["shortcomings"] = target.suggestions
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
                review_target=target,
                actions=form.actions(),
            )
        except (ValidationError, PermissionDenied) as e:
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
            "target": target,
            "member": member,
            "organization": organization,
        },
    )


def _plan_for(user, pk):
    plan = get_scoped(
        RemediationPlan,
        user,
        pk,
        VIEW,
        RemediationPlan.objects.select_related("member", "organization", "subject_org", "review_target__group"),
    )
    access = scope_for(user).may_read_private(plan)
    if not access.allowed:
        raise Http404
    record_read(user, plan, basis=access.basis, opening=access.opening, where="plan_page")
    return plan, access


def _may_edit_plan(user, plan) -> bool:
    """The plan's member or the cell/committee (as services._require_plan_change)."""
    if plan.member_id and selectors.is_own(user, plan.member):
        return True
    return scope_for(user).reaches_org(plan.subject_org, CHANGE)


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
            "attachments": plan.attachments.all(),
            "download_url": "accountability:plan_attachment",
            "attach_url": reverse("accountability:plan_attach", args=[plan.pk])
            if _may_edit_plan(request.user, plan)
            else "",
            "can_edit": _may_edit_plan(request.user, plan),
            "attach_form": AttachmentForm(),
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
                correction_reason=form.cleaned_data["correction_reason"],
            )
        elif op == "done":
            services.remediation_action_done(
                user=request.user, action=target, expected_version=parse_version(request.POST.get("version"))
            )
        elif op == "check":
            if not form.is_valid():
                raise ValidationError(
                    error_messages(ValidationError(form.errors)) or _("Hãy chọn kết quả hậu kiểm tra.")
                )
            services.remediation_action_check(
                user=request.user,
                action=target,
                passed=form.cleaned_data["passed"],
                result=form.cleaned_data["result"],
                new_deadline=form.cleaned_data["new_deadline"],
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
        .select_related("member", "organization", "subject_org")
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
            "can_change": scope_for(request.user).reaches_org(group.organization, CHANGE),
        },
    )


def _target_in_reach(user, pk):
    """A review target the user reaches: their committee's group, or one addressed to them."""
    return get_or_404(
        selectors.review_targets_for(user).select_related("group", "group__organization", "member", "organization"),
        pk,
    )


def _target_context(request, target, form=None):
    user = request.user
    scope = scope_for(user)
    can_record = scope.reaches_org(target.group.organization, CHANGE)
    plans = []
    for plan in target.plans.select_related("member", "organization", "subject_org").prefetch_related("actions"):
        readable = scope.may_read_private(plan).allowed
        acts = list(plan.actions.all())
        plans.append(
            {
                "plan": plan,
                "readable": readable,
                "total": len(acts),
                "done": sum(1 for a in acts if a.done_on and a.check_passed is not False),
                "passed": sum(1 for a in acts if a.check_passed is True),
                "failed": sum(1 for a in acts if a.failed_checks),
                "overdue": sum(1 for a in acts if a.done_on is None and a.deadline < timezone.localdate()),
            }
        )
    subject_org = target.subject_org
    can_plan = target.withdrawn_on is None and (
        scope.reaches_org(subject_org, CHANGE)
        or (target.member_id is not None and selectors.is_own(user, target.member))
    )
    return {
        "target": target,
        "group": target.group,
        "plans": plans,
        "can_record": can_record,
        "can_plan": can_plan,
        "can_see_group": scope.reaches_org(target.group.organization, VIEW),
        "record_form": form
        if form is not None
        else (ReviewRecordForm(initial=ReviewRecordForm.record_initial(target)) if can_record else None),
    }


@login_required
def review_target_detail(request, pk):
    target = _target_in_reach(request.user, pk)
    return render(request, "accountability/review_target_detail.html", _target_context(request, target))


def _with_summary_urls(user, group):
    targets = list(group.targets.select_related("member", "member__organization", "organization"))
    for t in targets:
        t.summary_url = selectors.summary_url(user, year=group.year, member=t.member, organization=t.organization)
    return targets


@login_required
@require_POST
def review_target_record(request, pk):
    # Only the group's committee records its suggestions (the reviewed cell reads them).
    target = get_or_404(ReviewTarget.objects.of_groups(request.user, CHANGE).select_related("group"), pk)
    form = ReviewRecordForm(request.POST)
    if form.is_valid():
        # A field the request did not send keeps what was recorded (the checkbox is always sent as
        # its state: a form without it unticks it).
        sent = {k: v for k, v in form.cleaned_data.items() if k in request.POST or k == "follow_up_done"}
        if "review_on" in sent and sent["review_on"] is None:
            sent.pop("review_on")
        _result, ok = attempt(
            request, form, lambda: services.review_target_record(user=request.user, target=target, **sent)
        )
        if ok:
            messages.success(request, _("Đã ghi nhận."))
            return redirect("accountability:review_target_detail", pk=target.pk)
    return render(
        request, "accountability/review_target_detail.html", _target_context(request, target, form), status=400
    )


def _counts_org(request):
    if not scope_for(request.user).has_any_org:
        raise Http404
    if request.GET.get("org"):
        return get_scoped(Organization, request.user, request.GET.get("org"))
    org = default_organization(request.user)
    if org is None:
        raise Http404
    return org


def _counts_period(request):
    today = timezone.localdate()
    return Period.parse(request.GET.get("year"), request.GET.get("period", ""), today)


@login_required
def review_counts(request):
    """Subjects reviewed by the working groups in a period, by mode and subject (the seed's
    "9 collectives and 9 individuals reviewed in depth, 9 collectives and 1 individual attended")."""
    org = _counts_org(request)
    period = _counts_period(request)
    counts = selectors.review_counts(request.user, period, org)
    children = Organization.objects.restrict(request.user).filter(parent=org).current().order_by("path")
    return render(
        request,
        "accountability/review_counts.html",
        {
            "org": org,
            "period": period,
            "periods": period_choices(),
            "counts": counts,
            "children": children,
            "compare": None,
        },
    )


@login_required
def review_counts_xlsx(request):
    org = _counts_org(request)
    period = _counts_period(request)
    counts = selectors.review_counts(request.user, period, org)
    columns = [Column(_("Hình thức"), 36), Column(_("Tập thể"), 12), Column(_("Cá nhân"), 12), Column(_("Cộng"), 12)]
    rows = [list(r) for r in counts.rows()]
    rows.append([_("Cộng"), counts.collectives, counts.individuals, counts.in_depth + counts.attended])
    rows.append([_("Tổ chức đảng (ngày cuối kỳ)"), counts.organizations, "", ""])
    rows.append([_("Đảng viên đang sinh hoạt (ngày cuối kỳ)"), "", counts.members, ""])
    title = _("Kiểm điểm %(org)s %(period)s") % {"org": org.name, "period": period}
    return xlsx_response(
        f"kiem-diem-{period.year}{('-' + period.key) if period.key else ''}.xlsx", columns, [[title, "", "", ""], *rows]
    )


@login_required
def suggestions(request):
    """Suggestions of the review groups addressed to the user's cell and its members (and, for a
    committee, to the organizations under it); a member sees those addressed to them."""
    year = _year(request)
    rows = selectors.targets_addressed(request.user, year)
    return render(request, "accountability/suggestions.html", {"year": year, "rows": rows})


@login_required
def slow(request):
    """Collectives and individuals slow to remediate: the basis for choosing review targets."""
    if not scope_for(request.user).has_any_org:
        raise Http404
    return render(
        request,
        "accountability/slow.html",
        {"data": selectors.slow_to_remediate(request.user), "today": timezone.localdate()},
    )


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


@login_required
@require_POST
def plan_attach(request, pk):
    plan, _access = _plan_for(request.user, pk)
    attach_from_request(request, lambda **kw: services.plan_attach(user=request.user, plan=plan, **kw))
    return redirect("accountability:plan_detail", pk=plan.pk)


@login_required
def plan_attachment(request, pk):
    """A plan's document: a member's plan is private, so its documents are read like the plan (logged)."""
    a = get_or_404(PlanAttachment.objects.restrict(request.user, VIEW), pk)
    _plan_for(request.user, a.plan_id)
    return owned_file_response(a)


# --- Corrections, with the history kept; approval locks ----------------------------------------


def _edit_page(request, *, record, form, title, back_url, back_label, save, approve=None, approve_label=""):
    """GET shows the record's edit form, its lock state and its history; POST op=save corrects it
    through `save(cleaned_data)`, op=approve calls `approve()`. Refusals stay on the page."""
    if request.method == "POST":
        if request.POST.get("op") == "approve" and approve is not None:
            _result, ok = attempt(request, None, approve)
            if ok:
                messages.success(request, _("Đã duyệt; hồ sơ đã khóa."))
                return redirect(back_url)
        elif form.is_valid():
            _result, ok = attempt(request, form, lambda: save(form.values_without_version(), form.expected_version))
            if ok:
                messages.success(request, _("Đã lưu sửa đổi."))
                return redirect(back_url)
    return render(
        request,
        "core/record_edit.html",
        {
            "title": title,
            "record": record,
            "form": form,
            "back_url": back_url,
            "back_label": back_label,
            "approve_label": approve_label if approve is not None else "",
            "history": change_history(record),
        },
        status=400 if form.errors else 200,
    )


@login_required
def logbook_entry(request, pk):
    entry = get_scoped(LogbookEntry, request.user, pk, CHANGE, LogbookEntry.objects.select_related("subject_org"))
    form = LogbookEditForm(
        request.POST if request.POST.get("op") == "save" else None,
        initial={k: getattr(entry, k) for k in ("date", "kind", "source", "source_detail", "content")},
        version=entry.version,
    )
    return _edit_page(
        request,
        record=entry,
        form=form,
        title=_("Sửa mục sổ theo dõi: %(subject)s") % {"subject": entry.subject},
        back_url=reverse("accountability:logbook") + f"?year={entry.date.year}",
        back_label=_("Về sổ theo dõi"),
        save=lambda data, version: services.logbook_update(
            user=request.user, entry=entry, expected_version=version, **data
        ),
        approve=lambda: services.logbook_confirm(user=request.user, entry=entry),
        approve_label=_("Xác nhận (khóa) mục này"),
    )


@login_required
def plan_edit(request, pk):
    plan, _access = _plan_for(request.user, pk)
    form = PlanEditForm(
        request.POST if request.POST.get("op") == "save" else None,
        initial={k: getattr(plan, k) for k in ("title", "owner_name", "shortcomings")},
        version=plan.version,
    )
    may_approve = scope_for(request.user).reaches_org(plan.subject_org, CHANGE) and not (
        plan.member_id and selectors.is_own(request.user, plan.member)
    )
    return _edit_page(
        request,
        record=plan,
        form=form,
        title=_("Sửa kế hoạch khắc phục: %(title)s") % {"title": plan.title},
        back_url=reverse("accountability:plan_detail", args=[plan.pk]),
        back_label=_("Về kế hoạch"),
        save=lambda data, version: services.remediation_plan_update(
            user=request.user, plan=plan, expected_version=version, **data
        ),
        approve=(lambda: services.remediation_plan_approve(user=request.user, plan=plan)) if may_approve else None,
        approve_label=_("Duyệt (khóa) kế hoạch"),
    )


@login_required
def action_correct(request, pk):
    action = get_scoped(RemediationAction, request.user, pk, VIEW, RemediationAction.objects.select_related("plan"))
    plan, _access = _plan_for(request.user, action.plan_id)
    action.plan = plan
    form = ActionCorrectForm(
        request.POST if request.POST.get("op") == "save" else None,
        initial={"text": action.action, "deadline": action.deadline},
        version=action.version,
    )
    return _edit_page(
        request,
        record=plan,
        form=form,
        title=_("Sửa việc khắc phục: %(action)s") % {"action": action.action[:80]},
        back_url=reverse("accountability:plan_detail", args=[plan.pk]),
        back_label=_("Về kế hoạch"),
        save=lambda data, version: services.remediation_action_correct(
            user=request.user, action=action, expected_version=version, **data
        ),
    )
