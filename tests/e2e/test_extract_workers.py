"""`newsflow run extract --workers 2` on the real Redis: one model, two consumers, a dead worker replaced."""

from __future__ import annotations

import time
import uuid

import psutil
import pytest
import redis

from services.common.broker import entry_fields
from services.common.contracts import NormalizedArticle, RawArticle, new_trace_id
from services.ingest.normalize import normalize_article
from tests.conftest import SEEDS, TEST_REDIS_URL, _need
from tests.e2e.processes import BIN, Pipeline, delete_prefix, wait_for_entries

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.model]


@pytest.fixture(scope="module")
def workers(tmp_path_factory):
    url = _need(TEST_REDIS_URL, 6379, "Redis")
    workdir = tmp_path_factory.mktemp("workers")
    prefix = f"test-workers-{uuid.uuid4().hex[:8]}:"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(workdir), "NEWSFLOW_REDIS_URL": url, "NEWSFLOW_STREAM_PREFIX": prefix,
           "NEWSFLOW_LOG_FORMAT": "json", "NEWSFLOW_BATCH_SIZE": "1"}
    running = Pipeline(env=env, workdir=workdir)
    client = redis.Redis.from_url(url)
    try:
        running.start("extract", [str(BIN / "newsflow"), "run", "extract", "--workers", "2"])
        running.wait_ready()
        yield running, client
    finally:
        running.stop_all()
        delete_prefix(client, prefix)
        client.close()


def articles(count: int) -> list[NormalizedArticle]:
    seeds = [normalize_article(RawArticle(text=p.read_text(encoding="utf-8"), external_id=p.stem))
             for p in sorted(SEEDS.glob("*.txt"))]
    return [seeds[i % len(seeds)].model_copy(update={"trace_id": new_trace_id()}) for i in range(count)]


def feed(client: redis.Redis, prefix: str, batch: list[NormalizedArticle]) -> None:
    for article in batch:
        client.xadd(prefix + "articles.normalized", entry_fields(article))  # type: ignore[arg-type]


def worker_pids(running: Pipeline) -> list[int]:
    return sorted(child.pid for child in psutil.Process(running.processes["extract"].pid).children())


def test_workers_are_distinct_consumers_of_one_group(workers):
    """Both workers read the extract group, each under its own consumer name; every article comes out."""
    running, client = workers
    feed(client, running.prefix, articles(20))
    wait_for_entries(client, running.prefix + "articles.extracted", 20)
    consumers = {c["name"].decode() for c in client.xinfo_consumers(running.prefix + "articles.normalized", "extract")}
    readers = {name for name in consumers if not name.endswith("-claimer")}
    assert len(readers) == 2
    assert {name[-3:] for name in readers} == {"-w0", "-w1"}
    assert len(worker_pids(running)) == 2


def test_workers_killed_worker_is_replaced(workers):
    """A worker killed with SIGKILL is forked again by its parent, and the service keeps extracting."""
    running, client = workers
    before = worker_pids(running)
    psutil.Process(before[0]).kill()
    deadline = time.monotonic() + 120
    while not (len(worker_pids(running)) == 2 and worker_pids(running) != before):
        assert time.monotonic() < deadline, "no replacement worker"
        time.sleep(0.2)
    assert before[1] in worker_pids(running)
    done = client.xlen(running.prefix + "articles.extracted")
    feed(client, running.prefix, articles(6))
    wait_for_entries(client, running.prefix + "articles.extracted", done + 6)
