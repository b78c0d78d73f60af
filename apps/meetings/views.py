"""Thin views: parse, call a service, render or redirect. Rows load only through the scoping door."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core import periods
from apps.core.documents import file_response
from apps.core.files import scoped_file_response
from apps.core.forms import attempt, error_messages
from apps.core.periods import Period
from apps.core.scoping import CHANGE, VIEW, scope_for
from apps.core.templatetags.vn import format_date
from apps.core.views import get_scoped
from apps.members.disclosure import record_export
from apps.members.models import Member
from apps.organizations.models import CELL_KINDS, Organization
from apps.safeguards.models import ExportKind

from . import forms, selectors, services
from .documents import minutes_document, resolution_document
from .models import Meeting, MeetingDocument, Presence, QualityAssessment, Theme
from .rules import OUTSIDE_STATUSES, document_is_late, roll_for


def _org_from_request(request):
    pk = request.GET.get("org") or request.POST.get("org")
    if pk:
        return get_scoped(Organization, request.user, pk)
    org = selectors.default_organization(request.user)
    if org is None:
        raise Http404
    return org


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


def _period(request, today, default_year: bool = False) -> Period:
    """The period picked on the page (`year`, `period`): this month by default, or this year."""
    if "period" not in request.GET and default_year:
        return Period.parse(request.GET.get("year"), "", today)
    return Period.parse(request.GET.get("year"), request.GET.get("period", str(today.month)), today)


def _can_change(user, org) -> bool:
    return scope_for(user).reaches_org(org, CHANGE)


@login_required
def index(request):
    context = selectors.member_overview(request.user)
    org = selectors.default_organization(request.user)
    context["organization"] = org
    if org is not None and scope_for(request.user).has_any_org:
        context["compliance"] = selectors.compliance(request.user, org, Period(timezone.localdate().year))
    return render(request, "meetings/index.html", context)


# --- Plan ---------------------------------------------------------------------------------------


@login_required
def plan(request):
    org = _org_from_request(request)
    year = _year(request)
    context = {"org": org, "year": year, "can_change": _can_change(request.user, org)}
    if org.is_cell:
        context["quarters"] = selectors.plan_by_quarter(request.user, org, year)
        context["quarter_form"] = forms.QuarterPlanForm(
            initial={"year": year, "quarter": (timezone.localdate().month - 1) // 3 + 1}
        )
        return render(request, "meetings/plan.html", context)
    context["rows"] = selectors.plan_overview(request.user, org, year)
    context["months"] = range(1, 13)
    context["theme_form"] = forms.ThemeForCellsForm(organization=org)
    context["children"] = Organization.objects.restrict(request.user).filter(parent=org).current().order_by("sort_key")
    return render(request, "meetings/overview.html", context)


@login_required
def create(request, org):
    organization = get_scoped(Organization, request.user, org, CHANGE)
    form = forms.MeetingForm(request.POST or None, organization=organization, initial={"date": request.GET.get("date")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meeting, ok = attempt(
            request,
            form,
            lambda: services.meeting_create(
                user=request.user,
                organization=organization,
                kind=data["kind"],
                date=data["date"],
                start_time=data["start_time"],
                place=data["place"],
                theme=data["theme"],
                theme_ref=data["theme_ref"],
                agenda=data["agenda"],
                resolution_drafter=data["resolution_drafter"],
                presenters=[(m, "") for m in data["presenters"]],
            ),
        )
        if ok:
            messages.success(request, _("Đã thêm cuộc sinh hoạt vào kế hoạch."))
            return redirect("meetings:detail", meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "org": organization})


@login_required
def edit(request, pk):
    meeting = get_scoped(Meeting, request.user, pk, CHANGE)
    initial = {k: getattr(meeting, k) for k in services.PLAN_FIELDS}
    form = forms.MeetingForm(
        request.POST or None,
        organization=meeting.organization,
        initial=initial,
        version=meeting.version,
        current_theme=meeting.theme_ref,
    )
    form.fields.pop("presenters")
    if request.method == "POST" and form.is_valid():
        data = form.values_without_version()
        _result, ok = attempt(
            request,
            form,
            lambda: services.meeting_update(
                user=request.user, meeting=meeting, expected_version=form.expected_version, **data
            ),
        )
        if ok:
            messages.success(request, _("Đã lưu."))
            return redirect("meetings:detail", meeting.pk)
    return render(
        request, "meetings/meeting_form.html", {"form": form, "org": meeting.organization, "meeting": meeting}
    )


@login_required
@require_POST
def plan_quarter(request, org):
    organization = get_scoped(Organization, request.user, org, CHANGE)
    form = forms.QuarterPlanForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        created, ok = attempt(
            request,
            None,
            lambda: services.plan_quarter(
                user=request.user,
                organization=organization,
                year=d["year"],
                quarter=d["quarter"],
                day=d["day"],
                start_time=d["start_time"],
                place=d["place"],
                thematic_month=d["thematic_month"],
                thematic_theme=d["thematic_theme"],
            ),
        )
        if ok:
            messages.success(
                request, _("Đã lập kế hoạch quý %(q)s: %(n)s cuộc sinh hoạt.") % {"q": d["quarter"], "n": len(created)}
            )
        return redirect(f"{_plan_url(organization)}&year={d['year']}")
    for message in error_messages(ValidationError(form.errors)):
        messages.error(request, message)
    return redirect(_plan_url(organization))


def _plan_url(org) -> str:
    return f"{reverse('meetings:plan')}?org={org.pk}"


@login_required
@require_POST
def set_theme(request, org):
    organization = get_scoped(Organization, request.user, org, CHANGE)
    form = forms.ThemeForCellsForm(request.POST, organization=organization)
    if form.is_valid():
        d = form.cleaned_data
        n, ok = attempt(
            request,
            None,
            lambda: services.theme_set_for_cells(
                user=request.user,
                parent=organization,
                on=d["on"],
                kind=d["kind"],
                theme=d["theme"],
                theme_ref=d["theme_ref"],
            ),
        )
        if ok:
            messages.success(request, _("Đã đặt chủ đề cho %(n)s chi bộ.") % {"n": n})
    else:
        for message in error_messages(ValidationError(form.errors)):
            messages.error(request, message)
    return redirect(_plan_url(organization))


# --- One meeting --------------------------------------------------------------------------------


def _meeting_context(request, meeting):
    rule_set = selectors.rule_set_for(meeting)
    documents = [(d, document_is_late(d, meeting, rule_set)) for d in meeting.documents.all()]
    can_change = _can_change(request.user, meeting.organization)
    return {
        "meeting": meeting,
        "rule_set": rule_set,
        "documents": documents,
        "presenters": meeting.contributions.filter(assigned=True).select_related("member"),
        "can_change": can_change,
        "counts": selectors.meeting_counts(meeting) if meeting.roll.exists() else None,
        "minutes": services.current_minutes(meeting),
        "closed": services.closed_reason(meeting.organization, meeting.date),
        "sent": meeting.notifications.count(),
        "presenter_form": forms.PresenterForm(organization=meeting.organization) if can_change else None,
        "document_form": forms.DocumentForm() if can_change else None,
        "cancel_form": forms.CancelForm() if can_change else None,
    }


@login_required
def detail(request, pk):
    meeting = get_scoped(
        Meeting,
        request.user,
        pk,
        queryset=Meeting.objects.select_related("organization__parent", "resolution_drafter", "chair", "minute_taker"),
    )
    return render(request, "meetings/detail.html", _meeting_context(request, meeting))


def _post_action(request, pk, call, success, target="meetings:detail"):
    meeting = get_scoped(Meeting, request.user, pk, CHANGE)
    _result, ok = attempt(request, None, lambda: call(meeting))
    if ok and success:
        messages.success(request, success)
    return redirect(target, meeting.pk)


def _minutes_meeting(request, pk, action=VIEW):
    """The meeting as the minutes page and its documents show it (chair, minute-taker, parent)."""
    return get_scoped(
        Meeting,
        request.user,
        pk,
        action,
        queryset=Meeting.objects.select_related("organization__parent", "chair", "minute_taker"),
    )


def _form_action(request, pk, form_class, service, success, target="meetings:detail", with_org=False):
    """A small form posted from a meeting page: validate, run the service, say so, go back."""
    meeting = get_scoped(Meeting, request.user, pk, CHANGE)
    extra = {"organization": meeting.organization} if with_org else {}
    form = form_class(request.POST, request.FILES, **extra)
    if form.is_valid():
        result, ok = attempt(request, None, lambda: service(user=request.user, meeting=meeting, **form.cleaned_data))
        if ok:
            messages.success(request, success)
    else:
        for message in error_messages(ValidationError(form.errors)):
            messages.error(request, message)
    return redirect(target, meeting.pk)


@login_required
@require_POST
def notify(request, pk):
    meeting = get_scoped(Meeting, request.user, pk, CHANGE)
    n, ok = attempt(request, None, lambda: services.meeting_notify(user=request.user, meeting=meeting))
    if ok:
        messages.success(request, _("Đã gửi thông báo tới %(n)s người.") % {"n": n})
    return redirect("meetings:detail", meeting.pk)


@login_required
@require_POST
def cancel(request, pk):
    reason = request.POST.get("reason", "")
    return _post_action(
        request,
        pk,
        lambda m: services.meeting_cancel(user=request.user, meeting=m, reason=reason),
        _("Đã hủy cuộc sinh hoạt."),
    )


@login_required
@require_POST
def presenter_add(request, pk):
    return _form_action(
        request, pk, forms.PresenterForm, services.presenter_assign, _("Đã phân công tham luận."), with_org=True
    )


@login_required
@require_POST
def document_add(request, pk):
    return _form_action(request, pk, forms.DocumentForm, services.document_add, _("Đã đăng tài liệu."))


@login_required
def document_download(request, pk, doc):
    meeting = get_scoped(Meeting, request.user, pk)
    return scoped_file_response(request, MeetingDocument, doc, queryset=MeetingDocument.objects.filter(meeting=meeting))


@login_required
@require_POST
def start(request, pk):
    return _post_action(
        request,
        pk,
        lambda m: services.meeting_start(user=request.user, meeting=m),
        _("Đã bắt đầu sinh hoạt."),
        "meetings:roll",
    )


@login_required
def conduct(request, pk):
    meeting = get_scoped(Meeting, request.user, pk, CHANGE, queryset=Meeting.objects.select_related("organization"))
    overseers = services.overseers_of(meeting.organization, meeting.date)
    form = forms.ConductForm(request.POST or None, instance=meeting, overseers=overseers)
    times = forms.TimesForm(
        initial={
            "started_at": timezone.localtime(meeting.started_at) if meeting.started_at else None,
            "ended_at": timezone.localtime(meeting.ended_at) if meeting.ended_at else None,
        }
    )
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.CONDUCT_FIELDS}
        fresh = Meeting.objects.get(pk=meeting.pk)
        _r, ok = attempt(
            request,
            form,
            lambda: services.meeting_conduct_update(
                user=request.user, meeting=fresh, expected_version=form.expected_version, **data
            ),
        )
        if ok:
            messages.success(request, _("Đã lưu."))
            return redirect("meetings:conduct", meeting.pk)
    return render(
        request, "meetings/conduct.html", {"meeting": meeting, "form": form, "times": times, "overseers": overseers}
    )


@login_required
@require_POST
def times(request, pk):
    return _form_action(
        request,
        pk,
        forms.TimesForm,
        services.meeting_set_times,
        _("Đã lưu thời gian sinh hoạt."),
        target="meetings:conduct",
    )


@login_required
@require_POST
def finish(request, pk):
    return _post_action(
        request,
        pk,
        lambda m: services.meeting_finish(user=request.user, meeting=m),
        _("Đã kết thúc sinh hoạt."),
        "meetings:minutes",
    )


# --- The roll -----------------------------------------------------------------------------------


def _roll_rows(meeting):
    return list(meeting.roll.select_related("member").order_by("member__sort_key", "pk"))


def _roll_context(meeting, rows=None):
    rows = rows if rows is not None else _roll_rows(meeting)
    counts = selectors.meeting_counts(meeting)
    return {
        "meeting": meeting,
        "rows": rows,
        "counts": counts,
        "outside": OUTSIDE_STATUSES,
        "rule_set": selectors.rule_set_for(meeting),
    }


@login_required
def roll(request, pk):
    meeting = get_scoped(Meeting, request.user, pk, CHANGE, queryset=Meeting.objects.select_related("organization"))
    if not meeting.has_started:
        # Not an empty meeting: the members who will be on the roll, and when it opens.
        due = roll_for(meeting.organization, meeting.date)
        today = timezone.localdate()
        context = {
            "meeting": meeting,
            "due": due,
            "outside": OUTSIDE_STATUSES,
            "today": today,
            "may_start": meeting.may_start_on(today),
        }
        return render(request, "meetings/roll_due.html", context)
    return render(request, "meetings/roll.html", _roll_context(meeting))


# Tapping a row cycles through these.
NEXT_PRESENCE = {
    Presence.UNMARKED: Presence.PRESENT,
    Presence.PRESENT: Presence.EXCUSED,
    Presence.EXCUSED: Presence.UNEXCUSED,
    Presence.UNEXCUSED: Presence.PRESENT,
}


@login_required
@require_POST
def roll_mark(request, pk, member):
    meeting = get_scoped(Meeting, request.user, pk, CHANGE, queryset=Meeting.objects.select_related("organization"))
    # A member out of the user's reach is 404 like anything else out of scope.
    member_obj = get_scoped(Member, request.user, member)
    row = meeting.roll.filter(member=member_obj).first()
    presence = request.POST.get("presence") or (
        NEXT_PRESENCE.get(row.presence, Presence.PRESENT) if row else Presence.PRESENT
    )
    reason = request.POST.get("reason", row.reason if row else "")
    error = None
    try:
        row = services.attendance_mark(
            user=request.user, meeting=meeting, member=member_obj, presence=presence, reason=reason
        )
    except ValidationError as exc:
        error = " ".join(error_messages(exc))
    except PermissionDenied:
        raise Http404 from None
    if request.htmx:
        if row is None:  # not on this roll: nothing to redraw
            return HttpResponse(error, status=422)
        context = _roll_context(meeting, rows=[])
        context.update({"row": row, "error": error})
        return render(request, "meetings/partials/roll_row.html", context)
    if error:
        messages.error(request, error)
    return redirect("meetings:roll", meeting.pk)


@login_required
@require_POST
def roll_all(request, pk):
    meeting = get_scoped(Meeting, request.user, pk, CHANGE)
    n, ok = attempt(request, None, lambda: services.attendance_all_present(user=request.user, meeting=meeting))
    if ok:
        messages.success(request, _("Đã đánh dấu có mặt %(n)s đảng viên.") % {"n": n})
    return redirect("meetings:roll", meeting.pk)


@login_required
def qr(request, pk):
    meeting = get_scoped(Meeting, request.user, pk, CHANGE)
    import segno

    url = request.build_absolute_uri(_checkin_path(meeting))
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=6, border=2)
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")


def _checkin_path(meeting):

    return reverse("meetings:checkin", args=[meeting.checkin_token])


@login_required
def checkin(request, token):
    # Through the scoping door like every other page: a token seen by someone outside the cell
    # answers 404, and reveals neither the cell nor the meeting.
    meeting = Meeting.objects.restrict(request.user).filter(checkin_token=token).select_related("organization").first()
    if meeting is None:
        raise Http404
    done = None
    if request.method == "POST":
        done, _ok = attempt(request, None, lambda: services.attendance_checkin(user=request.user, token=token))
        if done:
            messages.success(request, _("Đã điểm danh: đồng chí có mặt."))
    return render(request, "meetings/checkin.html", {"meeting": meeting, "done": done})


# --- Minutes ------------------------------------------------------------------------------------


@login_required
def minutes(request, pk):
    meeting = _minutes_meeting(request, pk)
    can_change = _can_change(request.user, meeting.organization)
    current = services.current_minutes(meeting)
    # Empty minutes start from last month's direction and the assigned presenters.
    initial = (
        {k: getattr(current, k) for k in services.MINUTES_FIELDS} if current else selectors.minutes_prefill(meeting)
    )
    # Version 0: the page showed no minutes yet (a draft saved meanwhile by someone else is not overwritten).
    form = forms.MinutesForm(request.POST or None, initial=initial, version=current.revision if current else 0)
    if request.method == "POST":
        if not can_change:
            raise Http404
        if form.is_valid():
            _r, ok = attempt(
                request,
                form,
                lambda: services.minutes_save(
                    user=request.user,
                    meeting=meeting,
                    expected_version=form.expected_version,
                    **form.values_without_version(),
                ),
            )
            if ok:
                messages.success(request, _("Đã lưu biên bản."))
                return redirect("meetings:minutes", meeting.pk)
    return _minutes_page(request, meeting, form=form, current=current, can_change=can_change)


def _minutes_page(request, meeting, *, form=None, current=None, can_change=True, status=200, **bound):
    """The minutes page; `bound` carries a sub-form (votes, speeches) refused with the user's input."""
    if form is None:
        current = services.current_minutes(meeting)
        initial = {k: getattr(current, k) for k in services.MINUTES_FIELDS} if current else {}
        form = forms.MinutesForm(initial=initial, version=current.revision if current else 0)
    context = {
        "meeting": meeting,
        "form": form,
        "current": current,
        "versions": meeting.minutes_versions.select_related("created_by", "approved_by").order_by("version"),
        "contributions": meeting.contributions.filter(spoke=True).select_related("member"),
        "votes": meeting.votes.all(),
        "can_change": can_change,
        "contribution_form": forms.ContributionForm(organization=meeting.organization),
        "vote_form": forms.VoteForm(),
        "counts": selectors.meeting_counts(meeting),
        **bound,
    }
    return render(request, "meetings/minutes.html", context, status=status)


def _minutes_form_action(request, pk, name, make_form, service, success):
    """A sub-form of the minutes page: on a refusal the page comes back (400) with the form as typed
    and each message at its field; on success, back to the page with `success(result)`, a
    (level, message) pair."""
    meeting = _minutes_meeting(request, pk, CHANGE)
    form = make_form(meeting)
    if form.is_valid():
        result, ok = attempt(request, form, lambda: service(user=request.user, meeting=meeting, **form.cleaned_data))
        if ok:
            messages.add_message(request, *success(result))
            return redirect("meetings:minutes", meeting.pk)
    return _minutes_page(request, meeting, status=400, **{name: form})


@login_required
@require_POST
def contribution_add(request, pk):
    return _minutes_form_action(
        request,
        pk,
        "contribution_form",
        lambda m: forms.ContributionForm(request.POST, request.FILES, organization=m.organization),
        services.contribution_record,
        lambda _contribution: (messages.SUCCESS, _("Đã ghi ý kiến phát biểu.")),
    )


@login_required
@require_POST
def vote_add(request, pk):
    def outcome(vote):
        if vote.is_valid:
            return messages.SUCCESS, _("Đã ghi biểu quyết: hợp lệ.")
        return messages.WARNING, _("Đã ghi biểu quyết: KHÔNG hợp lệ (chưa đủ số tán thành theo quy định).")

    return _minutes_form_action(
        request, pk, "vote_form", lambda _m: forms.VoteForm(request.POST), services.vote_record, outcome
    )


@login_required
@require_POST
def approve(request, pk):
    return _post_action(
        request,
        pk,
        lambda m: services.minutes_approve(user=request.user, meeting=m),
        _("Biên bản đã được thông qua và khóa."),
        "meetings:minutes",
    )


@login_required
def correct(request, pk):
    meeting = get_scoped(Meeting, request.user, pk, CHANGE)
    current = services.current_minutes(meeting)
    if current is None:
        raise Http404
    form = forms.CorrectionForm(request.POST or None, initial={k: getattr(current, k) for k in services.MINUTES_FIELDS})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("correction_reason")
        _r, ok = attempt(
            request, form, lambda: services.minutes_correct(user=request.user, meeting=meeting, reason=reason, **data)
        )
        if ok:
            messages.success(request, _("Đã lưu bản sửa đổi biên bản."))
            return redirect("meetings:minutes", meeting.pk)
    return render(request, "meetings/correct.html", {"meeting": meeting, "form": form, "current": current})


@login_required
def download(request, pk, doc, fmt):
    meeting = _minutes_meeting(request, pk)
    if doc not in ("bien-ban", "nghi-quyet") or fmt not in ("docx", "pdf"):
        raise Http404
    if services.current_minutes(meeting) is None:
        raise Http404
    document = minutes_document(meeting) if doc == "bien-ban" else resolution_document(meeting)
    content = document.to_docx() if fmt == "docx" else document.to_pdf()
    name = f"{doc}-{meeting.organization.code}-{meeting.date:%Y-%m-%d}.{fmt}"
    record_export(
        user=request.user,
        kind=ExportKind.MINUTES if doc == "bien-ban" else ExportKind.RESOLUTION,
        file_format=fmt,
        organization=meeting.organization,
        filters={"meeting": str(meeting.pk)},
    )
    return file_response(content, name, fmt)


# --- Quality ------------------------------------------------------------------------------------


def _quality(meeting):
    """The meeting's assessment, read as its child (the meeting came through the door)."""
    try:
        return meeting.quality
    except QualityAssessment.DoesNotExist:
        return None


@login_required
def quality(request, pk):
    meeting = get_scoped(Meeting, request.user, pk, queryset=Meeting.objects.select_related("organization__parent"))
    if request.method == "POST":
        meeting = get_scoped(Meeting, request.user, pk, CHANGE)
        _r, ok = attempt(
            request,
            None,
            lambda: services.quality_self_assess(user=request.user, meeting=meeting, note=request.POST.get("note", "")),
        )
        if ok:
            messages.success(request, _("Đã tự đánh giá chất lượng sinh hoạt."))
        return redirect("meetings:quality", meeting.pk)
    assessment = _quality(meeting)
    parent = meeting.organization.parent
    can_confirm = bool(assessment and parent and _can_change(request.user, parent))
    confirm_form = None
    if can_confirm:
        confirm_form = forms.QualityConfirmForm(
            levels=assessment.rule_set.levels,
            initial={"level": assessment.final_level, "meets_quality": assessment.final_meets_quality},
        )
    context = {
        "meeting": meeting,
        "assessment": assessment,
        "can_change": _can_change(request.user, meeting.organization),
        "can_confirm": can_confirm,
        "confirm_form": confirm_form,
    }
    return render(request, "meetings/quality.html", context)


@login_required
@require_POST
def quality_confirm(request, pk):
    meeting = get_scoped(Meeting, request.user, pk, CHANGE)
    assessment = _quality(meeting)
    if assessment is None:
        raise Http404
    form = forms.QualityConfirmForm(request.POST, levels=assessment.rule_set.levels)
    if form.is_valid():
        _r, ok = attempt(
            request,
            None,
            lambda: services.quality_confirm(user=request.user, assessment=assessment, **form.cleaned_data),
        )
        if ok:
            messages.success(request, _("Đã xác nhận mức chất lượng."))
    else:
        for message in error_messages(ValidationError(form.errors)):
            messages.error(request, message)
    return redirect("meetings:quality", meeting.pk)


# --- Compliance, rates, a member's own page -----------------------------------------------------


@login_required
def compliance(request):
    return _compliance_page(request, _org_from_request(request))


# Cells named one by one on the compliance page; past this, the summary by unit says the rest.
COMPLIANCE_LIST_LIMIT = 200


def _compliance_page(request, org, backfill_form=None, status=200):
    today = timezone.localdate()
    period = _period(request, today)
    data = selectors.compliance(request.user, org, period, today)
    children = Organization.objects.restrict(request.user).filter(parent=org).current().order_by("sort_key")
    # Committees under the organization that existed in the period: the summary's rows.
    units = Organization.objects.restrict(request.user).filter(parent=org).exclude(kind__in=CELL_KINDS)
    by_child = data.by_child(units.existed_during(period.start, period.end).order_by("sort_key"))
    closing = period.month or (today.replace(day=1) - dt.timedelta(days=1)).month
    last_day = min(period.end, today - dt.timedelta(days=1))
    context = {
        "org": org,
        "c": data,
        "period": period,
        "periods": periods.choices(),
        "children": children,
        "by_child": by_child,
        "list_limit": COMPLIANCE_LIST_LIMIT,
        "can_change": _can_change(request.user, org),
        "close_form": forms.CloseForm(initial={"year": period.year, "month": closing}),
        # Ghi bổ sung is opened by a committee for the cells under it.
        "can_backfill": services.may_open_backfill(request.user, org),
        "backfill_form": backfill_form or forms.BackfillForm(initial={"starts_on": period.start, "ends_on": last_day}),
        "backfills": selectors.backfills_for(org),
    }
    return render(request, "meetings/compliance.html", context, status=status)


@login_required
def rates(request):
    org = _org_from_request(request)
    period = _period(request, timezone.localdate(), default_year=True)
    try:
        compare = int(request.GET.get("compare") or period.year - 1)
    except ValueError:
        compare = period.year - 1
    data = selectors.rates(request.user, org, period, compare)
    children = Organization.objects.restrict(request.user).filter(parent=org).current().order_by("sort_key")
    context = {"org": org, "r": data, "period": period, "periods": periods.choices(), "children": children}
    return render(request, "meetings/rates.html", context)


@login_required
@require_POST
def backfill_open(request, org):
    organization = get_scoped(Organization, request.user, org)
    if not services.may_open_backfill(request.user, organization):
        raise Http404
    form = forms.BackfillForm(request.POST)
    if form.is_valid():
        opened, ok = attempt(
            request,
            form,
            lambda: services.backfill_open(user=request.user, organization=organization, **form.cleaned_data),
        )
        if ok:
            messages.success(
                request,
                _("Đã mở ghi bổ sung sinh hoạt từ %(start)s đến %(end)s, hạn ghi %(until)s.")
                % {
                    "start": format_date(opened.starts_on),
                    "end": format_date(opened.ends_on),
                    "until": format_date(opened.open_until),
                },
            )
            return redirect(f"{reverse('meetings:compliance')}?org={organization.pk}")
    # The page again with what was typed and the message at its field.
    return _compliance_page(request, organization, form, status=400)


@login_required
@require_POST
def close_period(request, org):
    organization = get_scoped(Organization, request.user, org, CHANGE)
    form = forms.CloseForm(request.POST)
    if form.is_valid():
        _r, ok = attempt(
            request,
            None,
            lambda: services.period_close(user=request.user, organization=organization, **form.cleaned_data),
        )
        if ok:
            messages.success(
                request,
                _("Đã chốt số liệu sinh hoạt tháng %(m)s/%(y)s.")
                % {"m": form.cleaned_data["month"], "y": form.cleaned_data["year"]},
            )
    else:
        for message in error_messages(ValidationError(form.errors)):
            messages.error(request, message)

    return redirect(f"{reverse('meetings:compliance')}?org={organization.pk}")


@login_required
def themes(request):
    org = _org_from_request(request)
    rows = Theme.objects.for_organization(org).select_related("organization")
    return render(request, "meetings/themes.html", {"org": org, "themes": rows})


@login_required
def mine(request):
    return render(request, "meetings/mine.html", selectors.member_overview(request.user))


@login_required
@require_POST
def notification_read(request, pk):
    notification = request.user.meeting_notifications.filter(pk=pk).first()
    if notification is None:
        raise Http404
    services.notification_read(user=request.user, notification=notification)
    return redirect("meetings:mine")
