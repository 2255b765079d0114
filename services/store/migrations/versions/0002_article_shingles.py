"""Shortened copies: articles keep their shingle count, and the LSH index is rebuilt as 32 x 4.

Revision ID: 0002_article_shingles
Revises: 0001_initial
Create Date: 2026-11-23

A copy cut by a third has a Jaccard of about 0.7 with its original: the 20 x 6 banding missed
one such pair in 17, and the Jaccard threshold missed them all. The count of distinct shingles
lets the store estimate how much of the shorter text lies in the longer (dedup.containment).

The upgrade backfills every article's count from its stored text and rebuilds the band rows of
indexed articles from their stored signatures (no text is re-hashed). Each revision names its own
banding here, so a later change of dedup.py's BANDS x ROWS needs a migration of its own.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from services.store.dedup import band_hashes, shingles, signature_from_bytes

revision = "0002_article_shingles"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

NEW_BANDING = (32, 4)
OLD_BANDING = (20, 6)
BATCH = 500

articles = sa.table(
    "articles",
    sa.column("article_id", sa.String),
    sa.column("text", sa.Text),
    sa.column("minhash", sa.LargeBinary),
    sa.column("shingles", sa.Integer),
)
article_lsh = sa.table(
    "article_lsh",
    sa.column("band", sa.SmallInteger),
    sa.column("hash", sa.BigInteger),
    sa.column("article_id", sa.String),
)
SET_COUNT = articles.update().where(articles.c.article_id == sa.bindparam("id")).values(shingles=sa.bindparam("count"))


def rebuild_index(banding: tuple[int, int], *, count_shingles: bool) -> None:
    """Replace the band rows of every indexed article; optionally fill each article's shingle count."""
    bind = op.get_bind()
    indexed = set(bind.execute(sa.select(article_lsh.c.article_id).distinct()).scalars())
    bind.execute(article_lsh.delete())
    ids = list(bind.execute(sa.select(articles.c.article_id).order_by(articles.c.article_id)).scalars())
    columns = [articles.c.article_id, articles.c.minhash] + ([articles.c.text] if count_shingles else [])
    for start in range(0, len(ids), BATCH):
        rows = bind.execute(sa.select(*columns).where(articles.c.article_id.in_(ids[start : start + BATCH]))).all()
        if count_shingles:
            bind.execute(SET_COUNT, [{"id": row[0], "count": len(shingles(row[2]))} for row in rows])
        lsh = [
            {"band": band, "hash": band_hash, "article_id": row[0]}
            for row in rows
            if row[0] in indexed
            for band, band_hash in band_hashes(signature_from_bytes(row[1]), *banding)
        ]
        if lsh:
            bind.execute(article_lsh.insert(), lsh)


def upgrade() -> None:
    op.add_column("articles", sa.Column("shingles", sa.Integer()))
    rebuild_index(NEW_BANDING, count_shingles=True)


def downgrade() -> None:
    rebuild_index(OLD_BANDING, count_shingles=False)
    op.drop_column("articles", "shingles")  # SQLite >= 3.35 drops it in place
