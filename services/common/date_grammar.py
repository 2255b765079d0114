"""One date grammar per language, shared by ingest and extract: dates_<lang>.yaml next to this module.

The file holds every date word (months with their abbreviations, weekdays, ordinals, relative
days and their offsets, directions, counts, stamp words); this module turns it into lookups and
regex fragments (without named groups, so each caller names its own). Words match with or without
accents and in any case: "Février", "fevrier", "FÉV." are the same month. The words around an
event's date (the `event_dates` section: "la semaine", "il y a", "après") match as written.
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


def literal_alternation(words: list[str], *, loose_spaces: bool = False) -> str:
    """A regex alternation of `words` exactly as written (either apostrophe), longest first.

    A space is one space, or any run of white space with `loose_spaces`."""
    space = r"\s+" if loose_spaces else " "
    forms = {
        re.escape(word).replace(r"\ ", space).replace("'", apostrophe) for word in words for apostrophe in _APOSTROPHES
    }
    return "|".join(sorted(forms, key=lambda form: (-len(form), form)))


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
class EventDateWords:
    """The words around an event's date ("la semaine dernière", "24 heures après", "il y a"),
    as regex fragments matched as written, and lookups by folded word."""

    deixis: str  # "ce", "cette"
    masculine_deixis: str  # before a weekday: "ce"
    day_article: str  # "le 5 mai", "du 5 au 7 mai"
    day_joiner: str  # "5 et 6 mai"
    night_opens: str  # "nuit de"
    night_to: str  # "à"
    month_part: str  # "début", "mi", "en", "depuis"
    year_cue: str  # "en", "dès", "depuis"
    period: str  # "la semaine", "l'an"
    unit: str  # every counted unit
    sequence_unit: str  # the units counted from an anchor event (no years)
    sequence: str  # "après", "avant"
    ago: str  # "il y a"
    detailed_parts: frozenset[str]
    since_words: frozenset[str]
    periods: dict[str, str]  # folded words -> week, month, year
    units: dict[str, str]  # folded word -> hour, day, week, month, year
    before_words: frozenset[str]

    def period_of(self, words: str) -> str | None:
        return self.periods.get(fold(words))

    def unit_of(self, word: str) -> str | None:
        return self.units.get(fold(word))

    def is_since(self, word: str) -> bool:
        return fold(word.strip()) in self.since_words

    def is_detailed(self, part: str) -> bool:
        return fold(part) in self.detailed_parts

    def is_before(self, word: str) -> bool:
        return fold(word) in self.before_words


def build_event_words(data: dict) -> EventDateWords:  # type: ignore[type-arg]
    """The `event_dates` section of a dates_<lang>.yaml file as fragments and lookups."""
    deixis, parts, sequence = data["deixis"], data["month_parts"], data["sequence"]
    units: dict[str, list[str]] = data["units"]
    return EventDateWords(
        deixis=literal_alternation([*deixis["masculine"], *deixis["feminine"]]),
        masculine_deixis=literal_alternation(deixis["masculine"]),
        day_article=literal_alternation(data["day_articles"]),
        day_joiner=literal_alternation(data["day_joiners"]),
        night_opens=literal_alternation(data["night"]["opens"], loose_spaces=True),
        night_to=literal_alternation(data["night"]["to"]),
        month_part=literal_alternation([*parts["detailed"], *parts["plain"], *data["since"]]),
        year_cue=literal_alternation([*data["since"], *data["year_cues"]]),
        period=literal_alternation([word for words in data["periods"].values() for word in words]),
        unit=literal_alternation([word for words in units.values() for word in words]),
        sequence_unit=literal_alternation([word for kind, words in units.items() if kind != "year" for word in words]),
        sequence=literal_alternation([*sequence["after"], *sequence["before"]]),
        ago=literal_alternation(data["ago"]),
        detailed_parts=frozenset(fold(word) for word in parts["detailed"]),
        since_words=frozenset(fold(word) for word in data["since"]),
        periods={fold(word): kind for kind, words in data["periods"].items() for word in words},
        units={fold(word): kind for kind, words in units.items() for word in words},
        before_words=frozenset(fold(word) for word in sequence["before"]),
    )


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
    event_words: EventDateWords | None = None  # None for a language without an event_dates section

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
        event_words=build_event_words(data["event_dates"]) if "event_dates" in data else None,
    )
