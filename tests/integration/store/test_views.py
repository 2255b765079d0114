"""The analysts' views, on SQLite and Postgres: the README's example queries give the right rows."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from tests.conftest import ROOT
from tests.integration.store.seed_articles import seed_000, seed_articles

pytestmark = pytest.mark.integration


def readme_queries() -> list[str]:
    """The ```sql blocks of the README's "Querying in SQL" section, in order."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Querying in SQL", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, flags=re.S)


@pytest.fixture
async def seeded(store, repository):
    await repository.store_many(seed_articles())
    return store


async def _rows(store, sql: str, **params) -> list[dict]:
    async with store.engine.connect() as conn:
        return [dict(row) for row in (await conn.execute(text(sql), params)).mappings()]


async def test_readme_query_articles_reporting_an_event(seeded):
    """'Which articles report this event' lists the article with its url, outlet and sentence."""
    which, _ = readme_queries()
    record = (await _rows(seeded, "SELECT event_id FROM event_articles WHERE article_id = :a ORDER BY event_id",
                          a=seed_000().article_id))[0]
    rows = await _rows(seeded, which.replace("ev_45408d64135a1a838b557237", record["event_id"]))
    assert rows and all(row["url"] and row["sentence"] for row in rows)
    assert "https://example.org/000_a40abfe1d573a9db" in {row["url"] for row in rows}


async def test_readme_query_events_of_goita_in_2024(seeded):
    """'Every event involving Assimi Goïta in 2024' names him among the actors of each row."""
    _, goita = readme_queries()
    rows = await _rows(seeded, goita)
    assert rows
    assert all("Assimi Goïta" in f"{row['source_actors']} {row['target_actors']}" for row in rows)
    assert all(str(row["date"]).startswith("2024") for row in rows if row["date"])


async def test_event_timeline_counts_sources_and_splits_roles(seeded):
    """The timeline has one row per event, its source and target actors apart, and its sources."""
    events = await _rows(seeded, "SELECT count(*) AS n FROM events")
    timeline = await _rows(seeded, "SELECT * FROM event_timeline ORDER BY date, event_id")
    assert len(timeline) == events[0]["n"]
    call = next(row for row in timeline if row["target_actors"] == "Recep Tayyip Erdogan")
    assert (call["source_actors"], call["type"], call["sources"]) == ("Assimi Goïta", "CONSULT", 1)
    assert max(row["sources"] for row in timeline) == 2


async def test_views_and_columns_are_documented_on_postgres(seeded):
    """On Postgres each view and the main columns carry a comment."""
    if seeded.backend != "postgresql":
        pytest.skip("SQLite keeps no comments")
    rows = await _rows(seeded, "SELECT obj_description(to_regclass('event_timeline'), 'pg_class') AS c")
    assert rows[0]["c"].startswith("One row per event")
    rows = await _rows(seeded, "SELECT col_description(to_regclass('event_actors'), 2) AS c")
    assert rows[0]["c"] == "an actor of the event (entities.key)"
