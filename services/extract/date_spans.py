"""A resolved date is a day or the span of a month or a year; and the calendar arithmetic over days.

What event_dates.py resolves an expression to (`ResolvedDate`, or `Unresolved` with the reason),
and the weekday searches it resolves them with. No language in here.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

YEARS_BACK = 10  # with no article date at all, a weekday with day and month looks this far back


@dataclass(frozen=True)
class ResolvedDate:
    """A date with its precision: a day, or the span of a month or a year starting at `value`."""

    value: dt.date
    precision: str  # day, month, year
    reason: str

    @property
    def end(self) -> dt.date:
        """The last day the date may be: itself for a day, the last of its month or year otherwise."""
        if self.precision == "year":
            return dt.date(self.value.year, 12, 31)
        if self.precision == "month":
            return self.value.replace(day=calendar.monthrange(self.value.year, self.value.month)[1])
        return self.value


@dataclass(frozen=True)
class Unresolved:
    """A date expression that names no date one can tell, and why (never a guessed year).

    `month_day` keeps the day and month a yearless expression gives ("le 14 novembre" in an
    undated article): no date, but what the store can compare with a dated report of the event."""

    reason: str
    month_day: tuple[int, int] | None = None


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def weekday_year(weekday: int, month: int, day: int, not_after: dt.date) -> dt.date | None:
    """The latest year (up to YEARS_BACK back) where day/month falls on `weekday`, not after `not_after`."""
    return weekday_in(weekday, month, day, dt.date(not_after.year - YEARS_BACK, 1, 1), not_after)


def weekday_in(weekday: int, month: int, day: int, earliest: dt.date, latest: dt.date) -> dt.date | None:
    """The latest day/month between `earliest` and `latest` that falls on `weekday`, if any."""
    for year in range(latest.year, earliest.year - 1, -1):
        candidate = safe_date(year, month, day)
        if candidate and earliest <= candidate <= latest and candidate.weekday() == weekday:
            return candidate
    return None


def last_weekday(weekday: int, on_or_before: dt.date) -> dt.date:
    return on_or_before - dt.timedelta(days=(on_or_before.weekday() - weekday) % 7)


def next_weekday(weekday: int, after: dt.date) -> dt.date:
    return after + dt.timedelta(days=(weekday - after.weekday()) % 7 or 7)
