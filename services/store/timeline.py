"""`newsflow events`: the stored events in date order, with who acted on whom and how many report them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import distinct, func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from services.store.export_filters import entity_search_query, event_ids
from services.store.schema import entities, event_actors, event_sources, events

PAGE = 500


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
    ids_query = event_ids(since, event_type, None, None)
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
            rows.extend(await _timeline_page(conn, ids[start : start + PAGE]))
    return rows


async def _timeline_page(conn: AsyncConnection, page: list[str]) -> list[TimelineRow]:
    """The timeline rows of one page of event ids, in their order: one query per table."""
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
    return [
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
    ]
