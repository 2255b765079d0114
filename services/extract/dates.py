"""French date expressions: find them in a sentence, resolve them against a reference date.

dateparser reads the absolute forms ("12 mars 2024", "3/04/2024"); what it lacks is written
here: a weekday with day and month but no year takes the year that makes the weekday true and
is not after the reference ("mardi 10 octobre" -> 2023-10-10); a lone weekday is the last one
on or before the reference; "hier", "la semaine dernière"; "24 heures après cet appel" counts
from an anchor event; a deictic "ce 1er juillet" far from the publication is read as a slip
for the publication's month. Every resolved date keeps its precision and the reason.

Precision rules: "mi-septembre", "fin juillet", "en juillet", "la semaine dernière" resolve to
the first day of their month (week) with precision "month": true to the month, never falsely
precise. A year alone has precision "year".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache

import dateparser

MONTHS = {
    "janvier": 1,
    "janv": 1,
    "fevrier": 2,
    "février": 2,
    "fevr": 2,
    "févr": 2,
    "mars": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "aout": 8,
    "août": 8,
    "septembre": 9,
    "sept": 9,
    "octobre": 10,
    "oct": 10,
    "novembre": 11,
    "nov": 11,
    "decembre": 12,
    "décembre": 12,
    "dec": 12,
    "déc": 12,
}
WEEKDAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6}
NUMBER_WORDS = {
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "dix": 10,
    "quinze": 15,
    "vingt": 20,
    "quelques": 0,
}
YEARS_BACK = 10
DEICTIC_SLIP_DAYS = 14

_MONTH = r"(?P<month>janv(?:ier|\.)?|f[ée]vr(?:ier|\.)?|mars|avr(?:il|\.)?|mai|juin|juil(?:let|\.)?|ao[uû]t|sept(?:embre|\.)?|oct(?:obre|\.)?|nov(?:embre|\.)?|d[ée]c(?:embre|\.)?)"  # noqa: E501
_WEEKDAY = r"(?P<weekday>lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
_DAY = r"(?P<day>1er|[12]?\d|3[01])"
_MORE_DAYS = r"(?P<more>(?:\s*(?:,|et|au|-)\s*(?:[12]?\d|3[01]))*)"
_DIRECTION = r"(?:\s+(?P<direction>dernier|derni[èe]re|pass[ée]e?|prochain|prochaine))?"
_NUMBER = r"(?P<count>\d+|un|une|deux|trois|quatre|cinq|six|sept|huit|dix|quinze|vingt|quelques)"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("numeric", re.compile(r"\b(?P<d>[0-3]?\d)[/.](?P<m>[01]?\d)[/.](?P<y>(?:19|20)\d\d)\b")),
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    (
        "day_month",
        re.compile(
            rf"\b(?P<deixis>ce\s+|cette\s+)?(?:{_WEEKDAY}\s+)?(?:(?:le|du|des|au)\s+)?{_DAY}{_MORE_DAYS}\s+{_MONTH}"
            rf"(?:\s+(?P<year>(?:19|20)\d\d))?{_DIRECTION}\b",
            re.IGNORECASE,
        ),
    ),
    (
        "month",
        re.compile(
            rf"\b(?P<part>d[ée]but|mi|fin|courant|en|de|d'|d’|depuis)[\s-]*{_MONTH}(?:\s+(?P<year>(?:19|20)\d\d))?"
            rf"{_DIRECTION}\b",
            re.IGNORECASE,
        ),
    ),
    ("month_year", re.compile(rf"\b{_MONTH}\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE)),
    (
        "relative_day",
        re.compile(r"\b(?P<word>avant-hier|hier|aujourd['’]hui|après-demain|demain)\b", re.IGNORECASE),
    ),
    ("weekday", re.compile(rf"\b(?P<deixis>ce\s+)?{_WEEKDAY}{_DIRECTION}\b", re.IGNORECASE)),
    (
        "relative_period",
        re.compile(
            r"\b(?P<which>la semaine|le mois|l['’]an|l['’]ann[ée]e)\s+"
            r"(?P<direction>derni[èe]re?|pass[ée]e?|prochaine?)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "after",
        re.compile(
            rf"\b{_NUMBER}\s+(?P<unit>heures?|jours?|semaines?|mois)\s+"
            r"(?P<rel>après|plus tard|avant|auparavant)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "ago",
        re.compile(rf"\bil y a\s+{_NUMBER}\s+(?P<unit>heures?|jours?|semaines?|mois|ans?)\b", re.IGNORECASE),
    ),
    ("year", re.compile(r"\b(?P<since>depuis\s+|en\s+|dès\s+)(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE)),
]


@dataclass(frozen=True)
class ResolvedDate:
    value: dt.date
    precision: str  # day, month, year
    reason: str


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
        return (self.group("since") or self.group("part") or "").strip().lower() == "depuis"

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
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            groups = tuple((k, v) for k, v in match.groupdict().items() if v is not None)
            found.append(DateMention(kind, match.group(0), start, end, groups))
            taken.append((start, end))
    return sorted(found, key=lambda m: m.start)


def _month_number(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def _count(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word.lower(), 1)


@lru_cache(maxsize=4096)
def _dateparser(text: str, base: dt.date) -> dt.date | None:
    settings = {
        "PREFER_DATES_FROM": "past",
        "RELATIVE_BASE": dt.datetime.combine(base, dt.time()),
        "DATE_ORDER": "DMY",
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    parsed = dateparser.parse(text, languages=["fr"], settings=settings)  # type: ignore[arg-type]
    return parsed.date() if parsed else None


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def weekday_year(weekday: int, month: int, day: int, not_after: dt.date) -> dt.date | None:
    """The latest year (up to YEARS_BACK back) where day/month falls on `weekday`, not after `not_after`."""
    for year in range(not_after.year, not_after.year - YEARS_BACK - 1, -1):
        candidate = _safe_date(year, month, day)
        if candidate and candidate <= not_after and candidate.weekday() == weekday:
            return candidate
    return None


def last_weekday(weekday: int, on_or_before: dt.date) -> dt.date:
    return on_or_before - dt.timedelta(days=(on_or_before.weekday() - weekday) % 7)


def next_weekday(weekday: int, after: dt.date) -> dt.date:
    return after + dt.timedelta(days=(weekday - after.weekday()) % 7 or 7)


def _future(direction: str | None) -> bool:
    return direction is not None and direction.lower().startswith("prochain")


def _resolve_day_month(
    mention: DateMention, reference: ResolvedDate | None, today: dt.date
) -> ResolvedDate | None:
    day_text = mention.required("day")
    day = 1 if day_text.lower() == "1er" else int(day_text)
    month = _month_number(mention.required("month"))
    weekday = mention.group("weekday")
    quoted = f"'{mention.text.strip()}'"
    if year := mention.group("year"):
        value = _safe_date(int(year), month, day)
        return ResolvedDate(value, "day", f"sentence: {quoted}") if value else None
    base = reference.value if reference else today
    if weekday and not _future(mention.group("direction")):
        value = weekday_year(WEEKDAYS[weekday.lower()], month, day, base + dt.timedelta(days=1))
        if value:
            return ResolvedDate(value, "day", f"sentence: {quoted} weekday-resolved")
    if reference is None and not weekday:
        return None  # "le 12 mars" with no reference year: unknown
    if _future(mention.group("direction")):
        value = _safe_date(base.year, month, day)
        if value and value <= base:
            value = _safe_date(base.year + 1, month, day)
        return ResolvedDate(value, "day", f"sentence: {quoted} next after {base}") if value else None
    value = _dateparser(f"{day} {mention.group('month')}", base) or _safe_date(base.year, month, day)
    if value and value > base + dt.timedelta(days=1):
        value = _safe_date(value.year - 1, month, day)
    if value is None:
        return None
    resolved = ResolvedDate(value, "day", f"sentence: {quoted} (year of {base})")
    if mention.group("deixis") and reference and reference.precision == "day":
        resolved = _deictic_slip(resolved, day, reference) or resolved
    return resolved


def _deictic_slip(resolved: ResolvedDate, day: int, reference: ResolvedDate) -> ResolvedDate | None:
    """'ce 1er juillet' written on 1 August: 'ce' points at the writer's present, so a date weeks
    away is a slip for the same day of the reference's month (or the next), when that is close."""
    if abs((resolved.value - reference.value).days) <= DEICTIC_SLIP_DAYS:
        return None
    ref = reference.value
    next_month = (ref.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    for month_start in (ref.replace(day=1), next_month):
        candidate = _safe_date(month_start.year, month_start.month, day)
        if candidate and abs((candidate - ref).days) <= 7:
            return ResolvedDate(
                candidate,
                "day",
                f"{resolved.reason}: deictic 'ce' yet {abs((resolved.value - ref).days)} days from the "
                f"reference {ref}; read as {candidate} (month slip)",
            )
    return None


def _resolve_weekday(mention: DateMention, reference: ResolvedDate | None) -> ResolvedDate | None:
    if reference is None:
        return None
    weekday = WEEKDAYS[mention.required("weekday").lower()]
    quoted = f"'{mention.text.strip()}'"
    ref = reference.value
    if reference.precision == "month":
        # Only the month is known: the article was published some day of it, and a lone weekday
        # names a day of the week before. We take the earliest such weekday of the month: it
        # keeps the date inside the month the source gives and nearest the start of the window.
        value = next_weekday(weekday, ref - dt.timedelta(days=1))
        return ResolvedDate(value, "day", f"sentence: {quoted} earliest in publication month {ref:%Y-%m}")
    if reference.precision != "day":
        return None
    if _future(mention.group("direction")):
        return ResolvedDate(next_weekday(weekday, ref), "day", f"sentence: {quoted} next after {ref}")
    value = last_weekday(weekday, ref)
    if mention.group("direction") and value == ref:
        value -= dt.timedelta(days=7)
    return ResolvedDate(value, "day", f"sentence: {quoted} last on or before {ref}")


def _resolve_relative_day(mention: DateMention, reference: ResolvedDate | None) -> ResolvedDate | None:
    if reference is None or reference.precision != "day":
        return None
    offsets = {
        "avant-hier": -2,
        "hier": -1,
        "aujourd'hui": 0,
        "aujourd’hui": 0,
        "demain": 1,
        "après-demain": 2,
    }
    offset = offsets[mention.required("word").lower()]
    return ResolvedDate(reference.value + dt.timedelta(days=offset), "day", f"relative: '{mention.text}'")


def _resolve_period(mention: DateMention, reference: ResolvedDate | None) -> ResolvedDate | None:
    if reference is None or reference.precision == "year":
        return None
    step = 1 if _future(mention.group("direction")) else -1
    which, ref = mention.required("which").lower(), reference.value
    if which.startswith("la semaine"):
        monday = ref - dt.timedelta(days=ref.weekday()) + dt.timedelta(weeks=step)
        return ResolvedDate(monday, "month", f"relative: '{mention.text}' (week of {monday})")
    if which.startswith("le mois"):
        first = (ref.replace(day=1) + dt.timedelta(days=32 * step if step > 0 else -1)).replace(day=1)
        return ResolvedDate(first, "month", f"relative: '{mention.text}'")
    return ResolvedDate(dt.date(ref.year + step, 1, 1), "year", f"relative: '{mention.text}'")


def _resolve_month(mention: DateMention, reference: ResolvedDate | None) -> ResolvedDate | None:
    month = _month_number(mention.required("month"))
    part = (mention.group("part") or "").lower()
    if year_text := mention.group("year"):
        year = int(year_text)
    elif reference is not None:
        ref = reference.value
        year = ref.year if (month <= ref.month or _future(mention.group("direction"))) else ref.year - 1
    else:
        return None
    detail = f" ({part} of the month)" if part in {"début", "debut", "mi", "fin", "courant"} else ""
    return ResolvedDate(dt.date(year, month, 1), "month", f"sentence: '{mention.text.strip()}'{detail}")


def _shift(value: dt.date, count: int, unit: str) -> dt.date:
    unit = unit.lower()
    if unit.startswith("heure"):
        return value + dt.timedelta(days=count // 24)
    if unit.startswith("jour"):
        return value + dt.timedelta(days=count)
    if unit.startswith("semaine"):
        return value + dt.timedelta(weeks=count)
    if unit.startswith("mois"):
        month = value.month - 1 + count
        return _safe_date(value.year + month // 12, month % 12 + 1, 1) or value
    return _safe_date(value.year + count, value.month, 1) or value


def resolve_after(mention: DateMention, anchor: ResolvedDate, anchor_label: str) -> ResolvedDate:
    """'24 heures après cet appel': the anchor event's date shifted; precision stays the anchor's."""
    count = _count(mention.required("count"))
    sign = -1 if mention.required("rel").lower() in {"avant", "auparavant"} else 1
    value = _shift(anchor.value, sign * count, mention.required("unit"))
    return ResolvedDate(
        value, anchor.precision, f"relative: '{mention.text}' {anchor_label} ({anchor.value})"
    )


def resolve_mention(
    mention: DateMention, reference: ResolvedDate | None, today: dt.date | None = None
) -> ResolvedDate | None:
    """The date one expression names, or None when it cannot be told (no reference, bad date)."""
    today = today or dt.date.today()
    kind = mention.kind
    if kind in {"numeric", "iso"}:
        value = _safe_date(int(mention.required("y")), int(mention.required("m")), int(mention.required("d")))
        return ResolvedDate(value, "day", f"sentence: '{mention.text}'") if value else None
    if kind == "day_month":
        return _resolve_day_month(mention, reference, today)
    if kind in {"month", "month_year"}:
        return _resolve_month(mention, reference)
    if kind == "weekday":
        return _resolve_weekday(mention, reference)
    if kind == "relative_day":
        return _resolve_relative_day(mention, reference)
    if kind == "relative_period":
        return _resolve_period(mention, reference)
    if kind == "ago" and reference is not None:
        value = _shift(reference.value, -_count(mention.required("count")), mention.required("unit"))
        return ResolvedDate(
            value, reference.precision, f"relative: '{mention.text}' before {reference.value}"
        )
    if kind == "year":
        return ResolvedDate(
            dt.date(int(mention.required("year")), 1, 1), "year", f"sentence: '{mention.text.strip()}'"
        )
    return None


def publication_reference(published: dt.date | None, precision: str) -> ResolvedDate | None:
    """The article's own date as a reference, if it has one."""
    if published is None or precision == "unknown":
        return None
    if precision == "month":
        published = published.replace(day=1)
    elif precision == "year":
        published = published.replace(month=1, day=1)
    return ResolvedDate(published, precision, "article date")


def infer_reference(
    sentences: list[str], published: ResolvedDate | None, today: dt.date | None = None
) -> ResolvedDate | None:
    """The date sentences without their own fall back to.

    With a publication day, that day. Otherwise the first deictic expression of the text
    ("mardi 10 octobre", "jeudi", "hier") dates the story: resolved against the publication
    month or year when known, against today when not.
    """
    if published is not None and published.precision == "day":
        return published
    today = today or dt.date.today()
    for sentence in sentences:
        for mention in find_date_mentions(sentence):
            if not mention.is_deictic or (published is None and mention.kind != "day_month"):
                continue  # with no article date, only a weekday with its day and month pins a year
            base = published or ResolvedDate(today, "day", "today")
            resolved = resolve_mention(mention, base, today)
            if resolved and resolved.precision == "day":
                origin = "article month" if published else "no article date"
                return replace(
                    resolved, reason=f"article date inferred from '{mention.text.strip()}' ({origin})"
                )
    return published
