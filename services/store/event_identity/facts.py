"""What event identity knows of an event, reported or stored (`EventFacts`), and the ids and
labels made from it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from services.common.contracts import Event, EventContext, ExtractedArticle, Location
from services.store.event_identity.actor_agreement import ActorProfile
from services.store.event_identity.places import named_places
from services.store.event_identity.spans import DateSpan
from services.store.event_identity.text_agreement import text_terms
from services.store.event_identity.type_families import type_family

FACTUAL = "factual"


def modality(context: EventContext) -> str:
    if context.negated:
        return "negated"
    if context.hypothetical:
        return "hypothetical"
    if context.future:
        return "future"
    return FACTUAL


def actor_set(sources: Iterable[str], targets: Iterable[str]) -> str:
    """A readable actor string, "a|b>c" (sources > targets, sorted keys): stored for people, not identity."""
    return "|".join(sorted(set(sources))) + ">" + "|".join(sorted(set(targets)))


@dataclass(frozen=True)
class EventFacts:
    """What identity needs of an event, reported or stored."""

    type: str
    modality: str
    actors: ActorProfile
    span: DateSpan
    location: Location | None
    mode: str | None
    terms: frozenset[str] = frozenset()
    roles: str = ">"
    places: frozenset[str] = frozenset()  # keys of the places (not countries) its reports name
    month_day: str | None = None  # "MM-DD": undated, but its text gives day and month

    @property
    def stored_month_day(self) -> str | None:
        """What `events.month_day` holds: the day and month of a day event, or the yearless ones of
        an undated event (both directions of the yearless lookup use it)."""
        if self.span.known:
            return f"{self.span.date:%m-%d}" if self.span.precision == "day" and self.span.date else None
        return self.month_day

    @property
    def family(self) -> str:
        return type_family(self.type)

    @classmethod
    def reported(cls, event: Event, article: ExtractedArticle) -> EventFacts:
        """The facts of an article's event: its own, its article's title words, the places it names."""
        return cls.of(event, article.title, named_places(event, article))

    @classmethod
    def of(cls, event: Event, title: str | None = None, places: frozenset[str] = frozenset()) -> EventFacts:
        actors = frozenset((a.key, a.country) for a in (*event.source_actors, *event.target_actors))
        loose = event.date_reason is None or event.date_reason.startswith("article date")
        return cls(
            type=event.type,
            modality=modality(event.context),
            actors=actors,
            span=DateSpan.of(event.date, event.date_precision, loose=loose),
            location=event.location,
            mode=event.mode,
            terms=text_terms(event.sentence, title),
            roles=actor_set([a.key for a in event.source_actors], [a.key for a in event.target_actors]),
            places=places,
            month_day=event.month_day if event.date is None else None,
        )


@dataclass(frozen=True)
class KnownEvent:
    """A stored event (or one created earlier in the same batch) that reports may join."""

    event_id: str
    facts: EventFacts
    sources: int


def describe(facts: EventFacts) -> str:
    """A short label of an event for reasons: type, date, actors."""
    return f"{facts.type} {facts.span.label()} {facts.roles}"


def new_event_id(facts: EventFacts, article_id: str, trigger_start: int) -> str:
    """Deterministic: replaying the same articles in the same order recreates the same ids."""
    material = "\x1f".join(
        [facts.type, facts.modality, facts.roles, facts.span.label(), article_id, str(trigger_start)]
    )
    return "ev_" + hashlib.blake2b(material.encode("utf-8"), digest_size=12).hexdigest()
