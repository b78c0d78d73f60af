"""Whether a page may offer a link: the same scope as the page it leads to (apps.core.scoping).

`{% if user|can_view:org %}` and `{% if user|can_change:org %}` keep menus, breadcrumbs and buttons
from offering what the user cannot open; the scope is computed once per request.
"""

from django import template

from apps.core.scoping import CHANGE, VIEW, scope_for

register = template.Library()


@register.filter
def can_view(user, organization) -> bool:
    return organization is not None and scope_for(user).reaches_org(organization, VIEW)


@register.filter
def can_change(user, organization) -> bool:
    return organization is not None and scope_for(user).reaches_org(organization, CHANGE)
