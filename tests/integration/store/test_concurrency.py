"""Two store replicas (two OS processes) storing the same articles at once leave the rows of one."""

from __future__ import annotations

import asyncio
import json
import sys
import time
import uuid

import pytest

from services.store.db import make_engine, upgrade
from services.store.repository import Repository
from tests.conftest import ROOT
from tests.integration.store.conftest import drop_schema, table_rows
from tests.integration.store.store_worker import concurrency_articles

pytestmark = [pytest.mark.integration, pytest.mark.slow]


async def _worker(url: str, schema: str, start_at: float, batch: int) -> list[dict]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.integration.store.store_worker",
        url,
        schema,
        str(start_at),
        str(batch),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    return [json.loads(line) for line in out.decode().splitlines()]


async def _one_replica(url: str) -> tuple[dict, list[dict]]:
    schema = f"test_{uuid.uuid4().hex[:12]}"
    await upgrade(url, schema=schema)
    engine = make_engine(url, schema=schema)
    try:
        records = await Repository(engine).store_many(concurrency_articles())
        return await table_rows(engine), [record.model_dump(mode="json") for record in records]
    finally:
        await engine.dispose()
        await drop_schema(url, schema)


def _without_reasons(rows: dict[str, list[tuple]]) -> dict[str, list]:
    return {**rows, "merges": sorted(row[:2] for row in rows["merges"]),
            "event_aliases": sorted(row[:2] for row in rows["event_aliases"])}


@pytest.mark.parametrize("batches", [(1, 1), (1, 7)], ids=["one-by-one", "one-by-one-vs-batches"])
async def test_repository_two_processes_store_once(postgres_url, batches):
    """Two processes storing the same 66 articles concurrently leave exactly the rows one process leaves."""
    schema = f"test_{uuid.uuid4().hex[:12]}"
    await asyncio.gather(upgrade(postgres_url, schema=schema), upgrade(postgres_url, schema=schema))
    try:
        start_at = time.time() + 1.5
        first, second = await asyncio.gather(
            *(_worker(postgres_url, schema, start_at, batch) for batch in batches)
        )
        engine = make_engine(postgres_url, schema=schema)
        try:
            concurrent_rows = await table_rows(engine)
        finally:
            await engine.dispose()
    finally:
        await drop_schema(postgres_url, schema)
    alone_rows, alone = await _one_replica(postgres_url)
    # A join's reason gives the score against the event as it stood then, which depends on which
    # replica stored what first; the decisions (events, sources, aliases) do not.
    assert _without_reasons(concurrent_rows) == _without_reasons(alone_rows)
    # An event id a record names may since have been merged into another: compare through the aliases.
    aliases = {row[0]: row[1] for row in concurrent_rows["event_aliases"]}

    def final(record: dict) -> set[str]:
        ids = set()
        for event in record["events"]:
            event_id = event["event_id"]
            while event_id in aliases:
                event_id = aliases[event_id]
            ids.add(event_id)
        return ids

    for mine, theirs, single in zip(first, second, alone, strict=True):  # each article handled by exactly one
        assert sorted([mine["status"], theirs["status"]]) == sorted([single["status"], "unchanged"])
        assert final(mine) == final(single)
