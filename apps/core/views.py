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
