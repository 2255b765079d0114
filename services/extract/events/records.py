"""An event as one article tells it, its actors, and the rules for lists of actors."""

from __future__ import annotations

from dataclasses import dataclass

from services.common.contracts import EventContext
from services.extract.event_dates import ResolvedDate, Unresolved


@dataclass(frozen=True)
class ActorRef:
    key: str
    name: str
    country: str | None
    label: str


@dataclass
class EventRecord:
    """One event as the article tells it; pipeline.doc_to_extracted turns it into contracts.Event."""

    type: str
    mode: str | None
    sources: list[ActorRef]
    targets: list[ActorRef]
    date: ResolvedDate | None
    location: ActorRef | None
    sentence: str
    sentence_start: int
    trigger: str
    trigger_start: int
    trigger_end: int
    context: EventContext
    confidence: float = 0.5
    date_from_text: bool = False
    undated: Unresolved | None = None  # why it has no date (and the day and month its text gives)
    merged: int = 1
    sentence_index: int = 0

    @property
    def actor_keys(self) -> frozenset[str]:
        return frozenset(a.key for a in self.sources + self.targets)


def unique(actors: list[ActorRef]) -> list[ActorRef]:
    """The actors once each (by key), in the order first named."""
    seen: set[str] = set()
    out = []
    for actor in actors:
        if actor.key not in seen:
            seen.add(actor.key)
            out.append(actor)
    return out


def drop_represented_countries(
    sources: list[ActorRef], targets: list[ActorRef], consult: bool = True
) -> list[ActorRef]:
    """A country actor adds nothing when a person or body of that country already takes part
    (on either side for a meeting, on the same side otherwise)."""
    side = sources + targets if consult else targets
    represented = {a.country for a in side if a.label != "LOC" and a.country}
    source_keys = {a.key for a in sources}
    return [a for a in targets if not (a.label == "LOC" and a.country in represented) and a.key not in source_keys]


def dedupe_sources(sources: list[ActorRef]) -> list[ActorRef]:
    """Sources once each, without a country its own person or body already stands for."""
    sources = unique(sources)
    represented = {a.country for a in sources if a.label != "LOC" and a.country}
    return [a for a in sources if not (a.label == "LOC" and a.country in represented)]
