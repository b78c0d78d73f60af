from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.access import record_reads
from apps.core.files import owned_file_response
from apps.core.forms import AttachmentForm, apply_errors, attach_from_request, attempt, error_messages
from apps.core.history import change_history
from apps.core.scoping import CHANGE, INSPECT, VIEW, scope_for
from apps.core.templatetags.vn import format_date
from apps.core.versioning import parse_version
from apps.core.views import get_or_404
from apps.discipline.views import render_create
from apps.members.models import CURRENT_STATUSES, Member
from apps.organizations.models import Organization

from . import selectors, services
from .forms import (
    ComplaintForm,
    ComplaintUpdateForm,
    ConcludeForm,
    InspectionEditForm,
    InspectionForm,
    PlanForm,
    RemedyAddForm,
    RemedyCheckForm,
    RemedyCorrectForm,
)
from .models import Complaint, ComplaintAttachment, Inspection, InspectionAttachment, InspectionPlan, Remedy


def _work_orgs(user):
    """Organizations where the user may conduct inspection work (CHANGE or INSPECT)."""
    return (
        (Organization.objects.restrict(user, CHANGE) | Organization.objects.restrict(user, INSPECT))
        .current()
        .distinct()
        .order_by("path")
    )


def _members(user):
    return (
        (Member.objects.restrict(user, CHANGE) | Member.objects.restrict(user, INSPECT))
        .filter(status__in=CURRENT_STATUSES)
        .distinct()
        .order_by("sort_key", "pk")
    )


def _readable(model, user):
    return (model.objects.restrict(user, VIEW) | model.objects.restrict(user, INSPECT)).distinct()


def _get(model, user, pk, queryset=None):
    """Inspection rows are reached by VIEW or by INSPECT; inspections and remedies also by their subject."""
    if model is Inspection:
        qs = selectors.inspections_for(user)
    elif model is Remedy:
        qs = selectors.remedies_for(user)
    else:
        qs = _readable(model, user)
    if queryset is not None:
        qs = queryset.restricted_to(qs)
    return get_or_404(qs, pk)


def _can_work(user, organization) -> bool:
    scope = scope_for(user)
    return scope.reaches_org(organization, CHANGE) or scope.reaches_org(organization, INSPECT)


@login_required
def index(request):
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() else timezone.localdate().year
    plans = selectors.plans_for(request.user).filter(year=year).select_related("organization")
    inspections = selectors.inspections_for(request.user).select_related(
        "organization", "subject_member", "subject_organization"
    )
    return render(request, "inspections/index.html", {"year": year, "plans": plans, "inspections": inspections[:200]})


@login_required
def plan_create(request):
    form = PlanForm(
        request.POST or None, organizations=_work_orgs(request.user), initial={"year": timezone.localdate().year}
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(user=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Đã lưu kế hoạch."))
            return redirect("inspections:plan_detail", pk=plan.pk)
    return render(request, "inspections/form.html", {"form": form, "title": _("Kế hoạch kiểm tra, giám sát")})


@login_required
def plan_detail(request, pk):
    plan = _get(InspectionPlan, request.user, pk)
    return render(request, "inspections/plan_detail.html", {"plan": plan, "inspections": plan.inspections.all()})


@login_required
def inspection_create(request):
    orgs = _work_orgs(request.user)
    initial = {}
    complaint = None
    if request.GET.get("plan"):
        plan = _get(InspectionPlan, request.user, request.GET["plan"])
        initial = {"plan": plan.pk, "organization": plan.organization_id, "body": plan.body}
    elif request.GET.get("complaint"):
        # From the complaint that calls for it: the receiving organization conducts it, about the member named.
        complaint = get_or_404(_work_complaints(request.user), request.GET["complaint"])
        initial = {
            "organization": complaint.organization_id,
            "kind": "signs",
            "subject_member": complaint.about_member_id,
            "title": _("Giải quyết %(kind)s nhận ngày %(day)s")
            % {"kind": complaint.get_kind_display().lower(), "day": format_date(complaint.received_on)},
        }
    form = InspectionForm(
        request.POST or None,
        organizations=orgs,
        subjects=orgs,
        members=_members(request.user),
        plans=selectors.plans_for(request.user),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            insp = services.inspection_create(user=request.user, complaint=complaint, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Đã lưu cuộc kiểm tra, giám sát."))
            return redirect("inspections:detail", pk=insp.pk)
    return render(request, "inspections/form.html", {"form": form, "title": _("Cuộc kiểm tra, giám sát")})


@login_required
def detail(request, pk):
    insp = _get(
        Inspection,
        request.user,
        pk,
        Inspection.objects.select_related("organization", "plan", "subject_member", "subject_organization"),
    )
    form = ConcludeForm(request.POST or None, version=insp.version)
    if request.method == "POST":
        try:
            if request.POST.get("op") == "start":
                services.inspection_start(user=request.user, inspection=insp)
            else:
                if not form.is_valid():
                    raise ValidationError(_("Dữ liệu không hợp lệ; ngày ghi theo dạng dd/mm/yyyy."))
                services.inspection_conclude(
                    user=request.user,
                    inspection=insp,
                    findings=form.cleaned_data["findings"],
                    conclusion=form.cleaned_data["conclusion"],
                    conclusion_text=form.cleaned_data["conclusion_text"],
                    concluded_on=form.cleaned_data["concluded_on"],
                    remedies=form.remedies(),
                    expected_version=form.expected_version,
                )
        except (ValidationError, PermissionDenied) as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Đã cập nhật cuộc kiểm tra."))
            return redirect("inspections:detail", pk=insp.pk)
    return render(
        request,
        "inspections/detail.html",
        {
            "insp": insp,
            "form": form,
            "remedies": insp.remedies.all(),
            "check_form": RemedyCheckForm(),
            "remedy_add_form": RemedyAddForm(),
            "today": timezone.localdate(),
            "complaints": selectors.complaints_for(request.user).filter(inspection=insp),
            "disciplines": _disciplines(request.user, inspection=insp),
            "can_work": _can_work(request.user, insp.organization),
            "attachments": insp.attachments.all(),
            "download_url": "inspections:attachment",
            "attach_url": reverse("inspections:attach", args=[insp.pk])
            if _can_work(request.user, insp.organization)
            else "",
            "attach_form": AttachmentForm(),
            "plan_visible": insp.plan_id is not None
            and _readable(InspectionPlan, request.user).filter(pk=insp.plan_id).exists(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def remedy_update(request, pk, op):
    remedy = _get(Remedy, request.user, pk, Remedy.objects.select_related("inspection"))
    try:
        if op == "done":
            services.remedy_done(
                user=request.user, remedy=remedy, expected_version=parse_version(request.POST.get("version"))
            )
        elif op == "check":
            form = RemedyCheckForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Hãy chọn kết quả kiểm tra lại."))
            services.remedy_check(
                user=request.user,
                remedy=remedy,
                passed=form.cleaned_data["passed"],
                result=form.cleaned_data["result"],
                expected_version=parse_version(request.POST.get("version")),
            )
    except (ValidationError, PermissionDenied) as e:
        messages.error(request, " ".join(error_messages(e)))
    else:
        messages.success(request, _("Đã cập nhật."))
    return redirect("inspections:detail", pk=remedy.inspection_id)


@login_required
def complaints(request):
    form = ComplaintForm(request.POST or None, organizations=_work_orgs(request.user), members=_members(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.complaint_receive(user=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Đã tiếp nhận đơn."))
            return redirect("inspections:complaints")
    rows = selectors.complaints_for(request.user).select_related("organization", "about_member")
    return render(request, "inspections/complaints.html", {"rows": rows, "form": form})


@login_required
def complaint_detail(request, pk):
    c = _get(Complaint, request.user, pk)
    form = ComplaintUpdateForm(
        request.POST or None,
        initial={
            "status": c.status,
            "handling": c.handling,
            "answer": c.answer,
            "answered_on": c.answered_on,
            "inspection": c.inspection_id,
        },
        version=c.version,
        inspections=selectors.inspections_for(request.user).filter(organization_id=c.organization_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.complaint_update(
                user=request.user, complaint=c, expected_version=form.expected_version, **form.values_without_version()
            )
        except (ValidationError, PermissionDenied) as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Đã cập nhật."))
            return redirect("inspections:complaints")
    context = {
        "c": c,
        "form": form,
        "inspection_visible": c.inspection_id is not None
        and selectors.inspections_for(request.user).filter(pk=c.inspection_id).exists(),
        "disciplines": _disciplines(request.user, complaint=c),
        "can_work": _can_work(request.user, c.organization),
        "attachments": c.attachments.all(),
        "download_url": "inspections:complaint_attachment",
        "attach_url": reverse("inspections:complaint_attach", args=[c.pk])
        if _can_work(request.user, c.organization)
        else "",
        "attach_form": AttachmentForm(),
    }
    return render(request, "inspections/complaint_detail.html", context, status=400 if form.errors else 200)


def _disciplines(user, **origin):
    rows = list(selectors.disciplines_from(user, **origin))
    record_reads(user, rows, where="inspection_page")
    return rows


@login_required
def discipline_from_inspection(request, pk):
    """The discipline form opened from a conclusion that calls for one: subject and reason filled in."""
    insp = get_or_404(
        _work_inspections(request.user).select_related("organization", "subject_member", "subject_organization"), pk
    )
    return _discipline_page(request, inspection=insp)


@login_required
def discipline_from_complaint(request, pk):
    """The discipline form opened from the complaint that led to it."""
    c = get_or_404(_work_complaints(request.user).select_related("organization", "about_member", "inspection"), pk)
    return _discipline_page(request, complaint=c)


def _work_inspections(user):
    return (Inspection.objects.restrict(user, CHANGE) | Inspection.objects.restrict(user, INSPECT)).distinct()


def _work_complaints(user):
    return (Complaint.objects.restrict(user, CHANGE) | Complaint.objects.restrict(user, INSPECT)).distinct()


def _discipline_page(request, *, inspection=None, complaint=None):
    back = (
        redirect("inspections:detail", pk=inspection.pk)
        if inspection is not None
        else redirect("inspections:complaint_detail", pk=complaint.pk)
    )
    try:
        subject = services.discipline_subject(inspection=inspection, complaint=complaint)
    except ValidationError as e:
        messages.error(request, " ".join(error_messages(e)))
        return back
    if inspection is not None:
        basis = _("Kết luận kiểm tra “%(title)s” ngày %(day)s") % {
            "title": inspection.title,
            "day": format_date(inspection.concluded_on),
        }
    else:
        basis = _("%(kind)s nhận ngày %(day)s") % {
            "kind": complaint.get_kind_display(),
            "day": format_date(complaint.received_on),
        }
    return render_create(
        request,
        member=subject["member"],
        organization=subject["organization"],
        initial=subject["initial"],
        basis=basis,
        save=lambda data: services.discipline_from(
            user=request.user, inspection=inspection, complaint=complaint, **data
        ),
    )


@login_required
@require_POST
def attach(request, pk):
    insp = _get(Inspection, request.user, pk)
    attach_from_request(request, lambda **kw: services.inspection_attach(user=request.user, inspection=insp, **kw))
    return redirect("inspections:detail", pk=insp.pk)


@login_required
def attachment(request, pk):
    """An inspection's document, reached like the inspection (conductor or subject)."""
    a = get_or_404(
        InspectionAttachment.objects.filter(inspection__in=selectors.inspections_for(request.user)).vouched(
            "documents of inspections the user reaches"
        ),
        pk,
    )
    return owned_file_response(a)


@login_required
@require_POST
def complaint_attach(request, pk):
    c = _get(Complaint, request.user, pk)
    attach_from_request(request, lambda **kw: services.complaint_attach(user=request.user, complaint=c, **kw))
    return redirect("inspections:complaint_detail", pk=c.pk)


@login_required
def complaint_attachment(request, pk):
    a = get_or_404(
        ComplaintAttachment.objects.filter(complaint__in=selectors.complaints_for(request.user)).vouched(
            "documents of complaints the user reaches"
        ),
        pk,
    )
    return owned_file_response(a)


# --- Corrections and additions; the conclusion issued (locked) -----------------------------------

EDIT_FIELDS = (
    "title",
    "team",
    "period_start",
    "period_end",
    "findings",
    "conclusion",
    "conclusion_text",
    "concluded_on",
)


def _work_inspection(request, pk):
    return get_or_404(_work_inspections(request.user).select_related("organization", "approved_by"), pk)


@login_required
def inspection_edit(request, pk):
    """Correct the inspection and its conclusion, see its history, issue (lock) the conclusion."""
    insp = _work_inspection(request, pk)
    concluded = insp.status in services.CONCLUDED
    back = reverse("inspections:detail", args=[insp.pk])
    if request.method == "POST" and request.POST.get("op") == "approve":
        _result, ok = attempt(request, None, lambda: services.conclusion_issue(user=request.user, inspection=insp))
        if ok:
            messages.success(request, _("Đã ban hành kết luận; kết luận đã khóa."))
        return redirect(back)
    form = InspectionEditForm(
        request.POST or None,
        initial={k: getattr(insp, k) for k in EDIT_FIELDS},
        version=insp.version,
        concluded=concluded,
    )
    if request.method == "POST" and form.is_valid():
        _result, ok = attempt(
            request,
            form,
            lambda: services.inspection_update(
                user=request.user,
                inspection=insp,
                expected_version=form.expected_version,
                **form.values_without_version(),
            ),
        )
        if ok:
            messages.success(request, _("Đã lưu sửa đổi."))
            return redirect(back)
    return render(
        request,
        "core/record_edit.html",
        {
            "title": _("Sửa cuộc kiểm tra, kết luận: %(title)s") % {"title": insp.title},
            "record": insp,
            "form": form,
            "back_url": back,
            "back_label": _("Về cuộc kiểm tra"),
            "approve_label": _("Ban hành (khóa) kết luận") if concluded else "",
            "history": change_history(insp),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def remedy_add(request, pk):
    insp = _work_inspection(request, pk)
    form = RemedyAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy ghi nội dung và thời hạn (dd/mm/yyyy) của yêu cầu khắc phục."))
    else:
        _result, ok = attempt(
            request, None, lambda: services.remedy_add(user=request.user, inspection=insp, **form.cleaned_data)
        )
        if ok:
            messages.success(request, _("Đã thêm yêu cầu khắc phục."))
    return redirect("inspections:detail", pk=insp.pk)


@login_required
def remedy_correct(request, pk):
    remedy = get_or_404(
        (Remedy.objects.restrict(request.user, CHANGE) | Remedy.objects.restrict(request.user, INSPECT))
        .distinct()
        .select_related("inspection", "inspection__approved_by"),
        pk,
    )
    insp = remedy.inspection
    back = reverse("inspections:detail", args=[insp.pk])
    form = RemedyCorrectForm(
        request.POST or None,
        initial={"requirement": remedy.requirement, "deadline": remedy.deadline},
        version=remedy.version,
    )
    if request.method == "POST" and form.is_valid():
        _result, ok = attempt(
            request,
            form,
            lambda: services.remedy_correct(
                user=request.user,
                remedy=remedy,
                expected_version=form.expected_version,
                **form.values_without_version(),
            ),
        )
        if ok:
            messages.success(request, _("Đã lưu sửa đổi."))
            return redirect(back)
    return render(
        request,
        "core/record_edit.html",
        {
            "title": _("Sửa yêu cầu khắc phục: %(text)s") % {"text": remedy.requirement[:80]},
            "record": insp,
            "form": form,
            "back_url": back,
            "back_label": _("Về cuộc kiểm tra"),
            "history": change_history(remedy),
        },
        status=400 if form.errors else 200,
    )
