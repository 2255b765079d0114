"""The gazetteer: known countries, places, organisations and people of the domain.

Read from data/gazetteer.yaml (generated, committed). It feeds the EntityRuler that runs before
the statistical NER, and answers lookups for canonicalization: alias -> entry, nationality
adjective -> country, (role, country, date) -> office holders.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from services.common.folding import fold, normalize_apostrophes, strip_accents

DATA_DIR = Path(__file__).resolve().parent / "data"
GAZETTEER_FILE = DATA_DIR / "gazetteer.yaml"


@dataclass(frozen=True)
class Role:
    """An office held by a person, with its dates (open-ended when `end` is None)."""

    role: str
    start: dt.date | None = None
    end: dt.date | None = None

    def held_on(self, day: dt.date | None) -> bool:
        if day is None:
            return self.end is None
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class GazetteerEntry:
    key: str
    label: str
    kind: str
    name: str
    country: str | None
    aliases: tuple[str, ...]
    adjectives: tuple[str, ...] = ()
    surnames: tuple[str, ...] = ()
    surname_alone: bool = True
    roles: tuple[Role, ...] = ()


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _entry(raw: dict[str, Any]) -> GazetteerEntry:
    return GazetteerEntry(
        key=raw["key"],
        label=raw["label"],
        kind=raw["kind"],
        name=raw["name"],
        country=raw.get("country"),
        aliases=tuple(raw.get("aliases", ())),
        adjectives=tuple(raw.get("adjectives", ())),
        surnames=tuple(raw.get("surnames", ())),
        surname_alone=bool(raw.get("surname_alone", True)),
        roles=tuple(Role(r["role"], _date(r.get("from")), _date(r.get("to"))) for r in raw.get("roles", ())),
    )


def surface_variants(alias: str) -> list[str]:
    """The spellings one alias appears under in print: typographic apostrophe, no accents, capitals."""
    variants = {alias, normalize_apostrophes(alias), strip_accents(alias)}
    variants |= {v.replace("'", "’") for v in list(variants)}
    if len(alias) > 3:  # "Mali" -> "MALI" in headlines; acronyms are already upper case
        variants |= {v.upper() for v in list(variants)}
    return sorted(variants)


@dataclass
class Gazetteer:
    entries: dict[str, GazetteerEntry]
    ruler_exclude: frozenset[str] = frozenset()
    by_alias: dict[str, str] = field(default_factory=dict)
    by_surname: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    adjective_country: dict[str, str] = field(default_factory=dict)
    country_key: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for entry in self.entries.values():
            for alias in entry.aliases:
                self.by_alias.setdefault(fold(alias), entry.key)
            for surname in entry.surnames:
                if entry.key not in self.by_surname[fold(surname)]:
                    self.by_surname[fold(surname)].append(entry.key)
            for adjective in entry.adjectives:
                self.adjective_country[fold(adjective)] = entry.country or ""
            if entry.kind == "country" and entry.country:
                self.country_key[entry.country] = entry.key

    def get(self, key: str) -> GazetteerEntry | None:
        return self.entries.get(key)

    def lookup(self, text: str) -> GazetteerEntry | None:
        """The entry a full alias names, or a person's surname when it is unambiguous in the domain."""
        folded = fold(text)
        key = self.by_alias.get(folded)
        if key:
            return self.entries[key]
        people = [self.entries[k] for k in self.by_surname.get(folded, [])]
        if len(people) == 1 and people[0].surname_alone:
            return people[0]
        return None

    def people_with_surname(self, surname: str) -> list[GazetteerEntry]:
        return [self.entries[k] for k in self.by_surname.get(fold(surname), [])]

    def country_of_adjective(self, word: str) -> str | None:
        """'turque' -> 'TUR'; None when the word is no nationality adjective."""
        return self.adjective_country.get(fold(word)) or None

    def country(self, alpha3: str | None) -> GazetteerEntry | None:
        """The country entry for an ISO alpha-3 code."""
        key = self.country_key.get(alpha3 or "")
        return self.entries.get(key) if key else None

    def office_holders(self, role: str, country: str, day: dt.date | None) -> list[GazetteerEntry]:
        """People who held `role` in `country` on `day` (today's holders when the day is unknown)."""
        return [
            entry
            for entry in self.entries.values()
            if entry.kind == "person"
            and entry.country == country
            and any(r.role == role and r.held_on(day) for r in entry.roles)
        ]

    def ruler_patterns(self) -> list[dict[str, str]]:
        """EntityRuler phrase patterns: every alias and safe surname in every printed spelling."""
        patterns: list[dict[str, str]] = []
        seen: set[tuple[str, str]] = set()
        for entry in self.entries.values():
            names = list(entry.aliases)
            if entry.surname_alone:
                names += list(entry.surnames)
            for name in names:
                if name in self.ruler_exclude:
                    continue
                for variant in surface_variants(name):
                    if (variant, entry.key) not in seen:
                        seen.add((variant, entry.key))
                        patterns.append({"label": entry.label, "pattern": variant, "id": entry.key})
        return patterns


def load_gazetteer(path: Path = GAZETTEER_FILE) -> Gazetteer:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries = {e["key"]: _entry(e) for e in raw["entities"]}
    return Gazetteer(entries=entries, ruler_exclude=frozenset(raw.get("ruler_exclude", [])))


@cache
def gazetteer_at(path: Path) -> Gazetteer:
    """The gazetteer of a file, read once per process (the components share it)."""
    return load_gazetteer(path)


def default_gazetteer() -> Gazetteer:
    """The committed gazetteer, read once per process."""
    return gazetteer_at(GAZETTEER_FILE)
