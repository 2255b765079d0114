"""Event identity: when two reports describe the same event, and why. Pure functions.

Two reports are one event when all of these hold (the reason string says which way each held):

- the same PLOVER type and the same modality. Modality is `negated`, `hypothetical`, `future`
  or `factual` (first flag that is set, in that order). Non-factual events are stored, so a
  consumer can see "X denied meeting Y", but never merge with factual ones, nor with each other
  across modalities: a denial is not a source for the meeting.
- the same actor set: for CONSULT (symmetric: "A spoke with B" = "B spoke with A") the union
  of source and target keys; for every other type the (sources, targets) pair, direction kept.
- compatible dates, with a window of `window_days` either side:
  * day and month precision are intervals (a month covers all its days); they match when the
    intervals, widened by the window, overlap: 2024-08 matches 2024-08-01 and 2024-07-31.
  * year precision matches only the same year at year precision; unknown only unknown. A vague
    date cannot tell two calls in one year apart, so it would merge the wrong ones.
- compatible locations: equal (key, or folded name), one unknown, or one is the country the
  other lies in ("Mali" contains "Bamako" by country code). An event with no actors at all
  needs a known, equal location, otherwise every unattributed attack of a day would be one.

Among several matching stored events the closest date wins, then the more precise, then the
smallest id, so the choice does not depend on query order.
"""

from __future__ import annotations

import calendar
import datetime as dt
import gettext
import hashlib
from dataclasses import dataclass, replace
from functools import cache

from services.common.contracts import Event, EventContext, Location
from services.store.dedup import fold

SYMMETRIC_TYPES = frozenset({"CONSULT"})
FACTUAL = "factual"
PRECISION_RANK = {"day": 0, "month": 1, "year": 2, "unknown": 3}


def modality(context: EventContext) -> str:
    if context.negated:
        return "negated"
    if context.hypothetical:
        return "hypothetical"
    if context.future:
        return "future"
    return FACTUAL


def actor_set(event_type: str, sources: list[str], targets: list[str]) -> str:
    """The canonical actor string: "a|b" (symmetric types) or "a|b>c" (sources > targets), sorted keys."""
    if event_type in SYMMETRIC_TYPES:
        return "|".join(sorted(set(sources) | set(targets)))
    return "|".join(sorted(set(sources))) + ">" + "|".join(sorted(set(targets)))


def describe_actors(actors: str) -> str:
    if ">" in actors:
        sources, targets = actors.split(">", 1)
        return (
            "{"
            + ", ".join(filter(None, sources.split("|")))
            + "} → {"
            + ", ".join(filter(None, targets.split("|")))
            + "}"
        )
    return "{" + ", ".join(filter(None, actors.split("|"))) + "}"


@dataclass(frozen=True)
class EventKey:
    """What must be equal for two reports to be one event; also the unit of locking."""

    type: str
    modality: str
    actor_set: str

    @property
    def has_actors(self) -> bool:
        return bool(self.actor_set.replace(">", "").replace("|", ""))

    def lock_key(self) -> int:
        return stable_int64(f"event\x1f{self.type}\x1f{self.modality}\x1f{self.actor_set}")


def stable_int64(text: str) -> int:
    """A signed 64-bit hash that is the same in every process (Python's hash() is not)."""
    return int.from_bytes(
        hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little", signed=True
    )


@dataclass(frozen=True)
class DateSpan:
    """A reported date with its precision, as the interval of days it may mean."""

    date: dt.date | None
    precision: str

    @classmethod
    def of(cls, date: dt.date | None, precision: str) -> DateSpan:
        if date is None:
            return cls(None, "unknown")
        if precision == "month":
            return cls(date.replace(day=1), "month")
        if precision == "year":
            return cls(date.replace(month=1, day=1), "year")
        return cls(date, "day")

    @property
    def start(self) -> dt.date | None:
        return self.date

    @property
    def end(self) -> dt.date | None:
        if self.date is None:
            return None
        if self.precision == "month":
            return self.date.replace(day=calendar.monthrange(self.date.year, self.date.month)[1])
        if self.precision == "year":
            return self.date.replace(month=12, day=31)
        return self.date

    def label(self) -> str:
        if self.date is None:
            return "unknown"
        return {"month": self.date.isoformat()[:7], "year": self.date.isoformat()[:4]}.get(
            self.precision, self.date.isoformat()
        )

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

    def distance(self, other: DateSpan) -> int:
        if self.start is None or other.start is None or self.end is None or other.end is None:
            return 0
        return max(0, (other.start - self.end).days, (self.start - other.end).days)


def dates_reason(new: DateSpan, stored: DateSpan, window_days: int) -> str | None:
    """Why the two dates can be the same event's, or None when they cannot."""
    if new.date is None or stored.date is None:
        return "dates both unknown" if new.date is None and stored.date is None else None
    if new.precision == "year" or stored.precision == "year":
        same = new.precision == stored.precision and new.date.year == stored.date.year
        return f"same year {new.date.year}" if same else None
    if new.distance(stored) > window_days:
        return None
    unit = "day" if window_days == 1 else "days"
    return f"dates {new.label()} vs {stored.label()} within {window_days} {unit}"


@cache
def _country_names(alpha_3: str) -> frozenset[str]:
    """The folded English and French names of a country, for "is this location the country"."""
    import pycountry

    country = pycountry.countries.get(alpha_3=alpha_3.upper())
    if country is None:
        return frozenset()
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"], fallback=True)
    names = {getattr(country, field, None) for field in ("name", "common_name", "official_name")}
    names |= {french.gettext(name) for name in list(names) if name}
    names |= {name.split(",")[0] for name in list(names) if name}
    return frozenset(fold(name).strip() for name in names if name)


def is_country(location: Location) -> bool:
    """True when the location is a whole country ("Mali", "Russie"), not a place in it."""
    if not location.country:
        return False
    names = _country_names(location.country)
    key_tail = (location.key or "").rsplit(":", 1)[-1].replace("-", " ")
    return fold(location.name).strip() in names or fold(key_tail).strip() in names


def same_place(first: Location, second: Location) -> bool:
    if first.key and second.key:
        return first.key == second.key
    return fold(first.name).strip() == fold(second.name).strip()


def locations_reason(new: Location | None, stored: Location | None, *, need_known: bool) -> str | None:
    """Why the two locations can be the same event's, or None when they cannot."""
    if new is None or stored is None:
        if need_known:
            return None
        if new is None and stored is None:
            return "location unknown"
        known = new or stored
        return f"location {known.name if known else ''} vs unknown"
    if same_place(new, stored):
        return f"same location {stored.name}"
    if need_known or not new.country or new.country != stored.country:
        return None
    if is_country(stored) and not is_country(new):
        return f"{new.name} is in {stored.name}"
    if is_country(new) and not is_country(stored):
        return f"{stored.name} is in {new.name}"
    return None


@dataclass(frozen=True)
class EventFacts:
    """What identity needs of an event, reported or stored."""

    key: EventKey
    span: DateSpan
    location: Location | None
    mode: str | None

    @classmethod
    def of(cls, event: Event) -> EventFacts:
        key = EventKey(
            event.type,
            modality(event.context),
            actor_set(event.type, [a.key for a in event.source_actors], [a.key for a in event.target_actors]),
        )
        return cls(key, DateSpan.of(event.date, event.date_precision), event.location, event.mode)


@dataclass(frozen=True)
class KnownEvent:
    """A stored event (or one created earlier in the same batch) that reports may join."""

    event_id: str
    facts: EventFacts
    sources: int


def match_reason(new: EventFacts, stored: EventFacts, window_days: int) -> str | None:
    """The full reason the report joins the stored event, or None when it is another event."""
    if new.key != stored.key:
        return None
    dates = dates_reason(new.span, stored.span, window_days)
    if dates is None:
        return None
    location = locations_reason(new.location, stored.location, need_known=not new.key.has_actors)
    if location is None:
        return None
    modality_note = "" if new.key.modality == FACTUAL else f" ({new.key.modality})"
    return (
        f"same type {new.key.type}{modality_note}, same actors {describe_actors(new.key.actor_set)}, "
        f"{dates}, {location}"
    )


def choose_event(new: EventFacts, known: list[KnownEvent], window_days: int) -> tuple[KnownEvent, str] | None:
    """The stored event the report belongs to, with the reason; None: the report is a new event."""
    matches = [(event, reason) for event in known if (reason := match_reason(new, event.facts, window_days))]
    if not matches:
        return None
    return min(
        matches,
        key=lambda match: (
            new.span.distance(match[0].facts.span),
            PRECISION_RANK[match[0].facts.span.precision],
            match[0].event_id,
        ),
    )


def refined(stored: EventFacts, new: EventFacts) -> EventFacts:
    """The stored event's facts, sharpened by a new report: a finer date, a known or finer place, a mode.

    A finer date is taken only when it lies inside the stored one ("31 juillet" joins an "août"
    event through the window but does not move it), so an event only ever narrows and can never
    come to match a neighbouring event of the same actors, whatever order reports arrive in.
    """
    span = stored.span
    if PRECISION_RANK[new.span.precision] < PRECISION_RANK[stored.span.precision] and new.span.within(stored.span):
        span = new.span
    location = stored.location
    if location is None or (
        is_country(location) and new.location is not None and not is_country(new.location)
    ):
        location = new.location or location
    return replace(stored, span=span, location=location, mode=stored.mode or new.mode)


def new_event_id(facts: EventFacts, article_id: str, trigger_start: int) -> str:
    """Deterministic: replaying the same articles in the same order recreates the same ids."""
    material = "\x1f".join(
        [
            facts.key.type,
            facts.key.modality,
            facts.key.actor_set,
            facts.span.label(),
            article_id,
            str(trigger_start),
        ]
    )
    return "ev_" + hashlib.blake2b(material.encode("utf-8"), digest_size=12).hexdigest()
