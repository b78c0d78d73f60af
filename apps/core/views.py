from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from .scoping import VIEW


def get_scoped(model, user, pk, action: str = VIEW, queryset=None):
    """Load one row through the scoping door: out of scope is indistinguishable from missing."""
    return get_or_404((queryset if queryset is not None else model.objects.all()).restrict(user, action), pk)


def get_or_404(qs, pk):
    """One row of a queryset already restricted (or vouched for) by pk; a missing or malformed pk is 404."""
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def csrf_failure(request, reason=""):
    """A form refused for its missing or stale CSRF token (settings.CSRF_FAILURE_VIEW), in Vietnamese."""
    return render(request, "403_csrf.html", status=403)


def _pick(request, kind: str):
    from .pickers import LIMIT, MIN_CHARS, PICKERS, actions_for

    picker = PICKERS.get(kind)
    if picker is None:
        raise Http404
    text = (request.GET.get("q") or "").strip()[:100]
    context = {"min_chars": MIN_CHARS, "limit": LIMIT, "rows": [], "more": False, "too_short": False}
    if len(text) < MIN_CHARS:
        context["too_short"] = True
    else:
        found = picker.search(request.user, text, actions_for(request.GET.get("reach", "view")))
        context["more"] = len(found) > LIMIT
        context["rows"] = [(row.pk, picker.describe(row)) for row in found[:LIMIT]]
    return render(request, "core/partials/pick_results.html", context)


@login_required
def pick_member(request):
    """Members in the user's reach matching the typed text, for a member picker (htmx)."""
    return _pick(request, "member")


@login_required
def pick_organization(request):
    """Organizations in the user's reach matching the typed text, for an organization picker (htmx)."""
    return _pick(request, "organization")
