"""One page of exported records of each kind: the rows with their children, one query per table.

Each record is built as its export model (export_models.py), so a column that does not fit the
format fails here, at the first export, and not in a consumer's script.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import distinct, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.store.export_models import (
    ExportedActor,
    ExportedArticle,
    ExportedEntity,
    ExportedEvent,
    ExportedLocation,
    ExportedSource,
)
from services.store.provenance import deliveries_of, previous_versions
from services.store.schema import (
    articles,
    entities,
    entity_aliases,
    event_actors,
    event_aliases,
    event_sources,
    events,
    mentions,
    merges,
)


async def article_page(conn: AsyncConnection, ids: Sequence[str]) -> list[ExportedArticle]:
    rows = {
        row["article_id"]: row
        for row in (await conn.execute(select(articles).where(articles.c.article_id.in_(ids)))).mappings()
    }
    deliveries = await deliveries_of(conn, list(ids))
    versions = await previous_versions(conn, list(ids))
    return [
        ExportedArticle(
            **{name: row[name] for name in ExportedArticle.model_fields if name not in {"deliveries", "version_of"}},
            deliveries=deliveries.get(row["article_id"], []),
            version_of=versions.get(row["article_id"]),
        )
        for row in (rows[article_id] for article_id in ids)
    ]


async def entity_page(conn: AsyncConnection, keys: Sequence[str]) -> list[ExportedEntity]:
    rows = {
        row["key"]: row
        for row in (await conn.execute(select(entities).where(entities.c.key.in_(keys)))).mappings()
    }
    aliases: dict[str, list[str]] = defaultdict(list)
    for key, alias in await conn.execute(
        select(entity_aliases.c.entity_key, entity_aliases.c.alias)
        .where(entity_aliases.c.entity_key.in_(keys))
        .order_by(entity_aliases.c.entity_key, entity_aliases.c.alias)
    ):
        aliases[key].append(alias)
    counts = {
        key: (total, documents)
        for key, total, documents in await conn.execute(
            select(
                mentions.c.entity_key, func.sum(mentions.c.count), func.count(distinct(mentions.c.article_id))
            )
            .where(mentions.c.entity_key.in_(keys))
            .group_by(mentions.c.entity_key)
        )
    }
    return [
        ExportedEntity(
            key=key,
            name=rows[key]["name"],
            label=rows[key]["label"],
            country=rows[key]["country"],
            aliases=aliases.get(key, []),
            mentions=int(counts.get(key, (0, 0))[0] or 0),
            articles=int(counts.get(key, (0, 0))[1]),
        )
        for key in keys
    ]


async def _event_actors(conn: AsyncConnection, ids: Sequence[str]) -> dict[str, list[ExportedActor]]:
    actors: dict[str, list[ExportedActor]] = defaultdict(list)
    for row in (
        await conn.execute(
            select(event_actors.c.event_id, event_actors.c.role, entities.c.key, entities.c.name, entities.c.country)
            .join(entities, entities.c.key == event_actors.c.entity_key)
            .where(event_actors.c.event_id.in_(ids))
            .order_by(event_actors.c.event_id, event_actors.c.role, entities.c.key)
        )
    ).mappings():
        actors[row["event_id"]].append(
            ExportedActor(key=row["key"], name=row["name"], country=row["country"], role=row["role"])
        )
    return actors


async def _event_sources(conn: AsyncConnection, ids: Sequence[str]) -> dict[str, list[ExportedSource]]:
    sources: dict[str, list[ExportedSource]] = defaultdict(list)
    for row in (
        await conn.execute(
            select(event_sources, articles.c.external_id, articles.c.url)
            .join(articles, articles.c.article_id == event_sources.c.article_id)
            .where(event_sources.c.event_id.in_(ids))
            .order_by(
                event_sources.c.event_id,
                articles.c.published_day,
                event_sources.c.article_id,
                event_sources.c.trigger_start,
            )
        )
    ).mappings():
        sources[row["event_id"]].append(ExportedSource(**{name: row[name] for name in ExportedSource.model_fields}))
    return sources


async def _event_merges(
    conn: AsyncConnection, ids: Sequence[str]
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Each event's merge reasons (its own merges, then those of the ids merged into it) and aliases."""
    reasons: dict[str, list[str]] = defaultdict(list)
    for event_id, reason in await conn.execute(
        select(merges.c.event_id, merges.c.reason).where(merges.c.event_id.in_(ids)).order_by(merges.c.id)
    ):
        reasons[event_id].append(reason)
    aliases: dict[str, list[str]] = defaultdict(list)
    for event_id, alias_id, reason in await conn.execute(
        select(event_aliases.c.event_id, event_aliases.c.alias_id, event_aliases.c.reason)
        .where(event_aliases.c.event_id.in_(ids))
        .order_by(event_aliases.c.alias_id)
    ):
        aliases[event_id].append(alias_id)
        reasons[event_id].append(reason)
    return reasons, aliases


async def event_page(conn: AsyncConnection, ids: Sequence[str]) -> list[ExportedEvent]:
    rows = {
        row["event_id"]: row
        for row in (await conn.execute(select(events).where(events.c.event_id.in_(ids)))).mappings()
    }
    actors = await _event_actors(conn, ids)
    sources = await _event_sources(conn, ids)
    reasons, aliases = await _event_merges(conn, ids)
    page = []
    for event_id in ids:
        row = rows[event_id]
        location = (
            ExportedLocation(name=row["location_name"], country=row["location_country"])
            if row["location_name"]
            else None
        )
        page.append(
            ExportedEvent(
                event_id=event_id,
                type=row["type"],
                mode=row["mode"],
                date=row["date"],
                date_precision=row["date_precision"],
                location=location,
                actors=actors.get(event_id, []),
                sources=sources.get(event_id, []),
                merge_reasons=reasons.get(event_id, []),
                modality=row["modality"],
                aliases=aliases.get(event_id, []),
            )
        )
    return page
