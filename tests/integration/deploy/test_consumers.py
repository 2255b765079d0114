"""Consumers on the machine's Redis: dead ones are removed once their entries are claimed, never before."""

from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis

from services.common.consumers import remove_expired_consumers

pytestmark = pytest.mark.integration


@pytest.fixture
async def redis(redis_url, stream_prefix):
    client = Redis.from_url(redis_url)
    yield client
    keys = [key async for key in client.scan_iter(match=f"{stream_prefix}*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


async def test_dead_consumers_are_removed_after_their_entries_are_claimed(redis, stream_prefix):
    """A dead consumer holding an entry stays until a live one claims it; then it is removed."""
    stream = f"{stream_prefix}articles.raw"
    await redis.xgroup_create(stream, "ingest", id="0", mkstream=True)
    entry = await redis.xadd(stream, {"text": "x"})
    await redis.xreadgroup("ingest", "dead-1", {stream: ">"}, count=1)  # read, then the replica died
    await redis.xgroup_createconsumer(stream, "ingest", "dead-2")  # died with nothing pending
    await redis.xgroup_createconsumer(stream, "ingest", "live")
    await asyncio.sleep(0.15)
    removed = await remove_expired_consumers(redis, stream, "ingest", keep={"live"}, expiry_ms=100)
    assert removed == ["dead-2"]
    await redis.xclaim(stream, "ingest", "live", min_idle_time=0, message_ids=[entry])
    await asyncio.sleep(0.15)
    assert await remove_expired_consumers(redis, stream, "ingest", keep={"live"}, expiry_ms=100) == ["dead-1"]
    names = {c["name"].decode() for c in await redis.xinfo_consumers(stream, "ingest")}
    assert names == {"live"}


async def test_removing_consumers_of_a_missing_group_does_nothing(redis, stream_prefix):
    """Before the group exists there is nothing to remove, and no error."""
    assert await remove_expired_consumers(redis, f"{stream_prefix}none", "ingest", keep=set(), expiry_ms=1) == []
