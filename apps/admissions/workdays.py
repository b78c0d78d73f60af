"""Working days on Vietnam's calendar: weekends, public holidays (Tết by the lunar calendar, from
the `holidays` package) and the days a deployment declares (`DeclaredDay`: a day off it adds, or a
Saturday it declares a working day in exchange for a bridge day).

Counting: "n working days after `start`" begins the day after `start`; the deadline is the n-th
working day counted so. Every answer carries how it was computed (`Deadline.explanation`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

import holidays
from django.utils.translation import gettext as _

from apps.core.templatetags.vn import format_date

CALENDAR_NAME = "holidays.VN"


@lru_cache(maxsize=64)
def _calendar(year: int) -> tuple[dict[dt.date, str], frozenset[dt.date]]:
    calendar = holidays.VN(years=year, language="vi")
    return dict(calendar.items()), frozenset(getattr(calendar, "weekend_workdays", ()) or ())


def public_holidays(year: int) -> dict[dt.date, str]:
    """Vietnam's public holidays of the year, named in Vietnamese."""
    return _calendar(year)[0]


def weekend_workdays(year: int) -> frozenset[dt.date]:
    """Weekend days the government declared working days (in exchange for a bridge day off)."""
    return _calendar(year)[1]


def declared_days(start: dt.date, end: dt.date) -> dict[dt.date, tuple[bool, str]]:
    """The days the deployment declared between two dates: date -> (is a working day, name)."""
    from .models import DeclaredDay

    rows = DeclaredDay.objects.filter(date__range=(start, end), active=True).values_list(
        "date", "is_working_day", "name"
    )
    return {d: (working, name) for d, working, name in rows}


@dataclass
class Deadline:
    start: dt.date
    days: int
    date: dt.date
    skipped: list[tuple[dt.date, str]] = field(default_factory=list)
    rule: str = ""

    @property
    def explanation(self) -> str:
        parts = [
            _("%(n)s ngày làm việc kể từ sau ngày %(start)s, đến hết ngày %(end)s")
            % {
                "n": self.days,
                "start": format_date(self.start),
                "end": format_date(self.date),
            }
        ]
        weekends = sum(1 for _d, why in self.skipped if why == WEEKEND)
        named = [f"{format_date(d)} ({why})" for d, why in self.skipped if why != WEEKEND]
        parts.append(_("không tính %(n)s ngày thứ Bảy, Chủ nhật") % {"n": weekends})
        if named:
            parts.append(_("không tính ngày nghỉ: %(days)s") % {"days": ", ".join(named)})
        parts.append(
            _("theo lịch nghỉ lễ, Tết của Việt Nam (%(calendar)s) và ngày nghỉ do hệ thống khai báo")
            % {"calendar": CALENDAR_NAME}
        )
        if self.rule:
            parts.append(self.rule)
        return "; ".join(parts) + "."


WEEKEND = "weekend"


def _why_off(day: dt.date, declared: dict) -> str | None:
    """Why `day` is not a working day (a holiday's name, WEEKEND), or None for a working day."""
    if day in declared:
        working, name = declared[day]
        return None if working else name or _("ngày nghỉ do hệ thống khai báo")
    name = public_holidays(day.year).get(day)
    if name:
        return name
    if day.weekday() >= 5 and day not in weekend_workdays(day.year):
        return WEEKEND
    return None


def is_working_day(day: dt.date) -> bool:
    return _why_off(day, declared_days(day, day)) is None


def add_working_days(start: dt.date, n: int, rule: str = "") -> Deadline:
    """The n-th working day after `start`, with the days skipped on the way."""
    if n < 0:
        raise ValueError("n must be >= 0")
    # 2n + 40 calendar days always hold n working days (Tết takes at most ten).
    declared = declared_days(start, start + dt.timedelta(days=2 * n + 40))
    day, counted, skipped = start, 0, []
    while counted < n:
        day += dt.timedelta(days=1)
        why = _why_off(day, declared)
        if why is None:
            counted += 1
        else:
            skipped.append((day, why))
    return Deadline(start=start, days=n, date=day, skipped=skipped, rule=rule)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    if end <= start:
        return 0
    declared = declared_days(start, end)
    day, counted = start, 0
    while day < end:
        day += dt.timedelta(days=1)
        if _why_off(day, declared) is None:
            counted += 1
    return counted
