"""Stream trimming: capped length, but never an entry a consumer group still needs."""

import fakeredis
import pytest

from services.common.trim import oldest_needed, parse_id, trim_stream


@pytest.fixture
async def redis():
    client = fakeredis.FakeAsyncRedis()
    yield client
    await client.aclose()


async def _fill(redis, n: int) -> list[str]:
    return [(await redis.xadd("s", {"n": str(i)}, id=f"{i + 1}-0")).decode() for i in range(n)]


async def test_trim_stream_caps_a_stream_no_group_reads(redis):
    """Without groups, only the length cap applies (approximately: never below maxlen)."""
    await _fill(redis, 50)
    await trim_stream(redis, "s", maxlen=10)
    assert 10 <= await redis.xlen("s") <= 50
    assert parse_id((await redis.xrange("s", count=1))[0][0]) >= (1, 0)
    [(last, _)] = await redis.xrevrange("s", count=1)
    assert last == b"50-0"


async def test_trim_stream_keeps_entries_a_group_has_not_read(redis):
    """A group that read only 5 of 50 entries keeps the other 45 on the stream."""
    await _fill(redis, 50)
    await redis.xgroup_create("s", "slow", id="0")
    await redis.xreadgroup("slow", "c", {"s": ">"}, count=5)
    await redis.xack("s", "slow", *[f"{i}-0" for i in range(1, 6)])
    await trim_stream(redis, "s", maxlen=10)
    ids = [parse_id(i) for i, _ in await redis.xrange("s")]
    assert all(entry in ids for entry in [(n, 0) for n in range(5, 51)])


async def test_trim_stream_keeps_pending_entries(redis):
    """An entry delivered but not acknowledged (pending) is never trimmed."""
    await _fill(redis, 50)
    await redis.xgroup_create("s", "g", id="0")
    await redis.xreadgroup("g", "c", {"s": ">"})  # all 50 delivered
    await redis.xack("s", "g", *[f"{i}-0" for i in range(1, 51) if i != 3])  # entry 3 still pending
    assert await oldest_needed(redis, "s") == (3, 0)
    await trim_stream(redis, "s", maxlen=10)
    assert (await redis.xrange("s", min="3-0", max="3-0"))


async def test_trim_stream_leaves_short_streams_alone(redis):
    """A stream under its cap is untouched."""
    await _fill(redis, 5)
    assert await trim_stream(redis, "s", maxlen=10) == 0 and await redis.xlen("s") == 5
