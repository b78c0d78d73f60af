from django import template

from apps.accounts.passwords import is_system_admin

register = template.Library()


@register.filter
def system_admin(user) -> bool:
    """{% if user|system_admin %}: a superuser or a current system-administrator role."""
    return is_system_admin(user)
