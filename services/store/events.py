"""Event identity: is a report one of the stored events, and why. A score, not a key. Pure functions.

Outlets never tell one event the same way: one names the minister, another the country, a third
adds a participant; one dates it from the text, another only by its own publication day. So a
report joins a stored event when a score over four agreements passes a threshold (a setting),
and the merge reason lists what each part contributed:

- actors agree by overlap (`actors_part`): the same key counts fully, an actor whose country
  the other side names (a minister and their country, an army and its state) counts in part,
  and two different people of one country and none in common count against: a foreign minister
  and a defence minister of one state at two meetings are two events;
- dates (`dates_part`): the report's span is compared with the event's span, never with its last
  report's day, so nothing chains. The same exact day counts fully; exact days one day apart
  count against (a daily series stays a series, only other strong agreement can join them);
  overlapping imprecise spans count in part; spans further apart than the window never join;
- the texts agree (`text_similarity`): a cosine over the stemmed content words of the reports'
  sentences and titles;
- the mode (phone, visit) when both give it.

Some things are never one event, whatever the score: incompatible types (event_types.yaml),
different modalities (a denial or an announced visit is not the visit), incompatible places,
actors and places with nothing in common. An undated side joins only on strong text agreement
and a person both name, never on actors alone: two visits of a minister a year apart are two.
"""

from __future__ import annotations

import calendar
import datetime as dt
import gettext
import hashlib
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import cache, lru_cache
from pathlib import Path

import yaml

from services.common.contracts import Event, EventContext, ExtractedArticle, Location
from services.store.dedup import fold
from services.store.identity import type_family, types_compatible

FACTUAL = "factual"
PRECISION_RANK = {"day": 0, "month": 1, "year": 2, "unknown": 3}

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
COUNTRY_ONLY = 0.6  # an actor matched only through its country
UNKNOWN_ACTORS = 0.25  # the actors part when one side names none
SAME_NAME_RATIO = 0.9  # two person keys this alike are one name spelt two ways
MAX_TERMS = 160
STEM = 6
_WORD = re.compile(r"[^\W\d_]{4,}")
_STOPWORDS_FILE = Path(__file__).with_name("identity_stopwords.yaml")


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


def stable_int64(text: str) -> int:
    """A signed 64-bit hash that is the same in every process (Python's hash() is not)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


# ---- dates ----------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class Part:
    """One agreement's contribution to the score, and how to say it."""

    value: float
    reason: str


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


# ---- places ---------------------------------------------------------------------------------


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


@cache
def _identity_words() -> dict:  # type: ignore[type-arg]
    """identity_stopwords.yaml, read once: stopwords, regions that are no towns, acronym skips."""
    return yaml.safe_load(_STOPWORDS_FILE.read_text(encoding="utf-8")) or {}


@cache
def _broad_places() -> frozenset[str]:
    return frozenset(fold(place).strip() for place in _identity_words().get("broad_places", []))


def is_town(location: Location) -> bool:
    """A place that can tell an event: not a country, nor a continent or region ("Afrique", "Sahel")
    that a thousand unrelated reports name."""
    names = {fold(location.name).strip(), fold((location.key or "").rsplit(":", 1)[-1].replace("-", " ")).strip()}
    return not is_country(location) and not names & _broad_places()


def named_places(event: Event, article: ExtractedArticle) -> frozenset[str]:
    """The towns (`is_town`) that the event's sentence or its article's title names: the town an
    attack struck, the city talks were held in, whatever the extractor took for the event's
    location. Found by the article's place entities' names and surface forms."""
    texts = fold(f"{event.sentence} {article.title or ''}")
    found = set()
    if event.location and event.location.key and is_town(event.location):
        found.add(event.location.key)
    for entity in article.entities:
        if entity.label != "LOC" or not is_town(Location(name=entity.name, key=entity.key, country=entity.country)):
            continue
        forms = {fold(form).strip() for form in (entity.name, entity.text, *entity.aliases)}
        if any(len(form) >= 3 and re.search(rf"(?<!\w){re.escape(form)}(?!\w)", texts) for form in forms):
            found.add(entity.key)
    return frozenset(found)


def locations_part(
    new: Location | None, stored: Location | None, *, need_known: bool, named: frozenset[str] = frozenset()
) -> Part | None:
    """How far the places agree: the same place or one inside the other counts for, two different
    known places count against (an outlet may name the capital the talks were announced from);
    None when the event has no actors and so needs the same known place to be one event.

    `named` are the places both reports name in their sentences or titles (`named_places`): one
    outlet places the attack on Kolofata "in the Mayo-Sava", another dates the flight "to Mora" of
    Kolofata's families from it; the town both name is the place they share."""
    if named:
        return Part(1.0, f"both name {', '.join(sorted(k.split(':', 1)[-1] for k in named))}")
    if new is None or stored is None:
        if need_known:
            return None
        if new is None and stored is None:
            return Part(0.0, "location unknown")
        known = new or stored
        return Part(0.0, f"location {known.name if known else ''} vs unknown")
    if same_place(new, stored):
        return Part(1.0, f"same location {stored.name}")
    if new.country and new.country == stored.country:
        if is_country(stored) and not is_country(new):
            return Part(1.0, f"{new.name} is in {stored.name}")
        if is_country(new) and not is_country(stored):
            return Part(1.0, f"{stored.name} is in {new.name}")
    if need_known:
        return None
    return Part(-1.0, f"other places {new.name} vs {stored.name}")


# ---- actors ---------------------------------------------------------------------------------

ActorProfile = frozenset[tuple[str, str | None]]  # (entity key, ISO alpha-3 country or None)


def _is_person(key: str) -> bool:
    return key.startswith("per:")


@cache
def _acronym_skips() -> frozenset[str]:
    return frozenset(_identity_words().get("acronym_skips", []))


def is_acronym_of(short: str, long: str) -> bool:
    """'org:cnrd' and 'org:comite-national-du-rassemblement-et-du-developpement': one outlet writes
    the acronym, another the name. The initials of the name's words, function words left out,
    spell the acronym (three letters at least: two letters name too many bodies)."""
    kind, _, acronym = short.partition(":")
    long_kind, _, name = long.partition(":")
    if kind != "org" or long_kind != "org" or "-" in acronym or len(acronym) < 3:
        return False
    words = [w for w in name.split("-") if w and w not in _acronym_skips()]
    return len(words) == len(acronym) and "".join(w[0] for w in words) == acronym


@lru_cache(maxsize=1 << 16)
def same_actor(first: str, second: str) -> bool:
    """One actor under two keys: equal, an acronym and its name ("cnrd", "comite-national-du-
    rassemblement-et-du-developpement"), or two person keys whose names are a typo apart
    ("salifou-mody", "salifou-modi") or one of which is part of the other ("tamim",
    "tamim-ben-hamad-al-thani")."""
    if first == second:
        return True
    if is_acronym_of(first, second) or is_acronym_of(second, first):
        return True
    if not (_is_person(first) and _is_person(second)):
        return False
    a, b = first[4:].split("-"), second[4:].split("-")
    if len(a) >= 2 and len(b) >= 2 and SequenceMatcher(None, first, second).ratio() >= SAME_NAME_RATIO:
        return True
    shorter, longer = sorted((a, b), key=len)
    return set(shorter) <= set(longer) and len(shorter) < len(longer)


def _shared_person(side: ActorProfile, other: ActorProfile) -> bool:
    people = {key for key, _ in other if _is_person(key)}
    return any(key in people for key, _ in side if _is_person(key))


def _shared(side: ActorProfile, other: ActorProfile) -> set[str]:
    return {key for key, _ in side if any(same_actor(key, k) for k, _ in other)}


def _coverage(side: ActorProfile, other: ActorProfile, places: set[str]) -> float:
    keys = [key for key, _ in other]
    countries = {country for _, country in other if country} | places
    scores = [
        1.0 if any(same_actor(key, k) for k in keys) else COUNTRY_ONLY if country in countries else 0.0
        for key, country in side
    ]
    return sum(scores) / len(scores)


def _conflict(new: ActorProfile, stored: ActorProfile) -> str | None:
    """Two different people of one country and nothing else in common: two events."""
    mine, theirs = _people_by_country(new), _people_by_country(stored)
    for country in sorted(set(mine) & set(theirs)):
        if any(same_actor(a, b) for a in mine[country] for b in theirs[country]):
            continue
        others = {k for k in _shared(new, stored) if dict(new).get(k) != country}
        if not others:
            return f"different people of {country} ({', '.join(sorted(mine[country] | theirs[country]))})"
    return None


def _people_by_country(actors: ActorProfile) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for key, country in actors:
        if country and _is_person(key):
            found.setdefault(country, set()).add(key)
    return found


def actors_part(
    new: ActorProfile, stored: ActorProfile, places: tuple[str | None, str | None] = (None, None)
) -> Part:
    """How far the actors agree, in [-1, 1]: overlap of keys, then of countries (an event's place
    names a country too). Different people of one country, with nothing else in common, count
    against: two ministers at two meetings. With anything else in common, another compatriot is
    an extra participant ("Tajani met Attaf", "... and Tebboune")."""
    if not new or not stored:
        return Part(UNKNOWN_ACTORS, "actors unknown on one side")
    if conflict := _conflict(new, stored):
        return Part(-1.0, conflict)
    new_place, stored_place = ({p} if p else set() for p in places)
    value = max(_coverage(new, stored, stored_place), _coverage(stored, new, new_place))
    shared = sorted(_shared(new, stored))
    detail = f"shared {', '.join(shared)}" if shared else "countries only"
    return Part(value, f"actors {value:.2f} ({detail})")


# ---- texts ----------------------------------------------------------------------------------


@cache
def _stopwords() -> frozenset[str]:
    return frozenset(_fold_word(w)[:STEM] for w in _identity_words().get("words", []))


@lru_cache(maxsize=1 << 16)  # news repeats its words: most folds are of a word folded before
def _fold_word(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def text_terms(*texts: str | None) -> frozenset[str]:
    """The stemmed content words of some texts: folded, 4+ letters, cut to STEM letters, no stopwords."""
    stop = _stopwords()
    terms = {_fold_word(w)[:STEM] for text in texts if text for w in _WORD.findall(text)}
    return frozenset(terms - stop)


def text_similarity(first: frozenset[str], second: frozenset[str]) -> float:
    """Cosine of two term sets (binary weights): shared / sqrt(|A| |B|)."""
    if not first or not second:
        return 0.0
    return len(first & second) / math.sqrt(len(first) * len(second))


# ---- facts and decisions ----------------------------------------------------------------------


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
        new.location, stored.location, need_known=not new.actors and not stored.actors, named=new.places & stored.places
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
    if undated and text < STRONG_TEXT:
        return None
    shared_town = bool(new.places & stored.places)
    if actors.value == 0.0 and new.actors and stored.actors and not shared_town:
        return None  # actors and places with nothing in common: other people, another story
    if undated and not _shared_person(new.actors, stored.actors):
        return None  # an undated side is looked up, and joined, only through a person both name
    if dates.value < 0 and text < MISDATED_COPY:
        return None  # days apart: a series, unless one report is a misdated copy of the other
    mode = 0.0
    if new.mode and stored.mode:
        remote = {new.mode in REMOTE_MODES, stored.mode in REMOTE_MODES}
        mode = SAME_MODE if new.mode == stored.mode else OTHER_MODE if len(remote) == 2 else 0.0
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
        return _shared_person(report.actors, stored.actors) or bool(
            undated.month_day and month_day_fits(undated.month_day, dated.span)
        )
    if report.span.distance(stored.span) > window_days:
        return False
    wanted = report_terms(report)
    return not wanted or bool(wanted & reach_terms(stored))


def between_days(report: EventFacts, matched: Iterable[EventFacts]) -> bool:
    """A report dated only by its publication day (that day or the one before) that matches events
    of two different exact days: it may tell either day of a series, so it is neither's."""
    loose = report.span.precision == "day" and not report.span.exact
    return loose and len({m.span.date for m in matched if m.span.exact}) > 1


def choose_event(
    new: EventFacts, known: Iterable[KnownEvent], window_days: int, threshold: float
) -> list[tuple[KnownEvent, Match]]:
    """Every stored event the report matches, best first (score, then closer date, then smaller id).

    None when the report is dated only by its publication day and matches events of two different
    exact days: on the day or the day before, it may be either day of a series, so it joins neither."""
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


def describe(facts: EventFacts) -> str:
    """A short label of an event for reasons: type, date, actors."""
    return f"{facts.type} {facts.span.label()} {facts.roles}"


def new_event_id(facts: EventFacts, article_id: str, trigger_start: int) -> str:
    """Deterministic: replaying the same articles in the same order recreates the same ids."""
    material = "\x1f".join(
        [facts.type, facts.modality, facts.roles, facts.span.label(), article_id, str(trigger_start)]
    )
    return "ev_" + hashlib.blake2b(material.encode("utf-8"), digest_size=12).hexdigest()
