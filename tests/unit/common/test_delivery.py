"""Delivery rules: poison parked with its reason, failures retried up to N deliveries."""

import json

import fakeredis
import pytest
from pydantic import ValidationError

from services.common.contracts import RawArticle
from services.common.delivery import Delivery, Entry, ensure_group
from services.common.errors import PoisonMessage

STREAM, GROUP = "t:articles.raw", "ingest"


@pytest.fixture
async def redis():
    client = fakeredis.FakeAsyncRedis()
    await ensure_group(client, STREAM, GROUP)
    yield client
    await client.aclose()


async def _deliver(redis, payload: bytes, times: int = 1) -> Entry:
    """Add an entry and read it `times` times in the group (as redeliveries would)."""
    message_id = (await redis.xadd(STREAM, {"__data__": payload})).decode()
    await redis.xreadgroup(GROUP, "c1", {STREAM: ">"}, count=1)
    for _ in range(times - 1):
        await redis.xclaim(STREAM, GROUP, "c2", 0, [message_id])
    return Entry(STREAM, message_id, payload)


async def _dead_letters(redis) -> list[dict]:
    return [json.loads(f[b"__data__"]) for _, f in await redis.xrange(STREAM + ".dlq")]


async def test_delivery_parks_invalid_payload_with_reason(redis):
    """A payload failing validation goes to the DLQ with error type, message and original payload."""
    delivery = Delivery(service="ingest", group=GROUP, redis=redis, max_deliveries=5)
    entry = await _deliver(redis, b'{"url": "https://x", "trace_id": "t1"}')
    async with delivery.handling(entry):
        entry.parse(RawArticle)
    [letter] = await _dead_letters(redis)
    assert letter["error_type"] == "ValidationError" and "text or html" in letter["error"]
    assert letter["service"] == "ingest" and letter["trace_id"] == "t1" and letter["delivery_count"] == 1
    assert json.loads(letter["payload"]) == {"url": "https://x", "trace_id": "t1"}


async def test_delivery_parks_non_json_payload(redis):
    """Bytes that are not JSON are parked as poison, not retried."""
    delivery = Delivery(service="ingest", group=GROUP, redis=redis, max_deliveries=5)
    entry = await _deliver(redis, b"\xff\x00garbage")
    async with delivery.handling(entry):
        entry.parse(RawArticle)
    [letter] = await _dead_letters(redis)
    assert letter["error_type"] in {"PoisonMessage", "ValidationError"}


async def test_delivery_reraises_transient_failure_below_the_cap(redis):
    """A non-poison failure is re-raised (entry stays pending) while deliveries < max."""
    delivery = Delivery(service="store", group=GROUP, redis=redis, max_deliveries=3)
    entry = await _deliver(redis, b'{"text": "ok"}', times=2)
    with pytest.raises(ConnectionError):
        async with delivery.handling(entry):
            raise ConnectionError("database down")
    assert await _dead_letters(redis) == []


async def test_delivery_parks_after_max_deliveries(redis):
    """At the N-th delivery a failing entry is parked with its delivery count, not raised."""
    delivery = Delivery(service="store", group=GROUP, redis=redis, max_deliveries=3)
    entry = await _deliver(redis, b'{"text": "ok"}', times=3)
    async with delivery.handling(entry):
        raise RuntimeError("always fails")
    [letter] = await _dead_letters(redis)
    assert letter["delivery_count"] == 3 and letter["error_type"] == "RuntimeError"


async def test_delivery_parks_poison_raised_by_the_handler(redis):
    """A PoisonMessage raised by the logic (e.g. text too large) is parked at once."""
    delivery = Delivery(service="ingest", group=GROUP, redis=redis, max_deliveries=5)
    entry = await _deliver(redis, b'{"text": "x"}')
    async with delivery.handling(entry):
        raise PoisonMessage("text is 2000000 bytes, over the 1000000-byte limit")
    [letter] = await _dead_letters(redis)
    assert "over the 1000000-byte limit" in letter["error"]


async def test_ensure_group_starts_at_the_beginning_and_is_idempotent(redis):
    """Entries added before the group existed are still delivered; creating twice is harmless."""
    await redis.xadd("t:early", {"__data__": b"{}"})
    await ensure_group(redis, "t:early", "g")
    await ensure_group(redis, "t:early", "g")
    read = await redis.xreadgroup("g", "c", {"t:early": ">"})
    assert len(read[0][1]) == 1


def test_validation_error_is_poison():
    """ValidationError counts as poison (never retried)."""
    from services.common.delivery import POISON

    assert issubclass(ValidationError, POISON)


async def test_delivery_summary_line_carries_the_ids_it_was_given(redis):
    """One 'handled' line per entry, with the article and trace ids the handler passed in."""
    from structlog.testing import capture_logs

    delivery = Delivery(service="ingest", group=GROUP, redis=redis, max_deliveries=5)
    entry = await _deliver(redis, b'{"text": "ok"}')
    with capture_logs() as logs:
        async with delivery.handling(entry, article_id="a1", trace_id="t1") as handling:
            handling.bind(lang="fr")
    [line] = [log for log in logs if log["event"] == "handled"]
    assert (line["article_id"], line["trace_id"], line["lang"]) == ("a1", "t1", "fr")


async def test_delivery_dead_letter_line_carries_the_parked_entrys_own_ids(redis):
    """Parking an unparsable entry logs under its own ids, not those of the article handled before it."""
    import structlog

    from services.common.logging import bind_message

    delivery = Delivery(service="store", group=GROUP, redis=redis, max_deliveries=5)
    bind_message(article_id="previous-article", trace_id="previous-trace")
    entry = await _deliver(redis, b'{"article_id": "own-article", "trace_id": "own-trace", "text": 3}')
    await delivery.reject(entry, PoisonMessage("bad"))
    assert structlog.contextvars.get_contextvars() == {"article_id": "own-article", "trace_id": "own-trace"}
    garbage = await _deliver(redis, b"\xff not json")
    await delivery.reject(garbage, PoisonMessage("bad"))
    assert structlog.contextvars.get_contextvars() == {}


async def test_delivery_parks_data_the_database_refuses_at_once(redis):
    """A SQLSTATE class 22 error on the first delivery is parked at once, not retried five times."""
    from sqlalchemy.exc import DataError

    delivery = Delivery(service="store", group=GROUP, redis=redis, max_deliveries=5)
    entry = await _deliver(redis, b'{"article_id": "a1", "text": "Le\\u0000ministre"}')
    orig = type("UntranslatableCharacterError", (Exception,), {"sqlstate": "22P05"})("unsupported Unicode: \\u0000")
    async with delivery.handling(entry):
        raise DataError("INSERT ...", {}, orig)
    [letter] = await _dead_letters(redis)
    assert (letter["error_type"], letter["delivery_count"], letter["article_id"]) == ("DataError", 1, "a1")


async def test_delivery_dead_letter_never_holds_a_password(redis):
    """An error quoting a URL with its password is parked with the password redacted."""
    delivery = Delivery(service="store", group=GROUP, redis=redis, max_deliveries=5)
    entry = await _deliver(redis, b'{"text": "x"}')
    async with delivery.handling(entry):
        raise PoisonMessage("cannot use postgresql://news:Sup3r/S3cret@db/newsflow")
    [letter] = await _dead_letters(redis)
    assert "S3cret" not in letter["error"] and "news:***@db/newsflow" in letter["error"]
