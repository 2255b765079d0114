"""What every newsflow service shares: its consumer group and its claimer, delivery, trimming, HTTP.

A service is a class that registers its subscribers on a broker; services/bootstrap.py puts one
or several on one broker and starts them. A subclass adds its own start-up and shutdown in the
`on_start`/`on_stop` hooks.
"""

from __future__ import annotations

import asyncio
import socket
import time
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from fastapi import FastAPI
from faststream.message import StreamMessage
from faststream.redis import RedisBroker, StreamSub
from pydantic import SecretStr
from redis.asyncio import Redis

from services.common.broker import entry_fields
from services.common.consumers import remove_expired_consumers
from services.common.delivery import POISON, Delivery, Entry, ModelT, ensure_group, entries_of
from services.common.http import HttpServer, ReadinessCheck, bind_port, ops_app
from services.common.logging import get_logger
from services.common.metrics import BATCH_SIZE, LAG, PENDING
from services.common.retry import is_transient, with_retries
from services.common.settings import NewsflowSettings
from services.common.trim import trim_stream


async def keep_raw_body(message: StreamMessage[Any]) -> Any:
    """A decoder that leaves the body as bytes (see StreamService.subscribe)."""
    return message.body


@dataclass
class _Batch:
    """One batch in hand: how to process, publish and summarise an entry, and what the batch as a
    whole gave (`results` None: process each entry alone; `published` False: publish each alone)."""

    process: Callable[[list[Any]], Awaitable[list[Any]]]
    publisher: Any
    summary: Callable[[Any], dict[str, Any]]
    within_s: float
    size: int
    results: list[Any] | None = None
    published: bool = False
    seconds: float = 0.0  # the batch's processing and publishing time, shared by its entries


class StreamService(ABC):
    """Base for a service reading one input stream in its own consumer group."""

    name: str = ""
    input_stream: str = ""
    batch: bool = True

    def __init__(self, settings: NewsflowSettings, *, http_port: int = 0, api_token: SecretStr | None = None) -> None:
        """`http_port` (0: any free port) and `api_token` (guards the HTTP endpoints when set) come
        from the subclass's own settings class; the shared base has neither."""
        self.settings = settings
        self.http_port = http_port
        self.api_token = api_token
        self.log = get_logger(self.name)
        self._delivery: Delivery | None = None
        self._redis: Redis | None = None
        self._trimmer: asyncio.Task[None] | None = None
        self._http_socket: socket.socket | None = None
        self._http: HttpServer | None = None

    @property
    def stream(self) -> str:
        return self.settings.stream(self.input_stream)

    @abstractmethod
    def register(self, broker: RedisBroker) -> None:
        """Declare this service's publishers and subscribers on `broker`."""

    @property
    def delivery(self) -> Delivery:
        if self._delivery is None:
            raise RuntimeError(f"{self.name} handled a message before its start-up finished")
        return self._delivery

    @property
    def redis(self) -> Redis:
        """The Redis client the service was started with."""
        if self._redis is None:
            raise RuntimeError(f"{self.name} is not started yet")
        return self._redis

    def subscriptions(self, batch_size: int | None = None) -> tuple[StreamSub, StreamSub]:
        """The reader of new entries, and the claimer of entries a dead consumer left pending."""
        common: dict[str, Any] = {"group": self.name, "batch": self.batch}
        if batch_size:
            common["max_records"] = batch_size
        reader = StreamSub(
            self.stream,
            consumer=self.settings.consumer_name,
            polling_interval=self.settings.polling_interval_ms,
            **common,
        )
        claimer = StreamSub(
            self.stream,
            consumer=f"{self.settings.consumer_name}-claimer",
            min_idle_time=self.settings.claim_idle_ms,
            polling_interval=max(self.settings.claim_idle_ms // 4, 100),
            **common,
        )
        return reader, claimer

    def subscribe(
        self, broker: RedisBroker, handler: Callable[..., Awaitable[None]], batch_size: int | None = None
    ) -> None:
        """Register `handler` for the reader and the claimer. FastStream's decoding is skipped:
        handlers validate each entry themselves, so that a non-JSON entry is parked, not fatal."""
        for subscription in self.subscriptions(batch_size):
            broker.subscriber(stream=subscription, decoder=keep_raw_body, title=f"{self.name}:{subscription.consumer}")(
                handler
            )

    async def valid_entries(self, entries: list[Entry], model: type[ModelT]
                            ) -> tuple[list[tuple[Entry, ModelT]], list[Entry]]:
        """Parse every entry as `model`; park the ones that are not. Returns the valid ones and the parked."""
        valid, parked = [], []
        for entry in entries:
            try:
                valid.append((entry, entry.parse(model)))
            except POISON as exc:
                await self.delivery.reject(entry, exc)
                parked.append(entry)
        return valid, parked

    async def handle_batch(
        self,
        message: Any,
        model: type[ModelT],
        process: Callable[[list[ModelT]], Awaitable[list[Any]]],
        publisher: Any,
        summary: Callable[[Any], dict[str, Any]],
    ) -> None:
        """Parse a batch of entries, process the valid ones together, publish the results.

        The results are published in one Redis round trip before the summary lines are written.
        If the batch as a whole fails (processing or publishing), each entry is processed and
        published alone under the delivery rules, so one poison entry is parked without sinking
        the others. An entry left for a retry never holds back its batch-mates: they are
        acknowledged at once (see `settle`), so they are neither delayed nor handled again.
        """
        valid, done = await self.valid_entries(entries_of(message), model)
        if not valid:
            return
        BATCH_SIZE.labels(self.name).observe(len(valid))
        within = min(self.settings.retry_seconds, self.settings.claim_idle_ms / 2000)
        batch = _Batch(process, publisher, summary, within_s=within, size=len(valid))
        await self._run_batch(batch, [item for _, item in valid])
        left: list[Entry] = []
        dependency_down = False
        for index, (entry, item) in enumerate(valid):
            if dependency_down:
                left.append(entry)  # Redis or the database is down: the rest would wait for it too
                continue
            try:
                await self._handle_entry(batch, entry, item, index)
            except Exception as exc:  # logged by `handling`; the entry stays pending for a retry
                left.append(entry)
                dependency_down = is_transient(exc)
            else:
                done.append(entry)
        await self.settle(message, done, left)

    async def _run_batch(self, batch: _Batch, items: list[Any]) -> None:
        """Process and publish the whole batch at once; on failure `batch` says what is left to do
        entry by entry (no results, or results not published)."""
        started = time.perf_counter()
        try:
            batch.results = await with_retries(partial(batch.process, items), within_s=batch.within_s)
        except Exception as exc:
            self.log.warning("batch failed; handling its entries one by one", error=repr(exc)[:300], size=batch.size)
            return
        try:
            await with_retries(partial(self.publish_all, batch.publisher, batch.results), within_s=batch.within_s)
            batch.published = True
        except Exception as exc:
            self.log.warning("batch publish failed; publishing entry by entry", error=repr(exc)[:300])
        # The batch's work is done before the entries' summary lines: each entry is charged its share,
        # so newsflow_handler_seconds and the line's `ms` measure the handler (the whole batch: batch_ms).
        batch.seconds = time.perf_counter() - started

    async def _handle_entry(self, batch: _Batch, entry: Entry, item: Any, index: int) -> None:
        """One entry under the delivery rules: its share of the batch's result, or processed and
        published alone when the batch could not be; raises when it is left for a retry."""
        ids = {"article_id": getattr(item, "article_id", None), "trace_id": getattr(item, "trace_id", None)}
        async with self.delivery.handling(entry, **ids, spent_s=batch.seconds / batch.size) as handling:
            if batch.seconds:
                handling.bind(batch_ms=round(batch.seconds * 1000, 1), batch=batch.size)
            if batch.results is not None:
                result = batch.results[index]
            else:
                result = (await with_retries(partial(batch.process, [item]), within_s=batch.within_s))[0]
            handling.bind(**batch.summary(result))
            if not batch.published:
                await with_retries(partial(batch.publisher.publish, result), within_s=batch.within_s)

    async def settle(self, message: Any, done: list[Entry], left: list[Entry]) -> None:
        """Acknowledge a batch. FastStream acks all of a batch's entries or none; when some are left
        for a retry, the others (handled or parked) are XACKed here and the batch is nacked, so only
        the ones left stay pending for the claimer."""
        if not left:
            return  # FastStream acks the whole batch when the handler returns
        ids = [entry.message_id for entry in done if entry.message_id is not None]
        if ids:
            await with_retries(partial(self.redis.xack, self.stream, self.name, *ids),
                               within_s=self.settings.retry_seconds)
        await message.nack()
        self.log.warning("entries left pending for a retry", left=len(left), acknowledged=len(ids))

    async def publish_all(self, publisher: Any, results: list[Any]) -> None:
        """XADD every result to the publisher's stream in one pipeline, in the wire format the
        publisher writes (`__data__`: the JSON document); one round trip instead of one per result."""
        async with self.redis.pipeline(transaction=False) as pipe:
            for result in results:
                pipe.xadd(publisher.stream.name, entry_fields(result))
            await pipe.execute()

    async def start(self, redis: Redis) -> None:
        """Join the consumer group, start the trimmer, then the subclass's own start-up (`on_start`)."""
        await ensure_group(redis, self.stream, self.name)
        self._delivery = Delivery(
            service=self.name, group=self.name, redis=redis, max_deliveries=self.settings.max_deliveries
        )
        self._redis = redis
        self._trimmer = asyncio.create_task(self._trim_periodically(), name=f"{self.name}-trimmer")
        await self.on_start()

    async def on_start(self) -> None:
        """A subclass's start-up (a model, a database), after the group is joined; `self.redis` is set."""
        return None  # nothing by default

    async def on_stop(self) -> None:
        """A subclass's shutdown, after the trimmer and the HTTP server are stopped."""
        return None  # nothing by default

    def trimmed_streams(self) -> list[str]:
        """The streams this service keeps in check: its input (the store adds its output)."""
        return [self.stream]

    async def _trim_periodically(self) -> None:
        while True:
            await asyncio.sleep(self.settings.trim_interval_s)
            await self._remove_expired_consumers()
            for stream in self.trimmed_streams():
                try:
                    removed = await trim_stream(self.redis, stream, self.settings.stream_maxlen)
                except Exception as exc:  # a failed trim must never stop the service
                    self.log.warning("trim failed", stream=stream, error=repr(exc)[:300])
                    continue
                if removed:
                    self.log.info("trimmed", stream=stream, removed=removed)

    def reserve_http_port(self) -> None:
        """Bind the HTTP port first thing, so a taken port fails the service before it reads anything."""
        if self.settings.http_enabled and self._http_socket is None:
            self._http_socket = bind_port(self.settings.http_host, self.http_port, self.name)

    async def _remove_expired_consumers(self) -> None:
        """Drop consumers of dead replicas whose entries were claimed (consumers.py)."""
        ours = {s.consumer for s in self.subscriptions() if s.consumer}
        try:
            removed = await remove_expired_consumers(
                self.redis, self.stream, self.name, keep=ours, expiry_ms=self.settings.consumer_expiry_ms
            )
        except Exception as exc:  # housekeeping must never stop the service
            self.log.warning("removing idle consumers failed", error=repr(exc)[:300])
            return
        if removed:
            self.log.info("removed idle consumers", consumers=removed)

    async def serve_http(self) -> None:
        """Serve the HTTP endpoints, once start-up is complete (so /readyz means ready)."""
        if self.settings.http_enabled:
            self.reserve_http_port()
            assert self._http_socket is not None  # bound by reserve_http_port
            self._http = HttpServer(self.api(), self._http_socket)
            await self._http.start()
            self.log.info("http serving", port=self._http.port)

    async def stop(self) -> None:
        """Stop the trimmer and the HTTP server (or free its reserved port), then `on_stop`."""
        if self._trimmer is not None:
            self._trimmer.cancel()
            self._trimmer = None
        if self._http is not None:
            await self._http.stop()
            self._http = None
        elif self._http_socket is not None:
            self._http_socket.close()
        self._http_socket = None
        await self.on_stop()

    def readiness_checks(self) -> dict[str, ReadinessCheck]:
        """What must answer for this service to be ready; services add their own."""

        async def redis() -> None:
            await self.redis.ping()  # type: ignore[misc]  # redis-py types ping as sync-or-async

        return {"redis": redis}

    def api(self) -> FastAPI:
        """The service's HTTP app: ops endpoints (ingest adds its intake)."""
        return ops_app(f"newsflow {self.name}", self.readiness_checks(), self.refresh_metrics,
                       token=self.api_token)

    async def refresh_metrics(self) -> None:
        """Consumer lag and pending count of this service's group, read on each scrape."""
        for group in await self.redis.xinfo_groups(self.stream):
            if group["name"].decode() == self.name:
                LAG.labels(self.name, self.stream).set(group.get("lag") or 0)
                PENDING.labels(self.name, self.stream).set(group.get("pending") or 0)
