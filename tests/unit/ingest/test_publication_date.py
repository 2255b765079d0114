"""Publication dates: ISO precision, the feed's date prefix, and which text date counts."""

from __future__ import annotations

import datetime as dt

import pytest

from services.common.contracts import RawArticle
from services.ingest.normalize import normalize_article
from services.ingest.publication_date import (
    PublishedDate,
    cut_date_prefix,
    full_dates,
    infer_from_text,
    is_date_line,
    parse_iso,
)

LEAD = "Le ministre malien des Affaires étrangères a reçu son homologue russe à Bamako pour des entretiens."
FILLER = "Les deux délégations ont discuté de coopération militaire et économique pendant plusieurs heures."


@pytest.mark.parametrize(
    ("value", "expected", "precision"),
    [
        ("2024", dt.date(2024, 1, 1), "year"),
        ("2024-08", dt.date(2024, 8, 1), "month"),
        ("2024-02-29", dt.date(2024, 2, 29), "day"),
        ("2024-03-12T10:15:00Z", dt.datetime(2024, 3, 12, 10, 15, tzinfo=dt.UTC), "day"),
    ],
)
def test_parse_iso_gives_precision_from_the_form(value: str, expected: dt.date, precision: str) -> None:
    """YYYY is a year, YYYY-MM a month, a date or datetime a day."""
    parsed = parse_iso(value, "producer")
    assert parsed is not None
    assert (parsed.value, parsed.precision, parsed.origin) == (expected, precision, "producer")


@pytest.mark.parametrize("value", ["2024-13", "2023-02-29", "hier"])
def test_parse_iso_rejects_impossible_dates(value: str) -> None:
    """Month 13, 29 February of a common year, or words are not dates."""
    assert parse_iso(value, "producer") is None


def test_cut_date_prefix_strips_prefix_and_keeps_sentence() -> None:
    """ " date 2024-08 – A l'occasion..." gives 2024-08 (month) and the sentence without the prefix."""
    text, published = cut_date_prefix(" date 2024-08 – A l'occasion d'un entretien téléphonique.")
    assert text == "A l'occasion d'un entretien téléphonique."
    assert published is not None
    assert (published.value, published.precision, published.origin) == (
        dt.date(2024, 8, 1),
        "month",
        "date-prefix",
    )


def test_cut_date_prefix_leaves_text_without_prefix() -> None:
    """A text that merely starts with the word "date" is not cut."""
    text = "Date historique pour le Mali, qui quitte la CEDEAO."
    assert cut_date_prefix(text) == (text, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le mercredi 31 juillet 2024, le chef de l'État", [dt.date(2024, 7, 31)]),
        ("lors de sa visite ce mardi 7 février 2023, a annoncé", [dt.date(2023, 2, 7)]),
        ("le 1er janvier 2024 et le 12/03/2024", [dt.date(2024, 1, 1), dt.date(2024, 3, 12)]),
        ("Publié le 3 janv. 2024, mis à jour 2024-01-04", [dt.date(2024, 1, 3), dt.date(2024, 1, 4)]),
        ("le 15 aout 2023 sans accent et le 2 FÉVRIER 2022", [dt.date(2023, 8, 15), dt.date(2022, 2, 2)]),
        ("les accords d'Alger de 2015 et le sommet de juillet 2023", []),
        ("mardi 10 octobre, puis le 10 septembre dernier", []),
        ("le 31 février 2024 n'existe pas", []),
    ],
)
def test_full_dates_finds_only_complete_valid_dates(text: str, expected: list[dt.date]) -> None:
    """Only day + month + year counts; a year alone, a weekday and day without year, or 31 February do not."""
    assert full_dates(text, "fr") == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("29 février 2024", True),
        ("Le mercredi 31 juillet 2024", True),
        ("Bamako, le 12 mars 2024", True),
        ("12/03/2024 à 10h15", True),
        ("Le 6 juillet 2024, les chefs d'État ont créé la Confédération.", False),
    ],
)
def test_is_date_line_recognises_a_line_that_is_only_a_date(line: str, expected: bool) -> None:
    """A line holding only a date (with place, weekday or time) is a date line; a sentence is not."""
    assert is_date_line(line, "fr") is expected


def test_infer_from_text_prefers_stamp_and_takes_its_earliest_date() -> None:
    """A "Publié le / Mis à jour le" stamp wins over body dates, and publication is the earlier one."""
    stamps = ["Publié le 12 mars 2024 à 10h15 Mis à jour le 13 mars 2024 à 08h02"]
    paragraphs = ["Le 2 janvier 2024, un premier accord avait été signé.", LEAD]
    published = infer_from_text(stamps, paragraphs, "fr")
    assert published is not None
    assert (published.value, published.origin) == (dt.date(2024, 3, 12), "dateline")


def test_infer_from_text_takes_leading_body_date() -> None:
    """A full date in the lead paragraph is the publication date, from the text."""
    published = infer_from_text([], [f"Le mercredi 31 juillet 2024, {LEAD}", FILLER], "fr")
    assert published is not None
    assert (published.value, published.precision, published.origin) == (dt.date(2024, 7, 31), "day", "text")


def test_infer_from_text_ignores_year_alone() -> None:
    """ "les accords d'Alger de 2015" does not make 2015 the publication year."""
    paragraphs = [f"{LEAD} Il a rappelé les accords d'Alger de 2015.", FILLER]
    assert infer_from_text([], paragraphs, "fr") is None


def test_infer_from_text_ignores_date_far_down_the_article() -> None:
    """A date in paragraph 6, about a past event, stays unknown rather than becoming the publication date."""
    paragraphs = [
        LEAD,
        FILLER,
        FILLER,
        FILLER,
        FILLER,
        "Le 18 août 2020, un coup d'État avait renversé le président.",
    ]
    assert infer_from_text([], paragraphs, "fr") is None


def test_infer_from_text_knows_no_dates_in_a_language_without_vocabulary() -> None:
    """Body dates are read only in languages with a dates file: English stays unknown."""
    assert infer_from_text([], ["On 12 March 2024, the minister met his Russian counterpart."], "en") is None


def test_normalize_article_date_prefix_wins_over_later_body_date() -> None:
    """The feed's "date 2024-08 –" prefix wins over a full date further in the text, and is cut silently."""
    raw = RawArticle(
        text=f" date 2024-08 – {LEAD}\n\nLa Confédération a été créée le 6 juillet 2024 à Niamey."
    )
    article = normalize_article(raw)
    assert (article.published_at, article.published_precision, article.published_from) == (
        dt.date(2024, 8, 1),
        "month",
        "date-prefix",
    )
    assert article.text.startswith("Le ministre malien")
    assert article.removed == []


def test_normalize_article_producer_date_wins_over_text_date() -> None:
    """A producer's published_at wins, with the precision of its form."""
    raw = RawArticle(text=f"Le 31 juillet 2024, {LEAD}", published_at="2024-08")
    article = normalize_article(raw)
    assert (article.published_at, article.published_precision, article.published_from) == (
        dt.date(2024, 8, 1),
        "month",
        "producer",
    )


def test_normalize_article_reads_dateline_date() -> None:
    """ "Bamako, le 12 mars 2024 (AFP) –" dates the article and names the agency."""
    raw = RawArticle(text=f"Bamako, le 12 mars 2024 (AFP) – {LEAD}\n\n{FILLER}")
    article = normalize_article(raw)
    assert (article.published_at, article.published_from, article.source_name) == (
        dt.date(2024, 3, 12),
        "dateline",
        "AFP",
    )
    assert article.text.startswith("Le ministre malien")


def test_normalize_article_leaves_weekday_without_year_unknown() -> None:
    """ "mardi 10 octobre" without a year is left to extract: the date stays unknown at ingest."""
    article = normalize_article(RawArticle(text=f"Le président a déclaré mardi 10 octobre que {LEAD}"))
    assert (article.published_at, article.published_precision, article.published_from) == (
        None,
        "unknown",
        None,
    )


@pytest.mark.parametrize(
    "lead",
    [
        "Élu le 24 mars 2024 sur un programme souverainiste, Bassirou Diomaye Faye a choisi la continuité.",
        "Au pouvoir depuis le coup d'État du 26 juillet 2023, le général Tiani multiplie les visites.",
        "Arrivé au pouvoir le 30 septembre 2022, le capitaine Traoré a reçu des ministres russes.",
        "Depuis le 12 mars 2024, la ville est sous blocus.",
    ],
)
def test_infer_from_text_lead_date_recalling_the_past_is_no_publication_date(lead: str) -> None:
    """A lead that recalls an earlier event gives no publication date: unknown beats wrong."""
    assert infer_from_text([], [lead], "fr") is None


def test_infer_from_text_lead_takes_the_news_date_after_a_recalled_one() -> None:
    lead = "Au pouvoir depuis le 26 juillet 2023, le général Tiani a reçu le 3 mai 2024 son homologue malien."
    assert infer_from_text([], [lead], "fr") == PublishedDate(dt.date(2024, 5, 3), "day", "text")
