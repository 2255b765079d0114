"""The five sample articles against their gold annotations (tests/data/seeds_gold.json)."""

from __future__ import annotations

import hashlib
import json
from functools import cache

import pytest

from services.common.contracts import NormalizedArticle, RawArticle
from services.ingest.normalize import normalize_article
from services.ingest.text_cleanup import normalize_line
from tests.conftest import GOLD, SEEDS

SEED_IDS = sorted(path.stem for path in SEEDS.glob("*.txt"))


@cache
def gold() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))["articles"]


@cache
def normalized(seed: str) -> NormalizedArticle:
    return normalize_article(
        RawArticle(text=(SEEDS / f"{seed}.txt").read_text(encoding="utf-8"), external_id=seed)
    )


def test_seeds_are_all_annotated() -> None:
    """Every seed file has gold, so the checks below cover all five."""
    assert len(SEED_IDS) == 5
    assert set(SEED_IDS) == set(gold())


@pytest.mark.parametrize("seed", SEED_IDS)
def test_normalize_article_removes_exactly_the_gold_boilerplate(seed: str) -> None:
    """All gold boilerplate lines are removed and nothing else (no body sentence), compared normalized."""
    expected = [normalize_line(line) for line in gold()[seed]["boilerplate_lines"]]
    assert [line.text for line in normalized(seed).removed] == expected


@pytest.mark.parametrize("seed", SEED_IDS)
def test_normalize_article_keeps_no_gold_boilerplate_in_text(seed: str) -> None:
    """No gold boilerplate line is left as a paragraph of the text."""
    paragraphs = set(normalized(seed).text.split("\n\n"))
    assert not paragraphs & {normalize_line(line) for line in gold()[seed]["boilerplate_lines"]}


@pytest.mark.parametrize("seed", SEED_IDS)
def test_normalize_article_dates_seed_as_gold_accepts(seed: str) -> None:
    """The publication date is one the gold accepts at ingest (null: unknown; YYYY-MM: month precision)."""
    article = normalized(seed)
    if article.published_at is None:
        found = None
    elif article.published_precision == "month":
        found = article.published_at.isoformat()[:7]
    else:
        found = article.published_at.isoformat()[:10]
    assert found in gold()[seed]["published_accept_at_ingest"]
    assert (article.published_precision == "unknown") is (found is None)


@pytest.mark.parametrize("seed", SEED_IDS)
def test_normalize_article_finds_gold_metadata(seed: str) -> None:
    """Language, title, source name and author are the gold ones (None where gold has none)."""
    expected = gold()[seed]
    article = normalized(seed)
    assert article.lang == expected["lang"]
    assert article.title == (normalize_line(expected["title"]) if expected.get("title") else None)
    assert article.source_name == expected.get("source_name")
    assert article.author == expected.get("author")


def test_normalize_article_keeps_title_variant_of_seed_002_in_text() -> None:
    """The second headline of 002 is not boilerplate: it stays in the text, after the title."""
    paragraphs = normalized("002_6f7de2adea3210fe").text.split("\n\n")
    assert paragraphs[:2] == [
        "Nouvel entretien entre Poutine et Goïta",
        "Nouvel entretien entre Vladimir Poutine et Assimi Goïta",
    ]


def test_normalize_article_keeps_title_once_in_seed_003() -> None:
    """003 prints its headline three times: the title line stays once, the "Article :" copy is boilerplate."""
    article = normalized("003_aff52467650c9e76")
    assert article.text.split("\n\n").count(article.title) == 1
    assert article.text.startswith(article.title)


def test_normalize_article_cuts_date_prefix_of_seed_001() -> None:
    """The " date 2024-08 –" prefix is cut from the first sentence, which stays whole."""
    assert normalized("001_98f8ecbca590d10d").text.startswith("A l'occasion d'un entretien téléphonique")


@pytest.mark.parametrize("seed", SEED_IDS)
def test_normalize_article_id_is_hash_of_text(seed: str) -> None:
    """content_sha256 is the SHA-256 of the text; article_id its first 16 hex digits; external_id kept."""
    article = normalized(seed)
    assert article.content_sha256 == hashlib.sha256(article.text.encode("utf-8")).hexdigest()
    assert article.article_id == article.content_sha256[:16]
    assert article.external_id == seed


@pytest.mark.parametrize("seed", SEED_IDS)
def test_normalize_article_is_idempotent_on_seed(seed: str) -> None:
    """Feeding the normalized text back in gives the same text and article_id, and removes nothing."""
    first = normalized(seed)
    again = normalize_article(RawArticle(text=first.text))
    assert (again.text, again.article_id, again.title, again.removed) == (
        first.text,
        first.article_id,
        first.title,
        [],
    )
