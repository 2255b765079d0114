"""HTML input: the main text and metadata come out; a page without an article is poison."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from services.common.contracts import RawArticle
from services.common.errors import PoisonMessage
from services.ingest.html_extract import extract_page
from services.ingest.normalize import normalize_article

DATA = Path(__file__).resolve().parent / "data"


def page(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def test_extract_page_reads_main_text_and_metadata() -> None:
    """trafilatura gives the article's paragraphs, its title, author, date and site name."""
    found = extract_page(page("article_sahel.html"))
    assert found is not None
    assert "Abdoulaye Diop, a reçu mardi à Bamako" in found.text
    assert (found.title, found.author, found.date, found.sitename) == (
        "Mali : Bamako et Moscou signent trois accords de coopération",
        "Awa Traoré",
        "2024-03-12",
        "Le Journal du Sahel",
    )


def test_normalize_article_from_html_keeps_only_the_article() -> None:
    """Menu, cookie banner, share bar, comments, newsletter and footer are not in the text."""
    article = normalize_article(RawArticle(html=page("article_sahel.html"), url="https://example.org/mali/1"))
    for noise in (
        "Accueil",
        "cookies",
        "Partager",
        "commentaire",
        "Très bonne nouvelle",
        "newsletter",
        "droits réservés",
        "Lire aussi",
    ):
        assert noise not in article.text
    assert article.text.count("\n\n") == 4  # title + four paragraphs
    assert (
        "« Nous allons poursuivre notre partenariat stratégique avec la Fédération de Russie »"
        in article.text
    )


def test_normalize_article_from_html_takes_metadata_with_provenance() -> None:
    """Title, author and site name come from the page, the date from article:published_time ("html")."""
    article = normalize_article(RawArticle(html=page("article_sahel.html")))
    assert article.title == "Mali : Bamako et Moscou signent trois accords de coopération"
    assert article.author == "Awa Traoré"
    assert article.source_name == "Le Journal du Sahel"
    assert (article.published_at, article.published_precision, article.published_from) == (
        dt.date(2024, 3, 12),
        "day",
        "html",
    )
    assert article.lang == "fr"


def test_normalize_article_from_html_applies_text_rules_to_what_the_page_left() -> None:
    """Byline, stamp, dateline and share line left in the page body are removed and read."""
    article = normalize_article(RawArticle(html=page("byline_in_body.html")))
    assert article.author == "Jean Dupont"
    assert article.source_name == "AFP"
    assert (article.published_at, article.published_from) == (dt.date(2023, 12, 11), "dateline")
    assert {line.kind for line in article.removed} == {"byline", "published_line", "share", "dateline"}
    assert article.text.splitlines()[2].startswith("La mission des Nations unies au Mali a remis lundi")


def test_normalize_article_producer_metadata_wins_over_html() -> None:
    """A producer's title, source and date win over the page's; the page's other date is named as the loser."""
    raw = RawArticle(
        html=page("article_sahel.html"),
        title="Titre du producteur",
        source="Studio Tamani",
        published_at="2024-03-11",
    )
    article = normalize_article(raw)
    assert (article.title, article.source_name, article.published_at, article.published_from) == (
        "Titre du producteur",
        "Studio Tamani",
        dt.date(2024, 3, 11),
        "producer>html",
    )


def test_normalize_article_rejects_page_with_only_a_menu() -> None:
    """A page with a navigation menu and no article body is poison, with a clear reason."""
    with pytest.raises(PoisonMessage, match="no extractable main text"):
        normalize_article(RawArticle(html=page("nav_only.html")))


def test_normalize_article_rejects_page_of_short_lines() -> None:
    """A page whose only "text" is a list of short links is poison too."""
    html = (
        "<html><body><div>"
        + "".join(f"<p>Rubrique numéro {n}</p>" for n in range(12))
        + "</div></body></html>"
    )
    with pytest.raises(PoisonMessage, match="no extractable main text"):
        normalize_article(RawArticle(html=html))


def test_normalize_article_rejects_html_over_size_limit() -> None:
    """An HTML page over max_bytes is poison before any parsing."""
    with pytest.raises(PoisonMessage, match="over the limit"):
        normalize_article(RawArticle(html=page("article_sahel.html")), max_bytes=1_000)
