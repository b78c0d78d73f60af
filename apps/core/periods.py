"""Reporting periods: the month, quarter or year that cells meet and committees report by."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
YEARS = (1990, 2100)  # what a picker accepts: the oldest paper records to be brought in, and no further than this


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Period:
    """A calendar month (month set), quarter (quarter set) or year (neither)."""

    year: int
    quarter: int | None = None
    month: int | None = None

    @classmethod
    def month_of(cls, day: date) -> Period:
        return cls(day.year, quarter_of(day.month), day.month)

    @classmethod
    def parse(cls, year: str | None, key: str | None, today: date) -> Period:
        """From a picker's `year` and `key` ("" the year, "q1"…"q4", "1"…"12"); what cannot be read
        is this month (a typed URL never fails)."""
        try:
            number = int(year or today.year)
        except ValueError:
            return cls.month_of(today)
        if not YEARS[0] <= number <= YEARS[1]:
            return cls.month_of(today)
        key = (key or "").strip().lower()
        if key == "":
            return cls(number)
        if key.startswith("q") and key[1:] in {"1", "2", "3", "4"}:
            return cls(number, int(key[1:]))
        if key.isdigit() and 1 <= int(key) <= 12:
            return cls(number, quarter_of(int(key)), int(key))
        return cls.month_of(today)

    @property
    def key(self) -> str:
        if self.month:
            return str(self.month)
        return f"q{self.quarter}" if self.quarter else ""

    @property
    def months(self) -> list[int]:
        if self.month:
            return [self.month]
        if self.quarter:
            return list(range(3 * self.quarter - 2, 3 * self.quarter + 1))
        return list(range(1, 13))

    @property
    def quarters(self) -> list[int]:
        return sorted({quarter_of(m) for m in self.months})

    @property
    def start(self) -> date:
        return date(self.year, self.months[0], 1)

    @property
    def end(self) -> date:
        return month_end(self.year, self.months[-1])

    def in_year(self, year: int) -> Period:
        """The same months of another year (a year against the year before)."""
        return Period(year, self.quarter, self.month)

    @property
    def previous(self) -> Period:
        if self.month:
            return Period.month_of(self.start - timedelta(days=1))
        if self.quarter:
            return Period(self.year - 1, 4) if self.quarter == 1 else Period(self.year, self.quarter - 1)
        return Period(self.year - 1)

    @property
    def next(self) -> Period:
        if self.month:
            return Period.month_of(self.end + timedelta(days=1))
        if self.quarter:
            return Period(self.year + 1, 1) if self.quarter == 4 else Period(self.year, self.quarter + 1)
        return Period(self.year + 1)

    def __str__(self) -> str:
        if self.month:
            return _("tháng %(m)s/%(y)s") % {"m": self.month, "y": self.year}
        if self.quarter:
            return _("quý %(q)s/%(y)s") % {"q": ROMAN[self.quarter], "y": self.year}
        return _("năm %(y)s") % {"y": self.year}


def choices() -> list[tuple[str, str]]:
    """The picker's options: the whole year, each quarter, each month."""
    return [
        ("", _("Cả năm")),
        *((f"q{q}", _("Quý %(q)s") % {"q": ROMAN[q]}) for q in (1, 2, 3, 4)),
        *((str(m), _("Tháng %(m)s") % {"m": m}) for m in range(1, 13)),
    ]
