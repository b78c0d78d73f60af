from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render

from apps.core.views import get_scoped
from apps.members.models import Member

from .models import Organization
from .selectors import tree_rows


@login_required
def tree(request):
    rows = tree_rows(request.user)
    if request.GET.get("all") != "1":
        rows = rows.current()
    return render(request, "organizations/tree.html", {"rows": rows})


@login_required
def detail(request, pk):
    org = get_scoped(Organization, request.user, pk)
    counts = Member.objects.restrict(request.user).in_subtree(org).values("status").annotate(n=Count("pk")).order_by()
    children = Organization.objects.restrict(request.user).filter(parent=org).order_by("name")
    return render(
        request,
        "organizations/detail.html",
        {"org": org, "children": children, "counts": counts, "events": org.events.all()[:50]},
    )
