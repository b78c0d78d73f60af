"""The administrators' page of personal-data records: exports and out-of-reach identifier probes."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from apps.core.scoping import scope_for

from .models import ExportRecord, IdentityProbe

PAGE_ROWS = 200


@login_required
def index(request):
    # System administrators only; to anyone else the page does not exist.
    if not scope_for(request.user).is_admin:
        raise Http404
    user = (request.GET.get("user") or "").strip()
    exports = ExportRecord.objects.restrict(request.user).select_related("user", "organization")
    probes = IdentityProbe.objects.select_related("user")
    if user:
        exports = exports.filter(user__username=user)
        probes = probes.filter(user__username=user)
    return render(
        request,
        "safeguards/index.html",
        {
            "exports": exports[:PAGE_ROWS],
            "probes": probes[:PAGE_ROWS],
            "user_filter": user,
            "page_rows": PAGE_ROWS,
        },
    )
