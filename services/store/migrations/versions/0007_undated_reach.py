"""Undated events get event_reach rows too: one per person among their actors, with no date.

Revision ID: 0007_undated_reach
Revises: 0006_analyst_views
Create Date: 2026-12-02

A dated report may join an undated event only through a person both name. The lookup used to
read every event of that person (event_actors) and keep the undated ones: a cost that grew with
each person's history, so with the store. Rows `k:<person key>` with date_precision 'unknown'
and a null date_start make it one index range of the undated events themselves
(ix_event_reach_lookup). The upgrade writes them for the undated events already stored.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_undated_reach"
down_revision = "0006_analyst_views"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("event_reach") as batch:
        batch.alter_column("date_start", existing_type=sa.Date(), nullable=True)
    op.execute(
        "INSERT INTO event_reach (term, event_id, type, date_precision, date_start) "
        "SELECT DISTINCT 'k:' || a.entity_key, e.event_id, e.type, e.date_precision, e.date_start "
        "FROM events AS e JOIN event_actors AS a ON a.event_id = e.event_id "
        "WHERE e.date_start IS NULL AND a.entity_key LIKE 'per:%'"
    )


def downgrade() -> None:
    op.execute("DELETE FROM event_reach WHERE date_start IS NULL")
    with op.batch_alter_table("event_reach") as batch:
        batch.alter_column("date_start", existing_type=sa.Date(), nullable=False)
