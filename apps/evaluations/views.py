from collections import Counter

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
from apps.core.documents import file_response
from apps.core.forms import apply_errors
from apps.core.scoping import CHANGE, scope_for
from apps.core.views import get_scoped
from apps.members.disclosure import record_export
from apps.organizations.models import Organization
from apps.safeguards.models import ExportKind

from . import exports, pages, selectors, services
from .forms import (
    CampaignForm,
    NotClassifiedForm,
    ReviewForm,
    RevisionForm,
    RuleSetCopyForm,
    SelfReviewForm,
    TargetForm,
)
from .models import OPEN_STATES, Campaign, Evaluation, RuleSet, State, Subject

EVAL_RELATED = ("member", "organization", "rule_set", "level", "proposed_level", "review_level", "campaign", "decider")


def _evaluations():
    return Evaluation.objects.select_related(*EVAL_RELATED).prefetch_related("rule_set__levels")


@login_required
def index(request):
    campaigns = Campaign.objects.restrict(request.user).select_related("organization", "member_rule_set")
    member = getattr(request.user, "member", None)
    mine = []
    if member is not None:
        mine = list(
            Evaluation.objects.restrict(request.user)
            .filter(member=member, state__in=OPEN_STATES)
            .select_related("campaign")
            .order_by("-year")
        )
    return render(
        request,
        "evaluations/index.html",
        {
            "campaigns": campaigns,
            "member": member,
            "mine": mine,
            "can_open": scope_for(request.user).has_any_org,
            "today": timezone.localdate(),
        },
    )


@login_required
def campaign_create(request):
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_open(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Đã mở đợt đánh giá, xếp loại năm %(year)s.") % {"year": campaign.year})
            return redirect("evaluations:campaign", pk=campaign.pk)
    return render(request, "evaluations/campaign_form.html", {"form": form})


@login_required
def campaign_detail(request, pk):
    campaign = get_scoped(
        Campaign,
        request.user,
        pk,
        queryset=Campaign.objects.select_related("organization", "member_rule_set", "organization_rule_set"),
    )
    evaluations = list(
        _evaluations()
        .restrict(request.user)
        .filter(campaign=campaign)
        .order_by("org_path", "subject", "member__sort_key")
    )
    scope = scope_for(request.user)
    deciders = {}
    for e in evaluations:
        if e.state in OPEN_STATES and scope.reaches_org(e.decider, CHANGE):
            deciders.setdefault(e.decider_id, e.decider)
    today = timezone.localdate()
    overdue = {"self_review": 0, "review": 0, "decision": 0}
    for e in evaluations:
        e.can_review = e.state in OPEN_STATES and scope.reaches_org(e.organization, CHANGE)
        if e.subject != Subject.MEMBER:
            continue
        if e.state == State.PENDING and today > campaign.self_review_due:
            overdue["self_review"] += 1
        if e.state in (State.PENDING, State.SELF_REVIEWED) and today > campaign.review_due:
            overdue["review"] += 1
        if e.state in OPEN_STATES and today > campaign.decision_due:
            overdue["decision"] += 1
    return render(
        request,
        "evaluations/campaign_detail.html",
        {
            "campaign": campaign,
            "members": [e for e in evaluations if e.subject == Subject.MEMBER],
            "organizations": [e for e in evaluations if e.subject == Subject.ORGANIZATION],
            "not_classified": [e for e in evaluations if e.state == State.NOT_CLASSIFIED],
            "deciders": deciders.values(),
            "overdue": overdue,
            "counts": Counter(e.state for e in evaluations if e.subject == Subject.MEMBER),
        },
    )


def _record_access(request, evaluation):
    record_read(request.user, evaluation, basis="scope", where="evaluation_page")  # the one log


@login_required
def evaluation_detail(request, pk):
    evaluation = get_scoped(Evaluation, request.user, pk, queryset=_evaluations())
    _record_access(request, evaluation)
    scope = scope_for(request.user)
    can_change = scope.reaches_org(evaluation.organization, CHANGE)
    can_decide = scope.reaches_org(evaluation.decider, CHANGE)
    is_self = evaluation.member_id and getattr(request.user, "member", None) == evaluation.member
    context = {
        "e": evaluation,
        "can_self_review": (is_self or can_change) and evaluation.state in (State.PENDING, State.SELF_REVIEWED),
        "can_review": can_change and evaluation.state in OPEN_STATES,
        "can_decide": can_decide and evaluation.state in OPEN_STATES,
        "can_revise": can_decide and evaluation.state == State.DECIDED,
        "can_mark": can_change and evaluation.subject == Subject.MEMBER and evaluation.state in OPEN_STATES,
        "can_include": can_change and evaluation.state == State.NOT_CLASSIFIED,
        "revisions": evaluation.revisions.select_related("old_level", "new_level", "revised_by"),
        "votes": [(lv, (evaluation.votes or {}).get(str(lv.code), 0)) for lv in evaluation.rule_set.levels.all()],
        "scores": _score_rows(evaluation),
        "not_classified_form": NotClassifiedForm(),
        "revision_form": RevisionForm(evaluation=evaluation),
        "accesses": readings_of(evaluation) if evaluation.member_id else None,
        "summary_links": pages.links_for(request.user, evaluation),
    }
    return render(request, "evaluations/evaluation_detail.html", context)


def _score_rows(evaluation):
    if not evaluation.frame_id:
        return []
    return [(c, (evaluation.scores or {}).get(c.code)) for c in evaluation.frame.criteria.all()]


@login_required
def self_review(request, pk):
    evaluation = get_scoped(Evaluation, request.user, pk, queryset=_evaluations())
    _record_access(request, evaluation)
    form = SelfReviewForm(request.POST or None, evaluation=evaluation, version=evaluation.version)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.evaluation_self_review(
                user=request.user,
                evaluation=evaluation,
                strengths=data["strengths"],
                shortcomings=data["shortcomings"],
                remediation=data["remediation"],
                proposed_level=data["proposed_level"],
                frame_code=data.get("frame", ""),
                scores=form.scores(),
                expected_version=form.expected_version,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Đã lưu bản tự kiểm điểm."))
            return redirect("evaluations:evaluation", pk=evaluation.pk)
    return render(
        request,
        "evaluations/self_review.html",
        {"e": evaluation, "form": form, "evidence_sections": pages.sections_for(request.user, evaluation)},
    )


@login_required
def review(request, pk):
    evaluation = get_scoped(Evaluation, request.user, pk, CHANGE, queryset=_evaluations())
    _record_access(request, evaluation)
    form = ReviewForm(request.POST or None, evaluation=evaluation, version=evaluation.version)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_review(
                user=request.user,
                evaluation=evaluation,
                comments=form.cleaned_data["comments"],
                votes=form.votes(),
                proposed_level=form.cleaned_data["proposed_level"],
                points=form.cleaned_data.get("points"),
                expected_version=form.expected_version,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Đã ghi ý kiến và kết quả biểu quyết của chi bộ."))
            return redirect("evaluations:campaign", pk=evaluation.campaign_id)
    return render(
        request,
        "evaluations/review.html",
        {"e": evaluation, "form": form, "evidence_sections": pages.sections_for(request.user, evaluation)},
    )


@login_required
@require_POST
def mark_not_classified(request, pk):
    evaluation = get_scoped(Evaluation, request.user, pk, CHANGE, queryset=_evaluations())
    form = NotClassifiedForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Hãy chọn lý do không xếp loại."))
        services.evaluation_mark_not_classified(
            user=request.user, evaluation=evaluation, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã chuyển sang danh sách không xếp loại."))
    return redirect("evaluations:evaluation", pk=evaluation.pk)


@login_required
@require_POST
def include(request, pk):
    evaluation = get_scoped(Evaluation, request.user, pk, CHANGE, queryset=_evaluations())
    try:
        services.evaluation_include(user=request.user, evaluation=evaluation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("evaluations:evaluation", pk=evaluation.pk)


@login_required
def decide(request, pk, org_pk):
    """The deciding committee decides, in one batch, the results it is responsible for."""
    campaign = get_scoped(Campaign, request.user, pk)
    decider = get_scoped(Organization, request.user, org_pk, CHANGE)
    pending = list(
        _evaluations()
        .restrict(request.user, CHANGE)
        .filter(campaign=campaign, decider=decider, state__in=OPEN_STATES)
        .order_by("subject", "org_path", "member__sort_key")
    )
    warnings: list[str] = []
    errors: list[str] = []
    chosen: dict[int, str] = {}
    if request.method == "POST":
        decisions = []
        for e in pending:
            code = request.POST.get(f"level_{e.pk}", "")
            chosen[e.pk] = code
            if code:
                decisions.append((e, code, request.POST.get(f"distinguished_{e.pk}") == "on"))
        try:
            services.evaluations_decide(
                user=request.user,
                decisions=decisions,
                note=request.POST.get("note", ""),
                exception_reason=request.POST.get("exception_reason", ""),
            )
        except services.RulesRefused as refused:
            warnings = refused.warnings
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("Đã quyết định %(n)s kết quả.") % {"n": len(decisions)})
            return redirect("evaluations:campaign", pk=campaign.pk)
    rows = []
    evidence = pages.counts_for(request.user, pending)
    for e in pending:
        default = e.review_level or e.proposed_level
        e.evidence = evidence.get(e.pk, [])
        rows.append((e, chosen.get(e.pk, str(default.code) if default else "")))
    return render(
        request,
        "evaluations/decide.html",
        {
            "campaign": campaign,
            "decider": decider,
            "rows": rows,
            "warnings": warnings,
            "errors": errors,
            "note": request.POST.get("note", ""),
            "exception_reason": request.POST.get("exception_reason", ""),
        },
    )


@login_required
def revise(request, pk):
    evaluation = get_scoped(Evaluation, request.user, pk, CHANGE, queryset=_evaluations())
    form = RevisionForm(request.POST or None, evaluation=evaluation)
    warnings = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.evaluation_revise(
                user=request.user,
                evaluation=evaluation,
                level=data["level"],
                distinguished=data.get("distinguished", False),
                reason=data["reason"],
                decision=data["decision"],
                exception_reason=data["exception_reason"],
            )
        except services.RulesRefused as refused:
            warnings = refused.warnings
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Đã ghi điều chỉnh kết quả."))
            return redirect("evaluations:evaluation", pk=evaluation.pk)
    return render(request, "evaluations/revise.html", {"e": evaluation, "form": form, "warnings": warnings})


def _table_params(request):
    org_id = request.GET.get("org", "")
    orgs = Organization.objects.restrict(request.user).order_by("path")
    organization = None
    if org_id:
        if not org_id.isdigit():
            raise Http404
        organization = get_scoped(Organization, request.user, int(org_id))
    else:
        organization = orgs.first()
    years = []
    for raw in request.GET.getlist("years"):
        for part in raw.replace(";", ",").split(","):
            part = part.strip()
            if part.isdigit() and 1990 <= int(part) <= 2100:
                years.append(int(part))
    if organization is not None and not years:
        available = selectors.available_years(organization)
        years = available[-2:]
    return organization, sorted(set(years))[:6], orgs


def _places(request) -> int | None:
    """Decimals the person printing chose (1 or 2); otherwise the rule set's."""
    raw = request.GET.get("places", "")
    return int(raw) if raw in ("1", "2") else None


@login_required
def table(request):
    organization, years, orgs = _table_params(request)
    data = selectors.classification_table(organization, years, _places(request)) if organization and years else None
    return render(
        request,
        "evaluations/table.html",
        {
            "table": data,
            "organization": organization,
            "orgs": orgs[:500],
            "years_text": ", ".join(str(y) for y in years),
            "query": request.GET.urlencode(),
        },
    )


def _record_table_export(request, organization, years, table, file_format):
    """Counts only, no personal columns; recorded like every export (apps.members.disclosure)."""
    record_export(
        user=request.user,
        kind=ExportKind.CLASSIFICATION,
        file_format=file_format,
        organization=organization,
        filters={"org": str(organization.pk), "years": ",".join(map(str, years))},
        row_count=len(exports.table_rows(table)),
    )


@login_required
def table_xlsx(request):
    organization, years, _orgs = _table_params(request)
    if not organization or not years:
        raise Http404
    table = selectors.classification_table(organization, years, _places(request))
    _record_table_export(request, organization, years, table, "xlsx")
    return exports.table_xlsx(table)


@login_required
def table_pdf(request):
    organization, years, _orgs = _table_params(request)
    if not organization or not years:
        raise Http404
    table = selectors.classification_table(organization, years, _places(request))
    _record_table_export(request, organization, years, table, "pdf")
    content = exports.table_pdf(table)
    return file_response(content, f"xep-loai-{organization.code}-{'-'.join(map(str, years))}.pdf", "pdf")


@login_required
def my_history(request):
    member = getattr(request.user, "member", None)
    history = selectors.member_history(member) if member else []
    return render(request, "evaluations/my_history.html", {"member": member, "history": history})


@login_required
def rule_sets(request):
    sets = RuleSet.objects.prefetch_related("levels", "frames__criteria").order_by("subject", "effective_from")
    form = RuleSetCopyForm() if request.user.is_superuser else None
    return render(request, "evaluations/rule_sets.html", {"rule_sets": sets, "copy_form": form})


@login_required
def rule_set_copy(request):
    if not request.user.is_superuser:
        raise PermissionDenied
    form = RuleSetCopyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.rule_set_copy(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Đã tạo bộ quy tắc “%(name)s”; hãy rà soát thông số.") % {"name": copy.name})
            return redirect(reverse("admin:evaluations_ruleset_change", args=[copy.pk]))
    return render(request, "evaluations/rule_set_copy.html", {"form": form})


@login_required
def target_create(request):
    form = TargetForm(request.POST or None, user=request.user, initial={"organization": request.GET.get("org")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            target = services.target_set(user=request.user, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Đã lưu chỉ tiêu."))
            url = reverse("evaluations:table") + f"?org={target.organization_id}"
            return redirect(url)
    return render(request, "evaluations/target_form.html", {"form": form})
