"""End to end: ingest, extract and store as separate processes on the real Redis and SQLite."""

from __future__ import annotations

import json
import unicodedata
import uuid

import httpx
import pytest
import redis

from services.common.contracts import SCHEMA_VERSION
from tests.conftest import GOLD, SEEDS, TEST_REDIS_URL, _need
from tests.e2e.processes import Pipeline, delete_prefix, stream_records, wait_for_entries

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.model]


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    url = _need(TEST_REDIS_URL, 6379, "Redis")
    workdir = tmp_path_factory.mktemp("e2e")
    prefix = f"test-e2e-{uuid.uuid4().hex[:8]}:"
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(workdir),
        "NEWSFLOW_REDIS_URL": url,
        "NEWSFLOW_STREAM_PREFIX": prefix,
        "NEWSFLOW_DATABASE_URL": f"sqlite+aiosqlite:///{workdir}/e2e.db",
        "NEWSFLOW_LOG_FORMAT": "json",
        "NEWSFLOW_CLAIM_IDLE_MS": "5000",
    }
    running = Pipeline(env=env, workdir=workdir)
    client = redis.Redis.from_url(url)
    try:
        for name in ("ingest", "extract", "store"):
            running.start(name)
        running.wait_ready()
        yield running, client
    finally:
        running.stop_all()
        delete_prefix(client, prefix)
        client.close()


def test_pipeline_stores_the_seeds_with_their_key_entities(pipeline):
    """`newsflow feed seeds/` through three processes stores five articles with the gold's key entities."""
    running, client = pipeline
    result = running.cli("feed", str(SEEDS))
    assert result.returncode == 0, result.stderr.decode()
    assert "fed 5" in result.stderr.decode()
    records = wait_for_entries(client, running.prefix + "records.stored", 5)
    assert {r["status"] for r in records} == {"stored"}
    articles = running.export("articles")
    assert sorted(a["external_id"] for a in articles) == sorted(p.stem for p in SEEDS.glob("*.txt"))
    names = {_fold(e["name"]) for e in running.export("entities")}
    gold = json.loads(GOLD.read_text())
    for article in gold["articles"].values():
        for entity in article["entities_must"]:
            if entity["type"] == "PER":
                assert _fold(entity["name"]) in names, entity["name"]


def test_pipeline_feeding_the_seeds_again_adds_nothing(pipeline):
    """A second feed of the same files is recognised: same article count, records say unchanged."""
    running, client = pipeline
    before = (len(running.export("articles")), len(running.export("entities")), len(running.export("events")))
    stored = client.xlen(running.prefix + "records.stored")
    assert running.cli("feed", str(SEEDS)).returncode == 0
    records = wait_for_entries(client, running.prefix + "records.stored", stored + 5)[stored:]
    assert {r["status"] for r in records} == {"unchanged"}
    after = (len(running.export("articles")), len(running.export("entities")), len(running.export("events")))
    assert after == before


def test_pipeline_accepts_plain_redis_xadd_in_the_documented_forms(pipeline):
    """Entries XADDed by plain redis-py (a `data` JSON field, or plain fields) are stored."""
    running, client = pipeline
    stored = client.xlen(running.prefix + "records.stored")
    raw = running.prefix + "articles.raw"
    client.xadd(raw, {"data": json.dumps({
        "text": "Le ministre malien Abdoulaye Diop a rencontré lundi à Dakar son homologue sénégalais.",
        "external_id": "plain-data"})})
    client.xadd(raw, {"text": "Le président nigérien Abdourahamane Tiani a reçu jeudi à Niamey une délégation.",
                      "external_id": "plain-fields"})
    records = wait_for_entries(client, running.prefix + "records.stored", stored + 2)[stored:]
    assert {r["external_id"] for r in records} == {"plain-data", "plain-fields"}
    assert {r["status"] for r in records} == {"stored"}


def test_pipeline_accepts_articles_over_http(pipeline):
    """POST /articles on the ingest process answers 202 with the id of the article then stored."""
    running, client = pipeline
    stored = client.xlen(running.prefix + "records.stored")
    response = httpx.post(f"http://127.0.0.1:{running.ports['ingest']}/articles", json={
        "text": "La CEDEAO a levé mercredi les sanctions contre le Niger, a annoncé son président à Abuja.",
        "external_id": "http-1", "source": "RFI"}, timeout=10)
    assert response.status_code == 202, response.text
    article_id = response.json()["articles"][0]["article_id"]
    records = wait_for_entries(client, running.prefix + "records.stored", stored + 1)[stored:]
    assert records[0]["article_id"] == article_id


def test_pipeline_streams_carry_plain_json(pipeline):
    """Every stream newsflow writes is JSON a plain client can parse (no binary envelope)."""
    running, client = pipeline
    for base in ("articles.normalized", "articles.extracted", "records.stored"):
        documents = stream_records(client, running.prefix + base)
        assert documents and all(d["schema_version"] == SCHEMA_VERSION and d["trace_id"] for d in documents)
