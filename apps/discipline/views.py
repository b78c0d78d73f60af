from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.access import readings_of, record_read
from apps.core.files import owned_file_response
from apps.core.forms import AttachmentForm, apply_errors, attach_from_request
from apps.core.scoping import CHANGE, INSPECT, VIEW, scope_for
from apps.core.views import get_or_404, get_scoped
from apps.members.models import Member
from apps.organizations.models import Organization

from . import services
from .forms import AppealForm, ChooseForm, DisciplineForm
from .models import Discipline, DisciplineAttachment
from .pages import detail_sections


def _reach(model, user, pk, queryset=None):
    for action in (VIEW, INSPECT):
        try:
            return get_scoped(model, user, pk, action, queryset)
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


def _subject_rows(model, user):
    return (model.objects.restrict(user, CHANGE) | model.objects.restrict(user, INSPECT)).distinct()


def _find_member(user, raw: str):
    """The member named by a pk or a party card number, among those the user may discipline."""
    rows = _subject_rows(Member, user)
    raw = (raw or "").strip().replace(" ", "").replace(".", "")
    if not raw.isdigit():
        return None
    by_pk = rows.filter(pk=int(raw)) if len(raw) < 12 else rows.none()
    by_card = rows.filter(card_number=raw)
    # Party card numbers have 8 digits or more; a row id that long is unlikely, so read those as cards first.
    first, second = (by_card, by_pk) if len(raw) >= 8 else (by_pk, by_card)
    return first.first() or second.first()


def _find_organization(user, raw: str):
    rows = _subject_rows(Organization, user)
    raw = (raw or "").strip()
    if raw.isdigit() and len(raw) < 12:
        return rows.filter(pk=int(raw)).first() or rows.filter(code=raw).first()
    return rows.filter(code=raw).first() if raw else None


def render_create(request, *, member=None, organization=None, initial=None, basis=None, save=None):
    """The discipline form for one subject, opened with `initial`; `save(cleaned_data)` records it
    (by default `discipline_create`). Used here and by the apps a discipline starts from (an
    inspection conclusion, a complaint), which pass `basis` (what the page says it started from)."""
    allowed = services.allowed_forms(member=member, organization=organization)
    form = DisciplineForm(request.POST or None, allowed=allowed, initial=initial or {})
    if save is None:

        def save(data):
            return services.discipline_create(user=request.user, member=member, organization=organization, **data)

    if request.method == "POST" and form.is_valid():
        try:
            d = save(form.cleaned_data)
        except (ValidationError, PermissionDenied) as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Đã ghi quyết định kỷ luật."))
            return redirect("discipline:detail", pk=d.pk)
    return render(
        request,
        "discipline/form.html",
        {"form": form, "member": member, "organization": organization, "basis": basis},
        status=400 if form.errors else 200,
    )


@login_required
def create(request):
    """Start from the member's or the organization's page (?member=, ?org=), or choose here by
    searching; a card number is accepted, an id out of reach or malformed gets a message."""
    data = request.POST if request.method == "POST" else request.GET
    raw_member, raw_org = (data.get("member") or "").strip(), (data.get("org") or "").strip()
    member = organization = None
    error = ""
    if raw_member:
        member = _find_member(request.user, raw_member)
        if member is None:
            error = _(
                "Không tìm thấy đảng viên “%(value)s” trong phạm vi đồng chí được ghi kỷ luật. "
                "Hãy tìm theo họ tên hoặc số thẻ đảng viên."
            ) % {"value": raw_member[:30]}
    elif raw_org:
        organization = _find_organization(request.user, raw_org)
        if organization is None:
            error = _("Không tìm thấy tổ chức đảng “%(value)s” trong phạm vi đồng chí được ghi kỷ luật.") % {
                "value": raw_org[:30]
            }
    if member is None and organization is None:
        choose = ChooseForm(
            members=_subject_rows(Member, request.user), organizations=_subject_rows(Organization, request.user)
        )
        return render(
            request, "discipline/choose.html", {"choose": choose, "error": error}, status=400 if error else 200
        )
    return render_create(request, member=member, organization=organization)


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
    scope = scope_for(request.user)
    may_write = scope.reaches_org(d.subject_org, CHANGE) or scope.reaches_org(d.subject_org, INSPECT)
    context = {
        "d": d,
        "form": form,
        "accesses": readings_of(d),
        "attachments": d.attachments.all(),
        "download_url": "discipline:attachment",
        "attach_url": reverse("discipline:attach", args=[d.pk]) if may_write else "",
        "attach_form": AttachmentForm(),
    }
    for section in detail_sections:
        context.update(section(request.user, d))
    return render(request, "discipline/detail.html", context)


@login_required
@require_POST
def attach(request, pk):
    d = _reach(Discipline, request.user, pk)
    attach_from_request(request, lambda **kw: services.discipline_attach(user=request.user, discipline=d, **kw))
    return redirect("discipline:detail", pk=d.pk)


@login_required
def attachment(request, pk):
    """A decision's document: reached like the decision, and read like it (logged)."""
    reachable = (
        Discipline.objects.restrict(request.user, VIEW) | Discipline.objects.restrict(request.user, INSPECT)
    ).distinct()
    a = get_or_404(
        DisciplineAttachment.objects.filter(discipline__in=reachable)
        .select_related("discipline")
        .vouched("documents of decisions the user reaches"),
        pk,
    )
    record_read(request.user, a.discipline, basis="scope", where="discipline_page")
    return owned_file_response(a)
