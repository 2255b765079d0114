"""Alembic environment for the store: runs on the connection `db.upgrade` hands over, or on its own.

`services.store.db.upgrade` passes a live (sync-facing) connection in `config.attributes`
inside a transaction that already holds the migration lock. Run without one (plain `alembic`
with a `sqlalchemy.url`, or NEWSFLOW_DATABASE_URL), it builds an async engine itself.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from services.store.schema import metadata

config = context.config


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",
    )


def _migrate(connection: Connection) -> None:
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()


async def _migrate_own_engine(url: str) -> None:
    from services.store.db import make_engine

    engine = make_engine(url, schema=config.attributes.get("schema"))
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_migrate)
            await connection.commit()
    finally:
        await engine.dispose()


def _url() -> str:
    from services.common.settings import NewsflowSettings

    return config.get_main_option("sqlalchemy.url") or NewsflowSettings().resolved_database_url()


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
elif (given := config.attributes.get("connection")) is not None:
    _migrate(given)
else:
    asyncio.run(_migrate_own_engine(_url()))
