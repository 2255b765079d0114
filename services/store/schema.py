"""The store's tables: one SQLAlchemy schema for SQLite and Postgres.

Dates that may be a day or a moment (`articles.published_at`) are kept as ISO strings, so
"2024-08-01" stays a date and "2024-08-01T10:00:00+00:00" stays a datetime on both
databases; a separate `published_day` (a real DATE) serves filters and ordering. Event dates are
intervals (`date_start`..`date_end`) so a month-precision report can be matched in SQL.
The migrations in migrations/versions/ are written by hand to match this module exactly
(tests/integration/store/test_migrations.py compares them).

Column notes: `articles.minhash` is the MinHash signature (uint32 little-endian, dedup.py);
`article_lsh` holds one row per LSH band of each original article, its primary key
(band, hash, article_id) being the (band, hash) lookup index; `events.actor_set` is a readable
actor string, `events.actors` and `events.terms` what event identity compares, and
`events.modality` is factual, future, hypothetical or negated (events.py). `event_aliases`
keeps the ids of events merged into another, so lookups by an old id still find the event.
`event_reach` indexes dated events by what a report can share with them (actor, country), so
finding the candidates a report may join costs the same in a small store and a large one.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

articles = Table(
    "articles",
    metadata,
    Column("article_id", String(64), primary_key=True),
    Column("content_sha256", String(64), nullable=False, unique=True),
    Column("url", Text),
    Column("external_id", String(512), index=True),
    Column("title", Text),
    Column("source_name", String(256)),
    Column("author", String(256)),
    Column("lang", String(16)),
    Column("published_at", String(40)),
    Column("published_day", Date, index=True),
    Column("published_precision", String(8), nullable=False, default="unknown"),
    Column("published_from", String(32)),
    Column("text", Text, nullable=False),
    Column("removed", JSON, nullable=False),
    Column("minhash", LargeBinary, nullable=False),
    Column("shingles", Integer),  # distinct shingles of the text, for containment (null before 0002)
    Column("duplicate_of", String(64), ForeignKey("articles.article_id"), index=True),
    Column("duplicate_reason", Text),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
)

article_lsh = Table(
    "article_lsh",
    metadata,
    Column("band", SmallInteger, primary_key=True),
    Column("hash", BigInteger, primary_key=True),
    Column("article_id", String(64), ForeignKey("articles.article_id"), primary_key=True),
    # the primary key (band, hash, article_id) is the (band, hash) lookup index
)

entities = Table(
    "entities",
    metadata,
    Column("key", String(256), primary_key=True),
    Column("name", String(512), nullable=False),
    Column("label", String(8)),
    Column("country", String(3)),
)

entity_aliases = Table(
    "entity_aliases",
    metadata,
    Column("entity_key", String(256), ForeignKey("entities.key"), primary_key=True),
    Column("alias", String(512), primary_key=True),
)

mentions = Table(
    "mentions",
    metadata,
    Column("article_id", String(64), ForeignKey("articles.article_id"), primary_key=True),
    Column("entity_key", String(256), ForeignKey("entities.key"), primary_key=True, index=True),
    Column("count", Integer, nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("event_id", String(32), primary_key=True),
    Column("type", String(16), nullable=False),
    Column("modality", String(16), nullable=False),
    Column("actor_set", Text, nullable=False),
    Column("mode", String(32)),
    Column("date", Date),
    Column("date_precision", String(8), nullable=False),
    Column("date_start", Date),
    Column("date_end", Date),
    Column("location_name", String(512)),
    Column("location_key", String(256)),
    Column("location_country", String(3)),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
    Column("actors", JSON),  # [[entity key, country], ...]: what identity compares (events.py)
    Column("terms", JSON),  # the stemmed content words of its reports' sentences and titles
    Column("places", JSON),  # keys of the places (not countries) its reports name (events.named_places)
    # "MM-DD" of a day event, or the day and month an undated event's text gives ("le 14 novembre"):
    # how a yearless report and its dated event find each other (events.EventFacts.stored_month_day).
    Column("month_day", String(5)),
    Index("ix_events_candidates", "type", "modality", "date_precision", "date_start"),
    Index("ix_events_date", "date"),
    Index("ix_events_month_day", "month_day", "date_start"),
)

event_reach = Table(
    "event_reach",
    metadata,
    # What a dated event can be found by (events.reach_terms): "k:<entity key>", "c:<country>", "*",
    # "p:<place key>"; an undated one by its people only ("k:<person key>", no date_start).
    Column("term", String(260), primary_key=True),
    Column("event_id", String(32), ForeignKey("events.event_id"), primary_key=True, index=True),
    Column("type", String(16), nullable=False),
    Column("date_precision", String(8), nullable=False),
    Column("date_start", Date),
    Index("ix_event_reach_lookup", "term", "type", "date_precision", "date_start"),
)

event_aliases = Table(
    "event_aliases",
    metadata,
    Column("alias_id", String(32), primary_key=True),  # an event id merged into another
    Column("event_id", String(32), ForeignKey("events.event_id"), nullable=False, index=True),
    Column("reason", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

event_actors = Table(
    "event_actors",
    metadata,
    Column("event_id", String(32), ForeignKey("events.event_id"), primary_key=True),
    Column("entity_key", String(256), ForeignKey("entities.key"), primary_key=True, index=True),
    Column("role", String(8), primary_key=True),
)

event_sources = Table(
    "event_sources",
    metadata,
    Column("event_id", String(32), ForeignKey("events.event_id"), primary_key=True),
    Column("article_id", String(64), ForeignKey("articles.article_id"), primary_key=True, index=True),
    Column("trigger_start", Integer, primary_key=True),
    Column("trigger_end", Integer, nullable=False),
    Column("trigger", String(256), nullable=False),
    Column("sentence", Text, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("negated", Boolean, nullable=False),
    Column("future", Boolean, nullable=False),
    Column("hypothetical", Boolean, nullable=False),
)

merges = Table(
    "merges",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(32), ForeignKey("events.event_id"), nullable=False),
    Column("article_id", String(64), ForeignKey("articles.article_id"), nullable=False),
    Column("reason", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("event_id", "article_id"),
)

article_deliveries = Table(
    "article_deliveries",
    metadata,
    # Every arrival of a text under the producer's ids: a copy or a re-feed under another
    # external_id, url or source is kept here, so any of those ids finds the stored article.
    Column("article_id", String(64), ForeignKey("articles.article_id"), primary_key=True),
    Column("delivery_key", String(64), primary_key=True),  # sha256 of (external_id, url, source)
    Column("external_id", String(512), index=True),
    Column("url", Text),
    Column("source", String(256)),
    Column("first_seen", DateTime(timezone=True), nullable=False),
)

article_versions = Table(
    "article_versions",
    metadata,
    # A new text under an external_id already seen: the article it replaces.
    Column("article_id", String(64), ForeignKey("articles.article_id"), primary_key=True),
    Column("previous_id", String(64), ForeignKey("articles.article_id"), nullable=False, index=True),
    Column("external_id", String(512), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


def _attach_comments(path: Path) -> None:
    """Column comments from column_comments.yaml: what each column means, kept in the schema."""
    for table, columns in yaml.safe_load(path.read_text(encoding="utf-8")).items():
        for column, comment in columns.items():
            metadata.tables[table].c[column].comment = comment


_attach_comments(Path(__file__).with_name("column_comments.yaml"))
