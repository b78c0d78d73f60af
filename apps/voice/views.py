"""Thin views: parse, call a service, render or redirect. Petitions load only through
`Petition.objects.visible_to` (their content is private); counts through `restrict`."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.models import User
from apps.core.forms import attempt
from apps.core.scoping import CHANGE, VIEW, scope_for
from apps.core.views import get_or_404, get_scoped
from apps.meetings.models import Meeting
from apps.organizations.models import Kind, Organization

from . import forms, selectors, services
from .models import Dialogue, DialogueIssue, Petition, PetitionStatus, is_officer

PETITION_RELATED = ("organization", "member", "meeting", "handler", "rule_set", "answered_by")


def _member_or_none(user):
    try:
        return services.petitioner(user)
    except ValidationError:
        return None


@login_required
def index(request):
    user = request.user
    visible = Petition.objects.visible_to(user).select_related(*PETITION_RELATED)
    member = _member_or_none(user)
    mine = list(visible.filter(member=member)) if member else []
    status = request.GET.get("trang-thai", "")
    handling = visible.exclude(member=member) if member else visible
    if status in PetitionStatus.values:
        handling = handling.filter(status=status)
    elif status == "qua-han":
        handling = handling.overdue()
    scope = scope_for(user)
    counts = selectors.petition_counts(Petition.objects.restrict(user, VIEW)) if scope.has_any_org else []
    return render(
        request,
        "voice/index.html",
        {
            "member": member,
            "mine": mine,
            "handling": list(handling[:200]),
            "status": status,
            "statuses": PetitionStatus.choices,
            "counts": counts,
            "today": timezone.localdate(),
        },
    )


@login_required
def submit(request):
    user = request.user
    try:
        member = services.petitioner(user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("voice:index")
    targets = Organization.objects.filter(pk__in=[o.pk for o in services.petition_targets(member)]).vouched(
        "the member's own line: their cell and the committees above it"
    )
    meetings = (
        Meeting.objects.filter(
            organization_id=member.organization_id, date__gte=timezone.localdate() - timedelta(days=365)
        )
        .order_by("-date")
        .vouched("meetings of the member's own cell")
    )
    form = forms.PetitionForm(
        request.POST or None, targets=targets, meetings=meetings, initial={"organization": member.organization_id}
    )
    if request.method == "POST" and form.is_valid():
        petition, ok = attempt(request, form, lambda: services.petition_submit(user=user, **form.cleaned_data))
        if ok:
            messages.success(
                request,
                _("Đã gửi. Hạn trả lời: %(due)s.") % {"due": petition.due_on.strftime("%d/%m/%Y")},
            )
            return redirect("voice:detail", petition.pk)
    rule_set = services.rule_set_on(timezone.localdate()) if request.method == "GET" else None
    return render(request, "voice/submit.html", {"form": form, "rule_set": rule_set})


def _petition(request, pk):
    return get_or_404(Petition.objects.visible_to(request.user).select_related(*PETITION_RELATED), pk)


@login_required
def detail(request, pk):
    petition = _petition(request, pk)
    user = request.user
    open_ = petition.status != PetitionStatus.ANSWERED
    can_assign = open_ and is_officer(user, petition.organization)
    can_answer = open_ and petition.handler_id == user.pk and scope_for(user).reaches_org(petition.organization, CHANGE)
    return render(
        request,
        "voice/detail.html",
        {
            "petition": petition,
            "assign_form": forms.AssignForm(
                candidates=services.handler_candidates(petition.organization), initial={"handler": user.pk}
            )
            if can_assign
            else None,
            "answer_form": forms.AnswerForm(version=petition.version) if can_answer else None,
            "overdue": petition.is_overdue(),
        },
    )


@login_required
@require_POST
def assign(request, pk):
    petition = _petition(request, pk)
    form = forms.AssignForm(request.POST, candidates=services.handler_candidates(petition.organization))
    if form.is_valid():
        handler = User.objects.filter(pk=form.cleaned_data["handler"], is_active=True).first()
        _result, ok = attempt(
            request, None, lambda: services.petition_assign(user=request.user, petition=petition, handler=handler)
        )
        if ok:
            messages.success(request, _("Đã giao xử lý cho %(name)s.") % {"name": handler})
    else:
        messages.error(request, _("Hãy chọn người xử lý trong danh sách."))
    return redirect("voice:detail", petition.pk)


@login_required
@require_POST
def answer(request, pk):
    petition = _petition(request, pk)
    form = forms.AnswerForm(request.POST, version=petition.version)
    if form.is_valid():
        _result, ok = attempt(
            request,
            None,
            lambda: services.petition_answer(
                user=request.user,
                petition=petition,
                answer=form.cleaned_data["answer"],
                expected_version=form.expected_version,
            ),
        )
        if ok:
            messages.success(request, _("Đã trả lời; đảng viên đã được thông báo."))
    else:
        messages.error(request, _("Hãy ghi nội dung trả lời."))
    return redirect("voice:detail", petition.pk)


# --- Dialogues -----------------------------------------------------------------------------------


def _dialogue_orgs(user):
    return (
        Organization.objects.restrict(user, CHANGE)
        .exclude(kind__in=[Kind.CELL, Kind.PARTY_GROUP])
        .filter(ended_on__isnull=True)
        .order_by("path")
    )


@login_required
def dialogues(request):
    user = request.user
    rows = Dialogue.objects.restrict(user, VIEW).select_related("organization")
    issues = DialogueIssue.objects.restrict(user, VIEW)
    return render(
        request,
        "voice/dialogues.html",
        {
            "dialogues": list(rows[:100]),
            "overdue": selectors.overdue_issues(issues),
            "can_create": _dialogue_orgs(user).exists(),
        },
    )


@login_required
def dialogue_create(request):
    user = request.user
    orgs = _dialogue_orgs(user)
    form = forms.DialogueForm(request.POST or None, organizations=orgs)
    if request.method == "POST" and form.is_valid():
        dialogue, ok = attempt(request, form, lambda: services.dialogue_create(user=user, **form.cleaned_data))
        if ok:
            messages.success(request, _("Đã ghi buổi đối thoại."))
            return redirect("voice:dialogue", dialogue.pk)
    return render(request, "voice/dialogue_form.html", {"form": form})


@login_required
def dialogue_detail(request, pk):
    dialogue = get_scoped(Dialogue, request.user, pk, queryset=Dialogue.objects.select_related("organization"))
    can_change = scope_for(request.user).reaches_org(dialogue.organization, CHANGE)
    issues = list(dialogue.issues.prefetch_related("follow_ups"))
    return render(
        request,
        "voice/dialogue_detail.html",
        {
            "dialogue": dialogue,
            "issues": issues,
            "can_change": can_change,
            "issue_form": forms.IssueForm() if can_change else None,
            "answer_form": forms.IssueAnswerForm(initial={"answered_on": timezone.localdate()}) if can_change else None,
            "follow_form": forms.FollowUpForm(initial={"on": timezone.localdate()}) if can_change else None,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def issue_add(request, pk):
    dialogue = get_scoped(Dialogue, request.user, pk, CHANGE)
    form = forms.IssueForm(request.POST)
    if form.is_valid():
        _r, ok = attempt(
            request, None, lambda: services.issue_add(user=request.user, dialogue=dialogue, **form.cleaned_data)
        )
        if ok:
            messages.success(request, _("Đã ghi vấn đề người dân nêu."))
    else:
        _form_messages(request, form)
    return redirect("voice:dialogue", dialogue.pk)


def _form_messages(request, form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for e in errors:
            messages.error(request, f"{label}: {e}" if label else e)


def _issue(request, pk, issue):
    dialogue = get_scoped(Dialogue, request.user, pk, CHANGE)
    return dialogue, get_or_404(dialogue.issues.all(), issue)


@login_required
@require_POST
def issue_answer(request, pk, issue):
    dialogue, row = _issue(request, pk, issue)
    form = forms.IssueAnswerForm(request.POST)
    if form.is_valid():
        _r, ok = attempt(
            request, None, lambda: services.issue_answer(user=request.user, issue=row, **form.cleaned_data)
        )
        if ok:
            messages.success(request, _("Đã ghi trả lời."))
    else:
        _form_messages(request, form)
    return redirect("voice:dialogue", dialogue.pk)


@login_required
@require_POST
def follow_up_add(request, pk, issue):
    dialogue, row = _issue(request, pk, issue)
    form = forms.FollowUpForm(request.POST)
    if form.is_valid():
        _r, ok = attempt(
            request, None, lambda: services.follow_up_add(user=request.user, issue=row, **form.cleaned_data)
        )
        if ok:
            messages.success(request, _("Đã ghi theo dõi."))
    else:
        _form_messages(request, form)
    return redirect("voice:dialogue", dialogue.pk)
