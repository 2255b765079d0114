"""The reads one store transaction needs, each one indexed query for the whole batch.

They run after the batch's advisory locks are held (Postgres) or under BEGIN IMMEDIATE
(SQLite), so what they return cannot change before the batch commits.

On Postgres the two lookups that take many keys (LSH band rows, candidate events) join the
index against `unnest` of array parameters: one cached statement with a handful of parameters
whatever the batch size, where a long IN / OR list took longer to plan than to run. SQLite
(tests, embedded) uses the portable row-value IN / OR forms.
"""

from __future__ import annotations

import datetime as dt
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

from services.common.contracts import Location, StoredEvent
from services.store.db import is_postgres
from services.store.dedup import Candidate, signature_from_bytes
from services.store.events import (
    DateSpan,
    EventFacts,
    KnownEvent,
    neighbour_month_days,
    report_terms,
    span_month_days,
)
from services.store.identity import compatible_types
from services.store.planning import Batch, Snapshot, StoredArticle
from services.store.schema import article_lsh, articles, event_actors, event_reach, event_sources, events

MAX_PAIRS_PER_QUERY = 2000  # keeps bind parameters far below SQLite's and Postgres' limits
UNDATED_CANDIDATES = 50  # events sharing an actor that an undated side is compared with


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


def _wanted(reported: list[EventFacts], window_days: int) -> set[tuple[str, str, Any, Any]]:
    """(type, modality, low, high) of every dated candidate a report may join, one per compatible type."""
    wanted: set[tuple[str, str, Any, Any]] = set()
    for facts in reported:
        bounds = facts.span.search_range(window_days)
        if bounds is not None:
            wanted.update((t, facts.modality, *bounds) for t in compatible_types(facts.type))
    return wanted


# The longest span an event of each precision can have: a lookup bounds date_start on both sides,
# so the index range it scans holds only events that can overlap, however large the store.
MAX_SPAN_DAYS = {"day": 2, "month": 31, "year": 366}

_EVENTS_BY_REACH = text("""
    SELECT e.*, (SELECT count(DISTINCT s.article_id) FROM event_sources AS s WHERE s.event_id = e.event_id)
           AS sources
    FROM events AS e
    WHERE e.event_id IN (
        SELECT found.event_id
        FROM unnest(CAST(:types AS text[]), CAST(:precisions AS text[]), CAST(:earliest AS date[]),
                    CAST(:highs AS date[])) AS wanted(type, precision, earliest, high)
        CROSS JOIN LATERAL (
            SELECT r.event_id FROM event_reach AS r
            WHERE r.term = ANY(CAST(:terms AS text[])) AND r.type = wanted.type
              AND r.date_precision = wanted.precision AND r.date_start BETWEEN wanted.earliest AND wanted.high
            OFFSET 0
        ) AS found)
""").bindparams(
    *(bindparam(name, type_=ARRAY(String)) for name in ("types", "precisions", "terms")),
    *(bindparam(name, type_=ARRAY(Date)) for name in ("earliest", "highs")),
)


def _bounded(wanted: set[tuple[str, str, Any, Any]]) -> list[tuple[str, str, str, Any, Any, Any]]:
    """(type, modality, precision, earliest start, low, high): one index range per stored precision."""
    return sorted(
        (t, m, precision, low - dt.timedelta(days=span), low, high)
        for t, m, low, high in wanted
        for precision, span in MAX_SPAN_DAYS.items()
    )


async def _dated_rows(conn: AsyncConnection, wanted: set[tuple[str, str, Any, Any]]) -> list:
    """Events of the wanted types and modalities whose span meets the wanted ranges (one OR branch
    per range: the candidate index serves each)."""
    if not wanted:
        return []
    rows = _bounded(wanted)  # few: only reports that name no actor come here
    conditions = [
        and_(
            events.c.type == t,
            events.c.modality == m,
            events.c.date_precision == precision,
            events.c.date_start.between(earliest, high),
            events.c.date_end >= low,
        )
        for t, m, precision, earliest, low, high in rows
    ]
    query = select(events, _source_count().label("sources")).where(or_(false(), *conditions))
    return list((await conn.execute(query)).mappings())


async def _reach_rows(conn: AsyncConnection, wanted: set[tuple[str, str, Any, Any]], terms: list[str]) -> list:
    """Like _dated_rows, through event_reach: only events sharing one of `terms` (an actor key, a
    country, or ANY_ACTOR). The index (term, type, precision, date_start) holds just those, so the
    cost follows how many events share something with the report, not how many are stored. The
    rows are a superset (modality and the span's end are checked by the identity score)."""
    if not wanted:
        return []
    bounds = sorted({(t, precision, earliest, high) for t, _, precision, earliest, _, high in _bounded(wanted)})
    if is_postgres(conn):
        columns = ("types", "precisions", "earliest", "highs")
        params = {c: [r[i] for r in bounds] for i, c in enumerate(columns)}
        return list((await conn.execute(_EVENTS_BY_REACH, {**params, "terms": terms})).mappings())
    found = select(event_reach.c.event_id).where(
        event_reach.c.term.in_(terms),
        or_(
            false(),
            *(
                and_(
                    event_reach.c.type == t,
                    event_reach.c.date_precision == precision,
                    event_reach.c.date_start.between(earliest, high),
                )
                for t, precision, earliest, high in bounds
            ),
        ),
    )
    query = select(events, _source_count().label("sources")).where(events.c.event_id.in_(found))
    return list((await conn.execute(query)).mappings())


async def _shared_actor_rows(conn: AsyncConnection, reported: list[EventFacts]) -> list:
    """Events that share a person with a report and that an undated side could join: the report is
    undated, or the stored event is. The most recently seen UNDATED_CANDIDATES of them."""
    wanted = [f for f in reported if any(key.startswith("per:") for key, _ in f.actors)]
    if not wanted:
        return []
    undated_reports = [f for f in wanted if not f.span.known]
    # People only: a person is selective, a country is an actor of a large share of all events.
    keys = sorted({key for f in (undated_reports or wanted) for key, _ in f.actors if key.startswith("per:")})
    types = sorted({t for f in wanted for t in compatible_types(f.type)})
    sharing = select(event_actors.c.event_id).where(event_actors.c.entity_key.in_(keys))
    query = (
        select(events, _source_count().label("sources"))
        .where(events.c.event_id.in_(sharing), events.c.type.in_(types))
        .order_by(events.c.last_seen.desc(), events.c.event_id)
        .limit(UNDATED_CANDIDATES)
    )
    if not undated_reports:
        query = query.where(events.c.date_start.is_(None))
    return list((await conn.execute(query)).mappings())


async def _month_day_rows(conn: AsyncConnection, reported: list[EventFacts]) -> list:
    """Events a yearless report may be ("le 14 novembre" in an undated article): day events on or
    around that day and month, of any year; and the undated events with a day and month that a
    dated report may be. Both through events.month_day and its index."""
    yearless = {d for f in reported if not f.span.known and f.month_day for d in neighbour_month_days(f.month_day)}
    days = {d for f in reported for d in span_month_days(f.span)}
    types = sorted({t for f in reported for t in compatible_types(f.type)})
    conditions = []
    if yearless:
        conditions.append(and_(events.c.month_day.in_(sorted(yearless)), events.c.date_precision == "day"))
    if days:
        conditions.append(and_(events.c.month_day.in_(sorted(days)), events.c.date_start.is_(None)))
    if not conditions:
        return []
    query = select(events, _source_count().label("sources")).where(events.c.type.in_(types), or_(*conditions))
    return list((await conn.execute(query)).mappings())


async def candidate_events(conn: AsyncConnection, reported: list[EventFacts], window_days: int) -> list[KnownEvent]:
    """Stored events a report may join: compatible type and modality with a date span near the
    report's, and events sharing an actor where one side is undated."""
    if not reported:
        return []
    # Reports that name an actor or a place find candidates through what they share with them;
    # one that names neither is looked up by type and date alone.
    named = [f for f in reported if report_terms(f)]
    unnamed = [f for f in reported if not report_terms(f)]
    terms = sorted({term for f in named for term in report_terms(f)})
    rows = await _reach_rows(conn, _wanted(named, window_days), terms)
    rows += await _dated_rows(conn, _wanted(unnamed, window_days))
    rows += await _shared_actor_rows(conn, reported)
    rows += await _month_day_rows(conn, reported)
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
