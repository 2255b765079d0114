"""Consumers of a group: which are live, and which to remove because they are gone for good.

A replica that died leaves its consumer in the group. Once its pending entries have been claimed
by a live replica, it is only noise (and `newsflow status` counted it as a consumer), so a
service removes consumers of its group that have been idle longer than `consumer_expiry_ms` with
nothing pending (`XGROUP DELCONSUMER`). A consumer with entries pending is never removed: that
would drop them from the group's pending list. The rules are pure; the I/O is at the bottom.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ResponseError


def _text(value: Any) -> str:
    return value.decode("utf-8", errors="replace") if isinstance(value, bytes) else str(value)


def is_live(idle_ms: int, live_within_ms: int) -> bool:
    """A consumer that read or claimed within `live_within_ms` is live (readers poll every few ms,
    claimers every quarter of the claim idle time)."""
    return idle_ms < live_within_ms


def expired(consumers: Iterable[Mapping[str, Any]], *, keep: set[str], expiry_ms: int) -> list[str]:
    """The consumers to remove: idle past `expiry_ms`, nothing pending, and not one of ours."""
    return sorted(
        _text(c["name"]) for c in consumers
        if _text(c["name"]) not in keep and int(c.get("pending") or 0) == 0 and int(c.get("idle") or 0) > expiry_ms
    )


async def remove_expired_consumers(redis: Redis, stream: str, group: str, *, keep: set[str],
                                   expiry_ms: int) -> list[str]:
    """XGROUP DELCONSUMER each expired consumer; returns the names removed."""
    try:
        consumers = await redis.xinfo_consumers(stream, group)
    except ResponseError:  # no such stream or group (yet)
        return []
    removed = []
    for name in expired(consumers, keep=keep, expiry_ms=expiry_ms):
        # Checked again just before: an entry may have been delivered to it since XINFO.
        pending = await redis.xpending_range(stream, group, min="-", max="+", count=1, consumername=name)
        if not pending:
            await redis.xgroup_delconsumer(stream, group, name)
            removed.append(name)
    return removed
