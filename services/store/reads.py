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
    Row,
    SmallInteger,
    and_,
    bindparam,
    distinct,
    false,
    func,
    or_,
    select,
    text,
    tuple_,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY, BIGINT
from sqlalchemy.ext.asyncio import AsyncConnection

from services.common.contracts import Location, StoredEvent
from services.store.candidate_query import UNDATED_CANDIDATES, CandidateQuery, postgres_rows
from services.store.db import is_postgres
from services.store.dedup import Candidate, signature_from_bytes
from services.store.event_identity import DateSpan, EventFacts, KnownEvent
from services.store.planning import Batch, Snapshot, StoredArticle
from services.store.schema import article_lsh, articles, event_actors, event_reach, event_sources, events

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


def _with_sources(found):
    return select(events, _source_count().label("sources")).where(events.c.event_id.in_(found))


def _reach_ids(query: CandidateQuery):
    """Events sharing a term with a report that names an actor or place, in its ranges (a superset:
    modality and the span's end are checked by the identity score)."""
    ranges = [
        and_(event_reach.c.type == t, event_reach.c.date_precision == p, event_reach.c.date_start.between(low, high))
        for t, p, low, high in query.reach
    ]
    return select(event_reach.c.event_id).where(event_reach.c.term.in_(query.terms), or_(false(), *ranges))


def _dated_ids(query: CandidateQuery):
    """Events of the ranges of the reports that name no actor or place (few)."""
    ranges = [
        and_(
            events.c.type == t,
            events.c.modality == m,
            events.c.date_precision == precision,
            events.c.date_start.between(earliest, high),
            events.c.date_end >= low,
        )
        for t, m, precision, earliest, low, high in query.dated
    ]
    return select(events.c.event_id).where(or_(false(), *ranges))


def _shared_person_query(query: CandidateQuery):
    """The UNDATED_CANDIDATES most recently seen events sharing a person with an undated report,
    or undated events sharing a person with a dated one."""
    sharing = union_all(
        select(event_actors.c.event_id).where(event_actors.c.entity_key.in_(query.people)),
        select(event_reach.c.event_id).where(
            event_reach.c.term.in_(query.undated_terms),
            event_reach.c.type.in_(query.share_types),
            event_reach.c.date_precision == "unknown",
        ),
    )
    found = (
        select(events, _source_count().label("sources"))
        .where(events.c.event_id.in_(sharing), events.c.type.in_(query.share_types))
        .order_by(events.c.last_seen.desc(), events.c.event_id)
        .limit(UNDATED_CANDIDATES)
    )
    return found if query.people else found.where(events.c.date_start.is_(None))


def _month_day_ids(query: CandidateQuery):
    """Day events on a day and month a yearless report gives, and undated events whose text gives
    the day and month of a report's day (events.month_day and its index)."""
    return select(events.c.event_id).where(
        events.c.type.in_(query.day_types),
        or_(
            and_(events.c.month_day.in_(query.yearless), events.c.date_precision == "day"),
            and_(events.c.month_day.in_(query.days), events.c.date_start.is_(None)),
        ),
    )


async def _portable_rows(conn: AsyncConnection, query: CandidateQuery) -> list:
    """The candidates with portable statements (SQLite): the same parts as the Postgres one."""
    parts = [
        (query.reach, _reach_ids),
        (query.dated, _dated_ids),
        (query.yearless or query.days, _month_day_ids),
    ]
    rows: list = []
    for asked, ids in parts:
        if asked:
            rows += (await conn.execute(_with_sources(ids(query)))).mappings()
    if query.share_types:
        rows += (await conn.execute(_shared_person_query(query))).mappings()
    return rows


async def candidate_events(conn: AsyncConnection, reported: list[EventFacts], window_days: int) -> list[KnownEvent]:
    """Stored events a report may join: compatible type and modality with a date span near the
    report's, and events sharing a person where one side is undated (CandidateQuery)."""
    if not reported:
        return []
    query = CandidateQuery.of(reported, window_days)
    rows = await (postgres_rows(conn, query) if is_postgres(conn) else _portable_rows(conn, query))
    unique = {row["event_id"]: row for row in rows}
    return [KnownEvent(event_id, event_facts(row), row["sources"]) for event_id, row in sorted(unique.items())]


def event_facts(row: Mapping[str, Any]) -> EventFacts:
    """The identity facts of a stored `events` row, as the identity score compares them."""
    location = None
    if row["location_name"]:
        location = Location(name=row["location_name"], key=row["location_key"], country=row["location_country"])
    return EventFacts(
        type=row["type"],
        modality=row["modality"],
        actors=frozenset((key, country) for key, country in (row["actors"] or [])),
        span=DateSpan.stored(row["date"], row["date_precision"], row["date_start"], row["date_end"]),
        location=location,
        mode=row["mode"],
        terms=frozenset(row["terms"] or []),
        places=frozenset(row["places"] or []),
        month_day=row["month_day"] if row["date_start"] is None else None,
        roles=row["actor_set"],
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


async def read_snapshot(conn: AsyncConnection, batch: Batch, window_days: int) -> Snapshot:
    """Everything the planner needs to know about the database for this batch."""
    snapshot = Snapshot()
    articles_in = batch.articles
    snapshot.articles = await stored_articles(
        conn, [a.article_id for a in articles_in], [a.content_sha256 for a in articles_in]
    )
    stored_ids = {a.article_id for a in snapshot.articles}
    stored_shas = {a.content_sha256 for a in snapshot.articles}
    fresh = [a for a in articles_in if a.article_id not in stored_ids and a.content_sha256 not in stored_shas]
    if fresh:
        await lsh_candidates(
            conn, [band for a in fresh for band in batch.fingerprints[a.article_id].bands], snapshot
        )
        reported = [facts for a in fresh for facts in batch.reports[a.article_id]]
        snapshot.events = await candidate_events(conn, reported, window_days)
    if stored_ids & {a.article_id for a in articles_in}:
        snapshot.article_events = await article_events(conn, sorted(stored_ids))
    return snapshot
