"""The export format (`newsflow export`, README "Export"): one model per kind of record.

Field names are a contract with scripts and consumer teams: add fields, never rename. The
declared order is the order of the keys in each JSON line and of the CSV columns.
docs/schemas/export.*.schema.json is generated from these models (services/schemas.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from services.common.contracts import ArticleDelivery, Precision, RemovedLine


class ExportedArticle(BaseModel):
    """One stored article: its normalized text and metadata, and where it came from."""

    article_id: str
    external_id: str | None
    url: str | None
    title: str | None
    published_at: str | None = Field(description="ISO date or datetime, as precise as known")
    published_precision: Precision
    source_name: str | None
    author: str | None
    lang: str | None
    duplicate_of: str | None = Field(description="the article this one is a copy of")
    text: str = Field(description="the normalized text")
    removed: list[RemovedLine] = Field(description="the boilerplate lines removed, with their kinds")
    duplicate_reason: str | None
    content_sha256: str
    published_from: str | None = Field(description="where the date came from")
    deliveries: list[ArticleDelivery] = Field(description="every arrival of this text, the first one first")
    version_of: str | None = Field(description="the article an earlier text under the same external_id became")


class ExportedEntity(BaseModel):
    """One canonical entity, with the names it was seen under."""

    key: str
    name: str
    label: str | None
    country: str | None = Field(description="ISO 3166 alpha-3")
    aliases: list[str]
    mentions: int = Field(description="mentions over all articles")
    articles: int = Field(description="articles that mention it")


class ExportedLocation(BaseModel):
    name: str
    country: str | None


class ExportedActor(BaseModel):
    key: str
    name: str
    country: str | None
    role: Literal["source", "target"]


class ExportedSource(BaseModel):
    """One article reporting the event, with the sentence and trigger it was found by."""

    article_id: str
    external_id: str | None
    url: str | None
    sentence: str
    trigger: str
    confidence: float


class ExportedEvent(BaseModel):
    """One event however many articles report it: who did what to whom, when, where, and who says so."""

    event_id: str
    type: str = Field(description="PLOVER event type")
    mode: str | None
    date: dt.date | None
    date_precision: Precision
    location: ExportedLocation | None
    actors: list[ExportedActor]
    sources: list[ExportedSource]
    merge_reasons: list[str]
    modality: str
    aliases: list[str] = Field(description="ids of the events merged into this one")


EXPORT_MODELS: dict[str, type[BaseModel]] = {
    "articles": ExportedArticle,
    "entities": ExportedEntity,
    "events": ExportedEvent,
}
