"""A busy HTTP port fails a service before it joins its consumer group; port 0 takes any free port."""

from __future__ import annotations

import socket

import httpx
import pytest
from redis.asyncio import Redis
from redis.exceptions import ResponseError

from services.bootstrap import bootstrap
from services.common.contracts import RAW
from services.common.errors import PortInUse
from services.common.settings import IngestSettings

pytestmark = pytest.mark.integration


@pytest.fixture
async def redis(redis_url, stream_prefix):
    client = Redis.from_url(redis_url)
    yield client
    keys = [key async for key in client.scan_iter(match=f"{stream_prefix}*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


def _settings(redis_url: str, stream_prefix: str, port: int) -> IngestSettings:
    return IngestSettings(redis_url=redis_url, stream_prefix=stream_prefix, http_host="127.0.0.1", http_port=port,
                          polling_interval_ms=10)


async def test_busy_port_fails_before_the_service_reads_an_entry(redis, redis_url, stream_prefix):
    """With its port taken, ingest stops at start-up: no group, no consumer, nothing read or pending."""
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        settings = _settings(redis_url, stream_prefix, taken.getsockname()[1])
        await redis.xadd(settings.stream(RAW), {"text": "Le Mali et la Russie."})
        app = bootstrap(settings, services="ingest")
        with pytest.raises(PortInUse, match="NEWSFLOW_HTTP_PORT"):
            await app.start()
    finally:
        taken.close()
    with pytest.raises(ResponseError):  # the group was never created, so no entry waits on a dead consumer
        await redis.xinfo_consumers(settings.stream(RAW), "ingest")


async def test_port_zero_serves_on_a_free_port(redis, redis_url, stream_prefix):
    """NEWSFLOW_HTTP_PORT=0 serves the ops endpoints on whatever port is free (many replicas, one host)."""
    settings = _settings(redis_url, stream_prefix, 0)
    app = bootstrap(settings, services="ingest")
    [service] = app.services
    await app.start()
    try:
        async with httpx.AsyncClient() as client:
            answer = await client.get(f"http://127.0.0.1:{service._http.port}/healthz")
        assert answer.status_code == 200
    finally:
        await app.stop()
