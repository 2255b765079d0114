"""Initial store schema: articles with their LSH bands, entities, events and provenance.

Revision ID: 0001_initial
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("article_id", sa.String(64), nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("url", sa.Text()),
        sa.Column("external_id", sa.String(512)),
        sa.Column("title", sa.Text()),
        sa.Column("source_name", sa.String(256)),
        sa.Column("author", sa.String(256)),
        sa.Column("lang", sa.String(16)),
        sa.Column("published_at", sa.String(40)),
        sa.Column("published_day", sa.Date()),
        sa.Column("published_precision", sa.String(8), nullable=False),
        sa.Column("published_from", sa.String(32)),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("removed", sa.JSON(), nullable=False),
        sa.Column("minhash", sa.LargeBinary(), nullable=False),
        sa.Column("duplicate_of", sa.String(64)),
        sa.Column("duplicate_reason", sa.Text()),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("article_id", name="pk_articles"),
        sa.UniqueConstraint("content_sha256", name="uq_articles_content_sha256"),
        sa.ForeignKeyConstraint(["duplicate_of"], ["articles.article_id"], name="fk_articles_duplicate_of_articles"),
    )
    op.create_index("ix_articles_external_id", "articles", ["external_id"])
    op.create_index("ix_articles_published_day", "articles", ["published_day"])
    op.create_index("ix_articles_duplicate_of", "articles", ["duplicate_of"])

    op.create_table(
        "article_lsh",
        sa.Column("band", sa.SmallInteger(), nullable=False),
        sa.Column("hash", sa.BigInteger(), nullable=False),
        sa.Column("article_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("band", "hash", "article_id", name="pk_article_lsh"),
        sa.ForeignKeyConstraint(["article_id"], ["articles.article_id"], name="fk_article_lsh_article_id_articles"),
    )

    op.create_table(
        "entities",
        sa.Column("key", sa.String(256), nullable=False),
        sa.Column("name", sa.String(512), nullable=False),
        sa.Column("label", sa.String(8)),
        sa.Column("country", sa.String(3)),
        sa.PrimaryKeyConstraint("key", name="pk_entities"),
    )

    op.create_table(
        "entity_aliases",
        sa.Column("entity_key", sa.String(256), nullable=False),
        sa.Column("alias", sa.String(512), nullable=False),
        sa.PrimaryKeyConstraint("entity_key", "alias", name="pk_entity_aliases"),
        sa.ForeignKeyConstraint(["entity_key"], ["entities.key"], name="fk_entity_aliases_entity_key_entities"),
    )

    op.create_table(
        "mentions",
        sa.Column("article_id", sa.String(64), nullable=False),
        sa.Column("entity_key", sa.String(256), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("article_id", "entity_key", name="pk_mentions"),
        sa.ForeignKeyConstraint(["article_id"], ["articles.article_id"], name="fk_mentions_article_id_articles"),
        sa.ForeignKeyConstraint(["entity_key"], ["entities.key"], name="fk_mentions_entity_key_entities"),
    )
    op.create_index("ix_mentions_entity_key", "mentions", ["entity_key"])

    op.create_table(
        "events",
        sa.Column("event_id", sa.String(32), nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("modality", sa.String(16), nullable=False),
        sa.Column("actor_set", sa.Text(), nullable=False),
        sa.Column("mode", sa.String(32)),
        sa.Column("date", sa.Date()),
        sa.Column("date_precision", sa.String(8), nullable=False),
        sa.Column("date_start", sa.Date()),
        sa.Column("date_end", sa.Date()),
        sa.Column("location_name", sa.String(512)),
        sa.Column("location_key", sa.String(256)),
        sa.Column("location_country", sa.String(3)),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name="pk_events"),
    )
    op.create_index("ix_events_identity", "events", ["type", "actor_set", "modality", "date_start"])
    op.create_index("ix_events_date", "events", ["date"])

    op.create_table(
        "event_actors",
        sa.Column("event_id", sa.String(32), nullable=False),
        sa.Column("entity_key", sa.String(256), nullable=False),
        sa.Column("role", sa.String(8), nullable=False),
        sa.PrimaryKeyConstraint("event_id", "entity_key", "role", name="pk_event_actors"),
        sa.ForeignKeyConstraint(["event_id"], ["events.event_id"], name="fk_event_actors_event_id_events"),
        sa.ForeignKeyConstraint(["entity_key"], ["entities.key"], name="fk_event_actors_entity_key_entities"),
    )
    op.create_index("ix_event_actors_entity_key", "event_actors", ["entity_key"])

    op.create_table(
        "event_sources",
        sa.Column("event_id", sa.String(32), nullable=False),
        sa.Column("article_id", sa.String(64), nullable=False),
        sa.Column("trigger_start", sa.Integer(), nullable=False),
        sa.Column("trigger_end", sa.Integer(), nullable=False),
        sa.Column("trigger", sa.String(256), nullable=False),
        sa.Column("sentence", sa.Text(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("negated", sa.Boolean(), nullable=False),
        sa.Column("future", sa.Boolean(), nullable=False),
        sa.Column("hypothetical", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", "article_id", "trigger_start", name="pk_event_sources"),
        sa.ForeignKeyConstraint(["event_id"], ["events.event_id"], name="fk_event_sources_event_id_events"),
        sa.ForeignKeyConstraint(["article_id"], ["articles.article_id"], name="fk_event_sources_article_id_articles"),
    )
    op.create_index("ix_event_sources_article_id", "event_sources", ["article_id"])

    op.create_table(
        "merges",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(32), nullable=False),
        sa.Column("article_id", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_merges"),
        sa.UniqueConstraint("event_id", "article_id", name="uq_merges_event_id_article_id"),
        sa.ForeignKeyConstraint(["event_id"], ["events.event_id"], name="fk_merges_event_id_events"),
        sa.ForeignKeyConstraint(["article_id"], ["articles.article_id"], name="fk_merges_article_id_articles"),
    )


def downgrade() -> None:
    for table in ("merges", "event_sources", "event_actors", "events", "mentions", "entity_aliases",
                  "entities", "article_lsh", "articles"):
        op.drop_table(table)
