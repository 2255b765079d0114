"""Publication date: every signal a raw article carries, each with its provenance, then one date.

The signals, strongest first (`SIGNAL_ORDER`): the producer's `published_at`, the page's HTML
metadata, the URL (`date_from_url`: /2023/06/30/, /20231010/, -2023-06-30-, /2023/06/ for a
month), the feed's "date 2024-08 –" prefix in all its forms (`cut_date_prefix`), the page's own
datelines and stamps ("Niamey 28 janv 2024(AIB/ANP)-", "Publié le 12/03/2024 à 10h32",
"information fournie par France 24 • 20/05/2022 à 14:32": `cut_stamp`) and the lead.
`combine` makes one date of them: a finer date inside a coarser one refines it (prefix 2024-08 and
dateline 12 août 2024 give 2024-08-12, "date-prefix+dateline"); otherwise the stronger one wins
and the origin records the loser after a ">" ("producer>html"); the full note goes to the log.

Dates in text are found with regexes from the language's date grammar (dates_<lang>.yaml, shared
with extract; dateparser costs 1 ms a call and invents dates from a lone "mardi"). Only full dates
count in the text, but an agency dateline's day and month (yearless_dateline.py).

Which text date is the publication date (`text_signals`), strongest first:
1. dates in the page's own stamps and datelines: the earliest of them ("Mis à jour" comes after
   "Publié");
2. a paragraph that is only a date ("29 février 2024") among the first paragraphs;
3. the first full date in the lead: the first BODY_PARAGRAPHS paragraphs (title included), at
   most BODY_WINDOW characters ("Le mercredi 31 juillet 2024, le chef de l'État..."): news leads
   with the day of the news.
A date further down is about something else (the past event a paragraph recalls) and is not
taken: an unknown date is better than a wrong one, and extract can still date events from context.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from urllib.parse import urlsplit

from services.common.contracts import Precision
from services.common.date_grammar import DateGrammar, fold, load_grammar

BODY_PARAGRAPHS = 3
BODY_WINDOW = 600
DATE_LINE_PARAGRAPHS = 5
_DATE_LINE_MAX_CHARS = 80
STAMP_MAX_CHARS = 180
ORIGIN_MAX_CHARS = 32  # NormalizedArticle.published_from is a String(32) in the store
# Strongest first; the lead ("text") may refine a date but is never reported as a conflict: a lead
# often opens with the day of the news, the day before its publication.
SIGNAL_ORDER = ("producer", "html", "url", "date-prefix", "dateline", "text")
_PRECISION_RANK = {"year": 0, "month": 1, "day": 2}
URL_EARLIEST_YEAR = 1995

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_BEFORE_YEAR = 30  # "31 septembre " and "31/12/" fit
_BEFORE_CUE = 40  # "arrivé au pouvoir le " fits
_AFTER_YEAR = 7  # "-12-31" of an ISO date, and the character after it
_ISO_PARTIAL = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?")
# " date 2021-11 Le ministre", "date 2024-08 – ", "date: 2023-10-11 ", "date 2022 - ": the value
# is taken whole (no digit of it may stay in the text), the dash or colon after it is optional.
_DATE_PREFIX = re.compile(
    r"\s*date\s*:?\s*(?P<value>\d{4}(?:-\d{1,2}(?:-\d{1,2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?)?)?)"
    r"(?![\d/-])\s*(?:[–—:|]+|-+(?!\d))?\s*",
    re.IGNORECASE,
)
_NUMERIC = (
    r"(?<![\d/.-])(?P<nd>[0-3]?\d)(?P<sep>[/.-])(?P<nm>[01]?\d)(?P=sep)(?P<ny>(?:19|20)\d{2})(?![\d/-])"
    r"|(?<![\d/.-])(?P<iy>(?:19|20)\d{2})-(?P<im>[01]\d)-(?P<id>[0-3]\d)(?!\d)"
)
_TIME = (
    r"(?:\s*(?:[,|–-]\s*)?(?:à\s*)?\d{1,2}\s*[h:]\s*\d{0,2}(?:\s*(?:min|gmt|utc|tu))?"
    r"(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?)"
)
# Dates in a URL's path, most precise first: /2023/06/30/, -2023-06-30-, /20231010/, /2023/06/.
_URL_DAY = (
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)/(?P<m>[01]?\d)/(?P<d>[0-3]?\d)(?=/|\.|-|_|$)"),
    re.compile(r"(?<![\d])(?P<y>(?:19|20)\d\d)[-_](?P<m>[01]\d)[-_](?P<d>[0-3]\d)(?!\d)"),
    re.compile(r"(?<=[/_-])(?P<y>(?:19|20)\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)(?=[/_.-]|$)"),
)
_URL_MONTH = re.compile(r"(?<=/)(?P<y>(?:19|20)\d\d)[/-](?P<m>[01]?\d)(?=/|$)")


@dataclass(frozen=True)
class PublishedDate:
    """A publication date, how precise it is and where it came from (see NormalizedArticle)."""

    value: dt.date | dt.datetime
    precision: Precision
    origin: str

    @property
    def day(self) -> dt.date:
        return self.value.date() if isinstance(self.value, dt.datetime) else self.value

    @property
    def span(self) -> tuple[dt.date, dt.date]:
        """The first and last day the date may be: a month or a year is the span of its days."""
        day = self.day
        if self.precision == "year":
            return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
        if self.precision == "month":
            last = calendar.monthrange(day.year, day.month)[1]
            return day.replace(day=1), day.replace(day=last)
        return day, day


@dataclass(frozen=True)
class StampCut:
    """A dateline or stamp found at the start of a paragraph: what it says and what is left."""

    text: str  # the stamp as written
    rest: str  # the paragraph without it ("" when the paragraph was only the stamp)
    date: str  # the date part, read by full_dates
    source: str | None
    kind: str  # "dateline" or "published_line"


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

    Every real form: with or without a dash or a colon, of any precision (" date 2021-11 Le
    ministre", "date: 2023-10-11 ...", "date 2022 - ..."). A prefix repeated ("date 2024-08 – date
    2024-08 – ") is cut whole; the first one dates the text.
    """
    published = None
    while match := _DATE_PREFIX.match(text):
        found = parse_iso(match.group("value"), "date-prefix")
        if found is None:
            break
        published = published or found
        text = text[match.end() :]
    return text, published


def date_from_url(url: str | None) -> PublishedDate | None:
    """The date a URL's path gives: a day (/2023/06/30/, /20231010/, -2023-06-30-), or a month
    (/2023/06/); origin "url". A year alone (/2023/) is too often a section to count."""
    if not url:
        return None
    path = urlsplit(url).path
    for pattern in _URL_DAY:
        for match in pattern.finditer(path):
            value = _plausible(int(match["y"]), int(match["m"]), int(match["d"]))
            if value is not None:
                return PublishedDate(value, "day", "url")
    for match in _URL_MONTH.finditer(path):
        value = _plausible(int(match["y"]), int(match["m"]), 1)
        if value is not None:
            return PublishedDate(value, "month", "url")
    return None


def _plausible(year: int, month: int, day: int) -> dt.date | None:
    try:
        value = dt.date(year, month, day)
    except ValueError:
        return None
    if not URL_EARLIEST_YEAR <= year <= dt.date.today().year + 1:
        return None
    return value


def full_dates(text: str, lang: str | None) -> list[dt.date]:
    """Every full date (day, month, year) written in `text`, in reading order."""
    return [date for _, date in full_dates_at(text, lang)]


def full_dates_at(text: str, lang: str | None) -> list[tuple[int, dt.date]]:
    """Every full date written in `text` with where it starts, in reading order.

    The date pattern is only tried around each 4-digit year: a regex that can start anywhere
    costs about 0.1 ms per 1,000 characters, a scan for "19xx/20xx" next to nothing.
    """
    grammar = load_grammar(lang)
    if grammar is None:
        return []
    finder = _date_pattern(lang)
    found: dict[int, dt.date] = {}
    for year in _YEAR.finditer(text):
        start, end = max(0, year.start() - _BEFORE_YEAR), year.end() + _AFTER_YEAR
        for match in finder.finditer(text, start, end):
            date = _date_of(match, grammar)
            if date is not None:
                found.setdefault(match.start(), date)
    return [(start, found[start]) for start in sorted(found)]


def recalls_the_past(text: str, start: int, grammar: DateGrammar) -> bool:
    """The date at `start` follows a cue of background ("Élu le 24 mars 2024", "depuis le 26
    juillet 2023"): it recalls an earlier event, it is not the day of the news."""
    before = fold(text[max(0, start - _BEFORE_CUE) : start])
    return any(
        re.search(rf"(?<!\w){re.escape(cue)}\s+(?:(?:le|du|au|en|l')\s*)?$", before)
        for cue in grammar.background_cues
    )


def is_date_line(paragraph: str, lang: str | None) -> bool:
    """The paragraph is only a date: "29 février 2024", "Le 12/03/2024 à 10h15", "Bamako, le 3 mai 2024"."""
    if len(paragraph) > _DATE_LINE_MAX_CHARS:
        return False
    grammar = load_grammar(lang)
    if grammar is None:
        return False
    match = _date_pattern(lang).search(paragraph)
    if match is None or _date_of(match, grammar) is None:
        return False
    before, after = paragraph[: match.start()], paragraph[match.end() :]
    return bool(_DATE_LINE_BEFORE.fullmatch(before) and _DATE_LINE_AFTER.fullmatch(after))


def cut_stamp(paragraph: str, lang: str | None) -> StampCut | None:
    """A dateline or stamp opening the paragraph, with a full date: "Niamey 28 janv 2024(AIB/ANP)-",
    "BAMAKO, 12 mars 2024 (AFP) -", "Publié le 12/03/2024 à 10h32", "Mis à jour le ...",
    "information fournie par France 24 • 20/05/2022 à 14:32", "Date : 27 mai 2012".

    None when the paragraph does not open with one, or its date is not a real date.
    """
    if load_grammar(lang) is None or not _YEAR.search(paragraph[:STAMP_MAX_CHARS]):
        return None
    for kind, pattern in _stamp_patterns(lang):
        match = pattern.match(paragraph)
        if match is None or not full_dates(match["date"], lang):
            continue
        rest = paragraph[match.end() :].strip()
        groups = match.groupdict()
        source = groups.get("source")
        if kind == "dateline" and not (source or (groups.get("place") and (groups.get("sep") or not rest))):
            # "Niamey 28 janvier 2024 les ministres" is a sentence; "29 février 2024" alone is a
            # date line of the text (is_date_line), kept as the gold keeps it.
            continue
        return StampCut(
            text=match.group(0).strip(),
            rest=rest,
            date=match["date"],
            source=source.split("/")[0].strip() if source else None,
            kind=kind,
        )
    return None


def text_signals(stamps: list[str], paragraphs: list[str], lang: str | None) -> list[PublishedDate]:
    """The publication dates the text gives: its stamps and datelines, then a date line or the lead."""
    signals = []
    stamped = [found for stamp in stamps for found in full_dates(stamp, lang)]
    if stamped:
        signals.append(PublishedDate(min(stamped), "day", "dateline"))
    for paragraph in paragraphs[:DATE_LINE_PARAGRAPHS]:
        if is_date_line(paragraph, lang):
            signals.append(PublishedDate(full_dates(paragraph, lang)[0], "day", "dateline"))
            return signals
    window = "\n\n".join(paragraphs[:BODY_PARAGRAPHS])[:BODY_WINDOW]
    grammar = load_grammar(lang)
    leading = [(i, d) for i, d in full_dates_at(window, lang) if grammar and not recalls_the_past(window, i, grammar)]
    if leading and grammar:
        at, date = leading[0]
        signals.append(PublishedDate(date - dt.timedelta(days=writers_offset(window, at, grammar)), "day", "text"))
    return signals


def writers_offset(text: str, start: int, grammar: DateGrammar) -> int:
    """The offset of a relative day word right before the date at `start`: "hier mercredi 22
    janvier 2025" is -1 (the article is of the 23rd), "demain 5 mars 2025" +1; else 0."""
    before = text[max(0, start - _BEFORE_CUE) : start]
    weekday = rf"(?:(?:le\s+)?(?:{grammar.weekday})\s*,?\s*)?"
    day_word = rf"(?<!\w)(?P<word>{grammar.relative_day})\s*,?\s*{weekday}(?:le\s+)?$"
    found = re.search(day_word, before, re.IGNORECASE)
    return (grammar.offset_of(found["word"]) or 0) if found else 0


def infer_from_text(stamps: list[str], paragraphs: list[str], lang: str | None) -> PublishedDate | None:
    """The publication date the text itself gives (see the module docstring for the order)."""
    signals = text_signals(stamps, paragraphs, lang)
    return signals[0] if signals else None


def strongest_first(signals: list[PublishedDate]) -> list[PublishedDate]:
    return sorted(signals, key=lambda s: SIGNAL_ORDER.index(s.origin) if s.origin in SIGNAL_ORDER else 99)


def combine(signals: list[PublishedDate]) -> tuple[PublishedDate | None, str | None]:
    """One publication date from all signals, and a note on the conflicts (None when none).

    Signals are taken strongest first (SIGNAL_ORDER). A finer date inside the current one refines
    it ("date-prefix+dateline"); a coarser one that holds it agrees; any other disagrees, the
    stronger wins and the weaker is named after ">" ("producer>html"). The lead ("text") only
    refines: it often gives the day of the news, not of the publication.
    """
    ordered = strongest_first(signals)
    if not ordered:
        return None, None
    best = ordered[0]
    refined_by: list[str] = [best.origin]
    losers: list[PublishedDate] = []
    for signal in ordered[1:]:
        (start, end), (s_start, s_end) = best.span, signal.span
        if start <= s_start and s_end <= end:
            if _PRECISION_RANK[signal.precision] > _PRECISION_RANK[best.precision]:
                best = replace(best, value=signal.value, precision=signal.precision)
                refined_by.append(signal.origin)
            continue
        if s_start <= start and end <= s_end:
            continue  # coarser and agreeing
        if signal.origin != "text":
            losers.append(signal)
    origin = "+".join(dict.fromkeys(refined_by))
    losing = [s.origin for s in losers if s.origin not in refined_by]
    if losing:
        origin = f"{origin}>{','.join(dict.fromkeys(losing))}"
    if len(origin) > ORIGIN_MAX_CHARS:
        origin = origin[: ORIGIN_MAX_CHARS - 1] + "…"
    note = None
    if losers:
        wrong = ", ".join(f"{s.origin} {s.day.isoformat()} ({s.precision})" for s in losers)
        note = f"publication date {best.day.isoformat()} ({best.precision}) from {origin}; disagreeing: {wrong}"
    return replace(best, origin=origin), note


# Around the date of a date line: a place and "le" before ("Bamako, le", "Le mercredi"), a time after.
_DATE_LINE_BEFORE = re.compile(
    r"(?:[^\W\d_][\w' -]{0,40},\s*)?(?:(?:le|du)\s+)?(?:[^\W\d_]+\s+)?", re.IGNORECASE
)
_DATE_LINE_AFTER = re.compile(rf"{_TIME}?\s*\.?", re.IGNORECASE)


def _date_of(match: re.Match[str], grammar: DateGrammar) -> dt.date | None:
    groups = match.groupdict()
    try:
        if groups.get("td"):
            month = grammar.month_of(groups["tm"])
            if month is None:
                return None
            return dt.date(int(groups["ty"]), month, grammar.day_of(groups["td"]))
        if groups.get("nd"):
            return dt.date(int(groups["ny"]), int(groups["nm"]), int(groups["nd"]))
        if groups.get("iy"):
            return dt.date(int(groups["iy"]), int(groups["im"]), int(groups["id"]))
    except ValueError:  # 31 février, month 13
        return None
    return None


def _textual(grammar: DateGrammar) -> str:
    """A day, a month (any name or abbreviation), a year: "28 janv 2024", "1er mars 2024", "15 juillet2012"."""
    return rf"(?<![\d])(?P<td>{grammar.day})\s+(?P<tm>{grammar.month})\s*(?P<ty>(?:19|20)\d{{2}})(?!\d)"


@lru_cache(maxsize=16)
def _date_pattern(lang: str | None) -> re.Pattern[str]:
    """One regex for every way `lang` writes a full date (the language has a grammar)."""
    grammar = load_grammar(lang)
    assert grammar is not None
    return re.compile(f"{_textual(grammar)}|{_NUMERIC}", re.IGNORECASE)


_PLACE_WORD = r"(?!(?:Le|La|Les|Depuis|Dès|Du|Au|En|Ce|Cette|Ces|Par|Pour|Selon|Dans)\b)[A-ZÀ-ÖØ-Þ][\w'’.-]*"
# A dateline's place: "Niamey", "ABOU DHABI", "Port-au-Prince", "N'Djamena" (shared by yearless datelines)
DATELINE_PLACE = rf"(?:{_PLACE_WORD}(?:[ -](?:{_PLACE_WORD}|de|du|el|d'))" + "{0,3})"


@lru_cache(maxsize=16)
def _stamp_patterns(lang: str | None) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The stamps and datelines `cut_stamp` knows, built from the language's grammar."""
    grammar = load_grammar(lang)
    assert grammar is not None
    textual = rf"(?:(?:{grammar.weekday})\s+)?{_textual(grammar)}"
    numeric = r"(?<![\d/.-])[0-3]?\d(?P<sep2>[/.-])[01]?\d(?P=sep2)(?:19|20)\d{2}(?![\d/-])"
    date = rf"(?P<date>(?i:{textual}|{numeric}))"
    dateline = (
        rf"\s*(?:(?P<place>{DATELINE_PLACE})\s*,?\s*)?(?i:(?:le\s+)?){date}(?i:{_TIME})?"
        r"\s*(?:\((?P<source>[^()]{2,40})\))?\s*(?:(?P<sep>[–—:-]+)\s*|$)"
    )
    stamp = (
        rf"\s*(?i:(?:{grammar.published_stamp}|{grammar.updated_stamp})\s*(?:le\s+|:\s*|à\s+)?"
        rf"(?:(?:le|du)\s+)?){date}(?i:{_TIME})?\s*[.|•·]?"
        rf"(?:\s*(?i:(?:{grammar.updated_stamp})\s*(?:le\s+|:\s*|à\s+)?)(?:[^\n]{{0,30}}?\d{{4}})(?i:{_TIME})?\s*[.|•·]?)?\s*"
    )
    aggregator = (
        rf"\s*(?i:{grammar.aggregator})\s*:?\s*(?P<source>[^•·|\n]{{2,40}}?)\s*(?:[•·|]|\s[–—-]\s)\s*(?:(?i:le)\s+)?{date}"
        rf"(?i:{_TIME})?\s*[.|]?\s*"
    )
    return (
        ("published_line", re.compile(aggregator)),
        ("published_line", re.compile(stamp)),
        ("dateline", re.compile(dateline)),
    )
