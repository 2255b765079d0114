"""Publication dates in the forms real outlets write them: feed prefixes, URLs, datelines, stamps,
and how the signals combine (issue 12)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from services.common.contracts import RawArticle
from services.ingest.normalize import normalize_article
from services.ingest.publication_date import (
    PublishedDate,
    combine,
    cut_date_prefix,
    cut_stamp,
    date_from_url,
    full_dates,
)

LEAD = "Le ministre malien des Affaires étrangères a reçu son homologue russe à Bamako pour des entretiens."
FILLER = "Les deux délégations ont discuté de coopération militaire et économique pendant plusieurs heures."
D = dt.date


# ---- the feed's prefix ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "precision", "rest"),
    [
        (" date 2021-11 Le ministre a reçu", D(2021, 11, 1), "month", "Le ministre a reçu"),
        ("date 2021-11 Le ministre a reçu", D(2021, 11, 1), "month", "Le ministre a reçu"),
        (" date 2024-02 Air Burkina dément", D(2024, 2, 1), "month", "Air Burkina dément"),
        ("date 2024-08 – Le président", D(2024, 8, 1), "month", "Le président"),
        ("date 2024-08 - Le président", D(2024, 8, 1), "month", "Le président"),
        ("date 2024-08 — Le président", D(2024, 8, 1), "month", "Le président"),
        ("date: 2023-10-11 Le président", D(2023, 10, 11), "day", "Le président"),
        ("date : 2023-10-11 – Le président", D(2023, 10, 11), "day", "Le président"),
        ("Date 2023-10-11 | Le président", D(2023, 10, 11), "day", "Le président"),
        ("date 2022 - Le président", D(2022, 1, 1), "year", "Le président"),
        ("date 2022 Le président", D(2022, 1, 1), "year", "Le président"),
        ("date 2022 – « Nous allons poursuivre »", D(2022, 1, 1), "year", "« Nous allons poursuivre »"),
        ("date 2024-08 – date 2024-08 – Le président", D(2024, 8, 1), "month", "Le président"),
        ("date 2024-8 – Le président", D(2024, 8, 1), "month", "Le président"),
        ("date 2024-08 – 11 soldats ont été tués", D(2024, 8, 1), "month", "11 soldats ont été tués"),
    ],
)
def test_cut_date_prefix_reads_every_real_form(text: str, value: dt.date, precision: str, rest: str) -> None:
    """With or without a dash or a colon, of any precision, the prefix is cut whole with its precision."""
    left, published = cut_date_prefix(text)
    assert published is not None
    assert (published.value, published.precision, published.origin) == (value, precision, "date-prefix")
    assert left == rest


@pytest.mark.parametrize(
    "text",
    [" date 2021-11 Le ministre", "date 2024-08 – Le", "date: 2023-10-11 Le", "date 2022 - Le", "date 2021-11-03 Le"],
)
def test_cut_date_prefix_never_leaves_a_digit_of_the_date(text: str) -> None:
    """Regression: " date 2021-11 Le ministre" left "11 Le ministre" (the prefix needed a dash)."""
    left, _ = cut_date_prefix(text)
    assert not re.match(r"\s*[-–]?\s*\d", left)


@pytest.mark.parametrize(
    "text",
    ["Date historique pour le Mali.", "Datée du 12 mars, la lettre", "date limite : 2024-08-01", "dates 2024 – x"],
)
def test_cut_date_prefix_leaves_other_text_alone(text: str) -> None:
    """A text that starts with the word "date" but no feed value is not cut."""
    assert cut_date_prefix(text) == (text, None)


# ---- the URL ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "value", "precision"),
    [
        ("https://www.lemonde.fr/afrique/article/2023/06/30/au-mali-la-minusma-doit-partir_6179862_3212.html",
         D(2023, 6, 30), "day"),
        ("https://www.rfi.fr/fr/afrique/20231010-mali-kidal-l-armée", D(2023, 10, 10), "day"),
        ("https://www.aa.com.tr/fr/afrique/20231010/mali", D(2023, 10, 10), "day"),
        ("https://niger.news-pravda.com/world/2024/07/06/2247.html", D(2024, 7, 6), "day"),
        ("https://www.jeuneafrique.com/actu/mali-accord-2023-06-30-bamako/", D(2023, 6, 30), "day"),
        ("https://www.lefaso.net/spip.php?page=x&a=2023_06_30", None, None),
        ("https://maliweb.net/2023/06/", D(2023, 6, 1), "month"),
        ("https://www.maliweb.net/2023/06/la-transition-123.html", D(2023, 6, 1), "month"),
        ("https://blog.example.org/2024-02/le-sommet", D(2024, 2, 1), "month"),
        ("https://www.aib.media/2024/1/28/niamey-accord", D(2024, 1, 28), "day"),
        ("https://maliactu.net/?p=517510", None, None),
        ("https://www.studiotamani.org/144123-accord", None, None),
        ("https://www.example.com/2023/", None, None),
        ("https://www.example.com/2023/13/45/x", None, None),
        ("https://www.example.com/news/20231345/x", None, None),
        ("https://www.example.com/1985/06/30/x", None, None),
        (None, None, None),
    ],
)
def test_date_from_url_reads_the_outlets_url_forms(
    url: str | None, value: dt.date | None, precision: str | None
) -> None:
    """Day forms /Y/M/D/, /YYYYMMDD/, -Y-M-D-; a year and month only is a month; anything else none."""
    found = date_from_url(url)
    if value is None:
        assert found is None
    else:
        assert found is not None
        assert (found.value, found.precision, found.origin) == (value, precision, "url")


# ---- datelines and stamps ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paragraph", "date", "source", "rest", "kind"),
    [
        ("Niamey 28 janv 2024(AIB/ANP)- Le ministre a reçu", D(2024, 1, 28), "AIB", "Le ministre a reçu", "dateline"),
        ("Niamey 28 janv. 2024 (ANP) – Le ministre", D(2024, 1, 28), "ANP", "Le ministre", "dateline"),
        ("BAMAKO, 12 mars 2024 (AFP) - Le ministre", D(2024, 3, 12), "AFP", "Le ministre", "dateline"),
        ("Bamako, le 12 mars 2024 (AFP) – Le ministre", D(2024, 3, 12), "AFP", "Le ministre", "dateline"),
        ("Ouagadougou, 5 févr. 2024 (AIB) – Le ministre", D(2024, 2, 5), "AIB", "Le ministre", "dateline"),
        ("Ouagadougou, 5 fév 2024 (AIB) – Le ministre", D(2024, 2, 5), "AIB", "Le ministre", "dateline"),
        ("Dakar, 3 sept. 2023 (APS) - Le ministre", D(2023, 9, 3), "APS", "Le ministre", "dateline"),
        ("Dakar, 3 sept 2023 (APS) - Le ministre", D(2023, 9, 3), "APS", "Le ministre", "dateline"),
        ("Abidjan, 1er déc. 2023 (AIP) – Le ministre", D(2023, 12, 1), "AIP", "Le ministre", "dateline"),
        ("Abidjan, le 1er décembre 2023 – Le ministre", D(2023, 12, 1), None, "Le ministre", "dateline"),
        ("N'Djamena, 15 juillet2012 : Le ministre", D(2012, 7, 15), None, "Le ministre", "dateline"),
        ("Niamey, 12/03/2024 (ANP) – Le ministre", D(2024, 3, 12), "ANP", "Le ministre", "dateline"),
        ("Bamako, lundi 12 août 2024 (AMAP) – Le ministre", D(2024, 8, 12), "AMAP", "Le ministre", "dateline"),
        ("Bamako, 12 aout 2024 (AMAP) – Le ministre", D(2024, 8, 12), "AMAP", "Le ministre", "dateline"),
        ("Bobo-Dioulasso, 9 oct. 2023 (AIB) - Le ministre", D(2023, 10, 9), "AIB", "Le ministre", "dateline"),
        ("NIAMEY, 2 NOV 2023 (ANP) - Le ministre", D(2023, 11, 2), "ANP", "Le ministre", "dateline"),
        ("Publié le 12/03/2024 à 10h32", D(2024, 3, 12), None, "", "published_line"),
        ("Publié le 12/03/2024 à 10h32 Le ministre a reçu", D(2024, 3, 12), None, "Le ministre a reçu",
         "published_line"),
        ("Publié le : 12 mars 2024", D(2024, 3, 12), None, "", "published_line"),
        ("Publié le mardi 12 mars 2024 à 10:32", D(2024, 3, 12), None, "", "published_line"),
        ("Publiée le 3 janv. 2024 à 18h00 GMT", D(2024, 1, 3), None, "", "published_line"),
        ("Mis à jour le 13 mars 2024 à 08h02", D(2024, 3, 13), None, "", "published_line"),
        ("Mis en ligne le 29/02/2024", D(2024, 2, 29), None, "", "published_line"),
        ("Date : 27 mai 2012", D(2012, 5, 27), None, "", "published_line"),
        ("information fournie par France 24 • 20/05/2022 à 14:32", D(2022, 5, 20), "France 24", "",
         "published_line"),
        ("information fournie par AFP • 02/12/2025 à 03:03", D(2025, 12, 2), "AFP", "", "published_line"),
        ("information fournie par Reuters • 12.03.2024 à 10:15", D(2024, 3, 12), "Reuters", "", "published_line"),
        ("Source : APA News | 5 mars 2024", D(2024, 3, 5), "APA News", "", "published_line"),
    ],
)
def test_cut_stamp_reads_datelines_and_stamps_of_real_outlets(
    paragraph: str, date: dt.date, source: str | None, rest: str, kind: str
) -> None:
    """Datelines with full or abbreviated months, "Publié le", "Mis à jour", aggregator stamps."""
    found = cut_stamp(paragraph, "fr")
    assert found is not None
    assert full_dates(found.date, "fr") == [date]
    assert (found.source, found.rest, found.kind) == (source, rest, kind)


@pytest.mark.parametrize(
    "paragraph",
    [
        "Le 6 juillet 2024, les chefs d'État ont créé la Confédération.",
        "29 février 2024",
        "Niamey 28 janvier 2024 les ministres se sont réunis",
        "Depuis le 26 juillet 2023, le Niger est dirigé par une junte.",
        "Bamako a accueilli le sommet.",
        "Publié le 31 février 2024",
    ],
)
def test_cut_stamp_leaves_sentences_and_date_lines(paragraph: str) -> None:
    """A sentence opening with a date, a date alone, or an impossible date is no dateline to cut."""
    assert cut_stamp(paragraph, "fr") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("28 janv 2024", [D(2024, 1, 28)]),
        ("28 janv. 2024", [D(2024, 1, 28)]),
        ("5 fév. 2024", [D(2024, 2, 5)]),
        ("5 févr 2024", [D(2024, 2, 5)]),
        ("3 sept. 2023", [D(2023, 9, 3)]),
        ("1er déc. 2023", [D(2023, 12, 1)]),
        ("1er DÉCEMBRE 2023", [D(2023, 12, 1)]),
        ("12 dec 2023", [D(2023, 12, 12)]),
        ("15 juillet2012", [D(2012, 7, 15)]),
        ("9 juil. 2024", [D(2024, 7, 9)]),
        ("4 avr. 2024", [D(2024, 4, 4)]),
        ("02.12.2025 à 03:03", [D(2025, 12, 2)]),
        ("le 2 nov 2023 et le 3 oct. 2023", [D(2023, 11, 2), D(2023, 10, 3)]),
        ("de sept 2023", []),
        ("le 12 mardi 2024", []),
    ],
)
def test_full_dates_reads_abbreviated_months(text: str, expected: list[dt.date]) -> None:
    """Every abbreviation of the grammar, with or without its dot, in any case; glued years too."""
    assert full_dates(text, "fr") == expected


# ---- combining the signals --------------------------------------------------------------------


def sig(value: str, origin: str) -> PublishedDate:
    parts = value.split("-")
    precision = {1: "year", 2: "month", 3: "day"}[len(parts)]
    numbers = [int(p) for p in parts] + [1] * (3 - len(parts))
    return PublishedDate(D(*numbers), precision, origin)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("signals", "value", "precision", "origin"),
    [
        ([sig("2024-08", "date-prefix"), sig("2024-08-12", "dateline")], D(2024, 8, 12), "day",
         "date-prefix+dateline"),
        ([sig("2024-08-12", "dateline"), sig("2024-08", "date-prefix")], D(2024, 8, 12), "day",
         "date-prefix+dateline"),
        ([sig("2022", "date-prefix"), sig("2022-05-20", "url")], D(2022, 5, 20), "day", "url"),
        ([sig("2023-06", "url"), sig("2023-06-30", "text")], D(2023, 6, 30), "day", "url+text"),
        ([sig("2024-03-11", "producer"), sig("2024-03-12", "html")], D(2024, 3, 11), "day", "producer>html"),
        ([sig("2024-08", "date-prefix"), sig("2024-07-06", "text")], D(2024, 8, 1), "month", "date-prefix"),
        ([sig("2024-08", "date-prefix"), sig("2023-08-12", "dateline")], D(2024, 8, 1), "month",
         "date-prefix>dateline"),
        ([sig("2024-08-12", "url"), sig("2024-08", "date-prefix"), sig("2024", "producer")], D(2024, 8, 12),
         "day", "producer+url"),
        ([sig("2024-08-12", "html"), sig("2024-08-12", "url")], D(2024, 8, 12), "day", "html"),
        ([sig("2021", "text")], D(2021, 1, 1), "year", "text"),
    ],
)
def test_combine_refines_inside_and_records_conflicts(
    signals: list[PublishedDate], value: dt.date, precision: str, origin: str
) -> None:
    """A finer date inside a coarser one refines it; otherwise the stronger wins and the loser is named."""
    published, note = combine(signals)
    assert published is not None
    assert (published.value, published.precision, published.origin) == (value, precision, origin)
    assert (note is not None) == (">" in origin)
    assert len(published.origin) <= 32


def test_combine_of_nothing_is_unknown() -> None:
    """No signal, no date."""
    assert combine([]) == (None, None)


def test_combine_keeps_origin_within_the_store_column() -> None:
    """published_from is a String(32): many losers are cut, never overflow."""
    signals = [sig("2024-01-01", "producer"), sig("2023-02-02", "html"), sig("2022-03-03", "url"),
               sig("2021", "date-prefix"), sig("2020-05-05", "dateline")]
    published, note = combine(signals)
    assert published is not None and len(published.origin) <= 32
    assert note is not None and "dateline 2020-05-05" in note


# ---- normalize: end to end -------------------------------------------------------------------


def test_normalize_article_prefix_without_dash_gives_month_and_clean_text() -> None:
    """Regression: " date 2021-11 Le ministre…" is November 2021 (month), the text starts with "Le"."""
    article = normalize_article(RawArticle(text=f" date 2021-11 {LEAD}\n\n{FILLER}"))
    assert (article.published_at, article.published_precision, article.published_from) == (
        D(2021, 11, 1), "month", "date-prefix")
    assert article.text.startswith("Le ministre malien")


def test_normalize_article_dates_from_url_when_text_has_none() -> None:
    """Regression: a URL with the day dates an article whose text has no date."""
    raw = RawArticle(text=f"{LEAD}\n\n{FILLER}", url="https://www.lemonde.fr/afrique/article/2023/06/30/mali_1.html")
    article = normalize_article(raw)
    assert (article.published_at, article.published_precision, article.published_from) == (
        D(2023, 6, 30), "day", "url")


def test_normalize_article_url_month_refined_by_dateline() -> None:
    """A month URL and a dateline of that month give the dateline's day, with both origins."""
    raw = RawArticle(text=f"Niamey 28 janv 2024(AIB/ANP)- {LEAD}\n\n{FILLER}", url="https://x.ne/2024/01/accord")
    article = normalize_article(raw)
    assert (article.published_at, article.published_precision, article.published_from) == (
        D(2024, 1, 28), "day", "url+dateline")
    assert article.text.startswith("Le ministre malien")
    assert article.source_name == "AIB"


def test_normalize_article_prefix_refined_by_abbreviated_dateline() -> None:
    """Regression: prefix 2024-08 and the dateline "Niamey 12 août 2024 (ANP) –" give 2024-08-12 (day)."""
    article = normalize_article(RawArticle(text=f"date 2024-08 – Niamey 12 août 2024 (ANP) – {LEAD}\n\n{FILLER}"))
    assert (article.published_at, article.published_precision, article.published_from) == (
        D(2024, 8, 12), "day", "date-prefix+dateline")
    assert article.text.startswith("Le ministre malien")


def test_normalize_article_reads_aggregator_stamp() -> None:
    """Regression: "information fournie par France 24 • 20/05/2022 à 14:32" dates the article and is removed."""
    stamp = "information fournie par France 24 • 20/05/2022 à 14:32"
    text = f"Mali : le ministre reçoit son homologue\n\n{stamp}\n\n{LEAD}"
    article = normalize_article(RawArticle(text=text))
    assert (article.published_at, article.published_from) == (D(2022, 5, 20), "dateline")
    assert "information fournie" not in article.text
    assert article.source_name == "France 24"


def test_normalize_article_reads_published_stamp_opening_a_paragraph() -> None:
    """"Publié le 12/03/2024 à 10h32 Le ministre…" dates the article; the sentence stays."""
    article = normalize_article(RawArticle(text=f"Publié le 12/03/2024 à 10h32 {LEAD}\n\n{FILLER}"))
    assert (article.published_at, article.published_from) == (D(2024, 3, 12), "dateline")
    assert article.text.startswith("Le ministre malien")


def test_normalize_article_producer_and_url_disagree_names_the_loser() -> None:
    """The producer wins over a URL of another day, and published_from says the URL disagreed."""
    raw = RawArticle(text=f"{LEAD}\n\n{FILLER}", published_at="2024-03-11", url="https://x.ml/2024/03/20/a")
    article = normalize_article(raw)
    assert (article.published_at, article.published_from) == (D(2024, 3, 11), "producer>url")
