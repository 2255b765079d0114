"""One row type per table the store writes, beside schema.py: the planner builds them, writes.py
upserts them.

A row's fields are its table's columns (tests/unit/store/test_rows.py checks it for every
table), so a misspelt or missing column is a type error, not a failed statement at run time;
writes.py takes the table and the column list from the row type. Mutable: a batch that merges
an event it created relabels the rows it already planned.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any, TypeAlias

from sqlalchemy import Table

from services.store.schema import (
    article_deliveries,
    article_lsh,
    article_versions,
    articles,
    entities,
    entity_aliases,
    event_actors,
    event_aliases,
    event_reach,
    event_sources,
    events,
    mentions,
    merges,
)


@dataclass(slots=True)
class ArticleRow:
    article_id: str
    content_sha256: str
    url: str | None
    external_id: str | None
    title: str | None
    source_name: str | None
    author: str | None
    lang: str | None
    published_at: str | None
    published_day: dt.date | None
    published_precision: str
    published_from: str | None
    text: str
    removed: list[dict[str, Any]]
    minhash: bytes
    shingles: int
    duplicate_of: str | None
    duplicate_reason: str | None
    ingested_at: dt.datetime


@dataclass(slots=True)
class ArticleLshRow:
    band: int
    hash: int
    article_id: str


@dataclass(slots=True)
class EntityRow:
    key: str
    name: str
    label: str | None
    country: str | None


@dataclass(slots=True)
class EntityAliasRow:
    entity_key: str
    alias: str


@dataclass(slots=True)
class MentionRow:
    article_id: str
    entity_key: str
    count: int


@dataclass(slots=True)
class EventRow:
    event_id: str
    type: str
    modality: str
    actor_set: str
    mode: str | None
    date: dt.date | None
    date_precision: str
    date_start: dt.date | None
    date_end: dt.date | None
    location_name: str | None
    location_key: str | None
    location_country: str | None
    first_seen: dt.datetime
    last_seen: dt.datetime
    actors: list[list[str | None]]
    terms: list[str]
    places: list[str]
    month_day: str | None


@dataclass(slots=True)
class EventReachRow:
    term: str
    event_id: str
    type: str
    date_precision: str
    date_start: dt.date | None


@dataclass(slots=True)
class EventAliasRow:
    alias_id: str
    event_id: str
    reason: str
    created_at: dt.datetime


@dataclass(slots=True)
class EventActorRow:
    event_id: str
    entity_key: str
    role: str


@dataclass(slots=True)
class EventSourceRow:
    event_id: str
    article_id: str
    trigger_start: int
    trigger_end: int
    trigger: str
    sentence: str
    confidence: float
    negated: bool
    future: bool
    hypothetical: bool


@dataclass(slots=True)
class MergeRow:
    event_id: str
    article_id: str
    reason: str
    created_at: dt.datetime


@dataclass(slots=True)
class ArticleDeliveryRow:
    article_id: str
    delivery_key: str
    external_id: str | None
    url: str | None
    source: str | None
    first_seen: dt.datetime


@dataclass(slots=True)
class ArticleVersionRow:
    article_id: str
    previous_id: str
    external_id: str
    created_at: dt.datetime


TableRow: TypeAlias = (
    ArticleRow | ArticleLshRow | EntityRow | EntityAliasRow | MentionRow | EventRow | EventReachRow
    | EventAliasRow | EventActorRow | EventSourceRow | MergeRow | ArticleDeliveryRow | ArticleVersionRow
)

TABLES: dict[type, Table] = {
    ArticleRow: articles,
    ArticleLshRow: article_lsh,
    EntityRow: entities,
    EntityAliasRow: entity_aliases,
    MentionRow: mentions,
    EventRow: events,
    EventReachRow: event_reach,
    EventAliasRow: event_aliases,
    EventActorRow: event_actors,
    EventSourceRow: event_sources,
    MergeRow: merges,
    ArticleDeliveryRow: article_deliveries,
    ArticleVersionRow: article_versions,
}


def columns(row_type: type) -> tuple[str, ...]:
    """The columns a row type writes, in field order."""
    return tuple(f.name for f in fields(row_type))
