"""The planner's index of known events: it narrows the comparisons, never the decisions."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import replace

from services.store.event_identity import DateSpan, KnownEvent, within_reach
from services.store.known_events import KnownEvents, span_months
from tests.unit.store.test_event_identity import CAMARA, DIOP, LAVROV, MALI_ACTOR, facts

DAYS = [dt.date(2024, 1, 31), dt.date(2024, 2, 1), dt.date(2024, 2, 29), dt.date(2024, 3, 2), dt.date(2025, 2, 1)]


def _variety():
    """Reports of every precision, a month's edges, undated ones, other types and modalities."""
    found = []
    for day, precision, actors, kind in itertools.product(
        [*DAYS, None], ["day", "month", "year"], [(LAVROV, DIOP), (CAMARA,), (MALI_ACTOR,), ()],
        ["CONSULT", "AGREE", "ASSAULT"],
    ):
        found.append(facts(*actors, day=day, precision=precision, kind=kind))
    found.append(replace(facts(LAVROV, day=None), month_day="02-01"))
    found.append(replace(facts(CAMARA, MALI_ACTOR, day=None), month_day="01-31"))
    found.append(replace(facts(MALI_ACTOR, day=None, kind="AGREE"), month_day="03-02"))
    found.append(facts(LAVROV, DIOP, day=DAYS[1], loose=True))
    found.append(facts(CAMARA, day=DAYS[3], loose=True, kind="AGREE"))
    return found


def test_known_events_reachable_equals_within_reach_on_every_event():
    """The index returns exactly the known events within_reach of a report, in id order: dated
    and undated on either side, shared people, days and months of yearless reports."""
    reports = _variety()
    known = [KnownEvent(f"ev{index:03d}", report, 1) for index, report in enumerate(reports)]
    index = KnownEvents(known, window_days=1)
    for report in reports:
        expected = [event for event in known if within_reach(report, event.facts, 1)]
        assert index.reachable(report) == expected


def test_known_events_refined_event_stays_reachable():
    """An event put again with a narrower span is found by the reports its new span reaches,
    and one removed is found by none."""
    month = KnownEvent("ev1", facts(LAVROV, DIOP, day=DAYS[1], precision="month"), 1)
    index = KnownEvents([month], window_days=1)
    index.put(replace(month, facts=facts(LAVROV, DIOP, day=DAYS[2])))
    march_1 = facts(LAVROV, DIOP, day=dt.date(2024, 3, 1))
    assert [e.event_id for e in index.reachable(march_1)] == ["ev1"]
    index.remove("ev1")
    assert index.reachable(march_1) == []


def test_span_months_cover_the_window():
    """A day on a month's last day, widened by the window, touches the next month too."""
    assert span_months(DateSpan.of(dt.date(2024, 1, 31), "day"), 1) == ["2024-01", "2024-02"]
    assert span_months(DateSpan.of(None, "unknown")) == ["undated"]
