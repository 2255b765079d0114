"""The reads one store transaction needs, each one indexed query for the whole batch.

They run after the batch's advisory locks are held (Postgres) or under BEGIN IMMEDIATE
(SQLite), so what they return cannot change before the batch commits.

On Postgres the two lookups that take many keys (LSH band rows, candidate events) join the
index against `unnest` of array parameters: one cached statement with a handful of parameters
whatever the batch size, where a long IN / OR list took longer to plan than to run. SQLite
(tests, embedded) uses the portable row-value IN / OR forms.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import (
    Date,
    Row,
    SmallInteger,
    String,
    and_,
    bindparam,
    distinct,
    false,
    func,
    or_,
    select,
    text,
    tuple_,
)
from sqlalchemy.dialects.postgresql import ARRAY, BIGINT
from sqlalchemy.ext.asyncio import AsyncConnection

from services.common.contracts import ExtractedArticle, Location, StoredEvent
from services.store.db import is_postgres
from services.store.dedup import Candidate, Fingerprint, signature_from_bytes
from services.store.events import DateSpan, EventFacts, EventKey, KnownEvent
from services.store.planning import Snapshot, StoredArticle
from services.store.schema import article_lsh, articles, event_sources, events

MAX_PAIRS_PER_QUERY = 2000  # keeps bind parameters far below SQLite's and Postgres' limits


def chunks(items: Sequence, size: int) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def stored_articles(conn: AsyncConnection, ids: list[str], shas: list[str]) -> list[StoredArticle]:
    query = select(
        articles.c.article_id, articles.c.content_sha256, articles.c.duplicate_of, articles.c.duplicate_reason
    ).where(or_(articles.c.article_id.in_(ids), articles.c.content_sha256.in_(shas)))
    return [StoredArticle(*row) for row in await conn.execute(query)]


_LSH_BY_ARRAYS = text("""
    SELECT l.band, l.hash, l.article_id, a.minhash, a.shingles
    FROM unnest(CAST(:bands AS smallint[]), CAST(:hashes AS bigint[])) AS wanted(band, hash)
    JOIN article_lsh AS l ON l.band = wanted.band AND l.hash = wanted.hash
    JOIN articles AS a ON a.article_id = l.article_id
""").bindparams(bindparam("bands", type_=ARRAY(SmallInteger)), bindparam("hashes", type_=ARRAY(BIGINT)))


async def _lsh_rows(conn: AsyncConnection, bands: list[tuple[int, int]]) -> list[Row[Any]]:
    if is_postgres(conn):
        result = await conn.execute(
            _LSH_BY_ARRAYS, {"bands": [b for b, _ in bands], "hashes": [h for _, h in bands]}
        )
        return list(result)
    rows: list[Row[Any]] = []
    for part in chunks(bands, MAX_PAIRS_PER_QUERY):
        query = (
            select(
                article_lsh.c.band,
                article_lsh.c.hash,
                article_lsh.c.article_id,
                articles.c.minhash,
                articles.c.shingles,
            )
            .join(articles, articles.c.article_id == article_lsh.c.article_id)
            .where(tuple_(article_lsh.c.band, article_lsh.c.hash).in_(list(part)))
        )
        rows.extend(await conn.execute(query))
    return rows


async def lsh_candidates(conn: AsyncConnection, bands: list[tuple[int, int]], snapshot: Snapshot) -> None:
    """Originals sharing at least one band row with the given bands, with their signatures and counts."""
    lsh: dict[tuple[int, int], list[str]] = defaultdict(list)
    for band, band_hash, article_id, minhash, shingle_count in await _lsh_rows(conn, sorted(set(bands))):
        lsh[(band, band_hash)].append(article_id)
        if article_id not in snapshot.originals:
            snapshot.originals[article_id] = Candidate(article_id, signature_from_bytes(minhash), shingle_count)
    snapshot.lsh = dict(lsh)


def _source_count():
    inner = event_sources.alias("counted")
    return (
        select(func.count(distinct(inner.c.article_id)))
        .where(inner.c.event_id == events.c.event_id)
        .scalar_subquery()
    )


def _event_condition(facts: EventFacts, window_days: int):
    same_key = and_(
        events.c.type == facts.key.type,
        events.c.actor_set == facts.key.actor_set,
        events.c.modality == facts.key.modality,
    )
    bounds = facts.span.search_range(window_days)
    if bounds is None:
        return and_(same_key, events.c.date_start.is_(None))
    low, high = bounds
    return and_(same_key, events.c.date_start <= high, events.c.date_end >= low)


_EVENTS_BY_ARRAYS = text("""
    SELECT e.*, (SELECT count(DISTINCT s.article_id) FROM event_sources AS s WHERE s.event_id = e.event_id)
           AS sources
    FROM events AS e
    WHERE e.event_id IN (
        SELECT found.event_id
        FROM unnest(CAST(:types AS text[]), CAST(:actor_sets AS text[]), CAST(:modalities AS text[]),
                    CAST(:lows AS date[]), CAST(:highs AS date[]))
             AS wanted(type, actor_set, modality, low, high)
        JOIN events AS found ON found.type = wanted.type AND found.actor_set = wanted.actor_set
             AND found.modality = wanted.modality
             AND ((wanted.low IS NULL AND found.date_start IS NULL)
                  OR (found.date_start <= wanted.high AND found.date_end >= wanted.low)))
""").bindparams(
    *(bindparam(name, type_=ARRAY(String)) for name in ("types", "actor_sets", "modalities")),
    *(bindparam(name, type_=ARRAY(Date)) for name in ("lows", "highs")),
)


async def _event_rows(conn: AsyncConnection, wanted: dict[tuple, EventFacts], window_days: int) -> list:
    if is_postgres(conn):
        keys = [facts.key for facts in wanted.values()]
        bounds = [facts.span.search_range(window_days) or (None, None) for facts in wanted.values()]
        result = await conn.execute(
            _EVENTS_BY_ARRAYS,
            {
                "types": [k.type for k in keys],
                "actor_sets": [k.actor_set for k in keys],
                "modalities": [k.modality for k in keys],
                "lows": [b[0] for b in bounds],
                "highs": [b[1] for b in bounds],
            },
        )
        return list(result.mappings())
    conditions = [_event_condition(facts, window_days) for facts in wanted.values()]
    query = select(events, _source_count().label("sources")).where(or_(false(), *conditions))
    return list((await conn.execute(query)).mappings())


async def candidate_events(
    conn: AsyncConnection, reported: list[EventFacts], window_days: int
) -> list[KnownEvent]:
    """Stored events with the same type, actor set and modality whose dates fall in the window."""
    wanted = {(f.key, f.span.search_range(window_days)): f for f in reported}
    if not wanted:
        return []
    return [
        KnownEvent(row["event_id"], event_facts(row), row["sources"])
        for row in await _event_rows(conn, wanted, window_days)
    ]


def event_facts(row: Mapping[str, Any]) -> EventFacts:
    """The identity facts of a stored `events` row, as the merge rule compares them."""
    location = None
    if row["location_name"]:
        location = Location(name=row["location_name"], key=row["location_key"], country=row["location_country"])
    return EventFacts(
        EventKey(row["type"], row["modality"], row["actor_set"]),
        DateSpan.of(row["date"], row["date_precision"]),
        location,
        row["mode"],
    )


async def article_events(conn: AsyncConnection, ids: list[str]) -> dict[str, list[StoredEvent]]:
    """The events each (already stored) article is a source of, in the order the article reports them."""
    query = (
        select(
            event_sources.c.article_id,
            events.c.event_id,
            events.c.type,
            func.min(event_sources.c.trigger_start).label("first"),
            _source_count().label("sources"),
        )
        .join(events, events.c.event_id == event_sources.c.event_id)
        .where(event_sources.c.article_id.in_(ids))
        .group_by(event_sources.c.article_id, events.c.event_id, events.c.type)
        .order_by(event_sources.c.article_id, "first", events.c.event_id)
    )
    found: dict[str, list[StoredEvent]] = defaultdict(list)
    for article_id, event_id, event_type, _first, sources in await conn.execute(query):
        found[article_id].append(
            StoredEvent(event_id=event_id, type=event_type, status="unchanged", sources=sources)
        )
    return dict(found)


async def read_snapshot(
    conn: AsyncConnection,
    batch: list[ExtractedArticle],
    fingerprints: dict[str, Fingerprint],
    window_days: int,
) -> Snapshot:
    """Everything the planner needs to know about the database for this batch."""
    snapshot = Snapshot()
    snapshot.articles = await stored_articles(
        conn, [a.article_id for a in batch], [a.content_sha256 for a in batch]
    )
    stored_ids = {a.article_id for a in snapshot.articles}
    stored_shas = {a.content_sha256 for a in snapshot.articles}
    fresh = [a for a in batch if a.article_id not in stored_ids and a.content_sha256 not in stored_shas]
    if fresh:
        await lsh_candidates(
            conn, [band for a in fresh for band in fingerprints[a.article_id].bands], snapshot
        )
        reported = [EventFacts.of(event) for a in fresh for event in a.events]
        snapshot.events = await candidate_events(conn, reported, window_days)
    if stored_ids & {a.article_id for a in batch}:
        snapshot.article_events = await article_events(conn, sorted(stored_ids))
    return snapshot
