"""Migrations: they build exactly schema.py, re-running them is a no-op, concurrent runs are safe."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import select, text

from services.store.db import alembic_config, make_engine, upgrade
from services.store.dedup import BANDS, Fingerprint, band_hashes, signature_bytes
from services.store.event_identity import EventFacts
from services.store.reads import candidate_events
from services.store.repository import Repository
from services.store.schema import article_lsh, articles, entities, event_actors, event_reach, events, metadata
from tests.integration.store.conftest import database_url, drop_schema
from tests.integration.store.seed_articles import seed_000, shortened

pytestmark = pytest.mark.integration
NOW = dt.datetime(2024, 8, 2, tzinfo=dt.UTC)


async def _differences(engine) -> list:
    async with engine.connect() as conn:
        return await conn.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync, opts={"compare_type": True}), metadata)
        )


async def test_migrations_match_schema_module(store):
    """The hand-written migrations create exactly the tables, columns, keys and indexes of schema.py."""
    assert await _differences(store.engine) == []


def test_migrations_form_one_line_of_revisions():
    """One head: two migrations written on separate branches with the same parent must be chained."""
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1, script.get_heads()


async def test_migrations_upgrade_twice_is_a_no_op(store):
    """Upgrading an up-to-date database changes nothing and stays at head."""
    await upgrade(store.url, schema=store.schema)
    async with store.engine.connect() as conn:
        versions = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars().all()
    assert versions == [ScriptDirectory.from_config(alembic_config()).get_current_head()]
    assert versions == ["0007_undated_reach"]
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


def _run(connection, action: str, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    getattr(command, action)(config, revision)


async def test_migration_0002_counts_shingles_and_rebuilds_the_index(tmp_path):
    """An article stored under 0001 (20 x 6 bands, no count) gets its shingle count and 32 x 4
    bands, after which a shortened copy of it is found; downgrading restores the 20 x 6 index."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    await upgrade(url, revision="0001_initial")
    original = seed_000()
    fingerprint = Fingerprint.of(original.text)
    minhash = signature_bytes(fingerprint.signature)
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.exec_driver_sql(
                "INSERT INTO articles (article_id, content_sha256, text, removed, minhash, published_precision, "
                "ingested_at) VALUES (?, ?, ?, '[]', ?, 'day', '2024-08-01 00:00:00')",
                (original.article_id, original.content_sha256, original.text, minhash),
            )
            old_bands = band_hashes(fingerprint.signature, 20, 6)
            await conn.execute(
                article_lsh.insert(), [{"band": b, "hash": h, "article_id": original.article_id} for b, h in old_bands]
            )
        await upgrade(url)
        async with engine.connect() as conn:
            count = (await conn.execute(select(articles.c.shingles))).scalar_one()
            bands = set((await conn.execute(select(article_lsh.c.band, article_lsh.c.hash))).all())
        assert count == fingerprint.shingle_count
        assert bands == set(fingerprint.bands) and len(bands) == BANDS == 32
        record = await Repository(engine).store(shortened(original))
        assert (record.status, record.duplicate_of) == ("duplicate", original.article_id)
        async with engine.begin() as conn:
            await conn.run_sync(_run, "downgrade", "0001_initial")
        async with engine.connect() as conn:
            columns = {row[1] for row in (await conn.exec_driver_sql("PRAGMA table_info(articles)")).all()}
            restored = set((await conn.execute(select(article_lsh.c.band, article_lsh.c.hash))).all())
        assert "shingles" not in columns and restored == set(old_bands)
    finally:
        await engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_migration_0007_gives_undated_events_their_people_reach_rows(request, backend, tmp_path):
    """An undated event stored under 0006 gets one event_reach row per person among its actors (no
    date), and a dated report by that person finds it as a candidate."""
    url, schema = database_url(request, backend, tmp_path)
    await upgrade(url, schema=schema, revision="0006_analyst_views")
    engine = make_engine(url, schema=schema)
    try:
        async with engine.begin() as conn:
            await conn.execute(entities.insert(), [{"key": "per:assimi-goita", "name": "Assimi Goïta"},
                                                   {"key": "loc:mali", "name": "Mali"}])
            await conn.execute(events.insert(), [{
                "event_id": "ev_undated", "type": "CONSULT", "modality": "factual", "actor_set": "per:assimi-goita>",
                "date_precision": "unknown", "first_seen": NOW, "last_seen": NOW,
                "actors": [["per:assimi-goita", "MLI"], ["loc:mali", "MLI"]], "terms": ["entreten"],
            }])
            keys = ("per:assimi-goita", "loc:mali")
            await conn.execute(
                event_actors.insert(), [{"event_id": "ev_undated", "entity_key": k, "role": "source"} for k in keys]
            )
        await upgrade(url, schema=schema)
        async with engine.connect() as conn:
            rows = (await conn.execute(select(event_reach))).all()
            report = EventFacts.of(seed_000().events[0])
            found = await candidate_events(conn, [report], 1)
        assert [tuple(row) for row in rows] == [("k:per:assimi-goita", "ev_undated", "CONSULT", "unknown", None)]
        assert "ev_undated" in {event.event_id for event in found}
    finally:
        await engine.dispose()
        await drop_schema(url, schema)
