"""Event identity: actor sets, date windows, locations, modality, reasons and deterministic ids."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from services.common.contracts import EventContext, Location
from services.store.events import (
    DateSpan,
    EventFacts,
    KnownEvent,
    actor_set,
    choose_event,
    dates_reason,
    is_country,
    locations_reason,
    match_reason,
    modality,
    new_event_id,
    refined,
)
from tests.integration.store.seed_articles import place, seed_000, seed_001, seed_articles

AUG_1 = dt.date(2024, 8, 1)
BAMAKO = Location(name="Bamako", key="loc:bamako", country="MLI")
KIDAL = Location(name="Kidal", key="loc:kidal", country="MLI")
MALI = Location(name="Mali", key="loc:mali", country="MLI")


def _facts(article, index=0) -> EventFacts:
    return EventFacts.of(article.events[index])


def test_actor_set_consult_is_unordered():
    """For CONSULT, "A called B" and "B called A" have the same actor set."""
    assert (
        actor_set("CONSULT", ["per:b"], ["per:a"])
        == actor_set("CONSULT", ["per:a"], ["per:b"])
        == "per:a|per:b"
    )


def test_actor_set_directed_types_keep_direction():
    """For other types the sources and the targets stay apart: A accusing B is not B accusing A."""
    assert actor_set("ACCUSE", ["per:a"], ["per:b"]) != actor_set("ACCUSE", ["per:b"], ["per:a"])


def test_modality_negated_wins_over_other_flags():
    """A negated hypothetical event is negated; no flag means factual."""
    assert modality(EventContext(negated=True, hypothetical=True)) == "negated"
    assert modality(EventContext(future=True)) == "future"
    assert modality(EventContext()) == "factual"


def test_dates_within_window_match():
    """Day dates one day apart match with a window of 1 day, two days apart do not."""
    day = DateSpan.of(AUG_1, "day")
    assert (
        dates_reason(DateSpan.of(dt.date(2024, 7, 31), "day"), day, 1)
        == "dates 2024-07-31 vs 2024-08-01 within 1 day"
    )
    assert dates_reason(DateSpan.of(dt.date(2024, 8, 3), "day"), day, 1) is None
    assert dates_reason(DateSpan.of(dt.date(2024, 8, 3), "day"), day, 2) is not None


def test_dates_month_matches_any_day_of_that_month():
    """A month-precision date matches a day in that month (and the window around it), not another month."""
    month = DateSpan.of(dt.date(2024, 8, 15), "month")
    assert dates_reason(DateSpan.of(dt.date(2024, 8, 31), "day"), month, 1) is not None
    assert dates_reason(DateSpan.of(dt.date(2024, 7, 31), "day"), month, 1) is not None
    assert dates_reason(DateSpan.of(dt.date(2024, 7, 29), "day"), month, 1) is None


def test_dates_unknown_and_year_match_only_their_kind():
    """Unknown dates match only unknown dates; a year only the same year at year precision."""
    unknown, day = DateSpan.of(None, "unknown"), DateSpan.of(AUG_1, "day")
    year = DateSpan.of(dt.date(2024, 1, 1), "year")
    assert dates_reason(unknown, unknown, 1) == "dates both unknown"
    assert dates_reason(unknown, day, 1) is None
    assert dates_reason(year, day, 1) is None
    assert dates_reason(year, DateSpan.of(dt.date(2024, 6, 1), "year"), 1) == "same year 2024"


def test_locations_country_contains_city():
    """Mali contains Bamako; Bamako and Kidal are two places; unknown matches anything."""
    assert is_country(MALI) and not is_country(BAMAKO)
    assert locations_reason(BAMAKO, MALI, need_known=False) == "Bamako is in Mali"
    assert locations_reason(BAMAKO, KIDAL, need_known=False) is None
    assert locations_reason(None, KIDAL, need_known=False) == "location Kidal vs unknown"
    assert locations_reason(None, KIDAL, need_known=True) is None


def test_locations_country_names_in_french():
    """Country-level locations are recognised by their French names too ("Russie", "Turquie")."""
    assert is_country(Location(name="Russie", country="RUS"))
    assert is_country(Location(name="Turquie", country="TUR"))
    assert not is_country(Location(name="Moscou", country="RUS"))


def test_events_lavrov_diop_call_in_000_and_001_match():
    """The call reported by 000 (Lavrov → Diop) and 001 (Diop → Lavrov) is one event, with its reason."""
    reason = match_reason(_facts(seed_001()), _facts(seed_000(), 1), window_days=1)
    assert reason == (
        "same type CONSULT, same actors {per:abdoulaye-diop, per:serguei-lavrov}, "
        "dates 2024-08-01 vs 2024-08-01 within 1 day, location unknown"
    )


def test_events_gold_events_do_not_match_each_other():
    """The five events_must of the gold are five events: no two of them match."""
    gold = [_facts(seed_000(), 0), _facts(seed_000(), 1)] + [_facts(a) for a in seed_articles()[2:]]
    for i, first in enumerate(gold):
        for second in gold[i + 1 :]:
            assert match_reason(first, second, window_days=1) is None


def test_events_negated_never_merge_with_factual():
    """A denied call is stored apart from the call itself."""
    factual = _facts(seed_000(), 1)
    denied = seed_000().events[1].model_copy(update={"context": EventContext(negated=True)})
    assert match_reason(EventFacts.of(denied), factual, window_days=1) is None


def test_events_without_actors_need_same_known_place():
    """Two unattributed attacks of one day merge only when they happened at the same known place."""
    attack = (
        seed_000().events[0].model_copy(update={"type": "ASSAULT", "source_actors": [], "target_actors": []})
    )
    at_bamako = EventFacts.of(attack.model_copy(update={"location": BAMAKO}))
    nowhere = EventFacts.of(attack)
    assert match_reason(nowhere, nowhere, 1) is None
    assert match_reason(at_bamako, at_bamako, 1) is not None
    assert match_reason(EventFacts.of(attack.model_copy(update={"location": MALI})), at_bamako, 1) is None


def test_choose_event_prefers_closest_date():
    """With two stored events in the window, the report joins the one with the closest date."""
    report = _facts(seed_001())
    near = KnownEvent("ev_b", report, 1)
    far = KnownEvent(
        "ev_a", EventFacts(report.key, DateSpan.of(dt.date(2024, 7, 31), "day"), None, "phone"), 1
    )
    chosen, _ = choose_event(report, [far, near], window_days=1)
    assert chosen.event_id == "ev_b"


def test_refined_takes_finer_date_and_place():
    """A month-dated event located in Mali becomes day-dated in Bamako when a report says so."""
    stored = EventFacts(_facts(seed_001()).key, DateSpan.of(AUG_1, "month"), MALI, None)
    sharper = EventFacts(stored.key, DateSpan.of(AUG_1, "day"), place("loc:bamako"), "phone")
    result = refined(stored, sharper)
    assert (result.span.precision, result.location.name, result.mode) == ("day", "Bamako", "phone")


def test_refined_keeps_its_date_when_the_finer_one_lies_outside():
    """An "août 2024" event joined through the window by a 31 July report stays August: moving it to
    31 July could make it match a 30 July event of the same actors stored apart from it."""
    stored = EventFacts(_facts(seed_001()).key, DateSpan.of(AUG_1, "month"), None, None)
    edge = EventFacts(stored.key, DateSpan.of(dt.date(2024, 7, 31), "day"), None, None)
    assert match_reason(edge, stored, window_days=1) is not None
    assert refined(stored, edge).span == stored.span
    inside = EventFacts(stored.key, DateSpan.of(dt.date(2024, 8, 20), "day"), None, None)
    assert refined(stored, inside).span == inside.span


@pytest.mark.parametrize("window_days", [1, 2, 3])
def test_stored_events_never_come_to_match_each_other(window_days):
    """Whatever order reports of one actor set arrive in, no two resulting events match: a report
    that matches an event joins it, and joining only narrows an event's date. (With a 2-day window,
    29 July, then "août", then 31 July used to move the August event next to the 29 July one.)"""
    key = _facts(seed_001()).key
    days = [dt.date(2024, 7, 29), dt.date(2024, 7, 31), dt.date(2024, 8, 3), dt.date(2024, 8, 20)]
    spans = [DateSpan.of(day, "day") for day in days] + [
        DateSpan.of(dt.date(2024, 8, 1), "month"), DateSpan.of(dt.date(2024, 7, 1), "month"),
    ]
    for order in itertools.permutations(spans):
        known: list[KnownEvent] = []
        for n, span in enumerate(order):
            report = EventFacts(key, span, None, None)
            chosen = choose_event(report, known, window_days)
            if chosen is None:
                known.append(KnownEvent(f"ev_{n}", report, 1))
            else:
                event = chosen[0]
                known[known.index(event)] = KnownEvent(event.event_id, refined(event.facts, report), 2)
        pairs = [
            (a.facts.span, b.facts.span)
            for i, a in enumerate(known) for b in known[i + 1:] if match_reason(a.facts, b.facts, window_days)
        ]
        assert not pairs, order


def test_new_event_id_is_deterministic():
    """The same first report gives the same event id in every process; another article another id."""
    facts = _facts(seed_000(), 1)
    assert new_event_id(facts, "a", 10) == new_event_id(facts, "a", 10)
    assert new_event_id(facts, "a", 10) != new_event_id(facts, "b", 10)
