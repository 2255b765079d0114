"""Running services for a benchmark: `newsflow run <svc>` processes, their memory and CPU, a database.

Reuses the e2e tests' Pipeline helper, so services start exactly as an operator starts them.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil
import redis

from tests.e2e.processes import Pipeline, delete_prefix

REDIS_URL = os.environ.get("NEWSFLOW_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
POSTGRES_URL = os.environ.get("NEWSFLOW_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


class Sampler:
    """Samples each process's RSS in a background thread (peak RSS per service) and reads CPU times."""

    def __init__(self, pipeline: Pipeline, interval_s: float = 0.25) -> None:
        self.pipeline = pipeline
        self.interval_s = interval_s
        self.peak_rss: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _processes(self) -> dict[str, psutil.Process]:
        return {key: psutil.Process(p.pid) for key, p in self.pipeline.processes.items() if p.poll() is None}

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            for key, process in self._processes().items():
                try:
                    rss = process.memory_info().rss
                except psutil.Error:
                    continue
                self.peak_rss[key] = max(rss, self.peak_rss.get(key, 0))

    def cpu_seconds(self) -> dict[str, float]:
        """User + system CPU seconds used so far by each running service process."""
        times = {}
        for key, process in self._processes().items():
            cpu = process.cpu_times()
            times[key] = cpu.user + cpu.system
        return times

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


@contextmanager
def running_services(
    services: list[tuple[str, str]], env: dict[str, str], *, ready_timeout: float = 300.0
) -> Iterator[tuple[Pipeline, redis.Redis]]:
    """Start `(key, service)` processes on a fresh stream prefix; stop them and delete the streams after."""
    workdir = Path(tempfile.mkdtemp(prefix="newsflow-bench-"))
    prefix = f"bench-{uuid.uuid4().hex[:8]}:"
    full_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(workdir),
        "NEWSFLOW_REDIS_URL": REDIS_URL,
        "NEWSFLOW_STREAM_PREFIX": prefix,
        "NEWSFLOW_LOG_FORMAT": "json",
        "NEWSFLOW_DATA_DIR": str(workdir / "data"),
        **({"PYTHONPATH": os.environ["PYTHONPATH"]} if "PYTHONPATH" in os.environ else {}),  # e.g. a tree to compare
        **env,
    }
    pipeline = Pipeline(env=full_env, workdir=workdir)
    client = redis.Redis.from_url(REDIS_URL)
    try:
        for key, service in services:
            pipeline.start(service, key=key)
        pipeline.wait_ready(ready_timeout)
        yield pipeline, client
    finally:
        pipeline.stop_all()
        delete_prefix(client, prefix)
        client.close()


def wait_for_length(client: redis.Redis, stream: str, count: int, timeout: float, poll_s: float = 0.02) -> float:
    """Block until `stream` holds `count` entries; the monotonic time it did."""
    deadline = time.monotonic() + timeout
    while client.xlen(stream) < count:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{stream}: {client.xlen(stream)} entries after {timeout:.0f}s, expected {count}")
        time.sleep(poll_s)
    return time.monotonic()


@contextmanager
def postgres_database() -> Iterator[str]:
    """A database of its own on the benchmark's Postgres, dropped afterwards; yields its asyncpg URL."""
    import asyncio

    import asyncpg

    name = f"newsflow_bench_{uuid.uuid4().hex[:10]}"

    async def admin(sql: str) -> None:
        connection = await asyncpg.connect(POSTGRES_URL)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        base = POSTGRES_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
        yield f"{base}/{name}"
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
