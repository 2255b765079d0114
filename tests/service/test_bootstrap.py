"""bootstrap on the machine's Redis: the Redis client, engine and model handed in are the ones the
services use, they are not made again, and they are left open at shutdown (they are the caller's)."""

from __future__ import annotations

from typing import Any

import pytest
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

import services.extract.app as extract_app
from services.bootstrap import bootstrap
from services.common.settings import NewsflowSettings
from services.store.db import make_engine

pytestmark = pytest.mark.integration


def _spy(monkeypatch: pytest.MonkeyPatch, cls: type, method: str) -> list[Any]:
    """Record the objects whose `cls.method` is awaited (and still run it)."""
    called: list[Any] = []
    original = getattr(cls, method)

    async def spy(self: Any, *args: Any, **kwargs: Any) -> Any:
        called.append(self)
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(cls, method, spy)
    return called


async def test_bootstrap_uses_and_leaves_open_the_redis_engine_and_model_given(
        redis_url, stream_prefix, tmp_path, monkeypatch):
    def no_model(name: str) -> None:
        raise AssertionError("extract loaded a model although it was given one")

    monkeypatch.setattr(extract_app, "build_nlp", no_model)
    settings = NewsflowSettings(redis_url=redis_url, stream_prefix=stream_prefix, http_enabled=False,
                                polling_interval_ms=10, database_url=f"sqlite:///{tmp_path}/b.db")
    redis = Redis.from_url(redis_url)
    engine = make_engine(settings.resolved_database_url())
    disposed = _spy(monkeypatch, AsyncEngine, "dispose")
    closed = _spy(monkeypatch, Redis, "aclose")
    nlp = object()
    app = bootstrap(settings, services=["extract", "store"], redis=redis, engine=engine, nlp=nlp)  # type: ignore[arg-type]
    extract, store = app.services
    try:
        async with app:
            assert extract.redis is redis and store.redis is redis
            assert extract.nlp is nlp  # type: ignore[attr-defined]
            assert store.engine is engine  # type: ignore[attr-defined]
        assert engine not in disposed and redis not in closed  # left open: the caller's
        assert await redis.ping()
    finally:
        keys = [key async for key in redis.scan_iter(match=f"{stream_prefix}*")]
        if keys:
            await redis.delete(*keys)
        await redis.aclose()
        monkeypatch.undo()
        await engine.dispose()


async def test_bootstrap_closes_what_it_made(redis_url, stream_prefix, tmp_path, monkeypatch):
    """Without a client or engine given, the app makes its own and closes them at shutdown."""
    settings = NewsflowSettings(redis_url=redis_url, stream_prefix=stream_prefix, http_enabled=False,
                                data_dir=tmp_path, polling_interval_ms=10)
    disposed = _spy(monkeypatch, AsyncEngine, "dispose")
    closed = _spy(monkeypatch, Redis, "aclose")
    app = bootstrap(settings, services="store")
    [store] = app.services
    async with app:
        client, engine = store.redis, store.engine  # type: ignore[attr-defined]
        assert await client.ping()
    assert client in closed and engine in disposed
    cleanup = Redis.from_url(redis_url)
    keys = [key async for key in cleanup.scan_iter(match=f"{stream_prefix}*")]
    if keys:
        await cleanup.delete(*keys)
    await cleanup.aclose()
