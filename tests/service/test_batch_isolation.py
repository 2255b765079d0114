"""Batch isolation in handle_batch, on the machine's Redis: one failing entry of a batch never
delays, re-handles or re-parks its batch-mates. A small service stands in for the store: its
processing refuses a NUL the way Postgres does (SQLSTATE 22021) and fails on 'flaky' texts."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from faststream.redis import RedisBroker
from faststream.redis.annotations import RedisBatchStreamMessage
from redis.asyncio import Redis
from sqlalchemy.exc import DataError

from services.bootstrap import build_app
from services.common.contracts import RAW, RawArticle
from services.common.service import StreamService
from services.common.settings import NewsflowSettings

pytestmark = pytest.mark.integration


class Refusing(StreamService):
    """Echoes articles to `out`, refusing the ones a database would refuse (see module docstring)."""

    name = "refusing"
    input_stream = RAW

    def __init__(self, settings: NewsflowSettings) -> None:
        super().__init__(settings)
        self.calls: list[list[str]] = []

    async def process(self, articles: list[RawArticle]) -> list[RawArticle]:
        self.calls.append([a.external_id or "" for a in articles])
        for article in articles:
            if "\x00" in (article.text or ""):
                orig = type("CharacterNotInRepertoireError", (Exception,), {"sqlstate": "22021"})(
                    'invalid byte sequence for encoding "UTF8": 0x00')
                raise DataError("INSERT INTO articles ...", {}, orig)
            if "flaky" in (article.text or ""):
                raise RuntimeError("a bug that a retry does not fix")
        return articles

    def register(self, broker: RedisBroker) -> None:
        output = broker.publisher(stream=self.settings.stream("out"))

        async def on_batch(msg: RedisBatchStreamMessage) -> None:
            await self.handle_batch(msg, RawArticle, self.process, output, lambda a: {})

        self.subscribe(broker, on_batch, batch_size=16)


@asynccontextmanager
async def running(redis_url: str, prefix: str, entries: list[dict[str, Any]], **overrides: Any
                  ) -> AsyncIterator[tuple[Refusing, Redis]]:
    """The service started on `entries` already in its stream (so they come as one batch)."""
    settings = NewsflowSettings(redis_url=redis_url, stream_prefix=prefix, http_enabled=False,
                                polling_interval_ms=10, **overrides)
    service = Refusing(settings)
    redis = Redis.from_url(redis_url)
    try:
        for fields in entries:
            await redis.xadd(service.stream, fields)
        async with build_app([service], settings, redis=redis):
            yield service, redis
    finally:
        keys = [key async for key in redis.scan_iter(match=f"{prefix}*")]
        if keys:
            await redis.delete(*keys)
        await redis.aclose()


def _article(text: str, external_id: str) -> dict[str, str]:
    return {"__data__": RawArticle(text=text, external_id=external_id).model_dump_json()}


async def _wait(condition, timeout: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + timeout
    while not await condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


async def _letters(redis: Redis, stream: str) -> list[dict]:
    return [json.loads(fields[b"__data__"]) for _, fields in await redis.xrange(f"{stream}.dlq")]


async def test_batch_nul_valid_and_non_json_each_settle_on_first_delivery(redis_url, stream_prefix):
    """NUL text, a valid article and a non-JSON entry in one batch: the valid one is published, the
    two others parked once each on their first delivery, and nothing is redelivered afterwards."""
    entries = [_article("Le\x00ministre a parlé à Bamako.", "nul"), _article("Le ministre a parlé.", "ok"),
               {"__data__": b"{not json"}]
    async with running(redis_url, stream_prefix, entries, claim_idle_ms=200, max_deliveries=5) as (service, redis):
        out = service.settings.stream("out")
        await _wait(lambda: _both(redis, out, service.stream))
        await asyncio.sleep(1.0)  # five claim intervals: time for a wrong redelivery to show
        letters = await _letters(redis, service.stream)
        assert sorted(letter["error_type"] for letter in letters) == ["DataError", "ValidationError"]
        assert all(letter["delivery_count"] == 1 for letter in letters)
        assert await redis.xlen(out) == 1
        assert (await redis.xpending(service.stream, service.name))["pending"] == 0
        assert service.calls == [["nul", "ok"], ["nul"], ["ok"]]  # one batch, then each alone, once


async def _both(redis: Redis, out: str, stream: str) -> bool:
    return await redis.xlen(out) == 1 and await redis.xlen(f"{stream}.dlq") == 2


async def test_batch_entry_left_for_retry_does_not_hold_back_its_batch_mates(redis_url, stream_prefix):
    """A failing entry stays pending alone: its batch-mate is published and acked once, never handled
    again, and the failing one is parked after max_deliveries."""
    entries = [_article("Un texte flaky.", "flaky"), _article("Le ministre a parlé.", "ok")]
    async with running(redis_url, stream_prefix, entries, claim_idle_ms=200, max_deliveries=2) as (service, redis):
        out = service.settings.stream("out")

        async def parked() -> bool:
            return await redis.xlen(f"{service.stream}.dlq") == 1

        await _wait(parked)
        [letter] = await _letters(redis, service.stream)
        assert letter["delivery_count"] == 2 and "flaky" in letter["payload"]
        assert await redis.xlen(out) == 1
        # the batch, then each alone, the valid one once and before the failing one's redelivery
        assert service.calls[:3] == [["flaky", "ok"], ["flaky"], ["ok"]]
        assert sum("ok" in call for call in service.calls) == 2
        assert (await redis.xpending(service.stream, service.name))["pending"] == 0
