"""Scored event identity: events keep the actors and terms identity compares, merged ids are aliases.

Revision ID: 0003_scored_event_identity
Revises: 0002_article_shingles
Create Date: 2026-12-01

Identity no longer requires the identical actor set, so the (type, actor_set, ...) index gives
way to a (type, modality, date_precision, date_start) one, the candidate lookup. The upgrade fills every event's
`actors` from event_actors and entities, its `terms` from its sources' sentences and their
articles' titles (events.text_terms), and its `event_reach` rows (events.reach_terms), so stored
events are found and compared as new ones are.
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

from services.common.contracts import Location
from services.store.event_identity import DateSpan, EventFacts, reach_terms, text_terms

revision = "0003_scored_event_identity"
down_revision = "0002_article_shingles"
branch_labels = None
depends_on = None

BATCH = 500

events = sa.table(
    "events",
    sa.column("event_id", sa.String),
    sa.column("type", sa.String),
    sa.column("date_precision", sa.String),
    sa.column("date_start", sa.Date),
    sa.column("location_country", sa.String),
    sa.column("actors", sa.JSON),
    sa.column("terms", sa.JSON),
)
event_reach = sa.table(
    "event_reach",
    sa.column("term", sa.String),
    sa.column("event_id", sa.String),
    sa.column("type", sa.String),
    sa.column("date_precision", sa.String),
    sa.column("date_start", sa.Date),
)
event_actors = sa.table("event_actors", sa.column("event_id", sa.String), sa.column("entity_key", sa.String))
entities = sa.table("entities", sa.column("key", sa.String), sa.column("country", sa.String))
event_sources = sa.table(
    "event_sources", sa.column("event_id", sa.String), sa.column("article_id", sa.String), sa.column("sentence", sa.Text)
)
articles = sa.table("articles", sa.column("article_id", sa.String), sa.column("title", sa.Text))
SET_FACTS = (
    events.update()
    .where(events.c.event_id == sa.bindparam("id"))
    .values(actors=sa.bindparam("new_actors", type_=sa.JSON), terms=sa.bindparam("new_terms", type_=sa.JSON))
)


def backfill() -> None:
    bind = op.get_bind()
    ids = list(bind.execute(sa.select(events.c.event_id).order_by(events.c.event_id)).scalars())
    for start in range(0, len(ids), BATCH):
        page = ids[start : start + BATCH]
        actors: dict[str, set[tuple[str, str | None]]] = defaultdict(set)
        for event_id, key, country in bind.execute(
            sa.select(event_actors.c.event_id, event_actors.c.entity_key, entities.c.country)
            .join(entities, entities.c.key == event_actors.c.entity_key)
            .where(event_actors.c.event_id.in_(page))
        ):
            actors[event_id].add((key, country))
        texts: dict[str, list[str]] = defaultdict(list)
        for event_id, sentence, title in bind.execute(
            sa.select(event_sources.c.event_id, event_sources.c.sentence, articles.c.title)
            .join(articles, articles.c.article_id == event_sources.c.article_id)
            .where(event_sources.c.event_id.in_(page))
        ):
            texts[event_id] += [sentence, title or ""]
        reach = []
        for event_id, kind, precision, start, country in bind.execute(
            sa.select(events.c.event_id, events.c.type, events.c.date_precision, events.c.date_start,
                      events.c.location_country).where(events.c.event_id.in_(page), events.c.date_start.is_not(None))
        ):
            terms = reach_terms(
                EventFacts(kind, "factual", frozenset(actors[event_id]), DateSpan(None, "unknown"),
                           Location(name=country, country=country) if country else None, None)
            )
            reach += [
                {"term": t, "event_id": event_id, "type": kind, "date_precision": precision, "date_start": start}
                for t in sorted(terms)
            ]
        if reach:
            bind.execute(event_reach.insert(), reach)
        bind.execute(
            SET_FACTS,
            [
                {
                    "id": event_id,
                    "new_actors": sorted(([k, c] for k, c in actors[event_id]), key=lambda a: (a[0], a[1] or "")),
                    "new_terms": sorted(text_terms(*texts[event_id])),
                }
                for event_id in page
            ],
        )


def upgrade() -> None:
    op.add_column("events", sa.Column("actors", sa.JSON()))
    op.add_column("events", sa.Column("terms", sa.JSON()))
    op.drop_index("ix_events_identity", table_name="events")
    op.create_index("ix_events_candidates", "events", ["type", "modality", "date_precision", "date_start"])
    op.create_table(
        "event_aliases",
        sa.Column("alias_id", sa.String(32), nullable=False),
        sa.Column("event_id", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.event_id"], name="fk_event_aliases_event_id_events"),
        sa.PrimaryKeyConstraint("alias_id", name="pk_event_aliases"),
    )
    op.create_index("ix_event_aliases_event_id", "event_aliases", ["event_id"])
    op.create_table(
        "event_reach",
        sa.Column("term", sa.String(260), nullable=False),
        sa.Column("event_id", sa.String(32), nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("date_precision", sa.String(8), nullable=False),
        sa.Column("date_start", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.event_id"], name="fk_event_reach_event_id_events"),
        sa.PrimaryKeyConstraint("term", "event_id", name="pk_event_reach"),
    )
    op.create_index("ix_event_reach_event_id", "event_reach", ["event_id"])
    op.create_index("ix_event_reach_lookup", "event_reach", ["term", "type", "date_precision", "date_start"])
    backfill()


def downgrade() -> None:
    op.drop_index("ix_event_reach_lookup", table_name="event_reach")
    op.drop_index("ix_event_reach_event_id", table_name="event_reach")
    op.drop_table("event_reach")
    op.drop_index("ix_event_aliases_event_id", table_name="event_aliases")
    op.drop_table("event_aliases")
    op.drop_index("ix_events_candidates", table_name="events")
    op.create_index("ix_events_identity", "events", ["type", "actor_set", "modality", "date_start"])
    op.drop_column("events", "terms")
    op.drop_column("events", "actors")
