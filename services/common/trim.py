"""Stream growth: approximate MAXLEN trimming that never drops what a group still needs.

XADD MAXLEN would cut entries some consumer group has not read yet. Instead each service
periodically trims its streams with XTRIM MINID ~, the cut being the older of (a) the id that
leaves `maxlen` entries and (b) the oldest entry any group still needs: its oldest pending entry,
or the last one it was delivered.
"""

from __future__ import annotations

from redis.asyncio import Redis
from redis.exceptions import ResponseError

StreamId = tuple[int, int]


def parse_id(value: bytes | str) -> StreamId:
    text = value.decode() if isinstance(value, bytes) else value
    ms, _, seq = text.partition("-")
    return int(ms), int(seq or 0)


def format_id(value: StreamId) -> str:
    return f"{value[0]}-{value[1]}"


async def oldest_needed(redis: Redis, stream: str) -> StreamId | None:
    """The oldest entry some consumer group has not acknowledged yet; None when no group reads it."""
    try:
        groups = await redis.xinfo_groups(stream)
    except ResponseError:  # no such stream
        return None
    needed: list[StreamId] = []
    for group in groups:
        needed.append(parse_id(group["last-delivered-id"]))
        if group["pending"]:
            summary = await redis.xpending(stream, group["name"])
            needed.append(parse_id(summary["min"]))
    return min(needed) if needed else None


async def trim_stream(redis: Redis, stream: str, maxlen: int) -> int:
    """Trim `stream` towards `maxlen` entries without cutting what a group still needs; returns entries removed."""
    length = await redis.xlen(stream)
    if length <= maxlen:
        return 0
    excess = length - maxlen
    # The first entry to keep by length (XRANGE counts from the oldest).
    head = await redis.xrange(stream, count=min(excess, 100_000) + 1)
    cut = parse_id(head[-1][0])
    needed = await oldest_needed(redis, stream)
    if needed is not None:
        cut = min(cut, needed)
    return int(await redis.xtrim(stream, minid=format_id(cut), approximate=True))
