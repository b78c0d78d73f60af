"""Deadlines in days or in working days (Vietnam's weekends and public holidays, Tết included)."""

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=16)
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("VN", years=year).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_days(start: date, days: int, working: bool) -> date:
    """The day `days` days (working days when `working`) after `start`."""
    if not working:
        return start + timedelta(days=days)
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day
