"""Handler time: a slow handler shows in newsflow_handler_seconds and in the summary line's `ms`."""

from __future__ import annotations

import asyncio
import json
from types import SimpleNamespace

import fakeredis
import pytest
import structlog
from faststream.redis import RedisBroker
from prometheus_client import REGISTRY
from structlog.testing import capture_logs

from services.common.contracts import RawArticle
from services.common.service import StreamService
from services.common.settings import NewsflowSettings

SLEEP_S = 0.3


class SlowService(StreamService):
    """A service whose batch work takes SLEEP_S, as an extraction takes its time."""

    name = "slow-test"
    input_stream = "slow.in"

    def register(self, broker: RedisBroker) -> None:  # not needed: handle_batch is called directly
        raise NotImplementedError


async def _process(items: list[RawArticle]) -> list[RawArticle]:
    await asyncio.sleep(SLEEP_S)
    return items


def _handler_seconds(service: str) -> float:
    return REGISTRY.get_sample_value("newsflow_handler_seconds_sum", {"service": service}) or 0.0


@pytest.fixture(autouse=True)
def plain_structlog():
    """Log capture sees every line whatever level an earlier test configured logging at."""
    saved = structlog.get_config()
    structlog.reset_defaults()
    yield
    structlog.configure(**saved)


@pytest.fixture
async def service():
    redis = fakeredis.FakeAsyncRedis()
    slow = SlowService(NewsflowSettings(stream_prefix="t:", trim_interval_s=3600))
    await slow.start(redis)
    yield slow
    await slow.stop()
    await redis.aclose()


async def test_slow_batch_shows_in_the_metric_and_the_log_line(service):
    """Two entries processed together in 0.3 s: each is charged 0.15 s, in the histogram and in `ms`."""
    entries = [json.dumps({"text": f"article {n}", "article_id": f"a{n}"}).encode() for n in range(2)]
    message = SimpleNamespace(raw_message={"channel": service.stream, "message_ids": [b"1-0", b"1-1"],
                                           "data": [{b"__data__": e} for e in entries]})
    publisher = SimpleNamespace(stream=SimpleNamespace(name="t:slow.out"))
    before = _handler_seconds("slow-test")
    with capture_logs() as logs:
        await service.handle_batch(message, RawArticle, _process, publisher, lambda result: {})
    handled = [line for line in logs if line["event"] == "handled"]
    assert len(handled) == 2
    assert all(line["ms"] >= SLEEP_S / 2 * 1000 for line in handled)
    assert all(line["batch_ms"] >= SLEEP_S * 1000 and line["batch"] == 2 for line in handled)
    assert _handler_seconds("slow-test") - before >= SLEEP_S
