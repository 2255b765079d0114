"""Transient faults: recognised, retried with backoff, never dead-lettered."""

import fakeredis
import pytest
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError

from services.common.delivery import Delivery, Entry, ensure_group
from services.common.retry import is_permanent, is_transient, with_retries


@pytest.mark.parametrize(
    ("exc", "transient"),
    [
        (RedisConnectionError("Connection refused"), True),
        (OperationalError("SELECT 1", {}, Exception("server closed the connection")), True),
        (TimeoutError(), True),
        (ConnectionResetError(), True),
        (type("ConnectionDoesNotExistError", (Exception,), {})("gone"), True),
        (type("ObjectNotInPrerequisiteStateError", (Exception,), {})("not accepting connections"), True),
        (ValueError("bad date"), False),
        (KeyError("x"), False),
    ],
)
def test_is_transient_classifies_dependency_faults(exc, transient):
    """Connection and timeout faults of Redis, SQLAlchemy and asyncpg are transient; logic errors are not."""
    assert is_transient(exc) is transient


async def test_with_retries_retries_transient_faults_until_success():
    """A call failing twice with a connection error succeeds on the third try."""
    calls = []

    async def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise RedisConnectionError("down")
        return "ok"

    assert await with_retries(flaky, within_s=10) == "ok" and len(calls) == 3


async def test_with_retries_does_not_retry_logic_errors():
    """A non-transient error is raised at once."""
    calls = []

    async def broken() -> None:
        calls.append(1)
        raise ValueError("bug")

    with pytest.raises(ValueError):
        await with_retries(broken, within_s=10)
    assert len(calls) == 1


async def test_with_retries_gives_up_after_its_time():
    """A dependency still down after `within_s` lets the error through (the entry stays pending)."""

    async def down() -> None:
        raise RedisConnectionError("down")

    with pytest.raises(RedisConnectionError):
        await with_retries(down, within_s=0.3)


async def test_delivery_never_parks_a_transient_fault():
    """Even past max_deliveries, a transient fault leaves the entry pending instead of dead-lettering it."""
    redis = fakeredis.FakeAsyncRedis()
    await ensure_group(redis, "s", "g")
    message_id = (await redis.xadd("s", {"__data__": b"{}"})).decode()
    for consumer in ("c1", "c2", "c3"):
        await redis.xclaim("s", "g", consumer, 0, [message_id]) if consumer != "c1" else \
            await redis.xreadgroup("g", "c1", {"s": ">"})
    delivery = Delivery(service="store", group="g", redis=redis, max_deliveries=2)
    with pytest.raises(OperationalError):
        async with delivery.handling(Entry("s", message_id, b"{}")):
            raise OperationalError("INSERT", {}, Exception("connection lost"))
    assert await redis.xlen("s.dlq") == 0


def _db_error(kind: type, sqlstate: str | None, message: str = "refused") -> Exception:
    orig = type("PostgresError", (Exception,), {"sqlstate": sqlstate})(message)
    return kind("INSERT ...", {}, orig)


@pytest.mark.parametrize(
    ("exc", "permanent"),
    [
        (_db_error(DataError, "22021", 'invalid byte sequence for encoding "UTF8": 0x00'), True),
        (_db_error(DBAPIError, "22001", "value too long for type character varying(64)"), True),
        (_db_error(IntegrityError, "23502", "null value in column violates not-null constraint"), True),
        (_db_error(IntegrityError, "23505", "duplicate key value"), True),  # the repository retried the races
        (_db_error(IntegrityError, None, "NOT NULL constraint failed: articles.text"), True),  # SQLite
        (_db_error(DBAPIError, "40P01", "deadlock detected"), False),
        (_db_error(OperationalError, "57P01", "terminating connection due to administrator command"), False),
        (RedisConnectionError("Connection refused"), False),
        (ValueError("bad"), False),
    ],
)
def test_is_permanent_classifies_data_the_database_refuses(exc, permanent):
    """SQLSTATE class 22 and constraint violations are permanent; deadlocks, disconnects and others are not."""
    assert is_permanent(exc) is permanent
