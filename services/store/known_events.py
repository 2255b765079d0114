"""The events a batch's plan knows (stored candidates and events made in the batch), indexed so
that a report is compared only with those it can reach.

A batch of related reports loads many candidates; comparing every report with every one of them
(`events.within_reach`) was most of the store's CPU. The index narrows the comparison to events
of a compatible type and the same modality whose span shares a month with the report's search
range; `within_reach` still decides. Entries are never narrowed away: an event whose span
narrows stays under its former months too, so the index is a superset and decides nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator

from services.store.events import DateSpan, EventFacts, KnownEvent, within_reach
from services.store.identity import compatible_types

UNDATED = "undated"


def _months(low: dt.date, high: dt.date) -> Iterator[str]:
    month = low.replace(day=1)
    while month <= high:
        yield f"{month:%Y-%m}"
        month = (month + dt.timedelta(days=32)).replace(day=1)


def span_months(span: DateSpan, window_days: int = 0) -> list[str]:
    """The months the span, widened by the window, touches; UNDATED for an unknown span."""
    bounds = span.search_range(window_days)
    return [UNDATED] if bounds is None else list(_months(*bounds))


class KnownEvents:
    """Known events by id, with an index by (type, modality, month of the span)."""

    def __init__(self, events: Iterable[KnownEvent], window_days: int) -> None:
        self.window_days = window_days
        self.by_id: dict[str, KnownEvent] = {}
        self._by_kind: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._by_month: dict[tuple[str, str, str], set[str]] = defaultdict(set)
        for event in events:
            self.put(event)

    def __contains__(self, event_id: str) -> bool:
        return event_id in self.by_id

    def __getitem__(self, event_id: str) -> KnownEvent:
        return self.by_id[event_id]

    def put(self, event: KnownEvent) -> None:
        """Add an event, or replace it with its refined facts (the type and modality never change)."""
        self.by_id[event.event_id] = event
        kind = (event.facts.type, event.facts.modality)
        self._by_kind[kind].add(event.event_id)
        for month in span_months(event.facts.span):
            self._by_month[(*kind, month)].add(event.event_id)

    def remove(self, event_id: str) -> None:
        del self.by_id[event_id]

    def reachable(self, facts: EventFacts) -> list[KnownEvent]:
        """The known events `within_reach` of the report, by id: what the candidate lookup would
        load for it."""
        ids: set[str] = set()
        for event_type in compatible_types(facts.type):
            if not facts.span.known:  # an undated report reaches dated events through a person
                ids |= self._by_kind.get((event_type, facts.modality), set())
                continue
            for month in (*span_months(facts.span, self.window_days), UNDATED):
                ids |= self._by_month.get((event_type, facts.modality, month), set())
        return [
            self.by_id[i]
            for i in sorted(ids)
            if i in self.by_id and within_reach(facts, self.by_id[i].facts, self.window_days)
        ]
