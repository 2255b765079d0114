"""Publication dates that need another signal or the lead's own words: yearless agency datelines
("Niamey, 23 jan (ANI) -") and a lead dated by "hier" ("a suspendu, hier mercredi 22 janvier 2025")."""

from __future__ import annotations

import datetime as dt

import pytest

from services.common.contracts import RawArticle
from services.ingest.normalize import normalize_article
from services.ingest.publication_date import PublishedDate, infer_from_text
from services.ingest.yearless_dateline import with_year, yearless_dateline

BODY = "Le ministre de la Communication a suspendu pour trois mois la diffusion des programmes de la radio."
FILLER = "Selon l'arrêté ministériel, la mesure fait suite à une émission interactive diffusée la semaine passée."


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        (f"Niamey, 23 jan (ANI) - {BODY}", (1, 23)),
        (f"DAKAR, 14 mai (APS) – {BODY}", (5, 14)),
        (f"Bruxelles, 23 juin (API) - {BODY}", (6, 23)),
        (f"Abidjan, le 1er août (AIP) - {BODY}", (8, 1)),
        (f"NIAMEY, 11 février (GWS) - {BODY}", (2, 11)),
    ],
)
def test_yearless_dateline_reads_day_and_month(paragraph: str, expected: tuple[int, int]) -> None:
    assert yearless_dateline(paragraph, "fr") == expected


@pytest.mark.parametrize(
    "paragraph",
    [
        f"Bamako, 12 mars, les ministres se sont réunis. {BODY}",  # no agency: a sentence
        f"Le 12 mars (selon nos sources), {BODY}",  # no place before it
        BODY,
    ],
)
def test_yearless_dateline_is_not_any_day_and_month(paragraph: str) -> None:
    assert yearless_dateline(paragraph, "fr") is None


def test_with_year_takes_the_year_nearest_the_strongest_signal() -> None:
    url_month = PublishedDate(dt.date(2025, 2, 1), "month", "url")
    assert with_year((2, 13), [url_month]) == PublishedDate(dt.date(2025, 2, 13), "day", "dateline")
    # A late-December lead and an early-January dateline: the next year.
    lead = PublishedDate(dt.date(2024, 12, 31), "day", "text")
    assert with_year((1, 1), [lead]) == PublishedDate(dt.date(2025, 1, 1), "day", "dateline")
    assert with_year((2, 29), [PublishedDate(dt.date(2025, 2, 1), "month", "url")]).value == dt.date(2024, 2, 29)
    assert with_year((3, 4), []) is None


def test_normalize_article_dates_a_yearless_dateline_by_the_url_month() -> None:
    raw = RawArticle(text=f"Niamey, 13 février (ANI) - {BODY}\n\n{FILLER}",
                     url="https://ani.ne/2025/02/hommage-aux-martyrs")
    article = normalize_article(raw)
    assert (article.published_at, article.published_precision) == (dt.date(2025, 2, 13), "day")


def test_normalize_article_yearless_dateline_beats_the_lead_date() -> None:
    """The lead tells the news of the day before ("hier mercredi 22 janvier 2025"): the dateline's
    23 January, in the lead's year, is the publication day."""
    lead = "Niamey, 23 jan (ANI) - Le ministre a suspendu, hier mercredi 22 janvier 2025, la radio."
    raw = RawArticle(text=f"{lead}\n\n{FILLER}")
    assert normalize_article(raw).published_at == dt.date(2025, 1, 23)


def test_normalize_article_yearless_dateline_without_any_year_stays_unknown() -> None:
    raw = RawArticle(text=f"Niamey, 23 jan (ANI) - {BODY}\n\n{FILLER}")
    assert normalize_article(raw).published_precision == "unknown"


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        ("Le ministre a suspendu, hier mercredi 22 janvier 2025, la diffusion de la radio.", dt.date(2025, 1, 23)),
        ("Le ministre a reçu avant-hier, le 3 juin 2025, son homologue.", dt.date(2025, 6, 5)),
        ("Le conseil s'est réuni aujourd'hui 4 mars 2025 à Niamey.", dt.date(2025, 3, 4)),
        ("Le conseil des ministres s'est réuni ce mercredi 23 avril 2025.", dt.date(2025, 4, 23)),
        ("La conférence se tiendra demain 5 mars 2025 à Dakar.", dt.date(2025, 3, 4)),
    ],
)
def test_infer_from_text_lead_dated_by_a_relative_day(lead: str, expected: dt.date) -> None:
    found = infer_from_text([], [lead], "fr")
    assert found is not None and found.value == expected
