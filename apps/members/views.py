from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from apps.core.views import get_scoped

from .models import Member
from .selectors import member_page


@login_required
def member_list(request):
    page = member_page(request.user, request.GET)
    template = "members/partials/rows.html" if request.htmx else "members/list.html"
    return render(request, template, {"page": page, "q": request.GET.get("q", "")})


@login_required
def detail(request, pk):
    member = get_scoped(Member, request.user, pk, queryset=Member.objects.select_related("organization"))
    return render(request, "members/detail.html", {"member": member, "history": member.status_changes.all()})
