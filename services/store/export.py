"""Read side: the export format of DESIGN.md ("Export format"), the events timeline, the counts.

Field names are a contract with scripts and consumer teams: add fields, never rename. Rows are
produced page by page (ids first, then each page with its children in one query per table), so
an export of a large store neither loads everything nor issues a query per row.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, Literal

from sqlalchemy import Select, distinct, func, or_, select, union
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from services.store.dedup import fold
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

Kind = Literal["articles", "entities", "events"]
PAGE = 500


def entity_keys_query(entity: str) -> Select:
    """Keys of the entities a user means by `entity`: its key, its name or one of its aliases."""
    wanted = entity.strip().lower()
    return (
        union(
            select(entities.c.key).where(
                or_(entities.c.key == entity.strip(), func.lower(entities.c.name) == wanted)
            ),
            select(entity_aliases.c.entity_key).where(func.lower(entity_aliases.c.alias) == wanted),
        )
        .subquery()
        .select()
    )


def key_pattern(entity: str) -> str:
    """What a user typed, as the part of an entity key it can be: folded like keys are ("Goïta" →
    "goita", "Assimi Goïta" → "assimi-goita"), so a search ignores accents and case."""
    return re.sub(r"[^a-z0-9:]+", "-", fold(entity)).strip("-")


def entity_search_query(entity: str) -> Select:
    """Keys of the entities whose key, name or alias is `entity`, or whose key contains it, folded
    (accent- and case-insensitive, part of a name: "Goita" finds per:assimi-goita)."""
    pattern = key_pattern(entity)
    partial = select(entities.c.key).where(entities.c.key.like(f"%{pattern}%")) if pattern else None
    exact = entity_keys_query(entity)
    if partial is None:
        return exact
    return union(exact, partial).subquery().select()


def event_ids_query(event: str) -> Select:
    """The stored event a user means by `event`: its id, or an id merged into it (an alias)."""
    wanted = event.strip()
    return (
        union(
            select(events.c.event_id).where(events.c.event_id == wanted),
            select(event_aliases.c.event_id).where(event_aliases.c.alias_id == wanted),
        )
        .subquery()
        .select()
    )


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


def _article_ids(since: dt.date | None, event_type: str | None, entity: str | None, event: str | None) -> Select:
    query = select(articles.c.article_id).order_by(
        articles.c.published_day.is_(None), articles.c.published_day, articles.c.article_id
    )
    if since:
        query = query.where(articles.c.published_day >= since)
    if event_type:
        query = query.where(
            articles.c.article_id.in_(
                select(event_sources.c.article_id)
                .join(events, events.c.event_id == event_sources.c.event_id)
                .where(events.c.type == event_type)
            )
        )
    if entity:
        query = query.where(
            articles.c.article_id.in_(
                select(mentions.c.article_id).where(mentions.c.entity_key.in_(entity_keys_query(entity)))
            )
        )
    if event:
        query = query.where(
            articles.c.article_id.in_(
                select(event_sources.c.article_id).where(event_sources.c.event_id.in_(event_ids_query(event)))
            )
        )
    return query


def _entity_ids(since: dt.date | None, event_type: str | None, entity: str | None, event: str | None) -> Select:
    query = select(entities.c.key).order_by(entities.c.key)
    if entity:
        query = query.where(entities.c.key.in_(entity_keys_query(entity)))
    if since:
        query = query.where(
            entities.c.key.in_(
                select(mentions.c.entity_key)
                .join(articles, articles.c.article_id == mentions.c.article_id)
                .where(articles.c.published_day >= since)
            )
        )
    if event_type:
        query = query.where(
            entities.c.key.in_(
                select(event_actors.c.entity_key)
                .join(events, events.c.event_id == event_actors.c.event_id)
                .where(events.c.type == event_type)
            )
        )
    if event:
        query = query.where(
            entities.c.key.in_(
                select(event_actors.c.entity_key).where(event_actors.c.event_id.in_(event_ids_query(event)))
            )
        )
    return query


def _event_ids(since: dt.date | None, event_type: str | None, entity: str | None, event: str | None) -> Select:
    query = select(events.c.event_id).order_by(
        events.c.date.is_(None), events.c.date, events.c.type, events.c.event_id
    )
    if since:
        query = query.where(events.c.date_end >= since)
    if event_type:
        query = query.where(events.c.type == event_type)
    if entity:
        query = query.where(
            events.c.event_id.in_(
                select(event_actors.c.event_id).where(
                    event_actors.c.entity_key.in_(entity_keys_query(entity))
                )
            )
        )
    if event:
        query = query.where(events.c.event_id.in_(event_ids_query(event)))
    return query


async def _article_page(conn: AsyncConnection, ids: Sequence[str]) -> list[dict]:
    rows = {
        row["article_id"]: row
        for row in (await conn.execute(select(articles).where(articles.c.article_id.in_(ids)))).mappings()
    }
    deliveries = await deliveries_of(conn, list(ids))
    versions = await previous_versions(conn, list(ids))
    return [
        {
            "article_id": row["article_id"],
            "external_id": row["external_id"],
            "url": row["url"],
            "title": row["title"],
            "published_at": row["published_at"],
            "published_precision": row["published_precision"],
            "source_name": row["source_name"],
            "author": row["author"],
            "lang": row["lang"],
            "duplicate_of": row["duplicate_of"],
            "text": row["text"],
            "removed": row["removed"],
            "duplicate_reason": row["duplicate_reason"],
            "content_sha256": row["content_sha256"],
            "published_from": row["published_from"],
            "deliveries": [d.model_dump(mode="json") for d in deliveries.get(row["article_id"], [])],
            "version_of": versions.get(row["article_id"]),
        }
        for row in (rows[article_id] for article_id in ids)
    ]


async def _entity_page(conn: AsyncConnection, keys: Sequence[str]) -> list[dict]:
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
        {
            "key": key,
            "name": rows[key]["name"],
            "label": rows[key]["label"],
            "country": rows[key]["country"],
            "aliases": aliases.get(key, []),
            "mentions": int(counts.get(key, (0, 0))[0] or 0),
            "articles": int(counts.get(key, (0, 0))[1]),
        }
        for key in keys
    ]


async def _event_page(conn: AsyncConnection, ids: Sequence[str]) -> list[dict]:
    rows = {
        row["event_id"]: row
        for row in (await conn.execute(select(events).where(events.c.event_id.in_(ids)))).mappings()
    }
    actors: dict[str, list[dict]] = defaultdict(list)
    for row in (
        await conn.execute(
            select(
                event_actors.c.event_id,
                event_actors.c.role,
                entities.c.key,
                entities.c.name,
                entities.c.country,
            )
            .join(entities, entities.c.key == event_actors.c.entity_key)
            .where(event_actors.c.event_id.in_(ids))
            .order_by(event_actors.c.event_id, event_actors.c.role, entities.c.key)
        )
    ).mappings():
        actors[row["event_id"]].append(
            {"key": row["key"], "name": row["name"], "country": row["country"], "role": row["role"]}
        )
    sources: dict[str, list[dict]] = defaultdict(list)
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
        sources[row["event_id"]].append(
            {
                "article_id": row["article_id"],
                "external_id": row["external_id"],
                "url": row["url"],
                "sentence": row["sentence"],
                "trigger": row["trigger"],
                "confidence": row["confidence"],
            }
        )
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
    page = []
    for event_id in ids:
        row = rows[event_id]
        location = (
            {"name": row["location_name"], "country": row["location_country"]}
            if row["location_name"]
            else None
        )
        page.append(
            {
                "event_id": event_id,
                "type": row["type"],
                "mode": row["mode"],
                "date": _iso(row["date"]),
                "date_precision": row["date_precision"],
                "location": location,
                "actors": actors.get(event_id, []),
                "sources": sources.get(event_id, []),
                "merge_reasons": reasons.get(event_id, []),
                "modality": row["modality"],
                "aliases": aliases.get(event_id, []),
            }
        )
    return page


_KINDS = {
    "articles": (_article_ids, _article_page),
    "entities": (_entity_ids, _entity_page),
    "events": (_event_ids, _event_page),
}


async def export_rows(
    engine: AsyncEngine,
    kind: Kind,
    *,
    since: dt.date | None = None,
    event_type: str | None = None,
    entity: str | None = None,
    event: str | None = None,
) -> AsyncIterator[dict]:
    """The store's records of one kind in the export format, filtered, oldest first."""
    if kind not in _KINDS:
        raise ValueError(f"unknown export kind {kind!r}: articles, entities or events")
    ids_query, page_of = _KINDS[kind]
    async with engine.connect() as conn:
        ids = list((await conn.scalars(ids_query(since, event_type, entity, event))).all())
        for start in range(0, len(ids), PAGE):
            for row in await page_of(conn, ids[start : start + PAGE]):
                yield row


def write_jsonl(rows: Iterable[dict], out: IO[str]) -> int:
    """One JSON object a line; returns how many were written."""
    written = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False, default=_iso) + "\n")
        written += 1
    return written


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet takes for a formula (OWASP)


def neutralise_formula(text: str) -> str:
    """A cell a spreadsheet would run as a formula (`=HYPERLINK(...)`) gets a leading `'`, as OWASP
    recommends for CSV injection: it then shows as text. Other text is unchanged."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=_iso)
    value = "" if value is None else _iso(value)
    return neutralise_formula(value) if isinstance(value, str) else value


def write_csv(rows: Iterable[dict], out: IO[str]) -> int:
    """CSV with a header from the first row; nested fields are JSON in their cell; text that a
    spreadsheet would run as a formula is neutralised."""
    writer: csv.DictWriter | None = None
    written = 0
    for row in rows:
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(row), extrasaction="ignore")
            writer.writeheader()
        writer.writerow({key: _cell(value) for key, value in row.items()})
        written += 1
    return written


@dataclass(frozen=True)
class TimelineRow:
    """One line of `newsflow events`."""

    event_id: str
    date: dt.date | None
    date_precision: str
    type: str
    modality: str
    actors: list[str]
    location: str | None
    sources: int
    acting: list[str] = field(default_factory=list)  # the source actors' names: who acted
    acted_on: list[str] = field(default_factory=list)  # the target actors' names: on whom

    def who_on_whom(self) -> str:
        """'Assimi Goïta → Recep Tayyip Erdoğan'; one side alone when the other is unknown."""
        acting, acted_on = ", ".join(self.acting), ", ".join(self.acted_on)
        return f"{acting} → {acted_on}".strip() if acted_on else acting


async def timeline(
    engine: AsyncEngine,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    event_type: str | None = None,
    entity: str | None = None,
    limit: int | None = None,
) -> list[TimelineRow]:
    """Events in date order with who acted on whom and their number of supporting articles.
    `entity` matches accent- and case-insensitively, part of a name too; `since`/`until` bound the
    events' date spans."""
    ids_query = _event_ids(since, event_type, None, None)
    if entity:
        ids_query = ids_query.where(events.c.event_id.in_(
            select(event_actors.c.event_id).where(event_actors.c.entity_key.in_(entity_search_query(entity)))
        ))
    if until:
        ids_query = ids_query.where(events.c.date_start <= until)
    if limit:
        ids_query = ids_query.limit(limit)
    async with engine.connect() as conn:
        ids = list((await conn.scalars(ids_query)).all())
        rows: list[TimelineRow] = []
        for start in range(0, len(ids), PAGE):
            page = ids[start : start + PAGE]
            counts: dict[str, int] = dict(
                (
                    await conn.execute(
                        select(event_sources.c.event_id, func.count(distinct(event_sources.c.article_id)))
                        .where(event_sources.c.event_id.in_(page))
                        .group_by(event_sources.c.event_id)
                    )
                )
                .tuples()
                .all()
            )
            names: dict[str, list[str]] = defaultdict(list)
            roles: dict[tuple[str, str], list[str]] = defaultdict(list)
            for event_id, role, name in await conn.execute(
                select(event_actors.c.event_id, event_actors.c.role, entities.c.name)
                .join(entities, entities.c.key == event_actors.c.entity_key)
                .where(event_actors.c.event_id.in_(page))
                .order_by(event_actors.c.event_id, event_actors.c.role, entities.c.name)
            ):
                if name not in names[event_id]:  # one actor may be a source in one report, a target in another
                    names[event_id].append(name)
                if name not in roles[(event_id, role)]:
                    roles[(event_id, role)].append(name)
            details = {
                row["event_id"]: row
                for row in (await conn.execute(select(events).where(events.c.event_id.in_(page)))).mappings()
            }
            rows.extend(
                TimelineRow(
                    event_id=event_id,
                    date=details[event_id]["date"],
                    date_precision=details[event_id]["date_precision"],
                    type=details[event_id]["type"],
                    modality=details[event_id]["modality"],
                    actors=names[event_id],
                    location=details[event_id]["location_name"],
                    sources=counts.get(event_id, 0),
                    acting=roles[(event_id, "source")],
                    acted_on=roles[(event_id, "target")],
                )
                for event_id in page
            )
    return rows


async def counts(engine: AsyncEngine) -> dict[str, int]:
    """How much the store holds, for `newsflow status`."""
    async with engine.connect() as conn:
        row = (
            (
                await conn.execute(
                    select(
                        select(func.count()).select_from(articles).scalar_subquery().label("articles"),
                        select(func.count())
                        .select_from(articles)
                        .where(articles.c.duplicate_of.is_not(None))
                        .scalar_subquery()
                        .label("duplicates"),
                        select(func.count()).select_from(entities).scalar_subquery().label("entities"),
                        select(func.count()).select_from(events).scalar_subquery().label("events"),
                        select(func.count())
                        .select_from(event_sources)
                        .scalar_subquery()
                        .label("event_sources"),
                    )
                )
            )
            .mappings()
            .one()
        )
    return {name: int(value) for name, value in row.items()}
