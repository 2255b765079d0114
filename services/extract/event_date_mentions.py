"""Date expressions in a sentence: where they are and what they say, before any resolution.

The patterns are built from the shared date grammar (services/common/dates_fr.yaml): the months,
weekdays, relative days and counts, and the words around an event's date (its event_dates
section: "la semaine", "il y a", "après", "nuit de … à …"). No date word lives here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from services.common.date_grammar import DateGrammar, EventDateWords, load_grammar


@cache
def grammar() -> DateGrammar:
    """The French date grammar (read once)."""
    loaded = load_grammar("fr")
    if loaded is None:  # pragma: no cover - the data file ships with the package
        raise RuntimeError("services/common/dates_fr.yaml is missing")
    return loaded


@cache
def words() -> EventDateWords:
    """The words around an event's date, from the grammar's event_dates section."""
    loaded = grammar().event_words
    if loaded is None:  # pragma: no cover - the data file ships with the section
        raise RuntimeError("services/common/dates_fr.yaml has no event_dates section")
    return loaded


@cache
def patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The date expressions, most specific first, built from the grammar."""
    g, w = grammar(), words()
    month = rf"(?P<month>{g.month})"
    strict_month = rf"(?P<month>{g.month_strict})"
    weekday = rf"(?P<weekday>{g.weekday})"
    # "nuit de samedi à dimanche": its second day
    night = rf"(?:{w.night_opens})\s+(?:{g.weekday})\s+(?:{w.night_to})\s+"
    day = rf"(?P<day>{g.day})"
    more_days = rf"(?P<more>(?:\s*(?:,|{w.day_joiner}|-)\s*(?:[12]?\d|3[01]))*)"
    direction = rf"(?:\s+(?P<direction>{g.direction}))?"
    number = rf"(?P<count>{g.number})"
    year = r"(?P<year>(?:19|20)\d\d)"
    return (
        ("numeric", re.compile(r"\b(?P<d>[0-3]?\d)[/.](?P<m>[01]?\d)[/.](?P<y>(?:19|20)\d\d)\b")),
        ("iso", re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
        (
            "day_month",
            re.compile(
                rf"\b(?P<deixis>(?:{w.deixis})\s+)?(?:{night})?(?:{weekday}\s+)?(?:(?:{w.day_article})\s+)?"
                rf"(?<!\d){day}{more_days}\s+{month}(?:\s*{year}(?!\d))?{direction}",
                re.IGNORECASE,
            ),
        ),
        (
            "month",
            re.compile(rf"\b(?P<part>{w.month_part})[\s-]*{strict_month}(?:\s+{year})?{direction}", re.IGNORECASE),
        ),
        ("month_year", re.compile(rf"\b{month}\s*{year}\b", re.IGNORECASE)),
        ("relative_day", re.compile(rf"\b(?P<word>{g.relative_day})", re.IGNORECASE)),
        ("weekday", re.compile(rf"\b{night}{weekday}", re.IGNORECASE)),
        ("weekday", re.compile(rf"\b(?P<deixis>(?:{w.masculine_deixis})\s+)?{weekday}{direction}", re.IGNORECASE)),
        (
            "relative_period",
            re.compile(rf"\b(?P<which>{w.period})\s+(?P<direction>{g.direction})", re.IGNORECASE),
        ),
        (
            "after",
            re.compile(
                rf"(?<![\w-]){number}\s+(?P<unit>{w.sequence_unit})\s+(?P<rel>{w.sequence})\b",
                re.IGNORECASE,
            ),
        ),
        ("ago", re.compile(rf"\b(?:{w.ago})\s+(?<![\w-]){number}\s+(?P<unit>{w.unit})\b", re.IGNORECASE)),
        ("year", re.compile(rf"\b(?P<since>(?:{w.year_cue})\s+)(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE)),
    )


@dataclass(frozen=True)
class DateMention:
    """A date expression found in text; offsets are relative to the text searched."""

    kind: str
    text: str
    start: int
    end: int
    groups: tuple[tuple[str, str], ...]

    def group(self, name: str) -> str | None:
        return dict(self.groups).get(name)

    def required(self, name: str) -> str:
        """A group the pattern of this kind always captures; a missing one is a bug, not a date."""
        value = self.group(name)
        if value is None:
            raise ValueError(f"{self.kind} date mention {self.text!r} lacks its {name!r} group")
        return value

    @property
    def is_since(self) -> bool:
        """'depuis 2021': a state since then, not the date of an event."""
        return words().is_since(self.group("since") or self.group("part") or "")

    @property
    def needs_anchor(self) -> bool:
        return self.kind == "after"

    @property
    def is_deictic(self) -> bool:
        """Expressions that only make sense from the writer's today: they date the article."""
        return self.kind in {"weekday", "relative_day"} or (
            self.kind == "day_month"
            and not self.group("year")
            and bool(self.group("weekday") or self.group("deixis"))
        )


def find_date_mentions(text: str) -> list[DateMention]:
    """Non-overlapping date expressions, longest first, in text order."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in patterns():
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            groups = tuple((k, v) for k, v in match.groupdict().items() if v is not None)
            found.append(DateMention(kind, match.group(0), start, end, groups))
            taken.append((start, end))
    return sorted(found, key=lambda m: m.start)
