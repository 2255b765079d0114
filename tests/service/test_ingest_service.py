"""The ingest service alone: articles.raw in, articles.normalized out, poison parked."""

import json

import httpx
import pytest

from services.common.contracts import NormalizedArticle, RawArticle
from services.common.settings import IngestSettings
from services.ingest.app import IngestService
from tests.conftest import SEEDS

SEED = sorted(SEEDS.glob("*.txt"))[2]

pytestmark = pytest.mark.integration


async def test_ingest_service_normalizes_a_raw_article(run_service):
    """A RawArticle on articles.raw becomes one NormalizedArticle, and the entry is acknowledged."""
    async with run_service(IngestService, IngestSettings) as running:
        raw = RawArticle(text=SEED.read_text(), external_id=SEED.stem)
        await running.add("articles.raw", {"__data__": raw.model_dump_json()})
        [document] = await running.wait_for(running.stream("articles.normalized"), 1)
        article = NormalizedArticle.model_validate(document)
        assert article.external_id == SEED.stem and article.trace_id == raw.trace_id
        assert "PARTAGEZ!" not in article.text and article.source_name == "Apanews"
        assert await running.pending() == 0


async def test_ingest_service_accepts_plain_producer_fields(run_service):
    """An entry written by a plain client (a `data` JSON field, or plain fields) is normalized."""
    async with run_service(IngestService, IngestSettings) as running:
        await running.add("articles.raw", {"data": json.dumps({"text": "Un article de test.", "external_id": "a"})})
        await running.add("articles.raw", {"text": "Un autre article.", "external_id": "b"})
        documents = await running.wait_for(running.stream("articles.normalized"), 2)
        assert [d["external_id"] for d in documents] == ["a", "b"]


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"__data__": b"{not json"}, "JSON"),
        ({"__data__": json.dumps({"url": "https://x"})}, "text or html"),
        ({"__data__": json.dumps({"text": "   "})}, "whitespace"),
        ({"__data__": json.dumps({"text": "x" * 2000})}, "limit"),
        ({"__data__": json.dumps({"html": "<html><nav><a href='/'>Accueil</a></nav></html>"})}, ""),
    ],
)
async def test_ingest_service_parks_bad_input_and_moves_on(run_service, fields, reason):
    """Bad input lands on articles.raw.dlq with a reason; the next article still goes through."""
    async with run_service(IngestService, IngestSettings, max_text_bytes=1000) as running:
        await running.add("articles.raw", fields)
        await running.add("articles.raw", {"__data__": RawArticle(text="Un article valide.").model_dump_json()})
        [letter] = await running.wait_for(running.stream("articles.raw") + ".dlq", 1)
        assert letter["service"] == "ingest" and reason in letter["error"]
        assert len(await running.wait_for(running.stream("articles.normalized"), 1)) == 1
        assert await running.pending() == 0


async def test_ingest_http_accepts_one_or_many_and_enqueues(run_service):
    """POST /articles answers 202 with article ids and puts the articles on articles.raw."""
    async with run_service(IngestService, IngestSettings) as running:
        transport = httpx.ASGITransport(app=running.service.api())
        async with httpx.AsyncClient(transport=transport, base_url="http://ingest") as client:
            one = await client.post("/articles", json={"text": "Premier article.", "external_id": "h1"})
            many = await client.post("/articles", json=[{"text": "Deuxième."}, {"text": "Troisième."}])
        assert one.status_code == 202 and many.status_code == 202
        assert len(many.json()["articles"]) == 2
        ids = [one.json()["articles"][0]["article_id"]] + [a["article_id"] for a in many.json()["articles"]]
        normalized = await running.wait_for(running.stream("articles.normalized"), 3)
        assert [d["article_id"] for d in normalized] == ids


async def test_ingest_http_rejects_bad_requests(run_service):
    """401 without the token, 413 over the body limit, 422 naming the field."""
    async with run_service(IngestService, IngestSettings, api_token="s3cret", max_body_bytes=200) as running:
        transport = httpx.ASGITransport(app=running.service.api())
        auth = {"Authorization": "Bearer s3cret"}
        async with httpx.AsyncClient(transport=transport, base_url="http://ingest") as client:
            unauthorized = await client.post("/articles", json={"text": "x"})
            wrong = await client.post("/articles", json={"text": "x"}, headers={"Authorization": "Bearer nope"})
            too_large = await client.post("/articles", json={"text": "x" * 500}, headers=auth)
            invalid = await client.post("/articles", json={"text": "x", "published_at": "demain"}, headers=auth)
            ok = await client.post("/articles", json={"text": "Un article."}, headers=auth)
            health = await client.get("/healthz")
        assert (unauthorized.status_code, wrong.status_code, too_large.status_code) == (401, 401, 413)
        assert invalid.status_code == 422 and "published_at" in invalid.text
        assert ok.status_code == 202 and health.json() == {"status": "ok"}
