"""Consumer groups that vanish are recreated, and a service that does stop on a fault says so.

After FLUSHDB, a Redis restarted without its data, or an XGROUP DESTROY, every read of a group
fails with NOGROUP (or, for a blocked read, UNBLOCKED). FastStream 0.7 takes that as terminal:
it stops the subscriber and exits the app with status 0, so no supervisor restarts it. Instead,
the broker's reads recreate the group (and its stream) at its start, log a warning saying what
happened, and go on; re-reading is safe because every service is idempotent.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from services.common.delivery import ensure_group
from services.common.logging import bind_message

LOST_GROUP_ERRORS = ("NOGROUP", "UNBLOCKED")


def is_lost_group(error: ResponseError) -> bool:
    """Does Redis say the stream or the group is gone?"""
    return str(error).startswith(LOST_GROUP_ERRORS)


def _streams_of(command: str, kwargs: dict[str, Any]) -> list[str]:
    if command == "xreadgroup":
        return [s.decode() if isinstance(s, bytes) else str(s) for s in kwargs.get("streams", {})]
    return [str(kwargs["name"])]


def keep_groups(client: Redis, log: Any) -> None:
    """Make `client`'s group reads (XREADGROUP, XAUTOCLAIM, called with keywords as FastStream
    does) recreate a lost group and read again, logging a warning."""
    for command in ("xreadgroup", "xautoclaim"):
        vars(client)[command] = _recreating(command, getattr(client, command), client, log)


def _recreating(command: str, read: Callable[..., Awaitable[Any]], client: Redis, log: Any
                ) -> Callable[..., Awaitable[Any]]:
    async def read_recreating(*args: Any, **kwargs: Any) -> Any:
        try:
            return await read(*args, **kwargs)
        except ResponseError as error:
            if not is_lost_group(error) or "groupname" not in kwargs:
                raise
            bind_message()  # the ids of the last message handled are not this line's
            for stream in _streams_of(command, kwargs):
                await ensure_group(client, stream, kwargs["groupname"])
                log.warning("consumer group was lost (Redis flushed or restarted without its data?); "
                            "recreated at the stream's start", stream=stream, group=kwargs["groupname"],
                            error=str(error)[:200])
            return await read(*args, **kwargs)

    return read_recreating


def stopped(subscribers: Iterable[Any]) -> list[str]:
    """The streams of the subscribers no longer running (FastStream stopped them on a terminal error)."""
    return [subscriber.stream_sub.name for subscriber in subscribers if not subscriber.running]
