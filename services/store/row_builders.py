"""The rows the planner's decisions write, built from the contracts and the identity facts. Pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from services.common.contracts import Event, ExtractedArticle
from services.store.dedup import Fingerprint, signature_bytes
from services.store.event_identity import EventFacts, reach_terms
from services.store.rows import ArticleRow, EventReachRow, EventRow, EventSourceRow


def article_row(
    article: ExtractedArticle,
    fingerprint: Fingerprint,
    duplicate_of: str | None,
    duplicate_reason: str | None,
    now: dt.datetime,
) -> ArticleRow:
    published = article.published_at
    return ArticleRow(
        article_id=article.article_id,
        content_sha256=article.content_sha256,
        url=article.url,
        external_id=article.external_id,
        title=article.title,
        source_name=article.source_name,
        author=article.author,
        lang=article.lang,
        published_at=published.isoformat() if published else None,
        published_day=published.date() if isinstance(published, dt.datetime) else published,
        published_precision=article.published_precision,
        published_from=article.published_from,
        text=article.text,
        removed=[line.model_dump() for line in article.removed],
        minhash=signature_bytes(fingerprint.signature),
        shingles=fingerprint.shingle_count,
        duplicate_of=duplicate_of,
        duplicate_reason=duplicate_reason,
        ingested_at=now,
    )


def source_row(event_id: str, article_id: str, event: Event) -> EventSourceRow:
    return EventSourceRow(
        event_id=event_id,
        article_id=article_id,
        trigger_start=event.trigger_start,
        trigger_end=event.trigger_end,
        trigger=event.trigger[:256],
        sentence=event.sentence,
        confidence=event.confidence,
        negated=event.context.negated,
        future=event.context.future,
        hypothetical=event.context.hypothetical,
    )


def person_terms(actors: Iterable[tuple[str, str | None]]) -> frozenset[str]:
    """The reach terms of the people among some actors: all an undated event is found by."""
    return frozenset(f"k:{key}" for key, _ in actors if key.startswith("per:"))


def reach_rows(event_id: str, facts: EventFacts) -> list[EventReachRow]:
    """The event_reach rows of an event: for a dated one its reach terms; an undated one is found
    only through a person it names (migration 0007), so only its people's rows, without a date."""
    terms = reach_terms(facts) if facts.span.start is not None else person_terms(facts.actors)
    return [EventReachRow(term, event_id, facts.type, facts.span.precision, facts.span.start) for term in sorted(terms)]


def event_row(event_id: str, facts: EventFacts, now: dt.datetime) -> EventRow:
    """The event as its facts now are; `first_seen` is written only when the event is created."""
    location = facts.location
    return EventRow(
        event_id=event_id,
        type=facts.type,
        modality=facts.modality,
        actor_set=facts.roles,
        actors=sorted(([key, country] for key, country in facts.actors), key=lambda a: (a[0], a[1] or "")),
        terms=sorted(facts.terms),
        places=sorted(facts.places),
        month_day=facts.stored_month_day,
        mode=facts.mode,
        date=facts.span.date,
        date_precision=facts.span.precision,
        date_start=facts.span.start,
        date_end=facts.span.end,
        location_name=location.name if location else None,
        location_key=location.key if location else None,
        location_country=location.country if location else None,
        first_seen=now,
        last_seen=now,
    )
