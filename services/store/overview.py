"""A short summary of stored articles, for the table `newsflow demo` prints."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from services.store.schema import articles, entities, mentions


async def article_overview(engine: AsyncEngine, article_ids: list[str]) -> dict[str, dict]:
    """For each article id: its publication date, source and the names of the entities it mentions."""
    if not article_ids:
        return {}
    async with engine.connect() as conn:
        found = {
            article_id: {"published": published or "", "source": source, "entities": []}
            for article_id, published, source in await conn.execute(
                select(articles.c.article_id, articles.c.published_at, articles.c.source_name).where(
                    articles.c.article_id.in_(article_ids)
                )
            )
        }
        names: dict[str, list[str]] = defaultdict(list)
        for article_id, name in await conn.execute(
            select(mentions.c.article_id, entities.c.name)
            .join(entities, entities.c.key == mentions.c.entity_key)
            .where(mentions.c.article_id.in_(article_ids))
            .order_by(mentions.c.article_id, mentions.c.count.desc(), entities.c.name)
        ):
            names[article_id].append(name)
    for article_id, summary in found.items():
        summary["entities"] = names.get(article_id, [])
    return found
