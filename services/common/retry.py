"""Transient faults (Redis or the database unreachable, timeouts): retried with backoff.

A transient fault is never a reason to dead-letter: the entry stays pending and is retried
until the dependency is back. A permanent one (the database refuses the data itself) is parked
at once. Only the others count towards `max_deliveries`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import structlog
from redis.exceptions import BusyLoadingError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeout
from sqlalchemy.exc import DataError, DBAPIError, DisconnectionError, IntegrityError, OperationalError
from tenacity import AsyncRetrying, retry_if_exception, stop_after_delay, wait_exponential_jitter

T = TypeVar("T")
log = structlog.get_logger("retry")

_TRANSIENT_TYPES: tuple[type[BaseException], ...] = (
    RedisConnectionError, RedisTimeout, BusyLoadingError, ConnectionError, TimeoutError, DisconnectionError,
    OperationalError,
)


def is_transient(exc: BaseException) -> bool:
    """Is this a fault of a dependency that may go away by itself?"""
    if isinstance(exc, _TRANSIENT_TYPES):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    # asyncpg raises its own connection errors (ConnectionDoesNotExistError, CannotConnectNowError...)
    name = type(exc).__name__
    return any(word in name for word in ("ConnectionDoesNotExist", "CannotConnectNow", "ConnectionFailure",
                                         "InterfaceError", "AdminShutdown", "TooManyConnections",
                                         "ObjectNotInPrerequisiteState", "CrashShutdown"))


def sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE of a database error (asyncpg: `sqlstate`, psycopg: `pgcode`), if it has one."""
    orig = getattr(exc, "orig", None)
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    return state if isinstance(state, str) else None


def is_permanent(exc: BaseException) -> bool:
    """Does the database refuse the data itself, so that no retry can succeed?

    SQLSTATE class 22, data exceptions (`invalid byte sequence for encoding "UTF8": 0x00`, a value
    too long for its column), and constraint violations (class 23) that reach the edge: the
    repository has already retried the insert races among them."""
    if not isinstance(exc, DBAPIError) or exc.connection_invalidated or is_transient(exc):
        return False
    state = sqlstate(exc)
    if state is not None:
        return state[:2] in ("22", "23")
    return isinstance(exc, DataError | IntegrityError)


def _log_retry(state: Any) -> None:
    log.warning("transient fault; retrying", attempt=state.attempt_number,
                error=repr(state.outcome.exception())[:300], wait_s=round(state.next_action.sleep, 2))


async def with_retries(call: Callable[[], Awaitable[T]], *, within_s: float) -> T:
    """Run `call`, retrying transient faults with jittered exponential backoff for `within_s` seconds."""
    async for attempt in AsyncRetrying(
        retry=retry_if_exception(is_transient),
        wait=wait_exponential_jitter(initial=0.2, max=5.0),
        stop=stop_after_delay(within_s),
        before_sleep=_log_retry,
        reraise=True,
    ):
        with attempt:
            return await call()
    raise AssertionError("unreachable: AsyncRetrying re-raises")
