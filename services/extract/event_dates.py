"""French date expressions: find them in a sentence, resolve them against the publication span.

The words come from the shared date grammar (services/common/dates_fr.yaml, read by ingest too):
months with their abbreviations ("janv.", "fév.", "sept.", "déc."), weekdays, "1er", relative
days and their offsets ("hier" -1, "demain" +1), directions, counts. No month table lives here.

The reference is the publication date as an interval: a day is itself, a month or a year the span
of its days (`ResolvedDate.end`). Every resolution uses the span, never its first day alone:
- a day and month without a year take the latest year that puts them on or before the end of the
  span ("vendredi 20 mai" in a 2022 article is 2022-05-20), or just after it when they are close
  ahead (an announced "le 5 août" written on 31 July); "dernier" makes it strictly past;
- a weekday with day and month takes the year that makes the weekday true within the span or the
  year before its start ("ce jeudi 17 février" in a 2022 article is 2022-02-17); when no year fits
  the date is unknown (`Unresolved`, with its reason), never a wrong year;
- a lone weekday, "hier", "la semaine dernière" are days off the publication day; with a month
  or a year only, they stay the publication span, at its precision (the day cannot be told);
- "24 heures après cet appel" counts from an anchor event; a deictic "ce 1er juillet" far from the
  publication day is read as a slip for the publication's month.
Hard rule: a resolved past date never lies after the end of the publication span.

Precision rules: "mi-septembre", "fin juillet", "en juillet", "la semaine dernière" resolve to
the first day of their month (week) with precision "month": true to the month, never falsely
precise. A year alone has precision "year".
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import cache

from services.common.date_grammar import DateGrammar, EventDateWords, load_grammar

YEARS_BACK = 10  # with no article date at all, a weekday with day and month looks this far back
DEICTIC_SLIP_DAYS = 14
NEAR_FUTURE_DAYS = 31  # "le 5 août" in an article of 31 July is the coming 5 August
WEEKDAY_DAYS_BEFORE = 365  # "jeudi 30 décembre" in a January article: the year before is fine


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
                rf"\b{number}\s+(?P<unit>{w.sequence_unit})\s+(?P<rel>{w.sequence})\b",
                re.IGNORECASE,
            ),
        ),
        ("ago", re.compile(rf"\b(?:{w.ago})\s+{number}\s+(?P<unit>{w.unit})\b", re.IGNORECASE)),
        ("year", re.compile(rf"\b(?P<since>(?:{w.year_cue})\s+)(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE)),
    )


@dataclass(frozen=True)
class ResolvedDate:
    """A date with its precision: a day, or the span of a month or a year starting at `value`."""

    value: dt.date
    precision: str  # day, month, year
    reason: str

    @property
    def end(self) -> dt.date:
        """The last day the date may be: itself for a day, the last of its month or year otherwise."""
        if self.precision == "year":
            return dt.date(self.value.year, 12, 31)
        if self.precision == "month":
            return self.value.replace(day=calendar.monthrange(self.value.year, self.value.month)[1])
        return self.value


@dataclass(frozen=True)
class Unresolved:
    """A date expression that names no date one can tell, and why (never a guessed year).

    `month_day` keeps the day and month a yearless expression gives ("le 14 novembre" in an
    undated article): no date, but what the store can compare with a dated report of the event."""

    reason: str
    month_day: tuple[int, int] | None = None


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


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def weekday_year(weekday: int, month: int, day: int, not_after: dt.date) -> dt.date | None:
    """The latest year (up to YEARS_BACK back) where day/month falls on `weekday`, not after `not_after`."""
    return weekday_in(weekday, month, day, dt.date(not_after.year - YEARS_BACK, 1, 1), not_after)


def weekday_in(weekday: int, month: int, day: int, earliest: dt.date, latest: dt.date) -> dt.date | None:
    """The latest day/month between `earliest` and `latest` that falls on `weekday`, if any."""
    for year in range(latest.year, earliest.year - 1, -1):
        candidate = _safe_date(year, month, day)
        if candidate and earliest <= candidate <= latest and candidate.weekday() == weekday:
            return candidate
    return None


def last_weekday(weekday: int, on_or_before: dt.date) -> dt.date:
    return on_or_before - dt.timedelta(days=(on_or_before.weekday() - weekday) % 7)


def next_weekday(weekday: int, after: dt.date) -> dt.date:
    return after + dt.timedelta(days=(weekday - after.weekday()) % 7 or 7)


def _future(direction: str | None) -> bool:
    return grammar().is_future(direction)


def _past(direction: str | None) -> bool:
    return direction is not None and not _future(direction)


def _span_text(reference: ResolvedDate) -> str:
    return f"{reference.value:%Y-%m}" if reference.precision == "month" else f"{reference.value:%Y}"


def _within_span(mention: DateMention, reference: ResolvedDate, offset: str) -> ResolvedDate:
    """A day off the publication day when only its month or year is known: the span itself."""
    return ResolvedDate(
        reference.value,
        reference.precision,
        f"sentence: '{mention.text.strip()}' ({offset}) within publication {_span_text(reference)}, day unknown",
    )


def _resolve_day_month(
    mention: DateMention, reference: ResolvedDate | None, today: dt.date
) -> ResolvedDate | Unresolved:
    g = grammar()
    day = g.day_of(mention.required("day"))
    month = g.month_of(mention.required("month"))
    if month is None:  # pragma: no cover - the pattern only matches the grammar's months
        return Unresolved(f"'{mention.text}': unknown month")
    weekday_word = mention.group("weekday")
    weekday = g.weekday_of(weekday_word) if weekday_word else None
    direction = mention.group("direction")
    quoted = f"'{mention.text.strip()}'"
    if year := mention.group("year"):
        value = _safe_date(int(year), month, day)
        return ResolvedDate(value, "day", f"sentence: {quoted}") if value else Unresolved(f"{quoted}: no such day")
    if reference is None:
        if _safe_date(2000, month, day) is None:  # a leap year: 29 February is a day
            return Unresolved(f"{quoted}: no such day")
        if weekday is None or _future(direction):
            return Unresolved(f"{quoted} has no year and the article no date", (month, day))
        value = weekday_year(weekday, month, day, today + dt.timedelta(days=1))
        if value is None:
            return Unresolved(f"{quoted}: no {weekday_word} {day}/{month} in the last {YEARS_BACK} years", (month, day))
        return ResolvedDate(value, "day", f"sentence: {quoted} weekday-resolved")
    start, end = reference.value, reference.end
    if _future(direction):
        for year_ in (start.year, start.year + 1, start.year + 2):
            candidate = _safe_date(year_, month, day)
            if candidate is None or candidate < start or (candidate == start and reference.precision == "day"):
                continue
            if weekday is None or candidate.weekday() == weekday:
                return ResolvedDate(candidate, "day", f"sentence: {quoted} next after {start}")
        return Unresolved(f"{quoted}: no such coming day after {start}")
    ahead = dt.timedelta(days=0 if _past(direction) else NEAR_FUTURE_DAYS)
    if weekday is not None:
        earliest = start - dt.timedelta(days=WEEKDAY_DAYS_BEFORE)
        value = weekday_in(weekday, month, day, earliest, end + ahead)
        if value is None:
            return Unresolved(
                f"{quoted}: no year between {earliest} and {end + ahead} makes {day}/{month} a {weekday_word}"
            )
        return ResolvedDate(value, "day", f"sentence: {quoted} weekday-resolved within {_describe(reference)}")
    value = _nearest_year(month, day, start, end, ahead)
    if value is None:  # pragma: no cover - 29 February has a leap year within four
        return Unresolved(f"{quoted}: no such day near {_describe(reference)}")
    upcoming = " upcoming" if value > end else ""
    resolved = ResolvedDate(value, "day", f"sentence: {quoted}{upcoming} (year of {_describe(reference)})")
    if mention.group("deixis") and reference.precision == "day":
        resolved = _deictic_slip(resolved, day, reference) or resolved
    return resolved


def _nearest_year(month: int, day: int, start: dt.date, end: dt.date, ahead: dt.timedelta) -> dt.date | None:
    """Day/month in the span if it is there; else the nearer of the latest one before the span and
    the first one after it, when that is at most `ahead` after its end."""
    candidates = [c for y in range(end.year + 1, end.year - 5, -1) if (c := _safe_date(y, month, day))]
    inside = [c for c in candidates if start <= c <= end]
    if inside:
        return inside[0]
    before = next((c for c in candidates if c < start), None)
    after = next((c for c in reversed(candidates) if end < c <= end + ahead), None)
    if before is None or (after is not None and (after - end) < (start - before)):
        return after
    return before


def _describe(reference: ResolvedDate) -> str:
    return str(reference.value) if reference.precision == "day" else f"publication {_span_text(reference)}"


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


def _resolve_weekday(mention: DateMention, reference: ResolvedDate | None) -> ResolvedDate | Unresolved:
    quoted = f"'{mention.text.strip()}'"
    if reference is None:
        return Unresolved(f"{quoted}: a weekday and the article has no date")
    weekday = grammar().weekday_of(mention.required("weekday"))
    assert weekday is not None
    if reference.precision != "day":
        return _within_span(mention, reference, "a day of the week around the publication")
    ref = reference.value
    if _future(mention.group("direction")):
        return ResolvedDate(next_weekday(weekday, ref), "day", f"sentence: {quoted} next after {ref}")
    value = last_weekday(weekday, ref)
    if mention.group("direction") and value == ref:
        value -= dt.timedelta(days=7)
    return ResolvedDate(value, "day", f"sentence: {quoted} last on or before {ref}")


def _resolve_relative_day(mention: DateMention, reference: ResolvedDate | None) -> ResolvedDate | Unresolved:
    offset = grammar().offset_of(mention.required("word"))
    if offset is None:  # pragma: no cover - the pattern only matches the grammar's words
        return Unresolved(f"'{mention.text}': unknown relative day")
    if reference is None:
        return Unresolved(f"'{mention.text}': relative to an undated article")
    if reference.precision != "day":
        return _within_span(mention, reference, f"{offset:+d} day{'s' if abs(offset) > 1 else ''}")
    return ResolvedDate(reference.value + dt.timedelta(days=offset), "day", f"relative: '{mention.text}'")


def _resolve_period(mention: DateMention, reference: ResolvedDate | None) -> ResolvedDate | Unresolved:
    if reference is None:
        return Unresolved(f"'{mention.text}': relative to an undated article")
    step = 1 if _future(mention.group("direction")) else -1
    which, ref = words().period_of(mention.required("which")), reference.value
    if which != "week":
        if which == "month":
            if reference.precision == "year":
                return _within_span(mention, reference, f"{step:+d} month")
            first = (ref.replace(day=1) + dt.timedelta(days=32 * step if step > 0 else -1)).replace(day=1)
            return ResolvedDate(first, "month", f"relative: '{mention.text}'")
        return ResolvedDate(dt.date(ref.year + step, 1, 1), "year", f"relative: '{mention.text}'")
    if reference.precision != "day":
        return _within_span(mention, reference, f"{step:+d} week")
    monday = ref - dt.timedelta(days=ref.weekday()) + dt.timedelta(weeks=step)
    return ResolvedDate(monday, "month", f"relative: '{mention.text}' (week of {monday})")


def _resolve_month(mention: DateMention, reference: ResolvedDate | None) -> ResolvedDate | Unresolved:
    month = grammar().month_of(mention.required("month"))
    assert month is not None
    part = (mention.group("part") or "").lower()
    detailed = words().is_detailed(part)
    if year_text := mention.group("year"):
        year = int(year_text)
    elif reference is not None:
        start, end = reference.value, reference.end
        if _future(mention.group("direction")):
            year = start.year if month >= start.month else start.year + 1
        else:
            year = end.year if month <= end.month else end.year - 1
    else:
        return Unresolved(f"'{mention.text.strip()}': a month without a year in an undated article")
    detail = f" ({part} of the month)" if detailed else ""
    return ResolvedDate(dt.date(year, month, 1), "month", f"sentence: '{mention.text.strip()}'{detail}")


def _shift(value: dt.date, count: int, unit_word: str) -> dt.date:
    unit = words().unit_of(unit_word)
    if unit == "hour":
        return value + dt.timedelta(days=count // 24)
    if unit == "day":
        return value + dt.timedelta(days=count)
    if unit == "week":
        return value + dt.timedelta(weeks=count)
    if unit == "month":
        month = value.month - 1 + count
        return _safe_date(value.year + month // 12, month % 12 + 1, 1) or value
    return _safe_date(value.year + count, value.month, 1) or value


def resolve_after(mention: DateMention, anchor: ResolvedDate, anchor_label: str) -> ResolvedDate:
    """'24 heures après cet appel': the anchor event's date shifted; precision stays the anchor's."""
    count = grammar().count_of(mention.required("count"))
    sign = -1 if words().is_before(mention.required("rel")) else 1
    value = _shift(anchor.value, sign * count, mention.required("unit"))
    return ResolvedDate(
        value, anchor.precision, f"relative: '{mention.text}' {anchor_label} ({anchor.value})"
    )


def _resolve_ago(mention: DateMention, reference: ResolvedDate | None) -> ResolvedDate | Unresolved:
    if reference is None:
        return Unresolved(f"'{mention.text}': relative to an undated article")
    count = grammar().count_of(mention.required("count"))
    unit = mention.required("unit").lower()
    kind = words().unit_of(unit)
    quoted = f"'{mention.text}'"
    if kind == "year":
        value = dt.date(reference.value.year - count, 1, 1)
        precision = "year" if reference.precision != "day" else "day"
        if precision == "day":
            value = _safe_date(reference.value.year - count, reference.value.month, reference.value.day) or value
        return ResolvedDate(value, precision, f"relative: {quoted} before {_describe(reference)}")
    if reference.precision == "day":
        value = _shift(reference.value, -count, unit)
        precision = "month" if kind == "month" else "day"
        return ResolvedDate(value, precision, f"relative: {quoted} before {reference.value}")
    if kind == "month" and reference.precision == "month":
        value = _shift(reference.value, -count, unit)
        return ResolvedDate(value, "month", f"relative: {quoted} before {_describe(reference)}")
    return _within_span(mention, reference, f"-{count} {unit}")


def explain_mention(
    mention: DateMention, reference: ResolvedDate | None, today: dt.date | None = None
) -> ResolvedDate | Unresolved:
    """The date one expression names, or Unresolved with the reason it cannot be told."""
    today = today or dt.date.today()
    kind = mention.kind
    if kind in {"numeric", "iso"}:
        value = _safe_date(int(mention.required("y")), int(mention.required("m")), int(mention.required("d")))
        return ResolvedDate(value, "day", f"sentence: '{mention.text}'") if value else Unresolved("no such day")
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
    if kind == "ago":
        return _resolve_ago(mention, reference)
    if kind == "year":
        return ResolvedDate(
            dt.date(int(mention.required("year")), 1, 1), "year", f"sentence: '{mention.text.strip()}'"
        )
    return Unresolved(f"'{mention.text}': {kind} needs an anchor event")


def resolve_mention(
    mention: DateMention, reference: ResolvedDate | None, today: dt.date | None = None
) -> ResolvedDate | None:
    """The date one expression names, or None when it cannot be told (see explain_mention)."""
    resolved = explain_mention(mention, reference, today)
    return resolved if isinstance(resolved, ResolvedDate) else None


def publication_reference(published: dt.date | None, precision: str) -> ResolvedDate | None:
    """The article's own date as a reference: a day, or the span of its month or year."""
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
    ("mardi 10 octobre", "ce jeudi 17 février") that names a day dates the story: resolved within
    the publication month or year when known (and kept only inside that span), against today
    when not.
    """
    if published is not None and published.precision == "day":
        return published
    today = today or dt.date.today()
    for sentence in sentences:
        for mention in find_date_mentions(sentence):
            if not mention.is_deictic or (published is None and mention.kind != "day_month"):
                continue  # with no article date, only a weekday with its day and month pins a year
            resolved = resolve_mention(mention, published, today)
            if resolved is None or resolved.precision != "day":
                continue
            if published is not None and not published.value <= resolved.value <= published.end:
                continue  # an article of 2022 was not published on "jeudi 30 décembre" 2021
            origin = "article month" if published else "no article date"
            return replace(resolved, reason=f"article date inferred from '{mention.text.strip()}' ({origin})")
    return published
