"""Dates for event identity: the span of days a reported date may mean, and how far two spans
agree (`dates_part`). A report is compared with the event's span, never with its last report's
day, so nothing chains; exact days apart count against, so a daily series stays a series."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from services.store.event_identity.part import Part


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


@dataclass(frozen=True)
class DateSpan:
    """The days a reported date may mean: one day, a month, a year, or a loose day.

    A loose day is an event dated only by its article's publication day: it happened that day or
    the day before (news reports yesterday's events), so its span is both days."""

    date: dt.date | None
    precision: str
    start: dt.date | None = None
    end: dt.date | None = None

    @classmethod
    def of(cls, date: dt.date | None, precision: str, *, loose: bool = False) -> DateSpan:
        if date is None or precision == "unknown":
            return cls(None, "unknown")
        if precision == "month":
            first = date.replace(day=1)
            return cls(first, "month", first, _month_end(first))
        if precision == "year":
            first = date.replace(month=1, day=1)
            return cls(first, "year", first, first.replace(month=12, day=31))
        return cls(date, "day", date - dt.timedelta(days=1) if loose else date, date)

    @classmethod
    def stored(cls, date: dt.date | None, precision: str, start: dt.date | None, end: dt.date | None) -> DateSpan:
        if date is None or start is None or end is None:
            return cls(None, "unknown")
        return cls(date, precision, start, end)

    @property
    def known(self) -> bool:
        return self.start is not None and self.end is not None

    @property
    def exact(self) -> bool:
        """One day, told by the text."""
        return self.precision == "day" and self.start == self.end

    def label(self) -> str:
        if self.date is None:
            return "unknown"
        if self.precision == "month":
            return self.date.isoformat()[:7]
        if self.precision == "year":
            return self.date.isoformat()[:4]
        return self.date.isoformat() if self.exact else f"{self.date.isoformat()} (or the day before)"

    def search_range(self, window_days: int) -> tuple[dt.date, dt.date] | None:
        """The stored date_start/date_end bounds a matching event may have (SQL prefilter)."""
        if self.start is None or self.end is None:
            return None
        window = dt.timedelta(days=window_days)
        return self.start - window, self.end + window

    def within(self, other: DateSpan) -> bool:
        """True when every day this span may mean is a day the other may mean."""
        if self.start is None or self.end is None or other.start is None or other.end is None:
            return False
        return other.start <= self.start and self.end <= other.end

    def narrower(self, other: DateSpan) -> bool:
        if self.start is None or self.end is None or other.start is None or other.end is None:
            return False
        return (self.end - self.start) < (other.end - other.start)

    def distance(self, other: DateSpan) -> int:
        """Days between the spans (0 when they overlap)."""
        if self.start is None or other.start is None or self.end is None or other.end is None:
            return 0
        return max(0, (other.start - self.end).days, (self.start - other.end).days)


def dates_part(new: DateSpan, stored: DateSpan, window_days: int) -> Part | None:
    """How far the dates agree, in [-1, 1]; None when they cannot be one event's.

    Overlapping spans agree (one exact day fully, imprecise or loose spans in part); spans apart
    but within the window count against; further apart, never one event."""
    if not new.known or not stored.known:
        return Part(0.0, "dates both unknown" if not new.known and not stored.known else "one date unknown")
    return _known_dates_part(new, stored, window_days)


def month_day_part(undated: str, dated: DateSpan) -> Part | None:
    """An undated report whose text gives day and month ("le 14 novembre") against a day event:
    the same day and month agree (the year is the only thing left untold); any other day is
    another event (None)."""
    return Part(0.8, f"same day and month {undated} (year untold)") if month_day_fits(undated, dated) else None


def month_day_fits(month_day: str, span: DateSpan) -> bool:
    """Whether a day of `span` falls on `month_day` ("MM-DD"): exactly, as two exact days must
    agree, so a yearless "14 novembre" never joins the 15th."""
    return month_day in span_month_days(span)


def span_month_days(span: DateSpan) -> frozenset[str]:
    """The "MM-DD" of every day of a day (or loose day) span; none for wider or unknown spans."""
    if span.start is None or span.end is None or span.precision != "day":
        return frozenset()
    return frozenset(f"{span.start + dt.timedelta(days=n):%m-%d}" for n in range((span.end - span.start).days + 1))


def neighbour_month_days(month_day: str) -> frozenset[str]:
    """A yearless day and the days around it ("11-14" -> 11-13, 11-14, 11-15; in a leap year, so
    that 29 February has its neighbours): the stored `month_day` of events it may fit, since an
    event dated by its publication day is stored under that day, the day after the fact."""
    day = dt.date(2000, int(month_day[:2]), int(month_day[3:]))
    return frozenset(f"{day + dt.timedelta(days=n):%m-%d}" for n in (-1, 0, 1))


def _known_dates_part(new: DateSpan, stored: DateSpan, window_days: int) -> Part | None:
    if new.precision == "year" or stored.precision == "year":
        if new.distance(stored) > 0:
            return None
        return Part(0.1, f"dates {new.label()} vs {stored.label()}: same year")
    gap = new.distance(stored)
    if gap > window_days:
        return None
    if gap == 0:
        if new.exact and stored.exact:
            return Part(1.0, f"same day {new.label()}")
        return Part(0.6, f"dates {new.label()} vs {stored.label()} overlap")
    # Within the window but apart: a reporter's misdating is possible, a series of daily
    # meetings more so. It counts against, and only other strong agreement can outweigh it.
    against = -1.0 if new.precision == stored.precision == "day" else -0.25
    return Part(against, f"dates {new.label()} vs {stored.label()} {gap} day(s) apart")
