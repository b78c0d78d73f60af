"""Organization pages. Views are thin: load through the scoping door, call a service, render."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F, Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.core.forms import DATE_FORMATS, apply_errors
from apps.core.history import change_history
from apps.core.scoping import CHANGE, scope_for
from apps.core.views import get_scoped
from apps.members.selectors import status_counts

from . import forms, services
from .models import CommitteePost, Organization, OversightAssignment
from .selectors import name_on, parent_chain, tree_on, tree_rows


def _parse_day(text):
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime((text or "").strip(), fmt).date()  # noqa: DTZ007
        except ValueError:
            continue
    return None


@login_required
def tree(request):
    on_text = request.GET.get("on", "").strip()
    day = _parse_day(on_text) if on_text else None
    show_all = request.GET.get("all") == "1"
    context = {"show_all": show_all, "on_text": on_text, "day": day, "bad_day": bool(on_text and not day)}
    if day:
        context["history_rows"] = tree_on(request.user, day)
    else:
        rows = tree_rows(request.user)
        rows = list(rows if show_all else rows.current())
        context["rows"] = rows
        # Indent from the top of the user's reach, not from the root of the whole tree.
        context["depth_shift"] = -min((o.depth for o in rows), default=0)
    return render(request, "organizations/tree.html", context)


@login_required
def detail(request, pk):
    user = request.user
    org = get_scoped(Organization, user, pk, queryset=Organization.objects.select_related("parent"))
    on_text = request.GET.get("on", "").strip()
    on = _parse_day(on_text) if on_text else None
    counts, current_total = status_counts(user, org, on)
    children = list(
        Organization.objects.restrict(user)
        .filter(parent=org)
        .order_by(F("ended_on").desc(nulls_first=True), "sort_key")
    )
    events = org.events.select_related("old_parent", "new_parent").prefetch_related(
        Prefetch("predecessors", queryset=Organization.objects.order_by("sort_key")),
        Prefetch("successors", queryset=Organization.objects.order_by("sort_key")),
    )[:50]
    context = {
        "org": org,
        "breadcrumb": parent_chain(org, user),
        "children": children,
        "has_current_children": any(c.ended_on is None for c in children),
        "counts": counts,
        "counts_on": on,
        "on_text": on_text,
        "bad_day": bool(on_text and not on),
        "name_then": name_on(org, on) if on else None,
        "current_total": current_total,
        "terms": org.terms.all(),
        "posts": org.committee_posts.select_related("member", "term").order_by(
            F("ends_on").desc(nulls_first=True), "post", "starts_on"
        ),
        "oversights": OversightAssignment.objects.restrict(user)
        .filter(assigned_by=org)
        .select_related("organization", "member")
        .order_by(F("ends_on").desc(nulls_first=True), "organization__path"),
        "followed_by": org.oversight_assignments.filter(ends_on__isnull=True).select_related("member", "assigned_by"),
        "events": events,
        "history": change_history(org),
        "can_change": scope_for(user).reaches_org(org, CHANGE) and not org.ended_on,
    }
    return render(request, "organizations/detail.html", context)


def _form_page(request, org, form, title, save, success, extra=None):
    """GET shows the form; POST validates it and calls `save(cleaned_data)`. A service's
    ValidationError is shown on the form and nothing changes."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, success)
            target = result if isinstance(result, Organization) else org
            return redirect("organizations:detail", target.pk)
    context = {"org": org, "form": form, "title": title, **(extra or {})}
    return render(request, "organizations/form.html", context, status=200 if request.method == "GET" else 400)


def _org_for_change(request, pk):
    return get_scoped(Organization, request.user, pk, CHANGE)


@login_required
def create_child(request, pk):
    parent = _org_for_change(request, pk)
    form = forms.OrganizationCreateForm(request.POST or None)

    def save(data):
        return services.organization_create(user=request.user, parent=parent, **data)

    return _form_page(request, parent, form, _("Thành lập tổ chức trực thuộc"), save, _("Đã thành lập tổ chức."))


@login_required
def rename(request, pk):
    org = _org_for_change(request, pk)
    form = forms.RenameForm(request.POST or None, initial={"name": org.name}, version=org.version)

    def save(data):
        data = dict(data)
        return services.organization_rename(
            user=request.user, organization=org, expected_version=data.pop("version", None), **data
        )

    return _form_page(request, org, form, _("Đổi tên tổ chức"), save, _("Đã đổi tên."))


@login_required
def move(request, pk):
    org = _org_for_change(request, pk)
    form = forms.MoveForm(request.POST or None, organization=org, user=request.user, version=org.version)

    def save(data):
        data = dict(data)
        return services.organization_move(
            user=request.user, organization=org, expected_version=data.pop("version", None), **data
        )

    return _form_page(request, org, form, _("Chuyển trực thuộc"), save, _("Đã chuyển tổ chức sang cấp trên mới."))


@login_required
def merge(request, pk):
    parent = _org_for_change(request, pk)
    form = forms.MergeForm(request.POST or None, parent=parent, user=request.user)

    def save(data):
        common = {
            "user": request.user,
            "sources": list(data["sources"]),
            "on": data["on"],
            "decision": data["decision"],
        }
        if data.get("into"):
            event = services.organization_merge(into=data["into"], **common)
        else:
            event = services.organization_merge_into_new(name=data["new_name"], code=data["new_code"], **common)
        return event.organization

    return _form_page(request, parent, form, _("Hợp nhất tổ chức trực thuộc"), save, _("Đã hợp nhất."))


@login_required
def split(request, pk):
    org = _org_for_change(request, pk)
    form = forms.SplitForm(request.POST or None, source=org)

    def save(data):
        services.organization_split_into_new(
            user=request.user, source=org, parts=form.part_values(), on=data["on"], decision=data["decision"]
        )
        return org

    return _form_page(
        request, org, form, _("Chia tách tổ chức"), save, _("Đã chia tách."), extra={"split_parts": form.parts}
    )


@login_required
def end(request, pk):
    org = _org_for_change(request, pk)
    form = forms.EndForm(request.POST or None, version=org.version)

    def save(data):
        data = dict(data)
        return services.organization_end(
            user=request.user, organization=org, expected_version=data.pop("version", None), **data
        )

    return _form_page(request, org, form, _("Giải thể, kết thúc hoạt động"), save, _("Tổ chức đã kết thúc hoạt động."))


@login_required
def term_create(request, pk):
    org = _org_for_change(request, pk)
    form = forms.TermForm(request.POST or None)

    def save(data):
        return services.term_create(user=request.user, organization=org, **data)

    return _form_page(request, org, form, _("Thêm nhiệm kỳ"), save, _("Đã thêm nhiệm kỳ."))


@login_required
def post_create(request, pk):
    org = _org_for_change(request, pk)
    form = forms.CommitteePostForm(request.POST or None, organization=org)

    def save(data):
        return services.committee_post_create(user=request.user, organization=org, **data)

    return _form_page(request, org, form, _("Thêm chức vụ cấp ủy"), save, _("Đã thêm chức vụ."))


@login_required
def post_end(request, pk):
    post = get_scoped(
        CommitteePost, request.user, pk, CHANGE, queryset=CommitteePost.objects.select_related("organization", "member")
    )
    form = forms.EndDateForm(request.POST or None)

    def save(data):
        return services.committee_post_end(user=request.user, post=post, **data)

    title = _("Kết thúc chức vụ: %(post)s") % {"post": post}
    return _form_page(request, post.organization, form, title, save, _("Đã kết thúc chức vụ."))


@login_required
def oversight_create(request, pk):
    org = _org_for_change(request, pk)
    form = forms.OversightForm(request.POST or None, organization=org)

    def save(data):
        return services.oversight_assign(user=request.user, assigned_by=org, **data)

    return _form_page(request, org, form, _("Phân công cấp ủy viên phụ trách chi bộ"), save, _("Đã phân công."))


@login_required
def oversight_end(request, pk):
    assignment = get_scoped(
        OversightAssignment,
        request.user,
        pk,
        CHANGE,
        queryset=OversightAssignment.objects.select_related("assigned_by", "organization", "member"),
    )
    if not scope_for(request.user).reaches_org(assignment.assigned_by, CHANGE):
        raise Http404
    form = forms.EndDateForm(request.POST or None)

    def save(data):
        return services.oversight_end(user=request.user, assignment=assignment, **data)

    title = _("Kết thúc phân công: %(member)s phụ trách %(cell)s") % {
        "member": assignment.member,
        "cell": assignment.organization,
    }
    return _form_page(request, assignment.assigned_by, form, title, save, _("Đã kết thúc phân công."))
