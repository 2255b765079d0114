"""What a records.stored record says about its events: the events as stored (mode, date, place,
actors with their roles) and, for a duplicate, its original's events.

Read inside the store's transaction, after the batch is written, from the rows the planner
decided: this module never decides identity, it only describes what is stored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.common.contracts import ExtractedArticle, Location, RecordActor, StoredEvent, StoredRecord
from services.store.reads import MAX_PAIRS_PER_QUERY, article_events, chunks
from services.store.schema import entities, event_actors, event_aliases, events


def with_article(record: StoredRecord, article: ExtractedArticle) -> StoredRecord:
    """The record with the article as this delivery gave it (ids, title, outlet, date)."""
    return record.model_copy(update={
        "url": article.url, "title": article.title, "source_name": article.source_name,
        "published_at": article.published_at,
    })


def describe_event(event: StoredEvent, row: Mapping[str, Any] | None, actors: list[RecordActor]) -> StoredEvent:
    """`event` with the stored event's details (unchanged when the row is missing)."""
    if row is None:
        return event
    location = None
    if row["location_name"]:
        location = Location(name=row["location_name"], key=row["location_key"], country=row["location_country"])
    return event.model_copy(update={
        "mode": row["mode"], "date": row["date"], "date_precision": row["date_precision"],
        "location": location, "actors": actors,
    })


async def _event_rows(conn: AsyncConnection, ids: list[str]) -> dict[str, Mapping[str, Any]]:
    columns = (events.c.event_id, events.c.mode, events.c.date, events.c.date_precision,
               events.c.location_name, events.c.location_key, events.c.location_country)
    found: dict[str, Mapping[str, Any]] = {}
    for page in chunks(ids, MAX_PAIRS_PER_QUERY):
        for row in (await conn.execute(select(*columns).where(events.c.event_id.in_(page)))).mappings():
            found[row["event_id"]] = dict(row)
    return found


async def _event_actors(conn: AsyncConnection, ids: list[str]) -> dict[str, list[RecordActor]]:
    found: dict[str, list[RecordActor]] = defaultdict(list)
    for page in chunks(ids, MAX_PAIRS_PER_QUERY):
        query = (
            select(event_actors.c.event_id, event_actors.c.role, entities.c.key, entities.c.name, entities.c.country)
            .join(entities, entities.c.key == event_actors.c.entity_key)
            .where(event_actors.c.event_id.in_(page))
            .order_by(event_actors.c.event_id, event_actors.c.role, entities.c.key)
        )
        for event_id, role, key, name, country in await conn.execute(query):
            found[event_id].append(RecordActor(key=key, name=name, country=country, role=role))
    return found


async def _survivors(conn: AsyncConnection, ids: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for page in chunks(ids, MAX_PAIRS_PER_QUERY):
        query = select(event_aliases.c.alias_id, event_aliases.c.event_id).where(event_aliases.c.alias_id.in_(page))
        found.update({alias: survivor for alias, survivor in await conn.execute(query)})
    return found


async def with_event_details(conn: AsyncConnection, records: list[StoredRecord]) -> list[StoredRecord]:
    """The records with their events described, and a duplicate's original events."""
    originals = sorted({r.duplicate_of for r in records if r.duplicate_of})
    original_events = await article_events(conn, originals) if originals else {}
    ids = sorted({e.event_id for r in records for e in r.events}
                 | {e.event_id for found in original_events.values() for e in found})
    # an event merged later in the same batch is an alias now: describe it as its survivor
    survivors = await _survivors(conn, ids)
    rows = await _event_rows(conn, sorted(set(ids) | set(survivors.values())))
    actors = await _event_actors(conn, sorted(set(ids) | set(survivors.values())))
    for alias, survivor in survivors.items():
        if alias not in rows and survivor in rows:
            rows[alias], actors[alias] = rows[survivor], actors.get(survivor, [])

    def described(found: list[StoredEvent]) -> list[StoredEvent]:
        return [describe_event(e, rows.get(e.event_id), actors.get(e.event_id, [])) for e in found]

    return [
        record.model_copy(update={
            "events": described(record.events),
            "original_events": described(original_events.get(record.duplicate_of, [])) if record.duplicate_of else [],
        })
        for record in records
    ]
