"""Subscribe to newsflow with nothing but redis-py and json (no newsflow, no FastStream installed).

    python examples/plain_subscriber.py --redis redis://localhost:6379/0 --group my-team

The same steps work from any language's Redis client:
1. XGROUP CREATE records.stored <group> 0 MKSTREAM   (once; BUSYGROUP means it exists already)
2. XREADGROUP GROUP <group> <consumer> COUNT n BLOCK ms STREAMS records.stored >
3. json.loads(fields["__data__"]): a StoredRecord (schema_version, article_id, status, events, ...)
4. handle it idempotently (delivery is at least once), then XACK records.stored <group> <id>
Start with step 2 using id 0 instead of `>` to first finish what this consumer left pending.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import time
from collections.abc import Callable
from typing import Any

import redis

SUPPORTED_SCHEMA_VERSIONS = {2, 3}  # 2 added `merged`; 3 added the article, deliveries and event details


def ensure_group(client: redis.Redis, stream: str, group: str) -> None:
    """XGROUP CREATE <stream> <group> 0 MKSTREAM, tolerating an existing group."""
    try:
        client.xgroup_create(stream, group, id="0", mkstream=True)
    except redis.ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


def consume(
    client: redis.Redis,
    stream: str,
    group: str,
    consumer: str,
    handle: Callable[[dict[str, Any]], None],
    *,
    max_records: int | None = None,
    timeout_s: float | None = None,
    block_ms: int = 1000,
) -> int:
    """Read, handle and acknowledge records until `max_records` were handled or `timeout_s` passed."""
    ensure_group(client, stream, group)
    handled = 0
    deadline = None if timeout_s is None else time.monotonic() + timeout_s
    start_id = "0"  # first what this consumer already received but never acknowledged, then new entries
    while (max_records is None or handled < max_records) and (deadline is None or time.monotonic() < deadline):
        response = client.xreadgroup(group, consumer, {stream: start_id}, count=10, block=block_ms)
        entries = response[0][1] if response else []
        if start_id == "0" and not entries:
            start_id = ">"
            continue
        for entry_id, fields in entries:
            record = json.loads(fields[b"__data__"])
            if record.get("schema_version") not in SUPPORTED_SCHEMA_VERSIONS:
                raise ValueError(f"{entry_id!r}: schema_version {record.get('schema_version')} is not supported")
            handle(record)
            client.xack(stream, group, entry_id)  # only after the record is handled: at least once
            handled += 1
    return handled


class Deduplicator:
    """Acts once per (article_id, event_id): a record delivered twice is recognised and skipped."""

    def __init__(self) -> None:
        self.seen: set[tuple[str, str]] = set()
        self.sources: dict[str, int] = {}

    def __call__(self, record: dict[str, Any]) -> None:
        for event in record.get("events", []):
            key = (record["article_id"], event["event_id"])
            if key in self.seen:
                continue
            self.seen.add(key)
            for old in event.get("merged_from", []):  # newsflow found two stored events to be one
                self.sources.pop(old, None)
            self.sources[event["event_id"]] = max(self.sources.get(event["event_id"], 0), event["sources"])
            print(f"{event['type']} {event['event_id']}: {event['status']}, {event['sources']} source(s)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redis", default=os.environ.get("NEWSFLOW_REDIS_URL", "redis://localhost:6379/0"))
    parser.add_argument("--stream", default=os.environ.get("NEWSFLOW_STREAM_PREFIX", "") + "records.stored")
    parser.add_argument("--group", default="my-team")
    parser.add_argument("--consumer", default=f"{socket.gethostname()}-{os.getpid()}")
    args = parser.parse_args()
    client = redis.Redis.from_url(args.redis)
    with contextlib.suppress(KeyboardInterrupt):
        consume(client, args.stream, args.group, args.consumer, Deduplicator())


if __name__ == "__main__":
    main()
