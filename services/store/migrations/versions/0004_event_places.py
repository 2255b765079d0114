"""Events keep the places their reports name, as event identity compares them.

Revision ID: 0004_event_places
Revises: 0003_scored_event_identity
Create Date: 2026-12-02

`events.places` holds the keys of the places (not countries) an event's reports name in their
sentences or titles (events.named_places). Events stored before this revision get none: they are
compared as before, and gain places as new reports join them.
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


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("places")
