"""Date expressions: found in French text and resolved against a reference date."""

from __future__ import annotations

import datetime as dt

import pytest

from services.extract.event_dates import (
    ResolvedDate,
    find_date_mentions,
    infer_reference,
    publication_reference,
    resolve_after,
    resolve_mention,
    weekday_year,
)

REF = ResolvedDate(dt.date(2024, 7, 31), "day", "article date")
TODAY = dt.date(2026, 1, 15)


def resolve(text: str, reference: ResolvedDate | None = REF) -> ResolvedDate | None:
    mentions = find_date_mentions(text)
    assert mentions, f"no date found in {text!r}"
    return resolve_mention(mentions[0], reference, TODAY)


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("Le mercredi 31 juillet 2024, le chef de l'État", dt.date(2024, 7, 31), "day"),
        ("réunis le 12 mars", dt.date(2024, 3, 12), "day"),
        ("signé le 3/04/2024 à Niamey", dt.date(2024, 4, 3), "day"),
        ("dimanche 5 mai 2024", dt.date(2024, 5, 5), "day"),
        ("le 10 septembre dernier", dt.date(2023, 9, 10), "day"),
        ("lundi dernier", dt.date(2024, 7, 29), "day"),
        ("mi-septembre", dt.date(2023, 9, 1), "month"),
        ("fin juillet 2023", dt.date(2023, 7, 1), "month"),
        ("hier", dt.date(2024, 7, 30), "day"),
        ("avant-hier", dt.date(2024, 7, 29), "day"),
        ("il y a trois jours", dt.date(2024, 7, 28), "day"),
        ("la semaine prochaine", dt.date(2024, 8, 5), "month"),
        ("mardi prochain", dt.date(2024, 8, 6), "day"),
        ("en 2021", dt.date(2021, 1, 1), "year"),
        ("le 2024-02-28", dt.date(2024, 2, 28), "day"),
    ],
)
def test_resolve_mention_french_forms(text: str, expected: dt.date, precision: str) -> None:
    """Each common French date form resolves to the right day and precision."""
    resolved = resolve(text)
    assert resolved is not None
    assert (resolved.value, resolved.precision) == (expected, precision)


def test_resolve_mention_range_takes_first_day() -> None:
    """'des 25, 26 et 27 juillet dernier' dates the start of the range."""
    assert resolve("les affrontements des 25, 26 et 27 juillet dernier").value == dt.date(2024, 7, 25)


def test_weekday_year_picks_year_making_weekday_true() -> None:
    """'mardi 10 octobre' without a year is 2023, the latest such Tuesday not after the reference."""
    assert weekday_year(1, 10, 10, dt.date(2026, 1, 15)) == dt.date(2023, 10, 10)


def test_resolve_mention_weekday_day_month_without_reference_uses_today() -> None:
    """With no article date, the weekday still pins the year, searching back from today."""
    resolved = resolve("a déclaré mardi 10 octobre sur son compte", reference=None)
    assert resolved is not None and resolved.value == dt.date(2023, 10, 10)
    assert "weekday" in resolved.reason


def test_resolve_mention_plain_day_month_without_reference_is_unknown() -> None:
    """'le 12 mars' with no reference year cannot be dated."""
    assert resolve("le 12 mars", reference=None) is None


def test_resolve_mention_deictic_slip_reads_publication_month() -> None:
    """'ce 1er juillet' in an article of 31 July is a slip for 1 August, and says so."""
    resolved = resolve("Par ailleurs, ce 1er juillet, le ministre")
    assert resolved is not None and resolved.value == dt.date(2024, 8, 1)
    assert "slip" in resolved.reason


def test_resolve_mention_weekday_with_month_precision_stays_the_month() -> None:
    """'jeudi' in an article known only to August 2024 is August 2024 (month): the day cannot be told."""
    reference = publication_reference(dt.date(2024, 8, 1), "month")
    resolved = resolve("a réaffirmé, jeudi, que", reference)
    assert resolved is not None
    assert (resolved.value, resolved.precision) == (dt.date(2024, 8, 1), "month")


def test_resolve_after_shifts_anchor_by_hours() -> None:
    """'24 heures après cet appel' is the day after the call."""
    mention = find_date_mentions("24 heures après cet appel présidentiel")[0]
    resolved = resolve_after(mention, ResolvedDate(dt.date(2024, 7, 31), "day", "x"), "after 'appel'")
    assert resolved.value == dt.date(2024, 8, 1)
    assert "24 heures après" in resolved.reason


def test_find_date_mentions_marks_since_as_no_event_date() -> None:
    """'depuis 2021' is a state since then, not the date of the event."""
    mention = find_date_mentions("convenus depuis 2021 à renforcer")[0]
    assert mention.is_since


def test_infer_reference_from_weekday_when_article_undated() -> None:
    """An undated article takes its reference from 'mardi 10 octobre'."""
    reference = infer_reference(
        ["Nouvel entretien.", "Il a déclaré mardi 10 octobre avoir eu un appel."], None, TODAY
    )
    assert reference is not None and reference.value == dt.date(2023, 10, 10)
    assert reference.reason.startswith("article date inferred")


def test_infer_reference_keeps_publication_day() -> None:
    """A publication day is the reference, whatever the text says."""
    published = publication_reference(dt.date(2024, 2, 29), "day")
    assert infer_reference(["mardi 10 octobre"], published, TODAY) == published


def test_infer_reference_ignores_plain_dates_when_undated() -> None:
    """Without an article date, only a weekday+day+month dates the story (no year guess)."""
    assert infer_reference(["le 12 mars, il a signé"], None, TODAY) is None
