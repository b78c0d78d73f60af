"""Numbers and dates as Vietnamese officials write them, whatever the interface language."""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils import timezone

register = template.Library()


def format_int(value) -> str:
    """1985 → "1.985"."""
    if value is None or value == "":
        return ""
    return f"{int(value):,}".replace(",", ".")


def format_decimal(value, places: int = 2) -> str:
    """94.8712 → "94,87"; 1234.5 → "1.234,50"."""
    if value is None or value == "":
        return ""
    quantum = Decimal(1).scaleb(-places)
    number = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    whole, _, frac = f"{number:,.{places}f}".partition(".")
    whole = whole.replace(",", ".")
    return f"{whole},{frac}" if places else whole


def format_percent(value, places: int = 2) -> str:
    """94.8712 → "94,87%"."""
    if value is None or value == "":
        return ""
    return f"{format_decimal(value, places)}%"


def format_date(value) -> str:
    """→ "19/04/2019" (in Asia/Ho_Chi_Minh for moments)."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


register.filter("vnint", format_int)
register.filter("vnnum", format_decimal)
register.filter("vnpct", format_percent)
register.filter("vndate", format_date)
