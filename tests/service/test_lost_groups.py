"""Lost streams and groups, on the machine's Redis under a prefix of the test's own: a group read
after its stream was deleted is recreated with a warning; a service that stops on a fault exits 1."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from faststream.redis import RedisBroker
from faststream.redis.annotations import RedisBatchStreamMessage
from redis.asyncio import Redis

from services.bootstrap import build_app
from services.common.contracts import RAW, RawArticle
from services.common.delivery import ensure_group
from services.common.groups import keep_groups
from services.common.service import StreamService
from services.common.settings import NewsflowSettings
from services.runner import serve

pytestmark = pytest.mark.integration


class Warnings:
    """Stands in for a structlog logger: keeps the warnings."""

    def __init__(self) -> None:
        self.lines: list[tuple[str, dict[str, Any]]] = []

    def warning(self, event: str, **fields: Any) -> None:
        self.lines.append((event, fields))


@pytest.fixture
async def client(redis_url, stream_prefix):
    redis = Redis.from_url(redis_url)
    yield redis
    keys = [key async for key in redis.scan_iter(match=f"{stream_prefix}*")]
    if keys:
        await redis.delete(*keys)
    await redis.aclose()


async def test_keep_groups_recreates_a_group_whose_stream_was_deleted(client, stream_prefix):
    """XREADGROUP and XAUTOCLAIM on a deleted stream recreate it and its group, and say so."""
    stream = f"{stream_prefix}articles.raw"
    await ensure_group(client, stream, "ingest")
    log = Warnings()
    keep_groups(client, log)
    await client.delete(stream)  # what FLUSHDB does to it
    read = await client.xreadgroup(groupname="ingest", consumername="c", streams={stream: ">"}, count=1, block=10)
    assert read == [] and [g["name"] for g in await client.xinfo_groups(stream)] == [b"ingest"]
    await client.delete(stream)
    claimed = await client.xautoclaim(name=stream, groupname="ingest", consumername="c", min_idle_time=0,
                                      start_id="0-0", count=1)
    assert claimed[1] == [] and len(log.lines) == 2
    event, fields = log.lines[0]
    assert "recreated" in event and fields["stream"] == stream and "NOGROUP" in fields["error"]


async def test_keep_groups_recreates_a_group_lost_under_a_blocked_read(client, stream_prefix):
    """A read blocked when the stream goes (UNBLOCKED) recreates the group and then sees new entries."""
    stream = f"{stream_prefix}articles.raw"
    await ensure_group(client, stream, "ingest")
    keep_groups(client, Warnings())
    blocked = asyncio.create_task(client.xreadgroup(groupname="ingest", consumername="c", streams={stream: ">"},
                                                    count=1, block=3000))
    await asyncio.sleep(0.2)
    await client.delete(stream)
    await asyncio.sleep(0.2)
    await client.xadd(stream, {"data": "{}"})
    [[name, entries]] = await asyncio.wait_for(blocked, 10)
    assert name == stream.encode() and len(entries) == 1


class Echo(StreamService):
    """Copies each article to `out`."""

    name = "echo"
    input_stream = RAW

    async def process(self, articles: list[RawArticle]) -> list[RawArticle]:
        return articles

    def register(self, broker: RedisBroker) -> None:
        output = broker.publisher(stream=self.settings.stream("out"))

        async def on_batch(msg: RedisBatchStreamMessage) -> None:
            await self.handle_batch(msg, RawArticle, self.process, output, lambda a: {})

        self.subscribe(broker, on_batch)


def _settings(redis_url: str, prefix: str) -> NewsflowSettings:
    return NewsflowSettings(redis_url=redis_url, stream_prefix=prefix, http_enabled=False, polling_interval_ms=10,
                            claim_idle_ms=200, log_format="json")


async def _until(condition, timeout: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + timeout
    while not await condition():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


async def test_service_keeps_serving_after_its_stream_and_group_are_deleted(client, redis_url, stream_prefix):
    """With its stream deleted under it (FLUSHDB), a service recreates its group and handles new entries."""
    settings = _settings(redis_url, stream_prefix)
    app = build_app([Echo(settings)], settings)
    raw, out = settings.stream(RAW), settings.stream("out")
    async with app:
        await client.xadd(raw, {"__data__": RawArticle(text="Premier.").model_dump_json()})
        await _until(lambda: _length(client, out, 1))
        await client.delete(raw)
        await asyncio.sleep(0.3)
        await client.xadd(raw, {"__data__": RawArticle(text="Deuxième.").model_dump_json()})
        await _until(lambda: _length(client, out, 2))
    assert app.faults == []


async def _length(client: Redis, stream: str, count: int) -> bool:
    return await client.xlen(stream) >= count


@pytest.mark.parametrize(("subscriber_stops", "status"), [(True, 1), (False, 0)])
async def test_serve_exits_non_zero_when_a_subscriber_stopped_on_a_fault(redis_url, stream_prefix,
                                                                         subscriber_stops, status, client):
    """A subscriber stopped on a terminal error, then the app exited (as FastStream does): status 1;
    a plain exit: status 0."""
    settings = _settings(redis_url, stream_prefix)
    app = build_app([Echo(settings)], settings)
    running = asyncio.create_task(serve(app))
    await _until(lambda: _started(app))
    if subscriber_stops:
        await app.broker.subscribers[0].stop()
    app.exit()
    assert await asyncio.wait_for(running, 30) == status


async def _started(app: Any) -> bool:
    return bool(app.broker.subscribers) and all(s.running for s in app.broker.subscribers)
