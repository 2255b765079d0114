"""Delivery rules shared by every service: validate, handle, dead-letter poison, log one line.

FastStream acknowledges a stream message only when the handler returns, and leaves it pending
when the handler raises (Redis has no nack). So:
- poison (a validation error, a PoisonMessage, data the database refuses) is parked on
  `<stream>.dlq` and then acked;
- any other failure is re-raised, leaving the entry pending for the claimer to retry, until the
  entry has been delivered `max_deliveries` times: then it is parked too.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

import structlog
from pydantic import BaseModel, ValidationError
from redis.asyncio import Redis
from redis.exceptions import ResponseError

from services.common.broker import JsonMessageFormat, entry_fields
from services.common.contracts import DeadLetter, dlq_stream
from services.common.errors import PoisonMessage
from services.common.logging import bind_message, get_logger, redact
from services.common.metrics import LATENCY, MESSAGES
from services.common.retry import is_permanent, is_transient

ModelT = TypeVar("ModelT", bound=BaseModel)
POISON = (PoisonMessage, ValidationError)


@dataclass
class Entry:
    """One stream entry: its id and its JSON payload."""

    stream: str
    message_id: str | None
    payload: bytes

    def field(self, name: str) -> str | None:
        """A top-level string field of the payload, if it is a JSON object that has it."""
        try:
            value = json.loads(self.payload).get(name)
        except (ValueError, AttributeError, UnicodeDecodeError):
            return None
        return value if isinstance(value, str) else None

    def parse(self, model: type[ModelT]) -> ModelT:
        """Validate the payload; a ValidationError names the bad field."""
        try:
            return model.model_validate_json(self.payload)
        except ValidationError:
            raise
        except ValueError as exc:  # not JSON at all
            raise PoisonMessage(f"payload is not a JSON document: {exc}") from exc


def entries_of(message: Any) -> list[Entry]:
    """The entries of a single or batch stream message, payloads unwrapped to their JSON."""
    raw: Mapping[str, Any] = message.raw_message
    data = raw["data"] if isinstance(raw["data"], list) else [raw["data"]]
    # The in-memory test broker delivers entries without ids.
    ids: list[str | None] = [i.decode() if isinstance(i, bytes) else str(i) for i in raw["message_ids"]]
    ids = ids or [None] * len(data)
    return [
        Entry(stream=raw["channel"], message_id=i, payload=JsonMessageFormat.payload(d)[0])
        for i, d in zip(ids, data, strict=True)
    ]


@dataclass
class Handling:
    """What a handler reports about one entry, for the summary log line."""

    entry: Entry
    summary: dict[str, Any] = field(default_factory=dict)

    def bind(self, **fields: Any) -> None:
        """Attach article_id / trace_id (and anything else) to this entry's summary line."""
        self.summary.update(fields)
        structlog.contextvars.bind_contextvars(
            **{k: v for k, v in fields.items() if k in ("article_id", "trace_id") and v is not None}
        )


class Delivery:
    """Applies the delivery rules for one service reading one stream in one consumer group."""

    def __init__(self, *, service: str, group: str, redis: Redis, max_deliveries: int) -> None:
        self.service = service
        self.group = group
        self.redis = redis
        self.max_deliveries = max_deliveries
        self.log = get_logger(service)

    async def delivery_count(self, entry: Entry) -> int:
        """How many times the group has delivered this entry (XPENDING), at least 1."""
        if entry.message_id is None:
            return 1
        try:
            pending = await self.redis.xpending_range(
                entry.stream, self.group, min=entry.message_id, max=entry.message_id, count=1
            )
        except ResponseError:
            return 1
        return int(pending[0]["times_delivered"]) if pending else 1

    async def park(self, entry: Entry, error: BaseException, deliveries: int) -> None:
        """Put the entry on `<stream>.dlq` with the reason; the caller then acks it."""
        letter = DeadLetter(
            stream=entry.stream,
            message_id=entry.message_id,
            service=self.service,
            error_type=type(error).__name__,
            error=redact(str(error))[:4000],  # a driver's message can quote a URL with its password
            delivery_count=deliveries,
            failed_at=dt.datetime.now(dt.UTC),
            payload=entry.payload.decode("utf-8", errors="replace"),
            article_id=entry.field("article_id"),
            trace_id=entry.field("trace_id"),
        )
        await self.redis.xadd(dlq_stream(entry.stream), entry_fields(letter))

    async def reject(self, entry: Entry, error: BaseException) -> None:
        """Park an entry that can never succeed, and log why (under the entry's own ids)."""
        bind_message(article_id=entry.field("article_id"), trace_id=entry.field("trace_id"))
        await self.park(entry, error, await self.delivery_count(entry))
        MESSAGES.labels(self.service, "dead_lettered").inc()
        self.log.warning("dead-lettered", reason=str(error)[:500], error_type=type(error).__name__,
                         message_id=entry.message_id)

    @asynccontextmanager
    async def handling(
        self, entry: Entry, *, article_id: str | None = None, trace_id: str | None = None, spent_s: float = 0.0
    ) -> AsyncIterator[Handling]:
        """Run one entry's handling under the delivery rules, then log one summary line.

        Pass the ids when the entry is already parsed: reading them from the payload again costs
        two JSON parses per message. `spent_s`: work done for this entry before (its share of a
        batch processed at once), counted in its handler time."""
        if article_id is None and trace_id is None:
            article_id, trace_id = entry.field("article_id"), entry.field("trace_id")
        handling = Handling(entry, {k: v for k, v in (("article_id", article_id), ("trace_id", trace_id)) if v})
        bind_message(article_id=article_id, trace_id=trace_id)
        started = time.perf_counter()
        try:
            yield handling
        except Exception as exc:
            if isinstance(exc, POISON) or is_permanent(exc):
                await self.park(entry, exc, await self.delivery_count(entry))
                MESSAGES.labels(self.service, "dead_lettered").inc()
                self.log.warning("dead-lettered", reason=str(exc)[:500], error_type=type(exc).__name__,
                                 message_id=entry.message_id, **handling.summary)
                return
            deliveries = 0 if is_transient(exc) else await self.delivery_count(entry)
            if is_transient(exc) or deliveries < self.max_deliveries:
                MESSAGES.labels(self.service, "failed").inc()
                self.log.error("failed; left pending for retry", error=repr(exc)[:500], transient=is_transient(exc),
                               attempt=deliveries, message_id=entry.message_id, **handling.summary)
                raise
            await self.park(entry, exc, deliveries)
            MESSAGES.labels(self.service, "dead_lettered").inc()
            self.log.error("dead-lettered after retries", error=repr(exc)[:500], attempt=deliveries,
                           message_id=entry.message_id, **handling.summary)
        else:
            elapsed = time.perf_counter() - started + spent_s
            MESSAGES.labels(self.service, "handled").inc()
            LATENCY.labels(self.service).observe(elapsed)
            elapsed_ms = round(elapsed * 1000, 1)
            self.log.info("handled", message_id=entry.message_id, ms=elapsed_ms, **handling.summary)


async def ensure_group(redis: Redis, stream: str, group: str) -> None:
    """Create the consumer group at the start of the stream, so nothing fed before is skipped."""
    try:
        await redis.xgroup_create(stream, group, id="0", mkstream=True)
    except ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise
