"""Records for subscribers and provenance, on SQLite and Postgres: what records.stored says about an
article (its metadata, deliveries, versions, events in full, a duplicate's original events)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from services.store.schema import article_deliveries, article_versions, articles
from tests.integration.store.seed_articles import republished, seed_000, seed_001

pytestmark = pytest.mark.integration


async def _count(store, table, *where) -> int:
    async with store.engine.connect() as conn:
        return await conn.scalar(select(func.count()).select_from(table).where(*where))


async def test_record_carries_article_and_event_details(repository):
    """A stored record names the article (ids, title, outlet, date) and each event in full."""
    article = seed_000().model_copy(update={"title": "Goïta et Erdogan au téléphone"})
    record = await repository.store(article)
    assert (record.external_id, record.url, record.title, record.source_name, str(record.published_at)) == (
        "000_a40abfe1d573a9db", "https://example.org/000_a40abfe1d573a9db", "Goïta et Erdogan au téléphone",
        "Malikonews.com", "2024-08-01")
    call = record.events[0]
    assert (call.type, call.mode, str(call.date), call.date_precision, call.sources) == (
        "CONSULT", "phone", "2024-07-31", "day", 1)
    assert [(a.key, a.role) for a in call.actors] == [
        ("per:assimi-goita", "source"), ("per:recep-tayyip-erdogan", "target")]
    assert all(a.name for a in call.actors)


async def test_record_of_a_duplicate_carries_the_original_events(repository):
    """A near-duplicate's record names its original and that original's events, described."""
    original = await repository.store(seed_000())
    record = await repository.store(republished(seed_000()))
    assert record.status == "duplicate" and record.events == []
    assert record.duplicate_of == original.article_id
    assert [e.event_id for e in record.original_events] == [e.event_id for e in original.events]
    assert record.original_events[0].actors and record.original_events[0].mode == "phone"


async def test_same_text_under_other_ids_keeps_every_delivery(store, repository):
    """The same text fed again under another external_id, url and source is kept as a second delivery."""
    first = seed_000()
    await repository.store(first)
    again = first.model_copy(update={"external_id": "wire-77", "url": "https://other.example/x",
                                     "source_name": "Agence"})
    record = await repository.store(again)
    assert record.status == "unchanged"
    assert [(d.external_id, d.source) for d in record.deliveries] == [
        ("000_a40abfe1d573a9db", "Malikonews.com"), ("wire-77", "Agence")]
    assert (await repository.store(again)).deliveries == record.deliveries  # a redelivery adds nothing
    assert await _count(store, article_deliveries) == 2
    assert await _count(store, articles) == 1


async def test_new_text_under_a_known_external_id_is_a_new_version(store, repository):
    """Another text under an external_id already seen is stored as a version linked to the earlier one."""
    first = await repository.store(seed_000())
    edited = seed_001().model_copy(update={"external_id": "000_a40abfe1d573a9db"})
    record = await repository.store(edited)
    assert record.status == "stored" and record.version_of == first.article_id
    assert (await repository.store(edited)).version_of == first.article_id  # replayed: still says so
    assert await _count(store, article_versions) == 1
    assert (await repository.store(seed_000())).version_of is None  # the first text has no predecessor


async def test_versions_within_one_batch_follow_the_batch_order(repository):
    """Two texts under one external_id in one batch: the second is a version of the first."""
    first, second = seed_000(), seed_001().model_copy(update={"external_id": "000_a40abfe1d573a9db"})
    records = await repository.store_many([first, second])
    assert [r.version_of for r in records] == [None, first.article_id]


async def test_export_articles_lists_deliveries_and_versions(store, repository):
    """The articles export keeps every delivery of a text and the version an article replaces."""
    from services.store.export import export_rows

    first = seed_000()
    await repository.store(first)
    await repository.store(first.model_copy(update={"external_id": "wire-77", "source_name": "Agence"}))
    second = await repository.store(seed_001().model_copy(update={"external_id": "wire-77"}))
    rows = {row["article_id"]: row async for row in export_rows(store.engine, "articles")}
    assert [d["external_id"] for d in rows[first.article_id]["deliveries"]] == ["000_a40abfe1d573a9db", "wire-77"]
    assert rows[second.article_id]["version_of"] == first.article_id
    assert rows[first.article_id]["version_of"] is None
