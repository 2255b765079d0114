"""Provenance: every delivery of a text is kept, and a new text under a known external_id is a new
version of the article that id named.

The planner decides what an article *is* (stored, a copy, already there); this module keeps
*how it arrived*: the producer's external_id, url and source of each delivery, even when the text
was already stored, so any id a producer ever used finds the article again. The row builders are
pure; `record_provenance` reads and writes inside the store's transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.common.contracts import ArticleDelivery, ExtractedArticle, StoredRecord
from services.store.reads import MAX_PAIRS_PER_QUERY, chunks
from services.store.rows import ArticleDeliveryRow, ArticleVersionRow
from services.store.schema import article_deliveries, article_versions, articles
from services.store.writes import write_provenance

RowT = TypeVar("RowT", ArticleDeliveryRow, ArticleVersionRow)


def delivery_key(external_id: str | None, url: str | None, source: str | None) -> str:
    """One key per (external_id, url, source): the same delivery twice is one row."""
    return hashlib.sha256(json.dumps([external_id, url, source], ensure_ascii=False).encode()).hexdigest()


def delivery_row(article: ExtractedArticle, stored_id: str, now: dt.datetime) -> ArticleDeliveryRow:
    return ArticleDeliveryRow(
        article_id=stored_id,
        delivery_key=delivery_key(article.external_id, article.url, article.source_name),
        external_id=article.external_id,
        url=article.url,
        source=article.source_name,
        first_seen=now,
    )


def stored_id(record: StoredRecord, present: set[str]) -> str:
    """The stored article a delivery belongs to: itself, or the original an exact copy was not stored as."""
    if record.article_id in present or record.duplicate_of is None:
        return record.article_id
    return record.duplicate_of


def version_rows(
    batch: list[tuple[ExtractedArticle, StoredRecord]],
    present: set[str],
    earlier: dict[str, str],
    now: dt.datetime,
) -> list[ArticleVersionRow]:
    """A version link for each newly stored article whose external_id already named another article.

    `earlier` maps an external_id to the latest article stored under it before this batch; within
    the batch, a later article replaces an earlier one in order, as if stored one by one."""
    latest = dict(earlier)
    rows: list[ArticleVersionRow] = []
    for article, record in batch:
        if article.external_id is None or record.status == "unchanged" or record.article_id not in present:
            continue
        previous = latest.get(article.external_id)
        if previous is not None and previous != record.article_id:
            rows.append(ArticleVersionRow(record.article_id, previous, article.external_id, now))
        latest[article.external_id] = record.article_id
    return rows


def unique_rows(rows: Iterable[RowT], *keys: str) -> list[RowT]:
    """The first row of each key, in order (a batch may deliver the same article twice)."""
    seen: dict[tuple, RowT] = {}
    for row in rows:
        seen.setdefault(tuple(getattr(row, k) for k in keys), row)
    return list(seen.values())


async def _present(conn: AsyncConnection, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for page in chunks(sorted(set(ids)), MAX_PAIRS_PER_QUERY):
        found.update(await conn.scalars(select(articles.c.article_id).where(articles.c.article_id.in_(page))))
    return found


async def _latest_by_external_id(conn: AsyncConnection, external_ids: list[str]) -> dict[str, str]:
    """The article each external_id most recently named (before this batch's rows are written)."""
    latest: dict[str, str] = {}
    for page in chunks(sorted(set(external_ids)), MAX_PAIRS_PER_QUERY):
        query = (
            select(article_deliveries.c.external_id, article_deliveries.c.article_id)
            .where(article_deliveries.c.external_id.in_(page))
            .order_by(article_deliveries.c.first_seen, article_deliveries.c.article_id)
        )
        for external_id, article_id in await conn.execute(query):
            latest[external_id] = article_id  # the last one seen wins
    return latest


async def deliveries_of(conn: AsyncConnection, ids: list[str]) -> dict[str, list[ArticleDelivery]]:
    found: dict[str, list[ArticleDelivery]] = {}
    for page in chunks(sorted(set(ids)), MAX_PAIRS_PER_QUERY):
        query = (
            select(article_deliveries)
            .where(article_deliveries.c.article_id.in_(page))
            .order_by(article_deliveries.c.first_seen, article_deliveries.c.delivery_key)
        )
        for row in (await conn.execute(query)).mappings():
            found.setdefault(row["article_id"], []).append(
                ArticleDelivery(external_id=row["external_id"], url=row["url"], source=row["source"],
                                first_seen=row["first_seen"])
            )
    return found


async def previous_versions(conn: AsyncConnection, ids: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for page in chunks(sorted(set(ids)), MAX_PAIRS_PER_QUERY):
        query = select(article_versions.c.article_id, article_versions.c.previous_id).where(
            article_versions.c.article_id.in_(page)
        )
        found.update({article_id: previous for article_id, previous in await conn.execute(query)})
    return found


async def record_provenance(
    conn: AsyncConnection, articles_in: list[ExtractedArticle], records: list[StoredRecord], now: dt.datetime
) -> list[StoredRecord]:
    """Write the batch's deliveries and version links; return the records with theirs."""
    batch = list(zip(articles_in, records, strict=True))
    present = await _present(conn, [r.article_id for r in records])
    earlier = await _latest_by_external_id(conn, [a.external_id for a in articles_in if a.external_id])
    deliveries = unique_rows(
        (delivery_row(article, stored_id(record, present), now) for article, record in batch),
        "article_id", "delivery_key",
    )
    versions = unique_rows(version_rows(batch, present, earlier, now), "article_id")
    await write_provenance(conn, deliveries, versions)
    owners = {record.article_id: stored_id(record, present) for record in records}
    kept = await deliveries_of(conn, list(owners.values()))
    previous = await previous_versions(conn, list(owners))
    return [
        record.model_copy(update={"deliveries": kept.get(owners[record.article_id], []),
                                  "version_of": previous.get(record.article_id)})
        for record in records
    ]
