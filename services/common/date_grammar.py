"""One date grammar per language, shared by ingest and extract: dates_<lang>.yaml next to this module.

The file holds every date word (months with their abbreviations, weekdays, ordinals, relative
days and their offsets, directions, counts, stamp words); this module turns it into lookups and
regex fragments (without named groups, so each caller names its own). Words match with or without
accents and in any case: "Février", "fevrier", "FÉV." are the same month.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).resolve().parent
_SAFE_NAME = re.compile(r"[a-z]{2,3}")
_APOSTROPHES = "'’"


def fold(word: str) -> str:
    """Lower case without accents, one apostrophe, no final dot: "Févr." and "fevr" are one word."""
    decomposed = unicodedata.normalize("NFD", word.lower().replace("’", "'"))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).rstrip(".")


def _alternation(words: list[str]) -> str:
    """A regex alternation of `words`, each also without accents, with either apostrophe, longest first."""
    forms: set[str] = set()
    for word in words:
        for variant in {word, fold(word)}:
            escaped = re.escape(variant)
            for apostrophe in _APOSTROPHES:
                forms.add(escaped.replace("'", apostrophe).replace(r"\ ", r"\s+"))
    return "|".join(sorted(forms, key=len, reverse=True))


@dataclass(frozen=True)
class DateGrammar:
    """The date words of one language, as lookups and as regex fragments."""

    month_numbers: dict[str, int]  # folded name or abbreviation -> 1..12
    abbreviations: frozenset[str]  # folded abbreviations
    weekdays: dict[str, int]  # folded -> 0 (Monday) .. 6
    first_day_suffixes: tuple[str, ...]
    relative_days: dict[str, int]  # folded word -> offset in days
    past_words: frozenset[str]
    future_words: frozenset[str]
    number_words: dict[str, int]
    published_stamps: tuple[str, ...]
    updated_stamps: tuple[str, ...]
    aggregators: tuple[str, ...]
    background_cues: tuple[str, ...]  # folded: "élu", "depuis", "arrivé au pouvoir"
    # Regex fragments (no named groups).
    month: str  # any month name or abbreviation, an abbreviation's dot included
    month_strict: str  # a full name, or an abbreviation written with its dot
    weekday: str
    day: str  # 1..31, "1er"
    relative_day: str
    direction: str
    number: str
    published_stamp: str
    updated_stamp: str
    aggregator: str

    def month_of(self, word: str) -> int | None:
        return self.month_numbers.get(fold(word))

    def weekday_of(self, word: str) -> int | None:
        return self.weekdays.get(fold(word))

    def day_of(self, text: str) -> int:
        """"1er" -> 1, "12" -> 12."""
        digits = re.match(r"\d+", text)
        if digits is None:
            raise ValueError(f"not a day of the month: {text!r}")
        return int(digits.group())

    def offset_of(self, word: str) -> int | None:
        return self.relative_days.get(fold(word))

    def is_future(self, word: str | None) -> bool:
        return word is not None and fold(word) in self.future_words

    def count_of(self, word: str) -> int:
        return int(word) if word.isdigit() else self.number_words.get(fold(word), 1)


@cache
def load_grammar(lang: str | None) -> DateGrammar | None:
    """The grammar of `lang` (read once), or None for a language without a dates file."""
    if not lang or not _SAFE_NAME.fullmatch(lang):
        return None
    path = DATA_DIR / f"dates_{lang}.yaml"
    if not path.is_file():
        return None
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return build_grammar(data)


def build_grammar(data: dict) -> DateGrammar:  # type: ignore[type-arg]
    """A grammar from the parsed contents of a dates_<lang>.yaml file."""
    month_numbers: dict[str, int] = {}
    names: list[str] = []
    abbreviations: list[str] = []
    for number, spec in data["months"].items():
        for word in spec.get("names", []):
            month_numbers[fold(word)] = int(number)
            names.append(word)
        for word in spec.get("abbreviations", []):
            month_numbers[fold(word)] = int(number)
            abbreviations.append(word)
    weekdays = {fold(word): int(n) for word, n in data["weekdays"].items()}
    relative = {fold(word): int(n) for word, n in data.get("relative_days", {}).items()}
    directions = data.get("directions", {})
    numbers = {fold(word): int(n) for word, n in data.get("number_words", {}).items()}
    suffixes = tuple(data.get("first_day_suffixes", []))
    stamps = data.get("stamps", {})
    full = _alternation(names)
    short = _alternation(abbreviations)
    suffix = f"(?:{'|'.join(map(re.escape, suffixes))})?" if suffixes else ""
    return DateGrammar(
        month_numbers=month_numbers,
        abbreviations=frozenset(fold(word) for word in abbreviations),
        weekdays=weekdays,
        first_day_suffixes=suffixes,
        relative_days=relative,
        past_words=frozenset(fold(w) for w in directions.get("past", [])),
        future_words=frozenset(fold(w) for w in directions.get("future", [])),
        number_words=numbers,
        published_stamps=tuple(stamps.get("published", [])),
        updated_stamps=tuple(stamps.get("updated", [])),
        aggregators=tuple(data.get("aggregators", [])),
        background_cues=tuple(fold(w) for w in data.get("background_cues", [])),
        # Not followed by a letter (rather than \b): "15 juillet2012" is a date too.
        month=rf"(?:(?:{full})(?![^\W\d_])|(?:{short})(?![^\W\d_])\.?)",
        month_strict=rf"(?:(?:{full})(?![^\W\d_])|(?:{short})\.)",
        weekday=rf"(?:{_alternation(list(data['weekdays']))})\b",
        day=rf"(?:3[01]|[12]\d|0?[1-9]){suffix}",
        relative_day=rf"(?:{_alternation(list(data.get('relative_days', {})))})\b",
        direction=rf"(?:{_alternation([*directions.get('past', []), *directions.get('future', [])])})\b",
        number=rf"(?:\d+|(?:{_alternation(list(data.get('number_words', {})))})\b)",
        published_stamp=rf"(?:{_alternation(list(stamps.get('published', [])))})\b",
        updated_stamp=rf"(?:{_alternation(list(stamps.get('updated', [])))})\b",
        aggregator=rf"(?:{_alternation(list(data.get('aggregators', [])))})\b",
    )
