"""Why the service tests run on a real Redis: FastStream 0.7.8's TestRedisBroker and the JSON wire format.

If the second test starts failing, FastStream's in-memory broker has learnt to keep its
acknowledgement key without an envelope: read tests/service/conftest.py again and move the tests
that need no consumer group semantics onto it.
"""

from __future__ import annotations

from typing import Any

import pytest
from faststream.redis import RedisBroker, StreamSub, TestRedisBroker

from services.common.broker import JsonMessageFormat


async def _publish_once(**broker_options: Any) -> list[Any]:
    broker = RedisBroker("redis://127.0.0.1:1/0", **broker_options)  # never connected: in memory
    seen: list[Any] = []

    @broker.subscriber(stream=StreamSub("in", group="g", consumer="c1", batch=True))
    async def handle(bodies: list[dict[str, Any]]) -> None:
        seen.extend(bodies)

    async with TestRedisBroker(broker) as test_broker:
        await test_broker.publish({"article_id": "a1"}, stream="in")
    return seen


async def test_in_memory_broker_acknowledges_faststreams_own_envelope() -> None:
    """With FastStream's binary envelope the in-memory broker delivers and acknowledges the entry."""
    assert await _publish_once() == [{"article_id": "a1"}]


async def test_in_memory_broker_cannot_acknowledge_the_bare_json_wire_format() -> None:
    """The handler runs, but the publish raises KeyError: the correlation id the test broker keys its
    simulated PEL by travels in the envelope, which newsflow's bare JSON does not carry."""
    with pytest.raises(KeyError):
        await _publish_once(message_format=JsonMessageFormat)
