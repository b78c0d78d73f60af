"""The dashboard's figures, each counted within the user's reach."""

from django.db.models import Count

from apps.accounts.models import User
from apps.accounts.selectors import private_reach_grants
from apps.core.scoping import scope_for
from apps.members.models import CURRENT_STATUSES, Member
from apps.organizations.models import Organization


def dashboard(user: User) -> dict:
    scope = scope_for(user)
    context = {"scope": scope}
    if scope.has_any_org:
        members = Member.objects.restrict(user).filter(status__in=CURRENT_STATUSES)
        context["member_count"] = members.count()
        context["status_counts"] = members.values("status").annotate(n=Count("pk")).order_by("status")
        context["organizations"] = Organization.objects.restrict(user).current().order_by("path")[:1]
        context["cell_count"] = Organization.objects.restrict(user).current().cells().count()
    if scope.secretary_orgs:
        context["private_grants"] = private_reach_grants(user)
    return context
