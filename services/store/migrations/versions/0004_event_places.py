"""Events keep the places their reports name and their day and month, as event identity compares them.

Revision ID: 0004_event_places
Revises: 0003_scored_event_identity
Create Date: 2026-12-02

`events.places` holds the keys of the places (not countries) an event's reports name in their
sentences or titles (events.named_places). Events stored before this revision get none: they are
compared as before, and gain places as new reports join them.

`events.month_day` ("MM-DD") is the day and month of a day event, or the day and month an undated
event's text gives ("le 14 novembre" in an undated article): a yearless report and its dated event
find each other through it. The upgrade fills it for every stored day event.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_event_places"
down_revision = "0003_scored_event_identity"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("places", sa.JSON, nullable=True))
        batch.add_column(sa.Column("month_day", sa.String(5), nullable=True))
    op.create_index("ix_events_month_day", "events", ["month_day", "date_start"])
    day_of = "to_char(date, 'MM-DD')" if op.get_bind().dialect.name == "postgresql" else "substr(date, 6, 5)"
    op.execute(f"UPDATE events SET month_day = {day_of} WHERE date_precision = 'day' AND date IS NOT NULL")


def downgrade() -> None:
    op.drop_index("ix_events_month_day", table_name="events")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("month_day")
        batch.drop_column("places")
