"""The identity decision: whether a report is a stored event, with the score and its reason
(`match`); which of several it joins (`choose_event`); what a joined event becomes (`refined`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from services.store.event_identity.actor_agreement import UNKNOWN_ACTORS, actors_part, shared_person
from services.store.event_identity.facts import FACTUAL, EventFacts, KnownEvent
from services.store.event_identity.part import Part
from services.store.event_identity.places import is_country, locations_part, same_place, shared_places
from services.store.event_identity.spans import dates_part, month_day_part
from services.store.event_identity.text_agreement import MAX_TERMS, text_similarity
from services.store.event_identity.type_families import types_compatible

W_ACTORS, W_DATE, W_TEXT, W_PLACE = 0.4, 0.3, 0.3, 0.1
# A town both reports name weighs more when the actors tell nothing (one side names none, or the
# two name different parties of one story: mediators and belligerents, a regulator and its country).
W_NAMED_PLACE = 0.3
SAME_MODE, OTHER_MODE, OTHER_TYPE = 0.05, -0.1, -0.05
REMOTE_MODES = frozenset({"phone", "video", "letter"})  # a call is not a visit; a visit may be a meeting
STRONG_TEXT = 0.5  # the text agreement an undated side needs to join
MISDATED_COPY = 0.9  # text agreement that lets two reports whose days disagree be one (a misdated copy)
# The default score a report needs (a setting: NEWSFLOW_EVENT_MATCH_THRESHOLD). On the corpus,
# 0.40 joined a daily series, 0.45 kept it apart with the most reports joined, 0.55 and up split
# more events than they saved (bench quality, tests/data/corpus).
EVENT_MATCH_THRESHOLD = 0.45


@dataclass(frozen=True)
class Match:
    score: float
    reason: str


def _dates_of(new: EventFacts, stored: EventFacts, window_days: int) -> Part | None:
    """The dates part; an undated side that gives day and month is compared by them: the same
    day and month agree, another day and month never join."""
    for undated, dated in ((new, stored), (stored, new)):
        if not undated.span.known and undated.month_day and dated.span.known:
            if dated.span.precision != "day":
                return Part(0.0, "one date unknown")
            return month_day_part(undated.month_day, dated.span)
    return dates_part(new.span, stored.span, window_days)


def compatible(new: EventFacts, stored: EventFacts, window_days: int) -> list[Part] | None:
    """The date, actor and place parts, or None when something rules the pair out."""
    if not types_compatible(new.type, stored.type) or new.modality != stored.modality:
        return None
    dates = _dates_of(new, stored, window_days)
    if dates is None:
        return None
    location = locations_part(
        new.location, stored.location, need_known=not new.actors and not stored.actors,
        named=shared_places(new.places, stored.places),
    )
    if location is None:
        return None
    places = (new.location.country if new.location else None, stored.location.country if stored.location else None)
    return [dates, actors_part(new.actors, stored.actors, places), location]


def match(new: EventFacts, stored: EventFacts, window_days: int, threshold: float) -> Match | None:
    """The score and full reason when the report is the stored event; None when it is another."""
    checked = compatible(new, stored, window_days)
    if checked is None:
        return None
    dates, actors, location = checked
    text = text_similarity(new.terms, stored.terms)
    undated = (not new.span.known or not stored.span.known) and dates.value <= 0
    shared_town = bool(shared_places(new.places, stored.places))
    if _ruled_out(new, stored, dates, actors, text, undated=undated, shared_town=shared_town):
        return None
    mode = _mode_part(new.mode, stored.mode)
    if undated and mode < 0:
        return None  # an undated side joins on strong agreement only: a call is not the visit
    kind = 0.0 if new.type == stored.type else OTHER_TYPE
    place = (W_NAMED_PLACE if shared_town and actors.value <= UNKNOWN_ACTORS else W_PLACE) * location.value
    score = W_ACTORS * actors.value + W_DATE * dates.value + W_TEXT * text + place + mode + kind
    if score < threshold:
        return None
    modality_note = "" if new.modality == FACTUAL else f" ({new.modality})"
    types = new.type if new.type == stored.type else f"{new.type} ~ {stored.type}"
    parts = [
        f"{types}{modality_note}",
        f"{actors.reason} {W_ACTORS * actors.value:+.2f}",
        f"{dates.reason} {W_DATE * dates.value:+.2f}",
        f"text {text:.2f} {W_TEXT * text:+.2f}",
    ]
    if mode:
        parts.append(f"mode {new.mode} vs {stored.mode} {mode:+.2f}")
    if kind:
        parts.append(f"other type {kind:+.2f}")
    if undated:
        parts.append("undated: joined on strong text agreement")
    parts.append(f"{location.reason} {place:+.2f}")
    return Match(round(score, 4), f"score {score:.2f} >= {threshold:.2f}: " + "; ".join(parts))


def _ruled_out(
    new: EventFacts, stored: EventFacts, dates: Part, actors: Part, text: float, *, undated: bool, shared_town: bool
) -> bool:
    """What no score outweighs: an undated side without strong text agreement and a person both
    name; actors and places with nothing in common; days apart, unless one is a misdated copy."""
    if undated and (text < STRONG_TEXT or not shared_person(new.actors, stored.actors)):
        return True  # an undated side is looked up, and joined, only through a person both name
    if actors.value == 0.0 and new.actors and stored.actors and not shared_town:
        return True  # actors and places with nothing in common: other people, another story
    return dates.value < 0 and text < MISDATED_COPY  # days apart: a series, unless a misdated copy


def _mode_part(new: str | None, stored: str | None) -> float:
    """The same mode agrees; a call against a visit or meeting disagrees; otherwise nothing."""
    if not new or not stored:
        return 0.0
    if new == stored:
        return SAME_MODE
    return OTHER_MODE if len({new in REMOTE_MODES, stored in REMOTE_MODES}) == 2 else 0.0


def echoes(mention: EventFacts, told: EventFacts) -> bool:
    """A later mention of one article that only echoes an event the article already told: the same
    type and modality, no person or group of its own (countries at most), no other town, no other
    mode, and the same day or only the article's own day ('la riposte a permis de neutraliser
    plusieurs dizaines de terroristes' after the ambush). It is a source of that event, not an
    event of its own."""
    if mention.type != told.type or mention.modality != told.modality or not told.span.known:
        return False
    if any(not key.startswith("loc:") for key, _ in mention.actors):
        return False
    place = mention.location
    if place is not None and not is_country(place) and not (told.location and same_place(place, told.location)):
        return False
    if mention.mode and told.mode and mention.mode != told.mode:
        return False
    return mention.span == told.span or (mention.span.precision == "day" and not mention.span.exact)


def between_days(report: EventFacts, matched: Iterable[EventFacts]) -> bool:
    """A report dated only by its publication day (that day or the one before), or not dated at
    all, that matches events of two different exact days: it may tell either day of a series (the
    same two leaders' calls three weeks apart), so it is neither's."""
    loose = (report.span.precision == "day" and not report.span.exact) or not report.span.known
    return loose and len({m.span.date for m in matched if m.span.exact}) > 1


def choose_event(
    new: EventFacts, known: Iterable[KnownEvent], window_days: int, threshold: float
) -> list[tuple[KnownEvent, Match]]:
    """Every stored event the report matches, best first (score, then closer date, then smaller id).

    None when the report is dated only by its publication day, or undated, and matches events of
    two different exact days: it may be either day of a series, so it joins neither."""
    found = [(event, m) for event in known if (m := match(new, event.facts, window_days, threshold))]
    if between_days(new, [event.facts for event, _ in found]):
        return []
    return sorted(found, key=lambda pair: (-pair[1].score, new.span.distance(pair[0].facts.span), pair[0].event_id))


def refined(stored: EventFacts, new: EventFacts) -> EventFacts:
    """The stored event's facts, sharpened by a new report: a narrower date inside its span, a known
    or finer place, a mode, the new actors and terms.

    A date is taken only when it lies inside the stored span ("31 juillet" joins an "août" event
    through the window but does not move it), so an event's span only ever narrows."""
    span = stored.span
    if (new.span.within(stored.span) and new.span.narrower(stored.span)) or (not stored.span.known and new.span.known):
        span = new.span  # a loose day inside a month narrows it; a loose day at its edge does not
    location = stored.location
    if location is None or (is_country(location) and new.location is not None and not is_country(new.location)):
        location = new.location or location
    terms = stored.terms | new.terms
    if len(terms) > MAX_TERMS:
        terms = frozenset(sorted(terms)[:MAX_TERMS])
    return replace(
        stored,
        span=span,
        location=location,
        mode=stored.mode or new.mode,
        actors=stored.actors | new.actors,
        terms=terms,
        places=stored.places | new.places,
        month_day=None if span.known else stored.month_day or new.month_day,
    )
