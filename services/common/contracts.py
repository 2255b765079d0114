"""Message contracts: one pydantic model per stream, the stream names and the schema version.

Every message is JSON on the wire (see broker.py). Change a model only by adding optional
fields; anything else bumps SCHEMA_VERSION.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

SCHEMA_VERSION = 3  # 3: records.stored carries the article, its deliveries, versions and event details

RAW = "articles.raw"
NORMALIZED = "articles.normalized"
EXTRACTED = "articles.extracted"
STORED = "records.stored"
STREAMS = (RAW, NORMALIZED, EXTRACTED, STORED)

Precision = Literal["day", "month", "year", "unknown"]
EventType = Literal[
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
]

_PARTIAL_DATE = re.compile(r"^(?P<year>\d{4})(-(?P<month>\d{2})(-(?P<day>\d{2}))?)?$")
# C0 and C1 controls, lone surrogates, and the bidirectional overrides and isolates that make a
# terminal or a spreadsheet show a string other than it is (Trojan Source, CVE-2021-42574).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Lengths the store keeps (services/store/schema.py); longer values are refused at the door, not at the DB.
_METADATA_LIMITS = {"article_id": 64, "external_id": 512, "url": 4096, "title": 1000, "source": 256,
                    "lang": 16, "trace_id": 128}


def is_real_date(value: str) -> bool:
    """Is `value` ISO 8601 (YYYY, YYYY-MM, YYYY-MM-DD or a datetime) naming a day, month or year
    that exists? `2024-13-45`, `2024-02-30` and `0000-01-01` do not."""
    partial = _PARTIAL_DATE.match(value)
    try:
        if partial is None:
            dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        else:
            year, month, day = (int(partial[name] or 1) for name in ("year", "month", "day"))
            dt.date(year, month, day)
    except ValueError:
        return False
    return True


def dlq_stream(stream: str) -> str:
    """The dead-letter stream that parks poison messages of `stream`."""
    return f"{stream}.dlq"


def new_trace_id() -> str:
    return uuid.uuid4().hex


class Message(BaseModel):
    """Fields every message carries."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)

    schema_version: int = SCHEMA_VERSION
    trace_id: str = Field(default_factory=new_trace_id)


class RawArticle(Message):
    """What a producer sends to articles.raw: `text` or `html`, plus what it knows."""

    article_id: str | None = None
    text: str | None = None
    html: str | None = None
    url: str | None = None
    title: str | None = None
    source: str | None = None
    published_at: str | None = Field(
        default=None, description="ISO 8601: YYYY, YYYY-MM, YYYY-MM-DD or a full datetime"
    )
    lang: str | None = None
    external_id: str | None = None

    @field_validator(*_METADATA_LIMITS)
    @classmethod
    def _clean_metadata(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return value
        value = value.strip()
        if info.field_name == "title":  # scraped titles carry newlines and tabs: fold them into spaces
            value = " ".join(value.replace("\x00", " ").split())
        if _CONTROL.search(value):
            raise ValueError(
                "must not contain control characters (NUL, tab, newline, U+0080–U+009F), "
                "bidirectional overrides (U+202A–U+202E, U+2066–U+2069) or lone surrogates"
            )
        limit = _METADATA_LIMITS[info.field_name or ""]
        if len(value) > limit:
            raise ValueError(f"is {len(value)} characters long, over the {limit}-character limit")
        return value

    @field_validator("published_at")
    @classmethod
    def _iso_date(cls, value: str | None) -> str | None:
        if value is None or is_real_date(value):
            return value
        raise ValueError(
            "published_at must be a real date in ISO 8601 (YYYY, YYYY-MM, YYYY-MM-DD or a datetime), "
            f"not {value[:40]!r}"
        )

    @field_validator("text", "html")
    @classmethod
    def _no_lone_surrogates(cls, value: str | None) -> str | None:
        # JSON allows "\ud800" but UTF-8 cannot carry it: it could never be put on a stream.
        if value is not None and (found := _SURROGATE.search(value)):
            raise ValueError(f"contains a lone surrogate (U+{ord(found.group()):04X}) at character {found.start()}")
        return value

    @model_validator(mode="after")
    def _text_or_html(self) -> RawArticle:
        if self.text is None and self.html is None:
            raise ValueError("one of text or html is required")
        body = self.text if self.text is not None else self.html
        if body is not None and not body.strip():
            raise ValueError("text/html is empty or whitespace only")
        return self


class RemovedLine(BaseModel):
    """A boilerplate line taken out of the text, and why."""

    text: str
    kind: str


class NormalizedArticle(Message):
    """A clean article: normalized text with paragraphs, metadata with provenance.

    Ids are limited to their store columns, so a longer one is refused here, not cut by the DB."""

    article_id: str = Field(max_length=_METADATA_LIMITS["article_id"])
    content_sha256: str = Field(max_length=64)
    text: str
    title: str | None = None
    lang: str | None = None
    url: str | None = None
    external_id: str | None = Field(default=None, max_length=_METADATA_LIMITS["external_id"])
    source_name: str | None = None
    author: str | None = None
    published_at: dt.date | dt.datetime | None = None
    published_precision: Precision = "unknown"
    published_from: str | None = Field(
        default=None, description="where the date came from: producer, date-prefix, dateline, text, html"
    )
    removed: list[RemovedLine] = Field(default_factory=list)


class Entity(BaseModel):
    """One canonical entity as found in one article."""

    text: str = Field(description="the first surface form seen")
    label: str = Field(description="PER, LOC, ORG or MISC")
    name: str = Field(description="canonical name")
    key: str = Field(description="stable entity key, shared across articles")
    country: str | None = Field(default=None, description="ISO 3166 alpha-3")
    start: int
    end: int
    count: int = 1
    aliases: list[str] = Field(default_factory=list, description="surface forms seen")


class Actor(BaseModel):
    key: str
    name: str
    country: str | None = None


class Location(BaseModel):
    name: str
    key: str | None = None
    country: str | None = None


class EventContext(BaseModel):
    negated: bool = False
    future: bool = False
    hypothetical: bool = False


class Event(BaseModel):
    """A PLOVER event as one article reports it."""

    type: EventType
    mode: str | None = None
    source_actors: list[Actor] = Field(default_factory=list)
    target_actors: list[Actor] = Field(default_factory=list)
    date: dt.date | None = None
    date_precision: Precision = "unknown"
    date_reason: str | None = None
    month_day: str | None = Field(
        default=None,
        pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$",
        description="MM-DD: an undated event whose text gives day and month but no year can be told "
        "('le 14 novembre' in an undated article)",
    )
    location: Location | None = None
    sentence: str
    sentence_start: int = 0
    trigger: str
    trigger_start: int
    trigger_end: int
    context: EventContext = Field(default_factory=EventContext)
    confidence: float = Field(default=0.5, ge=0.0, le=1.0)


class ExtractedArticle(NormalizedArticle):
    """The normalized article plus its entities and events."""

    entities: list[Entity] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)


EventStatus = Literal["created", "updated", "merged", "unchanged"]


class RecordActor(BaseModel):
    """An actor of a stored event and its role: `source` acts on `target`."""

    key: str
    name: str
    country: str | None = None
    role: Literal["source", "target"]


class StoredEvent(BaseModel):
    """One event an article is a source of. `merged`: the article showed that the stored events in
    `merged_from` are this one; their ids are now aliases of `event_id` (lookups by them still work).

    Since schema version 3 it also carries the event as stored (mode, date, place, actors), so a
    subscriber can act on it without reading the database."""

    event_id: str
    type: EventType
    status: EventStatus
    sources: int
    merged_from: list[str] = Field(default_factory=list)
    mode: str | None = None
    date: dt.date | None = None
    date_precision: Precision = "unknown"
    location: Location | None = None
    actors: list[RecordActor] = Field(default_factory=list)


class ArticleDelivery(BaseModel):
    """One time an article's text arrived, under the producer's ids: kept even for a copy."""

    external_id: str | None = None
    url: str | None = None
    source: str | None = None
    first_seen: dt.datetime


class StoredRecord(Message):
    """What changed in the store for one article, with what a subscriber needs to act on it.

    `deliveries`: every arrival of this text (external_id, url, source), the first one first.
    `version_of`: the article an earlier text under the same external_id became (this text replaces it).
    `original_events`: for a duplicate, the events of its original (`duplicate_of`)."""

    article_id: str
    external_id: str | None = None
    status: Literal["stored", "duplicate", "unchanged"] = "stored"
    duplicate_of: str | None = None
    duplicate_reason: str | None = None
    entities: int = 0
    events: list[StoredEvent] = Field(default_factory=list)
    url: str | None = None
    title: str | None = None
    source_name: str | None = None
    published_at: dt.date | dt.datetime | None = None
    deliveries: list[ArticleDelivery] = Field(default_factory=list)
    version_of: str | None = None
    original_events: list[StoredEvent] = Field(default_factory=list)


class DeadLetter(BaseModel):
    """A poison message parked on `<stream>.dlq`, with why it was parked."""

    model_config = ConfigDict(extra="ignore")

    schema_version: int = SCHEMA_VERSION
    stream: str
    message_id: str | None = None
    service: str
    error_type: str
    error: str
    delivery_count: int
    failed_at: dt.datetime
    payload: str = Field(description="the original entry, as JSON of its fields")
    article_id: str | None = None
    trace_id: str | None = None


# The message model of each stream, for what documents them (schemas.py, asyncapi.py).
STREAM_MODELS: dict[str, type[BaseModel]] = {
    RAW: RawArticle, NORMALIZED: NormalizedArticle, EXTRACTED: ExtractedArticle, STORED: StoredRecord,
}
