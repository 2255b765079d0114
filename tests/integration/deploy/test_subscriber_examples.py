"""The subscriber examples against the machine's real Redis, on records written by hand."""

from __future__ import annotations

import asyncio

import pytest
import redis
from faststream import TestApp

from examples.plain_subscriber import Deduplicator, consume
from examples.subscriber import create_app
from services.common.broker import entry_fields
from services.common.contracts import StoredEvent, StoredRecord
from tests.e2e.processes import delete_prefix

pytestmark = pytest.mark.integration


def _records() -> list[StoredRecord]:
    """Two articles reporting one event, the first delivered twice (as after a crash before XACK)."""
    first = StoredRecord(article_id="a1", events=[StoredEvent(event_id="ev1", type="CONSULT", status="created",
                                                              sources=1)])
    second = StoredRecord(article_id="a2", events=[StoredEvent(event_id="ev1", type="CONSULT", status="updated",
                                                               sources=2)])
    return [first, first, second]


@pytest.fixture
def client(redis_url, stream_prefix):
    connection = redis.Redis.from_url(redis_url)
    yield connection
    delete_prefix(connection, stream_prefix)
    connection.close()


def test_plain_subscriber_reads_acks_and_deduplicates(client, stream_prefix):
    """XGROUP CREATE 0, XREADGROUP, json.loads, XACK: every record handled once, nothing left pending."""
    stream = f"{stream_prefix}records.stored"
    for record in _records():
        client.xadd(stream, entry_fields(record))
    dedup = Deduplicator()
    handled = consume(client, stream, "team-plain", "worker-1", dedup, max_records=3, timeout_s=10, block_ms=200)
    assert handled == 3
    assert dedup.sources == {"ev1": 2}
    assert dedup.seen == {("a1", "ev1"), ("a2", "ev1")}
    assert client.xpending(stream, "team-plain")["pending"] == 0


def test_plain_subscriber_first_finishes_its_own_pending_entries(client, stream_prefix):
    """Entries a crashed run received but never acked are handled on restart (same consumer name)."""
    stream = f"{stream_prefix}records.stored"
    client.xgroup_create(stream, "team-plain", id="0", mkstream=True)
    client.xadd(stream, entry_fields(_records()[0]))
    client.xreadgroup("team-plain", "worker-1", {stream: ">"}, count=1)  # received, then "crashed"
    dedup = Deduplicator()
    assert consume(client, stream, "team-plain", "worker-1", dedup, max_records=1, timeout_s=10, block_ms=200) == 1
    assert client.xpending(stream, "team-plain")["pending"] == 0


async def test_faststream_subscriber_consumes_records_from_the_start(redis_url, client, stream_prefix):
    """The FastStream example, started after records were written, handles them all once and acks them."""
    stream = f"{stream_prefix}records.stored"
    for record in _records():
        client.xadd(stream, entry_fields(record))
    app = create_app(redis_url, prefix=stream_prefix, group="team-fs", consumer="fs-1")
    async with TestApp(app):
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 15
        while client.xpending(stream, "team-fs")["pending"] or len(app.book.seen) < 2:
            assert loop.time() < deadline, f"handled {app.book.seen} in 15 s"
            await asyncio.sleep(0.05)
    assert app.book.events["ev1"]["sources"] == 2
    assert app.book.events["ev1"]["articles"] == ["a1", "a2"]
    groups = {g["name"].decode(): g for g in client.xinfo_groups(stream)}
    assert groups["team-fs"]["last-delivered-id"].decode() == client.xrevrange(stream, count=1)[0][0].decode()
