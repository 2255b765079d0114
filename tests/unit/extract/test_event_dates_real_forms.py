"""Event dates against the publication date as an interval, in the forms real outlets write
(issue 12): a month or a year is a span, never its first day; no year fits means unknown."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.common.date_grammar import fold, load_grammar
from services.extract import event_dates as extract_dates
from services.extract.event_dates import (
    NEAR_FUTURE_DAYS,
    WEEKDAY_DAYS_BEFORE,
    ResolvedDate,
    Unresolved,
    explain_mention,
    find_date_mentions,
    infer_reference,
    publication_reference,
    resolve_mention,
)
from services.ingest.publication_date import full_dates

D = dt.date
TODAY = D(2026, 1, 15)
YEAR_2022 = publication_reference(D(2022, 6, 1), "year")
AUGUST_2024 = publication_reference(D(2024, 8, 1), "month")
DAY_2024 = publication_reference(D(2024, 7, 31), "day")  # a Wednesday
REFERENCES = {"2022": YEAR_2022, "2024-08": AUGUST_2024, "2024-07-31": DAY_2024, "none": None}


def first(text: str, reference: ResolvedDate | None) -> ResolvedDate | Unresolved:
    mentions = find_date_mentions(text)
    assert mentions, f"no date found in {text!r}"
    return explain_mention(mentions[0], reference, TODAY)


CASES = [
    # An article of 2022 (year precision): everything resolves within 2022, or just before it.
    ("2022", "Le président a reçu vendredi 20 mai son homologue", D(2022, 5, 20), "day"),
    ("2022", "Le chef de l'État a annoncé ce jeudi 17 février le retrait", D(2022, 2, 17), "day"),
    ("2022", "réunis le 12 mars à Bamako", D(2022, 3, 12), "day"),
    ("2022", "signé le 20 décembre", D(2022, 12, 20), "day"),
    ("2022", "arrivé le 3 janvier", D(2022, 1, 3), "day"),
    ("2022", "le 5 janv. à Niamey", D(2022, 1, 5), "day"),
    ("2022", "le 1er déc. dernier", D(2022, 12, 1), "day"),
    ("2022", "les affrontements des 25, 26 et 27 juillet dernier", D(2022, 7, 25), "day"),
    ("2022", "le 10 septembre dernier", D(2022, 9, 10), "day"),
    ("2022", "jeudi 30 décembre, les ministres", D(2021, 12, 30), "day"),
    ("2022", "lundi 10 octobre", D(2022, 10, 10), "day"),
    ("2022", "en juillet", D(2022, 7, 1), "month"),
    ("2022", "fin sept. les troupes", D(2022, 9, 1), "month"),
    ("2022", "mi-février", D(2022, 2, 1), "month"),
    ("2022", "hier soir", D(2022, 1, 1), "year"),
    ("2022", "jeudi, le ministre", D(2022, 1, 1), "year"),
    ("2022", "la semaine dernière", D(2022, 1, 1), "year"),
    ("2022", "l'année dernière", D(2021, 1, 1), "year"),
    ("2022", "l'an prochain", D(2023, 1, 1), "year"),
    ("2022", "il y a deux ans", D(2020, 1, 1), "year"),
    ("2022", "il y a trois jours", D(2022, 1, 1), "year"),
    ("2022", "le 3/04/2022 à Niamey", D(2022, 4, 3), "day"),
    ("2022", "dimanche 5 mai 2019", D(2019, 5, 5), "day"),
    ("2022", "depuis 2015", D(2015, 1, 1), "year"),
    # An article of August 2024 (month precision).
    ("2024-08", "lundi 12 août, le gouvernement", D(2024, 8, 12), "day"),
    ("2024-08", "le 12 août", D(2024, 8, 12), "day"),
    ("2024-08", "ce vendredi 2 août", D(2024, 8, 2), "day"),
    ("2024-08", "samedi 27 juillet", D(2024, 7, 27), "day"),
    ("2024-08", "le 20 juillet", D(2024, 7, 20), "day"),
    ("2024-08", "le 5 septembre", D(2024, 9, 5), "day"),
    ("2024-08", "le 5 septembre dernier", D(2023, 9, 5), "day"),
    ("2024-08", "le 12 mars prochain", D(2025, 3, 12), "day"),
    ("2024-08", "le 28 janv.", D(2024, 1, 28), "day"),
    ("2024-08", "le 3 fév.", D(2024, 2, 3), "day"),
    ("2024-08", "jeudi", D(2024, 8, 1), "month"),
    ("2024-08", "hier", D(2024, 8, 1), "month"),
    ("2024-08", "avant-hier", D(2024, 8, 1), "month"),
    ("2024-08", "la semaine dernière", D(2024, 8, 1), "month"),
    ("2024-08", "le mois dernier", D(2024, 7, 1), "month"),
    ("2024-08", "le mois prochain", D(2024, 9, 1), "month"),
    ("2024-08", "il y a trois mois", D(2024, 5, 1), "month"),
    ("2024-08", "mi-juillet", D(2024, 7, 1), "month"),
    ("2024-08", "en octobre", D(2023, 10, 1), "month"),
    ("2024-08", "début sept.", D(2023, 9, 1), "month"),
    ("2024-08", "en juillet prochain", D(2025, 7, 1), "month"),
    ("2024-08", "en décembre 2023", D(2023, 12, 1), "month"),
    # An article of Wednesday 31 July 2024 (day precision).
    ("2024-07-31", "hier", D(2024, 7, 30), "day"),
    ("2024-07-31", "avant-hier", D(2024, 7, 29), "day"),
    ("2024-07-31", "aujourd'hui", D(2024, 7, 31), "day"),
    ("2024-07-31", "aujourd’hui", D(2024, 7, 31), "day"),
    ("2024-07-31", "demain", D(2024, 8, 1), "day"),
    ("2024-07-31", "après-demain", D(2024, 8, 2), "day"),
    ("2024-07-31", "le 5 août", D(2024, 8, 5), "day"),
    ("2024-07-31", "le 28 janv.", D(2024, 1, 28), "day"),
    ("2024-07-31", "le 7 sept.", D(2023, 9, 7), "day"),
    ("2024-07-31", "le 10 déc.", D(2023, 12, 10), "day"),
    ("2024-07-31", "le 10 decembre", D(2023, 12, 10), "day"),
    ("2024-07-31", "le 15 aout", D(2024, 8, 15), "day"),
    ("2024-07-31", "mardi", D(2024, 7, 30), "day"),
    ("2024-07-31", "vendredi dernier", D(2024, 7, 26), "day"),
    ("2024-07-31", "samedi prochain", D(2024, 8, 3), "day"),
    ("2024-07-31", "jeudi 1er août", D(2024, 8, 1), "day"),
    ("2024-07-31", "mardi 10 octobre", D(2023, 10, 10), "day"),
    ("2024-07-31", "il y a une semaine", D(2024, 7, 24), "day"),
    ("2024-07-31", "il y a quelques jours", D(2024, 7, 31), "day"),
    ("2024-07-31", "il y a deux mois", D(2024, 5, 1), "month"),
    ("2024-07-31", "la semaine dernière", D(2024, 7, 22), "month"),
    ("2024-07-31", "le 1er juin", D(2024, 6, 1), "day"),
    ("2024-07-31", "le 1re juin", D(2024, 6, 1), "day"),
    # A night across two days is dated by its second day, as reports of night attacks are.
    ("2024-07-31", "dans la nuit de samedi à dimanche, des hommes armés", D(2024, 7, 28), "day"),
    ("2024-07-31", "dans la nuit du lundi au mardi 30 juillet", D(2024, 7, 30), "day"),
    # With no article date, only a weekday with its day and month pins a year (searching from today).
    ("none", "a déclaré mardi 10 octobre", D(2023, 10, 10), "day"),
    ("none", "le 12 juin 2023", D(2023, 6, 12), "day"),
]


@pytest.mark.parametrize(("ref", "text", "value", "precision"), CASES)
def test_explain_mention_resolves_within_the_publication_span(
    ref: str, text: str, value: dt.date, precision: str
) -> None:
    """Each real form resolves to the right date and precision against a day, a month or a year."""
    resolved = first(text, REFERENCES[ref])
    assert isinstance(resolved, ResolvedDate), resolved
    assert (resolved.value, resolved.precision) == (value, precision)


UNKNOWN = [
    ("2022", "mardi 10 octobre"),  # Monday in 2022, Sunday in 2021: no year fits
    ("2022", "mercredi 18 février"),
    ("2024-08", "mardi 12 août"),  # Monday in 2024, Saturday in 2023
    ("none", "le 12 mars"),
    ("none", "hier"),
    ("none", "jeudi"),
    ("none", "la semaine dernière"),
    ("none", "en juillet"),
    ("none", "il y a trois jours"),
    ("2024-07-31", "le 31 février 2024"),
]


@pytest.mark.parametrize(("ref", "text"), UNKNOWN)
def test_explain_mention_is_unknown_with_reason_when_no_year_fits(ref: str, text: str) -> None:
    """When no year fits the span (or there is no reference), the date is unknown with a reason."""
    resolved = first(text, REFERENCES[ref])
    assert isinstance(resolved, Unresolved)
    assert resolved.reason


# ---- regressions: the causes the issue lists -----------------------------------------------------


def test_publication_reference_month_is_a_span_not_its_first_day() -> None:
    """Regression: a month-precision publication is the span 1..31 August, its end the last day."""
    assert (AUGUST_2024.value, AUGUST_2024.end) == (D(2024, 8, 1), D(2024, 8, 31))
    assert (YEAR_2022.value, YEAR_2022.end) == (D(2022, 1, 1), D(2022, 12, 31))


def test_resolve_mention_friday_20_may_in_2022_article_is_2022() -> None:
    """Regression: "vendredi 20 mai" in a 2022 article was 2021-05-20 (2022 read as 1 January)."""
    assert resolve_mention(find_date_mentions("vendredi 20 mai")[0], YEAR_2022, TODAY).value == D(2022, 5, 20)


def test_resolve_mention_this_thursday_17_february_in_2022_article_is_2022() -> None:
    """Regression: "ce jeudi 17 février" in a 2022 article was 2011-02-17."""
    resolved = resolve_mention(find_date_mentions("ce jeudi 17 février")[0], YEAR_2022, TODAY)
    assert resolved is not None and resolved.value == D(2022, 2, 17)


def test_infer_reference_from_deictic_date_inside_the_year() -> None:
    """A 2022 article saying "ce jeudi 17 février" is dated 17 February 2022 for its other dates."""
    reference = infer_reference(["Le ministre a annoncé ce jeudi 17 février le départ."], YEAR_2022, TODAY)
    assert reference is not None and (reference.value, reference.precision) == (D(2022, 2, 17), "day")


def test_infer_reference_ignores_deictic_date_outside_the_span() -> None:
    """"jeudi 30 décembre" (2021) cannot be the publication day of a 2022 article: the year stays."""
    assert infer_reference(["Il a parlé jeudi 30 décembre."], YEAR_2022, TODAY) == YEAR_2022


@pytest.mark.parametrize("text", ["pendant plus de sept jours", "de sept ans", "les sept accords", "en mar"])
def test_find_date_mentions_reads_no_month_in_a_bare_abbreviation(text: str) -> None:
    """"sept" without a dot, a day or a year is the number, not September."""
    assert [m for m in find_date_mentions(text) if m.kind in {"month", "month_year", "day_month"}] == []


def test_extract_dates_has_no_month_table_of_its_own() -> None:
    """Regression: months lived in two places that disagreed; extract now has none of its own."""
    assert not hasattr(extract_dates, "MONTHS") and not hasattr(extract_dates, "WEEKDAYS")


def _month_forms() -> list[tuple[str, int]]:
    grammar = load_grammar("fr")
    assert grammar is not None
    forms = []
    for form, number in grammar.month_numbers.items():
        forms.append((form, number))
        if form in grammar.abbreviations:
            forms.append((f"{form}.", number))
    return forms


@pytest.mark.parametrize(("form", "number"), _month_forms())
def test_ingest_and_extract_read_every_month_form_alike(form: str, number: int) -> None:
    """Regression: "janv.", "fév.", "sept." were ingest's only; every form now reads the same in both."""
    text = f"le 12 {form} 2024"
    assert full_dates(text, "fr") == [D(2024, number, 12)]
    resolved = resolve_mention(find_date_mentions(text)[0], DAY_2024, TODAY)
    assert resolved is not None and resolved.value == D(2024, number, 12)


def test_unresolved_weekday_keeps_the_publication_span_in_events() -> None:
    """In events, a date no year fits falls back to the article date and says why (no wrong year)."""
    resolved = first("mardi 10 octobre", YEAR_2022)
    assert isinstance(resolved, Unresolved) and "mardi" in resolved.reason


# ---- properties over the interval logic ----------------------------------------------------------

GRAMMAR = load_grammar("fr")
assert GRAMMAR is not None
FULL_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
               "novembre", "décembre"]
WEEKDAYS = sorted(GRAMMAR.weekdays, key=GRAMMAR.weekdays.__getitem__)
PAST_DAYS = [word for word, offset in GRAMMAR.relative_days.items() if offset <= 0]

references = st.builds(
    publication_reference,
    st.dates(D(2000, 1, 1), D(2035, 12, 31)),
    st.sampled_from(["day", "month", "year"]),
)


def _check_month_names() -> None:
    assert [GRAMMAR.month_of(name) for name in FULL_MONTHS] == list(range(1, 13))
    assert all(fold(name) in GRAMMAR.month_numbers for name in FULL_MONTHS)


_check_month_names()


@settings(max_examples=300, deadline=None)
@given(references, st.integers(1, 28), st.integers(1, 12), st.sampled_from(["", *WEEKDAYS]))
def test_property_past_date_never_after_end_of_span(
    reference: ResolvedDate, day: int, month: int, weekday: str
) -> None:
    """A date said to be past ("dernier") never lies after the end of the publication span, nor a year
    before its start."""
    text = f"{weekday} {day} {FULL_MONTHS[month - 1]} dernier".strip()
    resolved = resolve_mention(find_date_mentions(text)[0], reference, TODAY)
    if resolved is None:
        return
    assert resolved.value <= reference.end
    assert resolved.value >= reference.value - dt.timedelta(days=WEEKDAY_DAYS_BEFORE + 1)


@settings(max_examples=300, deadline=None)
@given(references, st.integers(1, 28), st.integers(1, 12), st.sampled_from(["", *WEEKDAYS]))
def test_property_day_month_lies_near_the_span(
    reference: ResolvedDate, day: int, month: int, weekday: str
) -> None:
    """A day and month without a year lie within a year before the span and a month after it, and
    with a weekday the weekday is true."""
    text = f"{weekday} {day} {FULL_MONTHS[month - 1]}".strip()
    resolved = explain_mention(find_date_mentions(text)[0], reference, TODAY)
    if isinstance(resolved, Unresolved):
        assert weekday  # only a weekday that fits no year makes it unknown
        return
    assert (resolved.value.month, resolved.value.day) == (month, day)
    assert reference.value - dt.timedelta(days=WEEKDAY_DAYS_BEFORE + 1) <= resolved.value
    assert resolved.value <= reference.end + dt.timedelta(days=NEAR_FUTURE_DAYS)
    if weekday:
        assert resolved.value.weekday() == GRAMMAR.weekdays[weekday]


@settings(max_examples=300, deadline=None)
@given(references, st.sampled_from(list(GRAMMAR.relative_days)))
def test_property_relative_day_lies_within_the_span_or_its_offset(reference: ResolvedDate, word: str) -> None:
    """"hier", "demain"...: the span, or the span moved by the word's offset, never further."""
    offset = GRAMMAR.relative_days[word]
    resolved = resolve_mention(find_date_mentions(word.replace("'", "’"))[0], reference, TODAY)
    assert resolved is not None
    low = reference.value + dt.timedelta(days=min(offset, 0))
    high = reference.end + dt.timedelta(days=max(offset, 0))
    assert low <= resolved.value <= resolved.end <= high or (
        reference.value <= resolved.value and resolved.end <= reference.end
    )
    if word in PAST_DAYS:
        assert resolved.value <= reference.end


@settings(max_examples=200, deadline=None)
@given(references, st.sampled_from([*WEEKDAYS, *(f"{w} dernier" for w in WEEKDAYS)]))
def test_property_lone_weekday_is_past_and_within_a_week(reference: ResolvedDate, text: str) -> None:
    """A lone weekday is on or before the end of the span, at most a week (and a day) before its start."""
    resolved = resolve_mention(find_date_mentions(text)[0], reference, TODAY)
    assert resolved is not None
    assert resolved.value <= reference.end
    assert resolved.value >= reference.value - dt.timedelta(days=7)


@settings(max_examples=200, deadline=None)
@given(references, st.sampled_from(["la semaine dernière", "il y a trois jours", "il y a une semaine",
                                    "le mois dernier", "il y a deux mois", "l'année dernière"]))
def test_property_past_periods_never_after_end_of_span(reference: ResolvedDate, text: str) -> None:
    """Past periods start on or before the end of the publication span, never years before its start."""
    resolved = resolve_mention(find_date_mentions(text)[0], reference, TODAY)
    assert resolved is not None
    assert resolved.value <= reference.end
    assert resolved.value.year >= reference.value.year - 1


@pytest.mark.parametrize(
    ("text", "month_day"),
    [
        ("le 14 novembre", (11, 14)),
        ("Le 17 octobre dernier", (10, 17)),
        ("le 1er févr.", (2, 1)),
        ("le 12 mars", (3, 12)),
    ],
)
def test_explain_mention_without_any_year_keeps_day_and_month(text: str, month_day: tuple[int, int]) -> None:
    """No year can be told, but the day and month are kept for the store to compare."""
    resolved = first(text, None)
    assert isinstance(resolved, Unresolved) and resolved.month_day == month_day


def test_explain_mention_impossible_day_keeps_no_day_and_month() -> None:
    resolved = first("le 31 février", None)
    assert isinstance(resolved, Unresolved) and resolved.month_day is None
