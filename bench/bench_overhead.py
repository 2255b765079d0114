"""What the service framework costs per stream entry, without the work itself.

`StreamService.handle_batch` on batches of real entries, with a `process` that returns its input
(no normalizing, no spaCy, no database): parsing and validating each entry, the delivery rules,
the summary log line, publishing each result to the real Redis through the broker's publisher.
This is the per-message overhead every service pays on top of its work; microseconds per entry
of this process's CPU are stable on a shared machine, so each tuning change gets a figure here.

    .venv/bin/python -m bench.bench_overhead [--entries 2000] [--batch-size 16]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import logging
import time
import uuid
from contextlib import redirect_stderr
from typing import Any

from redis.asyncio import Redis

from bench.procs import REDIS_URL
from bench.report import machine, print_table, write
from services.common.broker import entry_fields, make_broker
from services.common.contracts import ExtractedArticle
from services.common.logging import configure_logging
from services.common.service import StreamService
from services.common.settings import NewsflowSettings
from tests.integration.store.seed_articles import synthetic_articles


class FrameworkOnly(StreamService):
    name = "bench-overhead"
    input_stream = "bench.in"

    def register(self, broker: Any) -> None:
        """Nothing to subscribe: the benchmark calls handle_batch itself."""


async def measure(entries: int, batch_size: int, log_level: str = "INFO") -> dict[str, Any]:
    prefix = f"bench-{uuid.uuid4().hex[:8]}:"
    settings = NewsflowSettings(redis_url=REDIS_URL, stream_prefix=prefix, batch_size=batch_size)
    articles = synthetic_articles(entries, seed=3, words=400)
    payloads = [entry_fields(a)["__data__"].encode() for a in articles]
    redis = Redis.from_url(REDIS_URL)
    broker = make_broker(settings)
    publisher = broker.publisher(stream=settings.stream("bench.out"))
    service = FrameworkOnly(settings)
    await broker.start()
    await service.start(redis)

    async def identity(items: list[Any]) -> list[Any]:
        return items

    batches = [
        {"channel": service.stream, "data": payloads[i : i + batch_size],
         "message_ids": [f"{i + j + 1}-0".encode() for j in range(len(payloads[i : i + batch_size]))]}
        for i in range(0, entries, batch_size)
    ]
    message = type("Message", (), {})
    try:
        with redirect_stderr(io.StringIO()) as sink:  # the log lines are part of the cost, not of the output
            configure_logging(log_level, "json")
            started, cpu = time.perf_counter(), time.process_time()
            for raw in batches:
                message.raw_message = raw  # type: ignore[attr-defined]
                await service.handle_batch(message, ExtractedArticle, identity, publisher, lambda a: {
                    "entities": len(a.entities), "events": len(a.events)})
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        log_bytes = len(sink.getvalue())
    finally:
        await service.stop()
        await broker.stop()
        for key in [k async for k in redis.scan_iter(match=f"{prefix}*")]:
            await redis.delete(key)
        await redis.aclose()
        logging.getLogger().handlers.clear()
    return {
        "entries": entries,
        "batch_size": batch_size,
        "payload_kb": sum(map(len, payloads)) / entries / 1024,
        "cpu_us_per_entry": cpu * 1e6 / entries,
        "wall_us_per_entry": wall * 1e6 / entries,
        "log_bytes_per_entry": log_bytes / entries,
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--batch-size", type=int, default=NewsflowSettings().batch_size)
    parser.add_argument("--log-level", default="INFO", help="WARNING: without the per-message line, to see its cost")
    args = parser.parse_args(argv)
    report = {**machine(), "log_level": args.log_level,
              **asyncio.run(measure(args.entries, args.batch_size, args.log_level))}
    print_table(f"service framework overhead: handle_batch with a no-op process, ExtractedArticle entries of "
                f"{report['payload_kb']:.1f} KB, batch {report['batch_size']}", [
                    ("measure", "per entry"),
                    ("CPU (this process)", f"{report['cpu_us_per_entry']:.0f} µs"),
                    ("wall (with Redis round trips)", f"{report['wall_us_per_entry']:.0f} µs"),
                    ("log written", f"{report['log_bytes_per_entry']:.0f} bytes"),
                ])
    write("overhead", report)
    return report


if __name__ == "__main__":
    main()
