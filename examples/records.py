"""A subscriber's own model of a records.stored document (schema version 3), with pydantic only.

newsflow does not need to be installed to read its records: this is a copy of what
docs/schemas/records.stored.schema.json describes, keeping the fields a subscriber acts on.
Unknown fields are ignored, so newer records (fields are only added within a version) still parse.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SUPPORTED_SCHEMA_VERSIONS = frozenset({3})


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Actor(_Lenient):
    key: str
    name: str
    country: str | None = None
    role: Literal["source", "target"]  # `source` acts on `target`


class Place(_Lenient):
    name: str
    country: str | None = None


class Event(_Lenient):
    event_id: str
    type: str  # PLOVER: CONSULT, ASSAULT, ...
    status: str  # created, updated (a new source), merged, unchanged
    sources: int
    merged_from: list[str] = Field(default_factory=list)
    mode: str | None = None
    date: dt.date | None = None
    date_precision: str = "unknown"
    location: Place | None = None
    actors: list[Actor] = Field(default_factory=list)


class Delivery(_Lenient):
    external_id: str | None = None
    url: str | None = None
    source: str | None = None
    first_seen: dt.datetime


class Record(_Lenient):
    schema_version: int
    article_id: str
    status: str  # stored, duplicate, unchanged
    external_id: str | None = None
    url: str | None = None
    title: str | None = None
    source_name: str | None = None
    published_at: dt.date | dt.datetime | None = None
    duplicate_of: str | None = None
    version_of: str | None = None
    events: list[Event] = Field(default_factory=list)
    original_events: list[Event] = Field(default_factory=list)
    deliveries: list[Delivery] = Field(default_factory=list)
