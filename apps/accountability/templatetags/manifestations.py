from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def unconfirmed_note(items) -> str:
    """One sober line above the list naming the manifestations whose wording is not yet checked
    against the resolution's text (each item then carries a mark for administrators only)."""
    numbers = [str(item.manifestation.number) for item in items if not item.manifestation.wording_confirmed]
    if not numbers:
        return ""
    text = _(
        "Nội dung biểu hiện số %(numbers)s chưa được đối chiếu với nguyên văn Nghị quyết; "
        "quản trị hệ thống đối chiếu và sửa lại."
    ) % {"numbers": ", ".join(numbers)}
    return format_html('<p class="base-note" id="unconfirmed-note">{}</p>', text)
