"""Subscribe to newsflow with FastStream: react to each event newsflow stores, exactly once per change.

    NEWSFLOW_REDIS_URL=redis://localhost:6379/0 faststream run examples.subscriber:app

- Your own consumer group (SUBSCRIBER_GROUP, default `my-team`): run several replicas and the
  group spreads the records over them; records that arrive while they are all down wait for them.
- A second subscriber claims what a dead replica left pending (at least once, as newsflow does).
- Delivery is at least once, so `EventBook.apply` is idempotent: a record delivered twice changes
  nothing. Keep the same rule in your own store (a unique key on event_id, an upsert).

Entries on records.stored hold one JSON document in their `__data__` field; FastStream's own
parser hands that document to the handler, which receives it validated as `examples.records.Record`
(pydantic). Only faststream[redis] and pydantic are needed, not newsflow; with redis-py alone, see
examples/plain_subscriber.py.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from typing import Any

from faststream import FastStream, Logger
from faststream.redis import RedisBroker, StreamSub
from redis.asyncio import Redis
from redis.exceptions import ResponseError

from examples.records import SUPPORTED_SCHEMA_VERSIONS, Record

STORED = "records.stored"


@dataclass
class EventBook:
    """One row per event_id (its latest number of sources), and the (article, event) pairs already seen."""

    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    seen: set[tuple[str, str]] = field(default_factory=set)

    def apply(self, record: Record) -> list[str]:
        """Upsert the record's events; returns the event ids that are new information."""
        changed = []
        for event in record.events:
            key = (record.article_id, event.event_id)
            if key in self.seen:  # a redelivery, or the same article fed again
                continue
            self.seen.add(key)
            row = self.events.setdefault(event.event_id, {"type": event.type, "sources": 0, "articles": []})
            for old in event.merged_from:  # `merged`: newsflow found these stored events to be this one
                merged = self.events.pop(old, None)
                if merged:
                    row["articles"] = sorted(set(row["articles"]) | set(merged["articles"]))
            row["articles"].append(record.article_id)
            # `updated` with more sources is new information about the same event, not a duplicate.
            row["sources"] = max(row["sources"], event.sources)
            changed.append(event.event_id)
        return changed


def create_app(
    redis_url: str | None = None,
    *,
    prefix: str | None = None,
    group: str | None = None,
    consumer: str | None = None,
    book: EventBook | None = None,
    claim_idle_ms: int = 60_000,
) -> FastStream:
    """The subscriber app; arguments default to the environment (NEWSFLOW_REDIS_URL, ...)."""
    redis_url = redis_url or os.environ.get("NEWSFLOW_REDIS_URL", "redis://localhost:6379/0")
    stream = (os.environ.get("NEWSFLOW_STREAM_PREFIX", "") if prefix is None else prefix) + STORED
    group = group or os.environ.get("SUBSCRIBER_GROUP", "my-team")
    consumer = consumer or os.environ.get("SUBSCRIBER_CONSUMER") or f"{socket.gethostname()}-{os.getpid()}"
    book = book if book is not None else EventBook()
    broker = RedisBroker(redis_url)

    async def create_group() -> None:
        """Start a new group at the beginning of the stream (FastStream alone would start at its end)."""
        redis = Redis.from_url(redis_url)
        try:
            await redis.xgroup_create(stream, group, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise
        finally:
            await redis.aclose()

    async def on_record(record: Record, logger: Logger) -> None:
        # Returning acknowledges the entry (XACK); raising leaves it pending for a retry.
        if record.schema_version not in SUPPORTED_SCHEMA_VERSIONS:
            raise ValueError(f"schema_version {record.schema_version} is not supported")  # stays pending
        for event_id in book.apply(record):
            row = book.events[event_id]
            logger.info(f"{row['type']} {event_id}: {row['sources']} source(s), article {record.article_id}")

    readers = (
        StreamSub(stream, group=group, consumer=consumer),
        StreamSub(stream, group=group, consumer=f"{consumer}-claimer", min_idle_time=claim_idle_ms),
    )
    for sub in readers:
        broker.subscriber(stream=sub, title=f"{group}:{sub.consumer}")(on_record)
    app = FastStream(broker, on_startup=[create_group])
    app.book = book  # type: ignore[attr-defined]  # what the app has seen, for tests and curious readers
    return app


def __getattr__(name: str) -> Any:
    """`app` for `faststream run examples.subscriber:app`, built from the environment on first use."""
    if name == "app":
        globals()["app"] = create_app()
        return globals()["app"]
    raise AttributeError(name)
