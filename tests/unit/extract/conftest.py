"""Helpers of the extract tests (the real pipeline, `nlp`, is in tests/unit/conftest.py)."""

from __future__ import annotations

import datetime as dt
import hashlib

from spacy.language import Language

from services.common.contracts import Event, ExtractedArticle, NormalizedArticle


def make_article(
    text: str,
    published: dt.date | None = None,
    precision: str = "day",
    lang: str | None = "fr",
    article_id: str = "test",
    title: str | None = None,
) -> NormalizedArticle:
    """A NormalizedArticle as ingest would send it."""
    return NormalizedArticle(
        article_id=article_id,
        content_sha256=hashlib.sha256(text.encode()).hexdigest(),
        text=text,
        lang=lang,
        published_at=published,
        published_precision=precision if published else "unknown",  # type: ignore[arg-type]
        title=title,
    )


def extract_one(
    nlp: Language,
    text: str,
    published: dt.date | None = None,
    precision: str = "day",
    lang: str | None = "fr",
    title: str | None = None,
) -> ExtractedArticle:
    from services.extract.pipeline import extract_articles

    return extract_articles(nlp, [make_article(text, published, precision, lang, title=title)])[0]


def of_type(events: list[Event], event_type: str) -> list[Event]:
    """The events of one type, in the order found."""
    return [e for e in events if e.type == event_type]


def actor_keys(event: Event) -> set[str]:
    """The canonical keys of every actor of an event, either side."""
    return {a.key for a in event.source_actors + event.target_actors}
