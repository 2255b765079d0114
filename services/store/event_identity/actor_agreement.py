"""Actors for event identity: overlap of keys, then of countries; an acronym and its name, or a
typo, are one actor; two different people of one country with nothing else in common are two
events (`actors_part`)."""

from __future__ import annotations

from difflib import SequenceMatcher
from functools import cache, lru_cache

from services.store.event_identity.identity_words import identity_words
from services.store.event_identity.part import Part

COUNTRY_ONLY = 0.6  # an actor matched only through its country
UNKNOWN_ACTORS = 0.25  # the actors part when one side names none
SAME_NAME_RATIO = 0.9  # two person keys this alike are one name spelt two ways

ActorProfile = frozenset[tuple[str, str | None]]  # (entity key, ISO alpha-3 country or None)


def _is_person(key: str) -> bool:
    return key.startswith("per:")


@cache
def _acronym_skips() -> frozenset[str]:
    return frozenset(identity_words().get("acronym_skips", []))


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


def shared_person(side: ActorProfile, other: ActorProfile) -> bool:
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
