"""Engines and migrations: the only place that knows SQLite from Postgres at connect time.

SQLite gets WAL (readers never block the writer), foreign keys and a busy timeout, and its
transactions are begun by us so a writer can ask for `BEGIN IMMEDIATE` (take the write lock
first, never fail half-way on a lock upgrade). Postgres gets its schema through `search_path`,
which is how tests and tenants share one database without seeing each other.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from services.common.database_url import async_database_url

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000
MIGRATION_LOCK_KEY = 0x6E65_7773_666C_6F77  # "newsflow": one migration at a time per database
IMMEDIATE = "sqlite_begin_immediate"  # execution option: begin the SQLite transaction IMMEDIATE


def is_postgres(bind: AsyncEngine | AsyncConnection | Connection) -> bool:
    return bind.dialect.name == "postgresql"


def make_engine(url: str, *, schema: str | None = None) -> AsyncEngine:
    """An async engine configured for the store; `schema` (Postgres only) becomes the search_path.
    `url` may be typed as people do (postgresql://, sqlite:///...): see database_url.py."""
    url = async_database_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    connect_args: dict[str, Any] = {}
    if schema:
        connect_args["server_settings"] = {"search_path": schema}
    # no pool_pre_ping: it costs a round trip per transaction; the repository retries a batch
    # whose connection turned out dead (connection_invalidated) instead
    return create_async_engine(url, connect_args=connect_args)


def _sqlite_engine(url: str) -> AsyncEngine:
    database = make_url(url).database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (see _on_begin)
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            "foreign_keys=ON",
            f"busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
            "synchronous=NORMAL",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def alembic_config(schema: str | None = None) -> Config:
    """Alembic's configuration built in code: no alembic.ini to ship or to find."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["schema"] = schema
    return config


def _run_upgrade(connection: Connection, schema: str | None, revision: str) -> None:
    config = alembic_config(schema)
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


async def upgrade(url: str, *, schema: str | None = None, revision: str = "head") -> None:
    """Apply the migrations; safe when several replicas start at once (one waits for the other)."""
    engine = make_engine(url, schema=schema)
    try:
        async with engine.connect() as connection:
            connection = await connection.execution_options(**{IMMEDIATE: True})
            async with connection.begin():
                if is_postgres(connection):
                    await connection.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
                    )
                    if schema:
                        await connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
                await connection.run_sync(_run_upgrade, schema, revision)
    finally:
        await engine.dispose()
