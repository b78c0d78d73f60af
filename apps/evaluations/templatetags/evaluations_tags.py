from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def unsure(rule_set, field: str):
    """ " [?]" after a parameter the rule set marks as not confirmed in the published text."""
    if rule_set is not None and rule_set.is_unconfirmed(field):
        return format_html(' <abbr class="unsure" title="{}">[?]</abbr>', _("Chưa đối chiếu được với văn bản gốc"))
    return ""


@register.filter
def get(mapping, key):
    return (mapping or {}).get(key) if hasattr(mapping, "get") else None
