"""French date expressions: find them in a sentence, resolve them against the publication span.

Finding them is event_date_mentions.py. The words come from the shared date grammar
(services/common/dates_fr.yaml, read by ingest too):
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

import datetime as dt
from dataclasses import dataclass, replace

from services.extract.date_spans import (
    YEARS_BACK,
    ResolvedDate,
    Unresolved,
    last_weekday,
    next_weekday,
    safe_date,
    weekday_in,
    weekday_year,
)
from services.extract.event_date_mentions import DateMention, find_date_mentions, grammar, words

DEICTIC_SLIP_DAYS = 14
NEAR_FUTURE_DAYS = 31  # "le 5 août" in an article of 31 July is the coming 5 August
WEEKDAY_DAYS_BEFORE = 365  # "jeudi 30 décembre" in a January article: the year before is fine


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


@dataclass(frozen=True)
class _DayMonth:
    """What a day-and-month expression says, read once: "jeudi 17 février prochain"."""

    day: int
    month: int
    weekday: int | None
    weekday_word: str | None
    direction: str | None
    quoted: str


def _resolve_day_month(
    mention: DateMention, reference: ResolvedDate | None, today: dt.date
) -> ResolvedDate | Unresolved:
    g = grammar()
    month = g.month_of(mention.required("month"))
    if month is None:  # pragma: no cover - the pattern only matches the grammar's months
        return Unresolved(f"'{mention.text}': unknown month")
    weekday_word = mention.group("weekday")
    said = _DayMonth(
        day=g.day_of(mention.required("day")),
        month=month,
        weekday=g.weekday_of(weekday_word) if weekday_word else None,
        weekday_word=weekday_word,
        direction=mention.group("direction"),
        quoted=f"'{mention.text.strip()}'",
    )
    if year := mention.group("year"):
        value = safe_date(int(year), said.month, said.day)
        return ResolvedDate(value, "day", f"sentence: {said.quoted}") if value else Unresolved(
            f"{said.quoted}: no such day")
    if reference is None:
        return _day_month_undated(said, today)
    if _future(said.direction):
        return _day_month_coming(said, reference)
    resolved = _day_month_around(said, reference)
    if isinstance(resolved, ResolvedDate) and said.weekday is None and mention.group("deixis") and (
            reference.precision == "day"):
        resolved = _deictic_slip(resolved, said.day, reference) or resolved
    return resolved


def _day_month_undated(said: _DayMonth, today: dt.date) -> ResolvedDate | Unresolved:
    """In an undated article only a weekday pins the year (the latest that makes it true)."""
    day, month = said.day, said.month
    if safe_date(2000, month, day) is None:  # a leap year: 29 February is a day
        return Unresolved(f"{said.quoted}: no such day")
    if said.weekday is None or _future(said.direction):
        return Unresolved(f"{said.quoted} has no year and the article no date", (month, day))
    value = weekday_year(said.weekday, month, day, today + dt.timedelta(days=1))
    if value is None:
        return Unresolved(
            f"{said.quoted}: no {said.weekday_word} {day}/{month} in the last {YEARS_BACK} years", (month, day))
    return ResolvedDate(value, "day", f"sentence: {said.quoted} weekday-resolved")


def _day_month_coming(said: _DayMonth, reference: ResolvedDate) -> ResolvedDate | Unresolved:
    """"le 5 août prochain": the first such day after the publication (its weekday true, if given)."""
    start = reference.value
    for year in (start.year, start.year + 1, start.year + 2):
        candidate = safe_date(year, said.month, said.day)
        if candidate is None or candidate < start or (candidate == start and reference.precision == "day"):
            continue
        if said.weekday is None or candidate.weekday() == said.weekday:
            return ResolvedDate(candidate, "day", f"sentence: {said.quoted} next after {start}")
    return Unresolved(f"{said.quoted}: no such coming day after {start}")


def _day_month_around(said: _DayMonth, reference: ResolvedDate) -> ResolvedDate | Unresolved:
    """The year that puts the day in or just before the publication span (or close ahead of it)."""
    start, end = reference.value, reference.end
    day, month = said.day, said.month
    ahead = dt.timedelta(days=0 if _past(said.direction) else NEAR_FUTURE_DAYS)
    if said.weekday is not None:
        earliest = start - dt.timedelta(days=WEEKDAY_DAYS_BEFORE)
        value = weekday_in(said.weekday, month, day, earliest, end + ahead)
        if value is None:
            return Unresolved(
                f"{said.quoted}: no year between {earliest} and {end + ahead} makes {day}/{month} a "
                f"{said.weekday_word}"
            )
        return ResolvedDate(value, "day", f"sentence: {said.quoted} weekday-resolved within {_describe(reference)}")
    value = _nearest_year(month, day, start, end, ahead)
    if value is None:  # pragma: no cover - 29 February has a leap year within four
        return Unresolved(f"{said.quoted}: no such day near {_describe(reference)}")
    upcoming = " upcoming" if value > end else ""
    return ResolvedDate(value, "day", f"sentence: {said.quoted}{upcoming} (year of {_describe(reference)})")


def _nearest_year(month: int, day: int, start: dt.date, end: dt.date, ahead: dt.timedelta) -> dt.date | None:
    """Day/month in the span if it is there; else the nearer of the latest one before the span and
    the first one after it, when that is at most `ahead` after its end."""
    candidates = [c for y in range(end.year + 1, end.year - 5, -1) if (c := safe_date(y, month, day))]
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
        candidate = safe_date(month_start.year, month_start.month, day)
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
        return safe_date(value.year + month // 12, month % 12 + 1, 1) or value
    return safe_date(value.year + count, value.month, 1) or value


def resolve_after(
    mention: DateMention, anchor: ResolvedDate, anchor_label: str, *, inverse: bool = False
) -> ResolvedDate:
    """'24 heures après cet appel': the anchor event's date shifted; precision stays the anchor's.
    `inverse`: the event is what the expression counts from ('Quatre jours après l'attaque, les
    journaux...': the attack is four days before the anchor)."""
    count = grammar().count_of(mention.required("count"))
    sign = -1 if words().is_before(mention.required("rel")) else 1
    sign = -sign if inverse else sign
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
            value = safe_date(reference.value.year - count, reference.value.month, reference.value.day) or value
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
        value = safe_date(int(mention.required("y")), int(mention.required("m")), int(mention.required("d")))
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
