"""The store's one entry point: an extracted article in, one transaction, a StoredRecord out.

Idempotent and safe with several replicas: on Postgres the transaction first takes advisory
locks on everything the batch could conflict on (article id and content hash, LSH bands, event
keys; see planning.lock_keys), then reads, plans in memory and writes with ON CONFLICT. On
SQLite the transaction is BEGIN IMMEDIATE, so writers simply take turns. A deadlock,
serialization failure, busy database or lost insert race retries the whole batch.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random

from sqlalchemy import BigInteger, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from services.common.contracts import ExtractedArticle, StoredRecord
from services.common.retry import sqlstate
from services.store.db import IMMEDIATE, is_postgres
from services.store.event_identity import EVENT_MATCH_THRESHOLD
from services.store.planning import Batch, lock_keys, plan_batch
from services.store.provenance import record_provenance
from services.store.reads import candidate_events, read_snapshot
from services.store.record_details import with_article, with_event_details
from services.store.writes import write_rows

MAX_PLANS = 4  # plans of one batch, each with the candidates its refined events reach
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01", "55P03"})  # serialization, deadlock, lock not available
RACE_SQLSTATES = frozenset({"23505", "23503"})  # unique, foreign key: a concurrent writer got there first
_LOCK = text("SELECT pg_advisory_xact_lock(k) FROM unnest(:keys) AS k").bindparams(
    bindparam("keys", type_=ARRAY(BigInteger))
)


def is_retryable(error: DBAPIError) -> bool:
    """Errors a fresh attempt of the same batch can succeed after."""
    if error.connection_invalidated:
        return True  # the server restarted or dropped the connection: the pool reconnects
    state = sqlstate(error)
    if isinstance(error, IntegrityError):
        # A concurrent writer won an insert race: the retry sees its rows. A NOT NULL or CHECK
        # violation is the data's fault: no retry fixes it (SQLite has no races: BEGIN IMMEDIATE).
        return state in RACE_SQLSTATES if state else "UNIQUE" in str(error.orig)
    if state in RETRYABLE_SQLSTATES:
        return True
    return isinstance(error, OperationalError) and "locked" in str(error.orig).lower()


class Repository:
    """Stores extracted articles: dedup, entity upserts, event identity and provenance."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        near_duplicate_threshold: float = 0.8,
        near_duplicate_containment: float = 0.9,
        event_window_days: int = 1,
        event_match_threshold: float = EVENT_MATCH_THRESHOLD,
        max_attempts: int = 8,
    ) -> None:
        self.engine = engine
        self.near_duplicate_threshold = near_duplicate_threshold
        self.near_duplicate_containment = near_duplicate_containment
        self.event_window_days = event_window_days
        self.event_match_threshold = event_match_threshold
        self.max_attempts = max_attempts

    async def store(self, article: ExtractedArticle) -> StoredRecord:
        """Store one article in one transaction; handling it again changes nothing."""
        return (await self.store_many([article]))[0]

    async def store_many(self, articles: list[ExtractedArticle]) -> list[StoredRecord]:
        """Store a batch in one transaction, as if stored one by one in order (fewer round trips)."""
        if not articles:
            return []
        batch = Batch.of(articles)
        for attempt in range(1, self.max_attempts + 1):
            try:
                async with self.engine.connect() as conn:
                    conn = await conn.execution_options(**{IMMEDIATE: True})
                    async with conn.begin():
                        return await self._store(conn, batch)
            except DBAPIError as error:
                if attempt == self.max_attempts or not is_retryable(error):
                    raise
                await asyncio.sleep(random.uniform(0, 0.02 * 2**attempt))
        raise AssertionError("unreachable")

    async def _store(self, conn: AsyncConnection, batch: Batch) -> list[StoredRecord]:
        if is_postgres(conn):
            await conn.execute(_LOCK, {"keys": lock_keys(batch, self.event_window_days)})
        snapshot = await read_snapshot(conn, batch, self.event_window_days)
        for _ in range(MAX_PLANS):
            plan = plan_batch(
                batch,
                snapshot,
                threshold=self.near_duplicate_threshold,
                containment=self.near_duplicate_containment,
                window_days=self.event_window_days,
                event_threshold=self.event_match_threshold,
                now=dt.datetime.now(dt.UTC),
            )
            # A refined event may now reach stored events its reports did not: load them and plan
            # again, so it is merged with any it now matches (no two stored events match).
            known = {event.event_id for event in snapshot.events}
            more = [e for e in await candidate_events(conn, plan.changed, self.event_window_days)
                    if e.event_id not in known]
            if not more:
                break
            snapshot.events = sorted([*snapshot.events, *more], key=lambda event: event.event_id)
        await write_rows(conn, plan.rows)
        records = [with_article(r, a) for r, a in zip(plan.records, batch.articles, strict=True)]
        records = await record_provenance(conn, batch.articles, records, dt.datetime.now(dt.UTC))
        return await with_event_details(conn, records)
