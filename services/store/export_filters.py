"""Which records an export or the timeline selects: the ids a filter keeps, in their export order.

A user names an entity by its key, its name or an alias, and an event by its id or an id merged
into it; `--since`, `--type`, `--entity` and `--event` combine.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import Select, func, or_, select, union

from services.store.dedup import fold
from services.store.schema import (
    articles,
    entities,
    entity_aliases,
    event_actors,
    event_aliases,
    event_sources,
    events,
    mentions,
)


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


def article_ids(since: dt.date | None, event_type: str | None, entity: str | None, event: str | None) -> Select:
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


def entity_ids(since: dt.date | None, event_type: str | None, entity: str | None, event: str | None) -> Select:
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


def event_ids(since: dt.date | None, event_type: str | None, entity: str | None, event: str | None) -> Select:
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
