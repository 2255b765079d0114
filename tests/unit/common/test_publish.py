"""Publishing to a stream: one entry per model, in the JSON wire format, in order."""

import json

import fakeredis
import pytest

from services.common.broker import publish
from services.common.contracts import RawArticle


@pytest.fixture
async def redis():
    client = fakeredis.FakeAsyncRedis()
    yield client
    await client.aclose()


async def test_publish_adds_one_json_entry_per_article_in_order(redis):
    """Each article is one `__data__` JSON entry a plain Redis client can read; ids come back in order."""
    articles = [RawArticle(text="Premier article.", external_id="a"), RawArticle(text="Second.", external_id="b")]
    ids = await publish(redis, "articles.raw", articles)
    entries = await redis.xrange("articles.raw")
    assert ids == [entry_id.decode() for entry_id, _ in entries]
    assert [json.loads(fields[b"__data__"])["external_id"] for _, fields in entries] == ["a", "b"]


async def test_publish_nothing_adds_nothing(redis):
    """An empty batch makes no entry."""
    assert await publish(redis, "articles.raw", []) == []
    assert await redis.exists("articles.raw") == 0
