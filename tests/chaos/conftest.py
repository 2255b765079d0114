"""Fixtures of the chaos tests: a run on the real Redis (own stream prefix, keys deleted after),
a SQLite file or a Postgres database of its own, and a redis-server of its own to restart."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.chaos.harness import SUMMARIES, Chaos, Services, chaos_env
from tests.conftest import REQUIRE_SERVICES, TEST_DATABASE_URL, TEST_REDIS_URL, _need
from tests.e2e.processes import delete_prefix, free_port


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    """The per-scenario figures (fed, stored, lost, duplicated, dead-lettered, recovery)."""
    if SUMMARIES:
        terminalreporter.section("chaos figures")
        for line in SUMMARIES:
            terminalreporter.write_line(line)


ChaosFactory = Callable[..., Chaos]


@contextlib.contextmanager
def chaos_run(workdir: Path, redis_url: str, database_url: str, **extra: str) -> Iterator[Chaos]:
    """Services on `redis_url` under a fresh prefix; everything stopped and the keys deleted after."""
    prefix = f"test-chaos-{uuid.uuid4().hex[:8]}:"
    services = Services(env=chaos_env(workdir, redis_url, prefix, database_url, **extra), workdir=workdir)
    client = redis.Redis.from_url(redis_url)
    try:
        yield Chaos(services, client, database_url)
    finally:
        for key in list(services.processes):
            with contextlib.suppress(Exception):
                services.kill(key)
        with contextlib.suppress(redis.RedisError):
            delete_prefix(client, prefix)
        client.close()


@pytest.fixture
def sqlite_chaos(tmp_path) -> Iterator[ChaosFactory]:
    """`with sqlite_chaos(**env) as chaos`: a chaos run on the machine's Redis and a SQLite file."""
    url = _need(TEST_REDIS_URL, 6379, "Redis")

    def make(**extra: str) -> contextlib.AbstractContextManager[Chaos]:
        return chaos_run(tmp_path, url, f"sqlite+aiosqlite:///{tmp_path}/chaos.db", **extra)

    yield make


async def _admin(url: str, *statements: str) -> None:
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            for statement in statements:
                await conn.execute(text(statement))
    finally:
        await engine.dispose()


@pytest.fixture
def postgres_database() -> Iterator[str]:
    """A Postgres database of its own (`newsflow_chaos_<hex>`), dropped afterwards; its async URL."""
    admin = _need(TEST_DATABASE_URL, 5432, "Postgres")
    name = f"newsflow_chaos_{uuid.uuid4().hex[:10]}"
    asyncio.run(_admin(admin, f'CREATE DATABASE "{name}"'))
    try:
        yield admin.rsplit("/", 1)[0] + f"/{name}"
    finally:
        asyncio.run(_admin(admin, f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'",
                           f'DROP DATABASE IF EXISTS "{name}"'))


def terminate_backends(database_url: str) -> int:
    """Cut every connection to the database of `database_url`; returns how many were cut."""
    name = database_url.rsplit("/", 1)[1]

    async def cut() -> int:
        engine = create_async_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as conn:
                result = await conn.execute(text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = :name"
                ), {"name": name})
                return int(result.scalar_one())
        finally:
            await engine.dispose()

    return asyncio.run(cut())


class RedisServer:
    """A redis-server of the test's own, with AOF fsynced on every write, that can be killed and restarted."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        log = (self.directory / "redis.log").open("ab")
        self.process = subprocess.Popen(
            [shutil.which("redis-server") or "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--appendonly", "yes", "--appendfsync", "always", "--dir", str(self.directory), "--save", ""],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(redis.RedisError):
                if redis.Redis(port=self.port, socket_timeout=1).ping():
                    return
            if time.monotonic() > deadline:
                raise AssertionError(f"redis-server on {self.port} did not start")
            time.sleep(0.05)

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)
            self.process = None


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisServer]:
    """A redis-server on a free port with AOF (skips, or fails in CI, when redis-server is missing)."""
    if shutil.which("redis-server") is None:
        message = "redis-server is not on PATH"
        if REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)
    directory = tmp_path / "redis"
    directory.mkdir()
    server = RedisServer(directory)
    server.start()
    try:
        yield server
    finally:
        server.kill()
