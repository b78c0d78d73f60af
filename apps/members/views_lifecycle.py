"""Pages of a member's life beyond the sheet: training, party badges, readmission, file checks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.forms import attempt
from apps.core.scoping import CHANGE, VIEW, scope_for
from apps.core.views import get_scoped
from apps.core.xlsx import xlsx_response
from apps.organizations.models import Organization

from . import forms, selectors, services
from .models import Award, AwardKind, LifecycleRuleSet, Member, TrainingKind, TrainingRecord, TrainingResult


def _form_page(request, form, title, member, call, success):
    if request.method == "POST" and form.is_valid():
        _result, ok = attempt(request, form, call)
        if ok:
            messages.success(request, success)
            return redirect("members:detail", member.pk)
    status = 200 if request.method == "GET" else 400
    return render(request, "members/form.html", {"form": form, "title": title, "member": member}, status=status)


def _member_for_change(request, pk) -> Member:
    return get_scoped(Member, request.user, pk, CHANGE, queryset=Member.objects.select_related("organization"))


# --- Training ----------------------------------------------------------------------------------


@login_required
def training_create(request, pk):
    member = _member_for_change(request, pk)
    form = forms.TrainingForm(request.POST or None)

    def call():
        return services.training_create(user=request.user, member=member, **form.values_without_version())

    return _form_page(request, form, _("Thêm quá trình đào tạo"), member, call, _("Đã ghi quá trình đào tạo."))


@login_required
def training_edit(request, pk):
    record = get_scoped(
        TrainingRecord, request.user, pk, CHANGE, queryset=TrainingRecord.objects.select_related("member__organization")
    )
    member = record.member
    initial = {f: getattr(record, f) for f in services.TRAINING_FIELDS}
    form = forms.TrainingForm(request.POST or None, initial=initial, version=record.version)

    def call():
        return services.training_update(
            user=request.user, record=record, expected_version=form.expected_version, **form.values_without_version()
        )

    return _form_page(request, form, _("Sửa quá trình đào tạo"), member, call, _("Đã lưu."))


# --- Party badges ------------------------------------------------------------------------------


def _award_for_change(request, pk) -> Award:
    award = get_scoped(Award, request.user, pk, CHANGE, queryset=Award.objects.select_related("member__organization"))
    if award.kind != AwardKind.BADGE:
        raise Http404
    return award


@login_required
def badge_propose(request, pk):
    member = _member_for_change(request, pk)
    today = timezone.localdate()
    rules = LifecycleRuleSet.in_force_on(today)
    occasions = rules.occasions_after(today, 4)
    initial: dict[str, object] = {"proposed_on": today}
    if request.GET.get("years", "").isdigit():
        initial["years"] = int(request.GET["years"])
    form = forms.BadgeProposeForm(request.POST or None, rules=rules, occasions=occasions, initial=initial)

    def call():
        return services.badge_propose(user=request.user, member=member, **form.cleaned_data)

    return _form_page(request, form, _("Đề nghị tặng Huy hiệu Đảng"), member, call, _("Đã ghi đề nghị."))


@login_required
def badge_decide(request, pk):
    award = _award_for_change(request, pk)
    form = forms.BadgeDecideForm(request.POST or None)

    def call():
        return services.badge_decide(user=request.user, award=award, **form.cleaned_data)

    return _form_page(request, form, _("Quyết định tặng Huy hiệu Đảng"), award.member, call, _("Đã ghi quyết định."))


@login_required
def badge_present(request, pk):
    award = _award_for_change(request, pk)
    form = forms.BadgePresentForm(request.POST or None, initial={"presented_on": timezone.localdate()})

    def call():
        return services.badge_present(user=request.user, award=award, **form.cleaned_data)

    return _form_page(request, form, _("Trao Huy hiệu Đảng"), award.member, call, _("Đã ghi ngày trao."))


# --- Readmission -------------------------------------------------------------------------------


@login_required
def readmit(request, pk):
    member = _member_for_change(request, pk)
    form = forms.ReadmitForm(request.POST or None, user=request.user, member=member)

    def call():
        data = form.cleaned_data
        return services.member_readmit(
            user=request.user,
            member=member,
            organization=data["organization"],
            on=data["date"],
            decision=data["decision"],
            note=data["note"],
        )

    return _form_page(request, form, _("Kết nạp lại"), member, call, _("Đã ghi kết nạp lại."))


# --- Lists for an organization's subtree -------------------------------------------------------


def _organization(request) -> Organization:
    """The organization chosen by ?org= (in reach), else the user's highest one; none: 404."""
    organization, refused = selectors._chosen_organization(request.user, request.GET)
    if refused:
        raise Http404
    if organization is None:
        tops = selectors._scope_tops(request.user)
        if not tops:
            raise Http404
        organization = tops[0]
    return organization


def _can_change(user, organization) -> bool:
    return scope_for(user).reaches_org(organization, CHANGE)


@login_required
def file_checks(request):
    organization = _organization(request)
    today = timezone.localdate()
    rules = LifecycleRuleSet.in_force_on(today)
    members = Member.objects.restrict_within(request.user, organization, VIEW)
    check = request.GET.get("check", "")
    counts, total, rows = selectors.file_checks(members, today, rules, check=check)
    rows = list(rows)
    for row in rows:
        row.failed = selectors.failed_checks(row)
    groups = []
    for key, title in selectors.FILE_CHECK_GROUPS.items():
        items = [(code, label, counts[code]) for code, label, group in selectors.FILE_CHECKS if group == key]
        groups.append((title, items))
    context = {
        "organization": organization,
        "groups": groups,
        "total": total,
        "rows": rows,
        "check": check,
        "rules": rules,
        "limit": 200,
        "picker": selectors.org_picker(request.user, organization),
    }
    return render(request, "members/lifecycle/file_checks.html", context)


@login_required
def file_checks_export(request):
    organization = _organization(request)
    today = timezone.localdate()
    rules = LifecycleRuleSet.in_force_on(today)
    members = Member.objects.restrict_within(request.user, organization, VIEW)
    _counts, _total, rows = selectors.file_checks(members, today, rules, check=request.GET.get("check", ""), limit=None)
    columns = [_("Họ và tên"), _("Ngày sinh"), _("Chi bộ"), _("Số thẻ"), _("Số CCCD"), _("Nội dung cần kiểm tra")]
    data = (
        (
            r.full_name,
            r.birth_date,
            r.organization.name,
            r.card_number or "",
            r.citizen_id or "",
            "; ".join(selectors.failed_checks(r)),
        )
        for r in rows.iterator(chunk_size=2000)
    )
    return xlsx_response("kiem-tra-ho-so.xlsx", columns, data, sheet_title=_("Kiểm tra hồ sơ"))


@login_required
def badges_due(request):
    organization = _organization(request)
    today = timezone.localdate()
    rules = LifecycleRuleSet.in_force_on(today)
    occasions = rules.occasions_after(today, 4)
    chosen = request.GET.get("occasion", "")
    occasion = next((d for d in occasions if d.isoformat() == chosen), occasions[0])
    early = request.GET.get("early") == "1"
    members = Member.objects.restrict_within(request.user, organization, VIEW)
    rows = selectors.badges_due(members, occasion, rules, early=early)
    proposals = list(
        Award.objects.restrict_within(request.user, organization, VIEW)
        .filter(kind=AwardKind.BADGE, presented_on__isnull=True)
        .select_related("member__organization")
        .order_by("occasion", "member__sort_key", "pk")[:500]
    )
    context = {
        "organization": organization,
        "occasion": occasion,
        "occasions": occasions,
        "early": early,
        "rows": rows,
        "proposals": proposals,
        "rules": rules,
        "can_change": _can_change(request.user, organization),
        "picker": selectors.org_picker(request.user, organization),
    }
    return render(request, "members/lifecycle/badges_due.html", context)


# --- Training records: a sheet out and in -----------------------------------------------------

TRAINING_COLUMNS = (
    _("Số thẻ đảng viên"),
    _("Họ và tên"),
    _("Loại đào tạo"),
    _("Tên khóa học, văn bằng"),
    _("Cơ sở đào tạo"),
    _("Từ ngày"),
    _("Đến ngày"),
    _("Kết quả"),
    _("Xếp loại"),
    _("Số văn bằng, chứng chỉ"),
)


@login_required
def training_export(request):
    organization = _organization(request)
    records = (
        TrainingRecord.objects.restrict_within(request.user, organization, VIEW)
        .select_related("member")
        .order_by("member__org_path", "member__sort_key", "member_id", "starts_on", "pk")
    )
    kinds = dict(TrainingKind.choices)
    results = dict(TrainingResult.choices)
    data = (
        (
            r.member.card_number or "",
            r.member.full_name,
            str(kinds[r.kind]),
            r.title,
            r.institution,
            r.starts_on,
            r.ends_on,
            str(results[r.result]),
            r.grade,
            r.certificate,
        )
        for r in records.iterator(chunk_size=2000)
    )
    return xlsx_response("dao-tao.xlsx", [str(c) for c in TRAINING_COLUMNS], data, sheet_title=_("Đào tạo"))


# --- Exemption ---------------------------------------------------------------------------------


@login_required
def exempt(request, pk):
    member = _member_for_change(request, pk)
    form = forms.ExemptForm(request.POST or None)

    def call():
        return services.member_exempt(user=request.user, member=member, **form.cleaned_data)

    return _form_page(
        request, form, _("Miễn công tác và sinh hoạt đảng"), member, call, _("Đã ghi nghị quyết miễn sinh hoạt.")
    )
