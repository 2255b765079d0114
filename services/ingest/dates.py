"""Publication date: parse ISO forms, cut a feed's "date YYYY-MM –" prefix, find dates in the text.

Fast by design: candidate dates are found with one compiled regex per language built from the
month names in dates_<lang>.yaml, and a match is turned into a date from its own groups
(dateparser costs about 1 ms a call and `search_dates` over a whole article invents dates from a
lone "mardi"). Only full dates (day, month and year) count in the text; "mardi 10 octobre" is left
to extract, which can resolve the year from context.

Which text date is the publication date (`infer_from_text`), strongest first:
1. dates in the page's own stamps ("Publié le 12/03/2024 à 10h15", "Bamako, le 12 mars 2024
   (AFP) –", a byline with a date): the earliest of them ("Mis à jour" comes after "Publié");
2. a paragraph that is only a date ("29 février 2024") among the first paragraphs;
3. the first full date in the lead: the first BODY_PARAGRAPHS paragraphs (title included), at
   most BODY_WINDOW characters ("Le mercredi 31 juillet 2024, le chef de l'État..."): news leads
   with the day of the news;
otherwise unknown. A date further down is about something else (the past event a paragraph
recalls, "les accords d'Alger de 2015" is not even a full date) and is not taken: an unknown
date is better than a wrong one, and extract can still date events from context.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from services.common.contracts import Precision
from services.ingest.datafiles import load_data

BODY_PARAGRAPHS = 3
BODY_WINDOW = 600
DATE_LINE_PARAGRAPHS = 5
_DATE_LINE_MAX_CHARS = 80

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_BEFORE_YEAR = 30  # "31 septembre " and "31/12/" fit
_AFTER_YEAR = 7  # "-12-31" of an ISO date, and the character after it
_ISO_PARTIAL = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?")
_DATE_PREFIX = re.compile(r"\s*date\s*:?\s*(?P<value>\d{4}(?:-\d{2}(?:-\d{2})?)?)\s*[–-]\s*", re.IGNORECASE)
_NUMERIC = (
    r"(?<![\d/.-])(?P<nd>[0-3]?\d)(?P<sep>[/.-])(?P<nm>[01]?\d)(?P=sep)(?P<ny>(?:19|20)\d{2})(?![\d/-])"
    r"|(?<![\d/.-])(?P<iy>(?:19|20)\d{2})-(?P<im>[01]\d)-(?P<id>[0-3]\d)(?!\d)"
)


@dataclass(frozen=True)
class PublishedDate:
    """A publication date, how precise it is and where it came from (see NormalizedArticle)."""

    value: dt.date | dt.datetime
    precision: Precision
    origin: str


def parse_iso(value: str, origin: str) -> PublishedDate | None:
    """An ISO 8601 date of any precision: YYYY (year), YYYY-MM (month), a date or a datetime (day).

    None when the value is not a real date (the contract's own check lets "2024-13" through).
    """
    value = value.strip()
    match = _ISO_PARTIAL.fullmatch(value)
    try:
        if match:
            year, month, day = match.group("year", "month", "day")
            precision: Precision = "day" if day else "month" if month else "year"
            return PublishedDate(dt.date(int(year), int(month or 1), int(day or 1)), precision, origin)
        return PublishedDate(dt.datetime.fromisoformat(value.replace("Z", "+00:00")), "day", origin)
    except ValueError:
        return None


def cut_date_prefix(text: str) -> tuple[str, PublishedDate | None]:
    """Split a feed's leading "date 2024-08 – " from the text: (text without it, its date).

    A prefix repeated ("date 2024-08 – date 2024-08 – ") is cut whole; the first one dates the text.
    """
    published = None
    while match := _DATE_PREFIX.match(text):
        found = parse_iso(match.group("value"), "date-prefix")
        if found is None:
            break
        published = published or found
        text = text[match.end() :]
    return text, published


def full_dates(text: str, lang: str | None) -> list[dt.date]:
    """Every full date (day, month, year) written in `text`, in reading order.

    The date pattern is only tried around each 4-digit year: a regex that can start anywhere
    costs about 0.1 ms per 1,000 characters, a scan for "19xx/20xx" next to nothing.
    """
    finder = _date_pattern(lang)
    if finder is None:
        return []
    months = _month_numbers(lang)
    found: dict[int, dt.date] = {}
    for year in _YEAR.finditer(text):
        start, end = max(0, year.start() - _BEFORE_YEAR), year.end() + _AFTER_YEAR
        for match in finder.finditer(text, start, end):
            date = _date_of(match, months)
            if date is not None:
                found.setdefault(match.start(), date)
    return [found[start] for start in sorted(found)]


def is_date_line(paragraph: str, lang: str | None) -> bool:
    """The paragraph is only a date: "29 février 2024", "Le 12/03/2024 à 10h15", "Bamako, le 3 mai 2024"."""
    if len(paragraph) > _DATE_LINE_MAX_CHARS:
        return False
    finder = _date_pattern(lang)
    if finder is None:
        return False
    match = finder.search(paragraph)
    if match is None or _date_of(match, _month_numbers(lang)) is None:
        return False
    before, after = paragraph[: match.start()], paragraph[match.end() :]
    return bool(_DATE_LINE_BEFORE.fullmatch(before) and _DATE_LINE_AFTER.fullmatch(after))


def infer_from_text(stamps: list[str], paragraphs: list[str], lang: str | None) -> PublishedDate | None:
    """The publication date the text itself gives (see the module docstring for the order)."""
    stamped = [found for stamp in stamps for found in full_dates(stamp, lang)]
    if stamped:
        return PublishedDate(min(stamped), "day", "dateline")
    for paragraph in paragraphs[:DATE_LINE_PARAGRAPHS]:
        if is_date_line(paragraph, lang):
            return PublishedDate(full_dates(paragraph, lang)[0], "day", "dateline")
    window = "\n\n".join(paragraphs[:BODY_PARAGRAPHS])[:BODY_WINDOW]
    leading = full_dates(window, lang)
    if leading:
        return PublishedDate(leading[0], "day", "text")
    return None


# Around the date of a date line: a place and "le" before ("Bamako, le", "Le mercredi"), a time after.
_DATE_LINE_BEFORE = re.compile(
    r"(?:[^\W\d_][\w' -]{0,40},\s*)?(?:(?:le|du)\s+)?(?:[^\W\d_]+\s+)?", re.IGNORECASE
)
_DATE_LINE_AFTER = re.compile(
    r"(?:\s*[,|–-]?\s*(?:à\s*)?\d{1,2}\s*[h:]\s*(?:\d{2})?(?:\s*(?:min|gmt|utc|tu))?(?:\s*[+-]\s*\d{1,2})?)?\s*\.?",
    re.IGNORECASE,
)


def _date_of(match: re.Match[str], months: dict[str, int]) -> dt.date | None:
    groups = match.groupdict()
    try:
        if groups.get("td"):
            month = months[_fold(groups["tm"])]
            return dt.date(int(groups["ty"]), month, int(groups["td"]))
        if groups.get("nd"):
            return dt.date(int(groups["ny"]), int(groups["nm"]), int(groups["nd"]))
        if groups.get("iy"):
            return dt.date(int(groups["iy"]), int(groups["im"]), int(groups["id"]))
    except (ValueError, KeyError):  # 31 février, month 13
        return None
    return None


@lru_cache(maxsize=16)
def _date_pattern(lang: str | None) -> re.Pattern[str] | None:
    """One regex for every way `lang` writes a full date; None for a language without a dates file."""
    vocabulary = load_data(f"dates_{lang}") if lang else None
    if vocabulary is None:
        return None
    months = sorted(
        {name for key in vocabulary["months"] for name in (key, _fold(key))}, key=len, reverse=True
    )
    suffix = re.escape(vocabulary.get("first_day_suffix", ""))
    textual = (
        rf"\b(?P<td>[0-3]?\d)(?:{suffix})?\s+(?P<tm>{'|'.join(map(re.escape, months))})\b\.?\s+"
        r"(?P<ty>(?:19|20)\d{2})\b"
    )
    return re.compile(f"{textual}|{_NUMERIC}", re.IGNORECASE)


@lru_cache(maxsize=16)
def _month_numbers(lang: str | None) -> dict[str, int]:
    vocabulary = load_data(f"dates_{lang}") if lang else None
    return {_fold(name): number for name, number in (vocabulary or {}).get("months", {}).items()}


def _fold(word: str) -> str:
    """Lower case without accents: "Février" and "fevrier" are the same month."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))
