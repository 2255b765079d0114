"""Migrations: they build exactly schema.py, re-running them is a no-op, concurrent runs are safe."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from services.store.db import make_engine, upgrade
from services.store.schema import metadata
from tests.integration.store.conftest import drop_schema

pytestmark = pytest.mark.integration


async def _differences(engine) -> list:
    async with engine.connect() as conn:
        return await conn.run_sync(
            lambda sync: compare_metadata(
                MigrationContext.configure(sync, opts={"compare_type": True}), metadata
            )
        )


async def test_migrations_match_schema_module(store):
    """The hand-written migrations create exactly the tables, columns, keys and indexes of schema.py."""
    assert await _differences(store.engine) == []


async def test_migrations_upgrade_twice_is_a_no_op(store):
    """Upgrading an up-to-date database changes nothing and stays at head."""
    await upgrade(store.url, schema=store.schema)
    async with store.engine.connect() as conn:
        versions = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars().all()
    assert versions == ["0001_initial"]
    assert await _differences(store.engine) == []


async def test_migrations_concurrent_upgrades_on_postgres(postgres_url):
    """Four replicas upgrading one fresh schema at once all succeed and leave one correct schema."""
    schema = f"test_{uuid.uuid4().hex[:12]}"
    try:
        await asyncio.gather(*(upgrade(postgres_url, schema=schema) for _ in range(4)))
        engine = make_engine(postgres_url, schema=schema)
        try:
            assert await _differences(engine) == []
        finally:
            await engine.dispose()
    finally:
        await drop_schema(postgres_url, schema)


async def test_migrations_sqlite_file_gets_wal_and_foreign_keys(tmp_path):
    """The SQLite engine creates the file's folder and turns on WAL and foreign keys."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'nested' / 'dir' / 'newsflow.db'}"
    await upgrade(url)
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            assert (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar() == "wal"
            assert (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar() == 1
    finally:
        await engine.dispose()
