"""The events a batch's plan knows (stored candidates and events made in the batch), indexed so
that a report is compared only with those it can reach.

A batch of related reports loads many candidates; comparing every report with every one of them
(`events.within_reach`) was most of the store's CPU. The index narrows the comparison to events
of a compatible type and the same modality that share with the report a month of its search
range or, where one side is undated, a person or a day and month; `within_reach` still decides.
Entries are never narrowed away: an event whose span narrows stays under its former keys too, so
the index is a superset and decides nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator

from services.store.event_identity import (
    DateSpan,
    EventFacts,
    KnownEvent,
    compatible_types,
    span_month_days,
    within_reach,
)

UNDATED = "undated"
Key = tuple[str, str, str, str]  # (what, type, modality, value)


def _months(low: dt.date, high: dt.date) -> Iterator[str]:
    month = low.replace(day=1)
    while month <= high:
        yield f"{month:%Y-%m}"
        month = (month + dt.timedelta(days=32)).replace(day=1)


def span_months(span: DateSpan, window_days: int = 0) -> list[str]:
    """The months the span, widened by the window, touches; UNDATED for an unknown span."""
    bounds = span.search_range(window_days)
    return [UNDATED] if bounds is None else list(_months(*bounds))


def _people(facts: EventFacts) -> list[str]:
    return sorted(key for key, _ in facts.actors if key.startswith("per:"))


def stored_keys(facts: EventFacts) -> Iterator[tuple[str, str]]:
    """What a known event is indexed under: the months of its span; its people (an undated report
    reaches any event through a person); an undated one's people and day and month (a dated
    report reaches it through those), a day event's days and months (a yearless report's)."""
    for month in span_months(facts.span):
        yield "month", month
    for person in _people(facts):
        yield "person", person
        if not facts.span.known:
            yield "undated person", person
    if not facts.span.known and facts.month_day:
        yield "undated day", facts.month_day
    for month_day in span_month_days(facts.span):
        yield "day", month_day


def wanted_keys(facts: EventFacts, window_days: int) -> Iterator[tuple[str, str]]:
    """What a report looks known events up by: the mirror of `stored_keys` (events.within_reach)."""
    if not facts.span.known:
        yield from (("person", person) for person in _people(facts))
        if facts.month_day:
            yield "day", facts.month_day
        return
    yield from (("month", month) for month in (*span_months(facts.span, window_days), UNDATED))
    yield from (("undated person", person) for person in _people(facts))
    yield from (("undated day", month_day) for month_day in span_month_days(facts.span))


class KnownEvents:
    """Known events by id, indexed by type, modality and `stored_keys`."""

    def __init__(self, events: Iterable[KnownEvent], window_days: int) -> None:
        self.window_days = window_days
        self.by_id: dict[str, KnownEvent] = {}
        self._index: dict[Key, set[str]] = defaultdict(set)
        for event in events:
            self.put(event)

    def __contains__(self, event_id: str) -> bool:
        return event_id in self.by_id

    def __getitem__(self, event_id: str) -> KnownEvent:
        return self.by_id[event_id]

    def put(self, event: KnownEvent) -> None:
        """Add an event, or replace it with its refined facts (the type and modality never change)."""
        self.by_id[event.event_id] = event
        for what, value in stored_keys(event.facts):
            self._index[(what, event.facts.type, event.facts.modality, value)].add(event.event_id)

    def remove(self, event_id: str) -> None:
        del self.by_id[event_id]

    def reachable(self, facts: EventFacts) -> list[KnownEvent]:
        """The known events `within_reach` of the report, by id: what the candidate lookup would
        load for it."""
        ids: set[str] = set()
        wanted = list(wanted_keys(facts, self.window_days))
        for event_type in compatible_types(facts.type):
            for what, value in wanted:
                ids |= self._index.get((what, event_type, facts.modality, value), set())
        return [
            self.by_id[i]
            for i in sorted(ids)
            if i in self.by_id and within_reach(facts, self.by_id[i].facts, self.window_days)
        ]
