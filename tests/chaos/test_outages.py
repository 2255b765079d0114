"""Chaos: the dependencies go away mid-run (Redis killed and restarted, Postgres connections cut
for 10 s); the services stay up, report the outage on /readyz, resume, and lose nothing."""

from __future__ import annotations

import contextlib
import threading
import time

import pytest
import redis

from services.common.contracts import STORED
from tests.chaos.conftest import chaos_run, terminate_backends
from tests.chaos.corpus import articles
from tests.chaos.harness import SERVICES, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.e2e, pytest.mark.slow, pytest.mark.model]

ARTICLES = 400
POSTGRES_CUT_S = 10.0


class ReadinessWatch:
    """Polls /readyz of every service in a thread; keeps the status codes seen."""

    def __init__(self, services) -> None:  # type: ignore[no-untyped-def]
        self.services = services
        self.seen: dict[str, set[int]] = {key: set() for key in services.processes}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for key in self.seen:
                self.seen[key].add(self.services.ready(key))
            time.sleep(0.1)

    def __enter__(self) -> ReadinessWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(10)


def _stored(client: redis.Redis, stream: str) -> int:
    """records.stored's length, 0 while Redis does not answer."""
    with contextlib.suppress(redis.RedisError):
        return int(client.xlen(stream))
    return 0


def test_outages_redis_restart_and_postgres_cut_lose_nothing(tmp_path, redis_server, postgres_database):
    """400 articles on Postgres and a redis-server of the test's own (AOF): Redis killed -9 and
    restarted, then every Postgres connection cut repeatedly for 10 s; all processes survive, /readyz
    says 503 during the outages, the pipeline resumes, every article stored once, nothing parked."""
    corpus = articles(ARTICLES, seed=7)
    with chaos_run(tmp_path, redis_server.url, postgres_database) as chaos:
        chaos.start()
        stored_stream = chaos.stream(STORED)
        chaos.feed(corpus)
        wait_until(lambda: chaos.length(STORED) >= 80, 180, "80 articles stored")

        with ReadinessWatch(chaos.services) as redis_watch:
            redis_server.kill()
            time.sleep(5)
            redis_server.start()
            back = time.monotonic()
            before = _stored(chaos.client, stored_stream)
            wait_until(lambda: _stored(chaos.client, stored_stream) > before, 120, "records.stored growing after Redis")
            redis_recovery = time.monotonic() - back

        wait_until(lambda: chaos.length(STORED) >= 200, 180, "200 articles stored")
        with ReadinessWatch(chaos.services) as postgres_watch:
            cut, started = 0, time.monotonic()
            while time.monotonic() - started < POSTGRES_CUT_S:
                cut += terminate_backends(postgres_database)
                time.sleep(0.05)
            back = time.monotonic()
            postgres_recovery = chaos.wait_progress(120)

        chaos.wait_done(timeout=240)
        outcome = chaos.audit(
            "Redis kill -9 + restart, Postgres cut 10 s", max(redis_recovery, postgres_recovery),
            redis_recover_s=round(redis_recovery, 1), postgres_recover_s=round(postgres_recovery, 1),
            backends_cut=cut, readyz_during_redis={k: sorted(v) for k, v in redis_watch.seen.items()},
            readyz_during_postgres={k: sorted(v) for k, v in postgres_watch.seen.items()},
        )
        alive = chaos.services.alive()
    assert alive == dict.fromkeys(SERVICES), f"a service died during the outages: {alive}"
    assert all(503 in redis_watch.seen[key] for key in SERVICES), redis_watch.seen
    assert cut > 0, "no Postgres backend was cut: the outage did not happen"
    assert (outcome.stored, outcome.lost, outcome.duplicated, outcome.dead_lettered) == (ARTICLES, 0, 0, 0), \
        outcome.notes
