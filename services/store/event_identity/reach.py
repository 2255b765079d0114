"""Which stored events a report can reach (the candidate lookup's rule, `within_reach`, and the
event_reach terms it reads), and the advisory-lock keys replicas share for one event."""

from __future__ import annotations

import datetime as dt
import hashlib

from services.store.event_identity.actor_agreement import shared_person
from services.store.event_identity.facts import EventFacts
from services.store.event_identity.spans import month_day_fits
from services.store.event_identity.type_families import types_compatible


def stable_int64(text: str) -> int:
    """A signed 64-bit hash that is the same in every process (Python's hash() is not)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


ANY_ACTOR = "*"  # the reach term of an event none of whose actors has a known country


def reach_terms(facts: EventFacts) -> frozenset[str]:
    """What an event can be found by (the event_reach rows): its actor keys, the countries of its
    actors and place, ANY_ACTOR when no actor has a known country, and the towns its reports name."""
    terms = {f"k:{key}" for key, _ in facts.actors} | {f"c:{country}" for _, country in facts.actors if country}
    if facts.location and facts.location.country:
        terms.add(f"c:{facts.location.country}")
    if not any(country for _, country in facts.actors):
        terms.add(ANY_ACTOR)
    return frozenset(terms | _place_terms(facts))


def _place_terms(facts: EventFacts) -> set[str]:
    """'p:<place key>' for each town its reports name: reports naming the same town reach each
    other whatever their actors (the score lets a shared town outweigh parties in common)."""
    return {f"p:{place}" for place in facts.places}


def report_terms(report: EventFacts) -> frozenset[str]:
    """The reach terms a report looks candidates up by; empty when it names no actor (then it is
    looked up by type and date alone: an actorless report may be any event of its day)."""
    if not report.actors:
        return frozenset()
    terms = {f"k:{key}" for key, _ in report.actors} | {f"c:{country}" for _, country in report.actors if country}
    if report.location and report.location.country:
        terms.add(f"c:{report.location.country}")
    return frozenset(terms | {ANY_ACTOR} | _place_terms(report))


def within_reach(report: EventFacts, stored: EventFacts, window_days: int) -> bool:
    """Whether the candidate lookup (reads.candidate_events) loads `stored` for `report`: a
    compatible type and the same modality; a span within the window (with one side undated: a
    shared person, or the day and month its text gives falling in the other's span); and, when
    the report names any actor or place, a shared reach term (an actor key, a country of an actor
    or the place, or a stored event whose actors have no known country). The planner applies the
    same rule to what a batch loaded for all its reports, so a batch decides as one-by-one storing
    does."""
    if not types_compatible(report.type, stored.type) or report.modality != stored.modality:
        return False
    if not report.span.known or not stored.span.known:  # by a shared person, or the day and month
        undated, dated = (report, stored) if not report.span.known else (stored, report)
        return shared_person(report.actors, stored.actors) or bool(
            undated.month_day and month_day_fits(undated.month_day, dated.span)
        )
    if report.span.distance(stored.span) > window_days:
        return False
    wanted = report_terms(report)
    return not wanted or bool(wanted & reach_terms(stored))


def lock_keys(facts: EventFacts, window_days: int) -> set[int]:
    """Advisory-lock keys every report that could join the same event shares: its type family and
    each month its span (widened by the window) touches; undated reports share one key per family."""
    bounds = facts.span.search_range(window_days)
    if bounds is None:
        return {stable_int64(f"event\x1f{facts.family}\x1fundated")}
    low, high = bounds
    keys, month = set(), low.replace(day=1)
    while month <= high:
        keys.add(stable_int64(f"event\x1f{facts.family}\x1f{month:%Y-%m}"))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return keys
