"""Whether a page may offer a link: the same scope as the page it leads to (apps.core.scoping).

`{% if user|can_view:org %}` and `{% if user|can_change:org %}` keep menus, breadcrumbs and buttons
from offering what the user cannot open; the scope is computed once per request.
"""

from django import template

from apps.core.scoping import CHANGE, INSPECT, VIEW, scope_for

register = template.Library()


@register.filter
def can_view(user, organization) -> bool:
    return organization is not None and scope_for(user).reaches_org(organization, VIEW)


@register.filter
def can_change(user, organization) -> bool:
    return organization is not None and scope_for(user).reaches_org(organization, CHANGE)


@register.filter
def can_decide(user, organization) -> bool:
    """A committee's or an inspection commission's reach (CHANGE or INSPECT): who records
    inspection work and discipline decisions about the organization."""
    if organization is None:
        return False
    scope = scope_for(user)
    return scope.reaches_org(organization, CHANGE) or scope.reaches_org(organization, INSPECT)
