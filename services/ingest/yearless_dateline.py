"""A yearless agency dateline ("Niamey, 23 jan (ANI) -", "DAKAR, 14 mai (APS) –") and the year
the article's other publication signals give it."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from services.common.date_grammar import load_grammar
from services.ingest.publication_date import DATELINE_PLACE, PublishedDate, strongest_first


def yearless_dateline(paragraph: str, lang: str | None) -> tuple[int, int] | None:
    """(month, day) of an agency dateline that gives no year: "Niamey, 23 jan (ANI) -",
    "DAKAR, 14 mai (APS) –". The agency in parentheses and the dash make it a dateline, not a
    sentence ("Bamako, 12 mars, les ministres..."); its year comes from the other signals."""
    grammar = load_grammar(lang)
    if grammar is None:
        return None
    found = _yearless_pattern(lang).match(paragraph)
    if found is None:
        return None
    month = grammar.month_of(found["month"].rstrip("."))
    return (month, grammar.day_of(found["day"])) if month else None


def with_year(month_day: tuple[int, int], signals: list[PublishedDate]) -> PublishedDate | None:
    """A yearless dateline's day in the year that puts it nearest the strongest other signal
    (the URL's month, the lead's day, a feed prefix): a "dateline" signal, or None when no
    signal gives a year or the day does not exist that year."""
    ordered = strongest_first(signals)
    if not ordered:
        return None
    anchor = ordered[0]
    month, day = month_day
    candidates = []
    for year in (anchor.day.year - 1, anchor.day.year, anchor.day.year + 1):
        try:
            candidates.append(dt.date(year, month, day))
        except ValueError:  # 29 février
            continue
    if not candidates:
        return None
    start, end = anchor.span
    nearest = min(candidates, key=lambda d: 0 if start <= d <= end else min(abs((d - start).days), abs((d - end).days)))
    return PublishedDate(nearest, "day", "dateline")



@lru_cache(maxsize=16)
def _yearless_pattern(lang: str | None) -> re.Pattern[str]:
    grammar = load_grammar(lang)
    assert grammar is not None
    return re.compile(
        rf"\s*{DATELINE_PLACE}\s*,?\s*(?i:(?:le\s+)?(?:(?:{grammar.weekday})\s+)?)(?P<day>(?i:{grammar.day}))\s+"
        rf"(?P<month>(?i:{grammar.month}))\s*\((?P<source>[^()]{{2,40}})\)\s*[–—-]"
    )
