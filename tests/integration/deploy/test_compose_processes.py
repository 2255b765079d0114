"""The compose deployment without Docker: each compose service's own command, run as a local process.

The commands, environment and healthchecks are read from deploy/docker-compose.yml and
deploy/.env.example (not copied here); only what points at docker hostnames (redis, postgres)
is replaced by this machine's Redis and a fresh Postgres database, dropped at the end.
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlparse

import asyncpg
import pytest
import redis
from sqlalchemy.engine import make_url

from tests.conftest import SEEDS, TEST_DATABASE_URL, TEST_REDIS_URL, _need
from tests.e2e.processes import BIN, Pipeline, delete_prefix, wait_for_entries
from tests.unit.deploy.compose_file import (
    app_services,
    as_argv,
    interpolate,
    is_one_shot,
    load_compose,
    read_env_example,
    service_argv,
    service_environment,
)

pytestmark = [pytest.mark.integration, pytest.mark.e2e, pytest.mark.model]

COMPOSE = load_compose()
# Settings whose compose values name docker hostnames; everything else is used as compose sets it.
DOCKER_ADDRESSES = {"NEWSFLOW_REDIS_URL": "redis", "NEWSFLOW_DATABASE_URL": "postgres"}


def local_argv(argv: list[str]) -> list[str]:
    """The container's argv with its program taken from this virtualenv (newsflow, faststream)."""
    program = BIN / argv[0]
    assert program.exists(), f"{argv[0]} is not installed in {BIN}"
    return [str(program), *argv[1:]]


def compose_environment(name: str) -> dict[str, str]:
    """What a container of `name` gets: env_file (.env made from .env.example), then `environment`."""
    values, _ = read_env_example()
    interpolation = {**values, "POSTGRES_PASSWORD": values.get("POSTGRES_PASSWORD") or "unused-here"}
    env = {k: v for k, v in values.items() if k.startswith("NEWSFLOW_")}
    env.update({k: interpolate(v, interpolation) for k, v in service_environment(COMPOSE["services"][name]).items()})
    return env


def _admin_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _execute(url: str, *statements: str) -> list:
    connection = await asyncpg.connect(_admin_dsn(url))
    try:
        results = []
        for statement in statements:
            results.append(await connection.fetch(statement))
        return results
    finally:
        await connection.close()


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    """Migrate, then ingest, extract and store, as compose would start them; torn down afterwards."""
    redis_url = _need(TEST_REDIS_URL, 6379, "Redis")
    admin_url = _need(TEST_DATABASE_URL, 5432, "Postgres")
    database = f"newsflow_test_{uuid.uuid4().hex[:12]}"
    database_url = make_url(admin_url).set(database=database).render_as_string(hide_password=False)
    asyncio.run(_execute(admin_url, f'CREATE DATABASE "{database}"'))
    workdir = tmp_path_factory.mktemp("compose")
    prefix = f"test-compose-{uuid.uuid4().hex[:8]}:"
    local = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(workdir),
        "NEWSFLOW_REDIS_URL": redis_url,
        "NEWSFLOW_DATABASE_URL": database_url,
        "NEWSFLOW_STREAM_PREFIX": prefix,
        "NEWSFLOW_DATA_DIR": str(workdir / "data"),
        "NEWSFLOW_LOG_FORMAT": "json",
    }
    running = Pipeline(env=dict(local), workdir=workdir)
    client = redis.Redis.from_url(redis_url)
    try:
        yield running, client, database_url, local
    finally:
        running.stop_all()
        delete_prefix(client, prefix)
        client.close()
        asyncio.run(_execute(admin_url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))


def _diagnosis(running: Pipeline, client: redis.Redis) -> str:
    """Stream lengths, groups and each service's last log lines, for a failure message."""
    lines = []
    for key in sorted(client.scan_iter(match=f"{running.prefix}*")):
        groups = client.xinfo_groups(key) if client.type(key) == b"stream" else []
        lines.append(f"{key.decode()}: {client.xlen(key)} entries, groups {groups}")
    for name in running.processes:
        lines.append(f"--- {name} ---\n{running.log(name)[-2500:]}")
    return "\n".join(lines)


def test_compose_environment_only_needs_docker_addresses_replaced():
    """The compose values replaced here are exactly the ones naming docker hostnames."""
    for name in app_services(COMPOSE):
        env = compose_environment(name)
        for key, host in DOCKER_ADDRESSES.items():
            assert urlparse(env[key]).hostname == host, (name, key)


def test_compose_services_run_locally_and_store_the_seeds(deployment):
    """migrate, then ingest/extract/store with their compose commands: ready, healthy, seeds stored in Postgres."""
    running, client, database_url, local = deployment
    services = COMPOSE["services"]
    migrate = subprocess.run(local_argv(service_argv(services["migrate"])),
                             env={**compose_environment("migrate"), **local}, cwd=running.workdir,
                             capture_output=True, timeout=180)
    assert migrate.returncode == 0, migrate.stderr.decode()[-3000:]
    (tables,) = asyncio.run(_execute(database_url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
    assert {"alembic_version", "articles", "events"} <= {row["tablename"] for row in tables}

    long_running = [n for n, s in app_services(COMPOSE).items() if not is_one_shot(s)]
    assert sorted(long_running) == ["extract", "ingest", "store"]
    for name in long_running:
        running.env = {**compose_environment(name), **local}
        running.start(name, local_argv(service_argv(services[name])))
    running.env = dict(local)
    running.wait_ready(timeout=240)

    for name in long_running:
        compose_port = int(compose_environment(name)["NEWSFLOW_HTTP_PORT"])
        argv = as_argv(services[name]["healthcheck"]["test"])[1:]  # drop "CMD"
        assert argv[0] == "python"
        argv = [sys.executable, *(re.sub(rf":{compose_port}\b", f":{running.ports[name]}", a) for a in argv[1:])]
        check = subprocess.run(argv, capture_output=True, timeout=30)
        assert check.returncode == 0, (name, check.stderr.decode()[-2000:])

    fed = running.cli("feed", str(SEEDS))
    assert fed.returncode == 0, fed.stderr.decode()
    try:
        records = wait_for_entries(client, running.prefix + "records.stored", len(list(Path(SEEDS).glob("*.txt"))),
                                   timeout=240)
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n{_diagnosis(running, client)}") from None
    assert len(records) == 5 and {r["status"] for r in records} == {"stored"}
    (count,) = asyncio.run(_execute(database_url, "SELECT count(*) AS n FROM articles"))
    assert count[0]["n"] == 5
