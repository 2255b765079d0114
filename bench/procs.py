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

from tests.e2e.processes import BIN, Pipeline, delete_prefix

REDIS_URL = os.environ.get("NEWSFLOW_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
POSTGRES_URL = os.environ.get("NEWSFLOW_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def memory_mb(process: psutil.Process) -> dict[str, float]:
    """RSS, USS (pages only this process holds) and PSS (its share of shared pages), in MB."""
    info = process.memory_full_info()
    return {"rss": info.rss / 2**20, "uss": info.uss / 2**20, "pss": getattr(info, "pss", 0) / 2**20}


class Sampler:
    """Samples each service process's memory in a background thread and reads CPU times.

    A service started with `--workers N` is a parent and N forked workers: its CPU is the whole
    tree's, and each worker's memory is sampled as `<key>/w<i>` (workers in pid order).
    """

    def __init__(self, pipeline: Pipeline, interval_s: float = 0.25, full_every: int = 4) -> None:
        self.pipeline = pipeline
        self.interval_s = interval_s
        self.full_every = full_every  # USS/PSS read /proc/<pid>/smaps: every few samples only
        self.peak_rss: dict[str, int] = {}
        self.peak_memory: dict[str, dict[str, float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _processes(self) -> dict[str, psutil.Process]:
        return {key: psutil.Process(p.pid) for key, p in self.pipeline.processes.items() if p.poll() is None}

    def _tree(self) -> dict[str, psutil.Process]:
        """Each service process, and its forked workers as `<key>/w<i>`."""
        tree: dict[str, psutil.Process] = {}
        for key, process in self._processes().items():
            tree[key] = process
            try:
                children = sorted(process.children(), key=lambda c: c.pid)
            except psutil.Error:
                continue
            for index, child in enumerate(children):
                tree[f"{key}/w{index}"] = child
        return tree

    def _run(self) -> None:
        tick = 0
        while not self._stop.wait(self.interval_s):
            tick += 1
            for key, process in self._tree().items():
                try:
                    rss = process.memory_info().rss
                    memory = memory_mb(process) if tick % self.full_every == 0 else None
                except psutil.Error:
                    continue
                if "/" not in key:
                    self.peak_rss[key] = max(rss, self.peak_rss.get(key, 0))
                if memory is not None:
                    peaks = self.peak_memory.setdefault(key, {})
                    for name, value in memory.items():
                        peaks[name] = max(value, peaks.get(name, 0.0))

    def cpu_seconds(self) -> dict[str, float]:
        """User + system CPU seconds used so far by each running service process and its workers."""
        times = {}
        for key, process in self._processes().items():
            total = 0.0
            for member in [process, *process.children(recursive=True)]:
                try:
                    cpu = member.cpu_times()
                except psutil.Error:
                    continue
                total += cpu.user + cpu.system
            times[key] = total
        return times

    @staticmethod
    def server_cpu_seconds() -> dict[str, dict[int, float]]:
        """CPU seconds so far of each Postgres and Redis server process on this machine, by pid
        (the services' work they do is not in the services' own CPU)."""
        servers: dict[str, dict[int, float]] = {"postgres": {}, "redis": {}}
        for process in psutil.process_iter(["name", "cpu_times"]):
            name = process.info["name"] or ""
            kind = "postgres" if name.startswith("postgres") else "redis" if name.startswith("redis-server") else None
            if kind and process.info["cpu_times"] is not None:
                servers[kind][process.pid] = process.info["cpu_times"].user + process.info["cpu_times"].system
        return servers

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


@contextmanager
def running_services(
    services: list[tuple[str, str]] | list[tuple[str, str, list[str]]], env: dict[str, str], *,
    ready_timeout: float = 300.0,
) -> Iterator[tuple[Pipeline, redis.Redis]]:
    """Start `(key, service[, extra arguments])` processes (`newsflow run <service> ...`) on a fresh
    stream prefix; stop them and delete the streams after."""
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
        for key, service, *extra in services:
            arguments = list(extra[0]) if extra else []
            command = [str(BIN / "newsflow"), "run", service, *arguments] if arguments else None
            pipeline.start(service, command, key=key)
        pipeline.wait_ready(ready_timeout)
        yield pipeline, client
    finally:
        pipeline.stop_all()
        delete_prefix(client, prefix)
        client.close()


def server_cpu_used(before: dict[str, dict[int, float]], after: dict[str, dict[int, float]]) -> dict[str, float]:
    """CPU seconds each server kind spent between two `Sampler.server_cpu_seconds()` readings
    (a process started in between counts from zero; one that ended in between is not counted)."""
    return {kind: sum(seconds - before.get(kind, {}).get(pid, 0.0) for pid, seconds in pids.items())
            for kind, pids in after.items()}


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has been busy (all cores, neither idle nor waiting on I/O)."""
    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


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
