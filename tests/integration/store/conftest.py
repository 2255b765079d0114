"""A migrated store on SQLite (a tmp file) and on the machine's Postgres (a schema of its own)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from services.store.db import make_engine, upgrade
from services.store.repository import Repository
from services.store.schema import metadata

TIMESTAMPS = frozenset({"ingested_at", "first_seen", "last_seen", "created_at"})


@dataclass
class Store:
    url: str
    schema: str | None
    engine: AsyncEngine

    @property
    def backend(self) -> str:
        return self.engine.dialect.name


def database_url(request: pytest.FixtureRequest, backend: str, tmp_path) -> tuple[str, str | None]:
    if backend == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'store' / 'newsflow.db'}", None
    return request.getfixturevalue("postgres_url"), f"test_{uuid.uuid4().hex[:12]}"


async def drop_schema(url: str, schema: str | None) -> None:
    if schema is None:
        return
    engine = make_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    await engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
async def store(request, tmp_path):
    """A freshly migrated, empty store; the Postgres schema is dropped afterwards."""
    url, schema = database_url(request, request.param, tmp_path)
    await upgrade(url, schema=schema)
    engine = make_engine(url, schema=schema)
    try:
        yield Store(url, schema, engine)
    finally:
        await engine.dispose()
        await drop_schema(url, schema)


@pytest.fixture
def repository(store: Store) -> Repository:
    return Repository(store.engine)


async def table_rows(engine: AsyncEngine) -> dict[str, list[tuple]]:
    """Every row of every table, sorted, without wall-clock timestamps and surrogate ids."""
    dump = {}
    async with engine.connect() as conn:
        for table in metadata.sorted_tables:
            columns = [c for c in table.columns if c.name not in TIMESTAMPS and c.name != "id"]
            rows = (await conn.execute(table.select().with_only_columns(*columns))).all()
            dump[table.name] = sorted((tuple(row) for row in rows), key=repr)
    return dump
