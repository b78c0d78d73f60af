"""`|figure`: a target's number as officials write it, without trailing zeros (100; 1,5; 1.234,75)."""

from decimal import Decimal

from django import template

from apps.core.templatetags.vn import format_decimal, format_int

register = template.Library()


def figure(value) -> str:
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return format_int(number)
    text = format_decimal(number, 2)
    return text.rstrip("0") if "," in text else text


def percent(value) -> str:
    text = figure(value)
    return f"{text}%" if text else ""


register.filter("figure", figure)
register.filter("figure_pct", percent)
