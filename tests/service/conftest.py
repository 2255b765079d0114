"""Run one service alone, on the machine's Redis under a stream prefix of its own.

Why not FastStream's in-memory TestRedisBroker (checked again with FastStream 0.7.8, whose
faststream/redis/testing.py simulates a PEL):
- Every publish to a stream subscriber raises KeyError once the handler has run. The test broker
  files the entry in its simulated PEL under the publish's correlation id and removes it under the
  correlation id of the parsed message; newsflow's wire format (JsonMessageFormat: the bare JSON
  document) carries no envelope, so the parser makes a new id and the removal misses. FastStream's
  own binary envelope keeps the id. tests/unit/common/test_in_memory_broker.py shows both.
- Even without that, it would test little of a service: the services do their own Redis I/O
  (XGROUP CREATE, the batch's pipelined XADD of results, XACK of part of a batch, XPENDING for the
  delivery count, the DLQ), which bypasses the test broker; its entries have no ids, and its
  "claimer" gets an entry only within the same publish call, with no idle time or delivery count.
And fakeredis, for the services' client, blocks the event loop on the batch reads every service
makes (XREADGROUP COUNT n BLOCK ms).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from redis.asyncio import Redis

from services.bootstrap import bootstrap
from services.common.broker import unwrap_payload
from services.common.service import StreamService


class Running:
    """A started service with its broker and Redis client, plus helpers to feed and read streams."""

    def __init__(self, service: StreamService, redis: Redis) -> None:
        self.service = service
        self.redis = redis

    def stream(self, base: str) -> str:
        return self.service.settings.stream(base)

    async def add(self, base: str, fields: dict[str, Any]) -> str:
        return (await self.redis.xadd(self.stream(base), fields)).decode()

    async def read(self, stream: str) -> list[dict]:
        entries = await self.redis.xrange(stream)
        return [json.loads(unwrap_payload(f.get(b"__data__") or f.get(b"data"))) for _, f in entries]

    async def wait_for(self, stream: str, count: int, timeout: float = 30.0) -> list[dict]:
        """Poll until `stream` holds `count` entries."""
        deadline = asyncio.get_running_loop().time() + timeout
        while await self.redis.xlen(stream) < count:
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"{stream} has {await self.redis.xlen(stream)} entries, expected {count}")
            await asyncio.sleep(0.02)
        return await self.read(stream)

    async def pending(self) -> int:
        return (await self.redis.xpending(self.service.stream, self.service.name))["pending"]


@pytest.fixture
def run_service(stream_prefix, request) -> Callable[..., Any]:
    """`async with run_service(ServiceClass, SettingsClass, **overrides) as running:` bootstraps that
    one service, as `newsflow run <name>` does, on a Redis client of the test's; its keys are
    deleted afterwards."""

    @asynccontextmanager
    async def run(service_cls: type[StreamService], settings_cls: type, **overrides: Any) -> AsyncIterator[Running]:
        settings = settings_cls(redis_url=request.getfixturevalue("redis_url"), stream_prefix=stream_prefix,
                                http_enabled=False, polling_interval_ms=10, **overrides)
        redis = Redis.from_url(settings.redis_url)
        app = bootstrap(settings, services=service_cls.name, redis=redis)  # type: ignore[arg-type]
        [service] = app.services
        assert isinstance(service, service_cls)
        try:
            async with app:
                yield Running(service, redis)
        finally:
            keys = [key async for key in redis.scan_iter(match=f"{stream_prefix}*")]
            if keys:
                await redis.delete(*keys)
            await redis.aclose()

    return run
