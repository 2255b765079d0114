"""POST /articles against hostile requests, in process (no Redis: the enqueue is a list or fails)."""

from __future__ import annotations

import asyncio
import json
import math
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import SecretStr
from redis.exceptions import ConnectionError as RedisConnectionError

from services.common.contracts import RawArticle
from services.common.settings import IngestSettings
from services.ingest.intake_api import add_intake, excerpt
from services.ingest.intake_guard import token_matches

ARTICLE = "Le ministre malien des Affaires étrangères a reçu son homologue à Bamako mardi."
TOKEN = {"Authorization": "Bearer s3cret"}


class Queue:
    """What the intake enqueued; `down` makes it fail the way redis-py does when Redis is gone."""

    def __init__(self) -> None:
        self.articles: list[RawArticle] = []
        self.down = False

    async def __call__(self, articles: list[RawArticle]) -> list[str]:
        if self.down:
            raise RedisConnectionError("Error 111 connecting to 10.0.0.7:6379. Connection refused.")
        self.articles += articles
        return [f"{len(self.articles)}-{i}" for i in range(len(articles))]


def intake(queue: Queue, **overrides) -> httpx.AsyncClient:
    config = IngestSettings(**{"api_token": "s3cret", "max_body_bytes": 2000, "body_timeout_s": 0.5, **overrides})
    api = add_intake(FastAPI(), config, queue)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=api), base_url="http://ingest")


async def chunks(total: int, sent: list[int], size: int = 500) -> AsyncIterator[bytes]:
    """A chunked body of `total` bytes (no Content-Length); `sent` counts what was pulled from it."""
    while sent[0] < total:
        sent[0] += size
        yield b"x" * size


async def test_intake_checks_the_token_before_reading_the_body():
    """Without the token, a chunked body is refused with 401 before any of it is read."""
    sent = [0]
    async with intake(Queue()) as client:
        answer = await client.post("/articles", content=chunks(10_000_000, sent))
    assert answer.status_code == 401 and sent[0] == 0


async def test_intake_counts_a_chunked_body_and_stops_at_the_limit():
    """A body without Content-Length is counted as it arrives: 413 right past the limit, the rest unread."""
    sent = [0]
    async with intake(Queue()) as client:
        answer = await client.post("/articles", content=chunks(10_000_000, sent), headers=TOKEN)
    assert answer.status_code == 413 and "2000-byte limit" in answer.json()["detail"]
    assert sent[0] <= 2500


async def test_intake_refuses_a_declared_length_over_the_limit_unread():
    """A Content-Length over the limit is a 413 at once."""
    async with intake(Queue()) as client:
        answer = await client.post("/articles", content=b"x" * 5000, headers=TOKEN)
    assert answer.status_code == 413


async def test_intake_times_out_a_body_that_never_finishes():
    """A body that stops arriving (slow-loris) gets a 408 after body_timeout_s, not an open connection."""

    async def stalled() -> AsyncIterator[bytes]:
        yield b'{"text": "Le min'
        await asyncio.sleep(3600)

    async with intake(Queue()) as client:
        answer = await asyncio.wait_for(client.post("/articles", content=stalled(), headers=TOKEN), 10)
    assert answer.status_code == 408


@pytest.mark.parametrize(
    "body",
    [b'{"text": "\\ud800 Le ministre a parl\\u00e9."}', b'{"text": NaN}', b'{"text": Infinity}',
     b'[{"text": "ok"}, -Infinity]', b'{"text": "a", "title": "\\udfff"}', b'{"html": "\\ud83d"}'],
)
async def test_intake_answers_422_never_500_to_surrogates_nan_and_infinity(body):
    """Lone surrogates, NaN and Infinity are a 422 with a JSON body, never a 500."""
    async with intake(Queue()) as client:
        answer = await client.post("/articles", content=body, headers={**TOKEN, "content-type": "application/json"})
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"]


ODD = st.one_of(st.floats(), st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF) | st.
                                     characters(), max_size=20), st.integers(), st.none(), st.booleans())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(["text", "html", "title", "url", "published_at", "external_id", "lang"]),
                       ODD, max_size=4))
def test_intake_never_answers_500_to_any_odd_json_document(document):
    """Any document with floats (NaN, Infinity), surrogates or wrong types gets 202 or 422, never 500."""
    body = json.dumps(document).encode("utf-8", "surrogatepass")

    async def post() -> httpx.Response:
        async with intake(Queue(), max_body_bytes=100_000) as client:
            return await client.post("/articles", content=body, headers={**TOKEN, "content-type": "application/json"})

    answer = asyncio.run(post())
    assert answer.status_code in (202, 422), answer.text


async def test_intake_answers_503_with_retry_after_while_redis_is_down():
    """A POST while Redis is unreachable is a 503 with Retry-After, and does not name Redis's address."""
    queue = Queue()
    queue.down = True
    async with intake(queue) as client:
        answer = await client.post("/articles", json={"text": ARTICLE}, headers=TOKEN)
    assert answer.status_code == 503 and answer.headers["retry-after"] == "5"
    assert "10.0.0.7" not in answer.text


async def test_intake_422_quotes_only_an_excerpt_of_a_huge_input():
    """A 9 MB invalid body gets a 422 of a few hundred bytes, not its input echoed."""
    huge = json.dumps({"text": 42, "title": "t" * 9_000_000}).encode()
    async with intake(Queue(), max_body_bytes=10_000_000) as client:
        answer = await client.post("/articles", content=huge, headers={**TOKEN, "content-type": "application/json"})
    assert answer.status_code == 422 and len(answer.content) < 2000


async def test_intake_422_lists_at_most_twenty_errors():
    """A list of a thousand bad articles gets a short 422, not a thousand errors."""
    async with intake(Queue(), max_body_bytes=10_000_000) as client:
        answer = await client.post("/articles", json=[{"text": 1}] * 1000, headers=TOKEN)
    assert answer.status_code == 422 and len(answer.json()["detail"]) == 20


@pytest.mark.parametrize("day", ["2024-13-45", "2024-02-30", "0000-01-01"])
async def test_intake_refuses_a_published_at_that_is_no_real_date(day):
    """An impossible publication date is a 422 naming published_at, not a 202 and a date dropped."""
    async with intake(Queue()) as client:
        answer = await client.post("/articles", json={"text": ARTICLE, "published_at": day}, headers=TOKEN)
    assert answer.status_code == 422 and answer.json()["detail"][0]["loc"] == ["body", "published_at"]


async def test_intake_accepts_a_valid_article_with_the_token():
    """The guard lets a good request through with its body intact."""
    queue = Queue()
    async with intake(queue) as client:
        answer = await client.post("/articles", json={"text": ARTICLE, "external_id": "e1"}, headers=TOKEN)
    assert answer.status_code == 202 and [a.external_id for a in queue.articles] == ["e1"]


def test_excerpt_is_short_and_json_safe():
    """Excerpts of huge strings, NaN and surrogates are short and serialise as JSON."""
    for value in ("x" * 1_000_000, math.nan, math.inf, "\ud800", {"a": list(range(1000))}):
        text = excerpt(value)
        assert len(text) <= 100
        json.dumps(text, allow_nan=False).encode("utf-8")


def test_token_matches_only_the_exact_bearer_token():
    """No header, another scheme or another token does not match; no token configured lets all in."""
    token = SecretStr("s3cret")
    assert token_matches("Bearer s3cret", token) and token_matches(None, None)
    assert not any(token_matches(h, token) for h in (None, "", "s3cret", "Basic s3cret", "Bearer s3cre"))
