"""The store connects with the URLs people type: postgres://, postgresql://, sqlite:///relative."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from services.common.settings import NewsflowSettings
from services.store.db import make_engine, upgrade

pytestmark = pytest.mark.integration


async def _answers(url: str) -> int:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.scalar(text("SELECT 1"))
    finally:
        await engine.dispose()


@pytest.mark.parametrize("scheme", ["postgresql://", "postgres://", "postgresql+psycopg2://"])
async def test_store_connects_with_plain_postgres_urls(postgres_url, scheme):
    """A Postgres URL without the async driver name connects (no psycopg2 needed)."""
    plain = scheme + postgres_url.split("://", 1)[1]
    assert await _answers(plain) == 1


async def test_store_migrates_a_relative_sqlite_url(tmp_path, monkeypatch):
    """NEWSFLOW_DATABASE_URL=sqlite:///data/n.db (relative) is migrated and used as one file."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSFLOW_DATABASE_URL", "sqlite:///data/n.db")
    url = NewsflowSettings().resolved_database_url()
    await upgrade(url)
    assert (tmp_path / "data" / "n.db").is_file()
    assert await _answers("data/n.db") == 1
