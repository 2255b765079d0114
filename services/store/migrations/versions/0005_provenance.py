"""Provenance: every delivery of an article is kept, and a new text under a known external_id is a version.

Revision ID: 0005_provenance
Revises: 0004_event_places
Create Date: 2026-12-02

`article_deliveries` keeps each (external_id, url, source) a text arrived under, the first time
it did; the upgrade fills it with the one delivery every stored article already records.
`article_versions` links an article to the one an earlier text under the same external_id became.
"""

from __future__ import annotations

import hashlib
import json

import sqlalchemy as sa
from alembic import op

revision = "0005_provenance"
down_revision = "0004_event_places"
branch_labels = None
depends_on = None

BATCH = 500

articles = sa.table(
    "articles",
    sa.column("article_id", sa.String),
    sa.column("external_id", sa.String),
    sa.column("url", sa.Text),
    sa.column("source_name", sa.String),
    sa.column("ingested_at", sa.DateTime(timezone=True)),
)


def _key(external_id: str | None, url: str | None, source: str | None) -> str:
    # the same key as services.store.provenance.delivery_key, frozen here with this revision
    return hashlib.sha256(json.dumps([external_id, url, source], ensure_ascii=False).encode()).hexdigest()


def backfill(deliveries: sa.Table) -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(articles.c.article_id, articles.c.external_id, articles.c.url, articles.c.source_name,
                  articles.c.ingested_at).order_by(articles.c.article_id)
    ).all()
    for start in range(0, len(rows), BATCH):
        bind.execute(deliveries.insert(), [
            {"article_id": article_id, "delivery_key": _key(external_id, url, source), "external_id": external_id,
             "url": url, "source": source, "first_seen": seen}
            for article_id, external_id, url, source, seen in rows[start : start + BATCH]
        ])


def upgrade() -> None:
    deliveries = op.create_table(
        "article_deliveries",
        sa.Column("article_id", sa.String(64), nullable=False),
        sa.Column("delivery_key", sa.String(64), nullable=False),
        sa.Column("external_id", sa.String(512)),
        sa.Column("url", sa.Text()),
        sa.Column("source", sa.String(256)),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.article_id"], name="fk_article_deliveries_article_id_articles"),
        sa.PrimaryKeyConstraint("article_id", "delivery_key", name="pk_article_deliveries"),
    )
    op.create_index("ix_article_deliveries_external_id", "article_deliveries", ["external_id"])
    op.create_table(
        "article_versions",
        sa.Column("article_id", sa.String(64), nullable=False),
        sa.Column("previous_id", sa.String(64), nullable=False),
        sa.Column("external_id", sa.String(512), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.article_id"], name="fk_article_versions_article_id_articles"),
        sa.ForeignKeyConstraint(["previous_id"], ["articles.article_id"], name="fk_article_versions_previous_id_articles"),
        sa.PrimaryKeyConstraint("article_id", name="pk_article_versions"),
    )
    op.create_index("ix_article_versions_previous_id", "article_versions", ["previous_id"])
    assert deliveries is not None
    backfill(deliveries)


def downgrade() -> None:
    op.drop_index("ix_article_versions_previous_id", table_name="article_versions")
    op.drop_table("article_versions")
    op.drop_index("ix_article_deliveries_external_id", table_name="article_deliveries")
    op.drop_table("article_deliveries")
