"""The repository on SQLite and Postgres: dedup, event identity, provenance and idempotency."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from services.common.contracts import EventContext
from services.store.db import make_engine, upgrade
from services.store.dedup import BANDS
from services.store.repository import Repository
from services.store.schema import (
    article_lsh,
    articles,
    entities,
    entity_aliases,
    event_sources,
    events,
    mentions,
    merges,
)
from tests.integration.store.conftest import drop_schema, table_rows
from tests.integration.store.seed_articles import (
    entity,
    republished,
    seed_000,
    seed_001,
    seed_002,
    seed_articles,
    shortened,
    synthetic_articles,
)

pytestmark = pytest.mark.integration


async def _count(store, table, *where) -> int:
    async with store.engine.connect() as conn:
        return await conn.scalar(select(func.count()).select_from(table).where(*where))


async def test_repository_stores_article_with_index_entities_and_events(store, repository):
    """A new article is stored with its LSH rows, entities, mentions and events."""
    record = await repository.store(seed_000())
    assert (record.status, record.entities, [e.status for e in record.events]) == (
        "stored",
        7,
        ["created"] * 2,
    )
    assert await _count(store, articles) == 1
    assert await _count(store, article_lsh) == BANDS
    assert await _count(store, mentions) == 7
    assert await _count(store, events) == 2


async def test_repository_exact_duplicate_points_to_original(store, repository):
    """The same content under another id is reported as an exact duplicate and not stored again."""
    original = seed_002()
    await repository.store(original)
    copy = original.model_copy(update={"article_id": "other-id", "external_id": "copy"})
    record = await repository.store(copy)
    assert (record.status, record.duplicate_of) == ("duplicate", original.article_id)
    assert record.duplicate_reason == f"exact duplicate: same content_sha256 as {original.article_id}"
    assert await _count(store, articles) == 1


async def test_repository_near_duplicate_is_linked_and_adds_no_source(store, repository):
    """A republished copy is stored linked to its original, with no mentions, bands or event sources."""
    original = seed_000()
    await repository.store(original)
    copy = republished(original)
    record = await repository.store(copy)
    assert (record.status, record.duplicate_of, record.events) == ("duplicate", original.article_id, [])
    assert record.duplicate_reason.startswith("near-duplicate: jaccard 0.")
    assert await _count(store, articles, articles.c.duplicate_of == original.article_id) == 1
    assert await _count(store, event_sources, event_sources.c.article_id == copy.article_id) == 0
    assert await _count(store, mentions, mentions.c.article_id == copy.article_id) == 0
    assert await _count(store, article_lsh, article_lsh.c.article_id == copy.article_id) == 0


async def test_repository_shortened_copy_is_linked_by_containment(store, repository):
    """A copy without the last third of the original (Jaccard about 0.7) is linked to the original,
    whichever of the two is stored first."""
    original, short = seed_000(), shortened(seed_000())
    await repository.store(original)
    record = await repository.store(short)
    assert (record.status, record.duplicate_of) == ("duplicate", original.article_id)
    assert "of the shorter text in the other" in record.duplicate_reason
    long_later = seed_articles()[4]
    short_first = await repository.store(shortened(long_later, external_id="short-first"))
    later = await repository.store(long_later)
    assert (later.status, later.duplicate_of) == ("duplicate", short_first.article_id)


async def test_repository_near_duplicate_replayed_stays_linked(repository):
    """Handling a near copy again reports it unchanged and still linked to its original."""
    await repository.store(seed_000())
    first = await repository.store(republished(seed_000()))
    again = await repository.store(republished(seed_000()))
    assert (again.status, again.duplicate_of, again.duplicate_reason) == (
        "unchanged",
        first.duplicate_of,
        first.duplicate_reason,
    )


async def test_repository_lavrov_diop_call_is_one_event_with_two_sources(store, repository):
    """000 and 001 report the Lavrov–Diop call of 2024-08-01: one event, two sources, one merge reason."""
    first = await repository.store(seed_000())
    second = await repository.store(seed_001())
    call = second.events[0]
    assert call.event_id == first.events[1].event_id
    assert (call.status, call.sources) == ("updated", 2)
    async with store.engine.connect() as conn:
        reasons = (
            await conn.scalars(select(merges.c.reason).where(merges.c.event_id == call.event_id))
        ).all()
    assert len(reasons) == 1
    assert reasons[0].startswith("score ")
    for part in ("CONSULT", "shared per:abdoulaye-diop, per:serguei-lavrov", "2024-08", "text", "location unknown"):
        assert part in reasons[0]


async def test_repository_gold_events_stay_five_events(store, repository):
    """The five seeds give the five events_must of the gold, none merged with another."""
    for article in seed_articles():
        await repository.store(article)
    assert await _count(store, events) == 5
    assert await _count(store, event_sources) == 6
    assert await _count(store, merges) == 1


async def test_repository_store_twice_changes_nothing(store, repository):
    """Handling the same articles again leaves the same rows and reports every event unchanged."""
    firsts = [await repository.store(article) for article in seed_articles()]
    before = await table_rows(store.engine)
    seconds = [await repository.store(article) for article in seed_articles()]
    assert await table_rows(store.engine) == before
    assert all(record.status == "unchanged" for record in seconds)
    assert [[e.event_id for e in r.events] for r in seconds] == [
        [e.event_id for e in r.events] for r in firsts
    ]
    assert [e.sources for e in seconds[0].events] == [1, 2]  # the call of 000 gained 001 as a source
    assert {e.status for r in seconds for e in r.events} == {"unchanged"}


async def test_repository_store_many_equals_one_by_one(store, tmp_path):
    """A batch leaves the same rows and records as the same articles stored one at a time."""
    batch = [*seed_articles(), republished(seed_000()), *synthetic_articles(20, seed=3)]
    repository = Repository(store.engine)
    batch_records = await repository.store_many(batch)
    batch_rows = await table_rows(store.engine)
    if store.schema:  # a second, separate store of the same backend
        url, schema = store.url, store.schema + "_b"
    else:
        url, schema = f"sqlite+aiosqlite:///{tmp_path / 'other.db'}", None
    await upgrade(url, schema=schema)
    other = make_engine(url, schema=schema)
    try:
        single_records = [await Repository(other).store(article) for article in batch]
        assert await table_rows(other) == batch_rows
    finally:
        await other.dispose()
        await drop_schema(url, schema)
    assert [_decisions(r) for r in batch_records] == [_decisions(r) for r in single_records]


# What a record describes as it stands when its batch commits (a batch sees its later articles'
# refinements; one by one does not): the events' details, a duplicate's original events, the
# deliveries' timestamps. The decisions must be the same either way.
DESCRIPTIONS = {"trace_id", "deliveries", "original_events"}
EVENT_DESCRIPTIONS = {"mode", "date", "date_precision", "location", "actors"}


def _decisions(record) -> dict:
    dump = record.model_dump(exclude=DESCRIPTIONS)
    dump["events"] = [{k: v for k, v in e.items() if k not in EVENT_DESCRIPTIONS} for e in dump["events"]]
    dump["original_events"] = [e.event_id for e in record.original_events]
    dump["deliveries"] = [(d.external_id, d.url, d.source) for d in record.deliveries]
    return dump


async def test_repository_batch_repeating_an_article_reports_unchanged(repository):
    """The same article twice in one batch is stored once; the second record is unchanged."""
    first, second = await repository.store_many([seed_000(), seed_000()])
    assert (first.status, second.status) == ("stored", "unchanged")
    assert [e.event_id for e in first.events] == [e.event_id for e in second.events]


async def test_repository_entities_fill_in_and_aliases_accumulate(store, repository):
    """A later article fills an entity's missing country and adds its surface forms as aliases."""
    first = seed_002()
    first.entities[0] = first.entities[0].model_copy(update={"country": None, "aliases": ["Poutine"]})
    await repository.store(first)
    later = seed_000()
    later.entities.append(entity(later.text, "per:vladimir-poutine", "Vladimir Poutine"))
    await repository.store(later)
    async with store.engine.connect() as conn:
        country = await conn.scalar(
            select(entities.c.country).where(entities.c.key == "per:vladimir-poutine")
        )
        aliases = set(
            (
                await conn.scalars(
                    select(entity_aliases.c.alias).where(
                        entity_aliases.c.entity_key == "per:vladimir-poutine"
                    )
                )
            ).all()
        )
    assert country == "RUS"
    assert {"Poutine", "Vladimir Poutine"} <= aliases


async def test_repository_negated_event_is_stored_apart(store, repository):
    """A denied call becomes its own (negated) event and never a source of the call."""
    await repository.store(seed_000())
    denial = seed_001()
    denial.events[0] = denial.events[0].model_copy(update={"context": EventContext(negated=True)})
    record = await repository.store(denial)
    assert (record.events[0].status, record.events[0].sources) == ("created", 1)
    async with store.engine.connect() as conn:
        modalities = sorted((await conn.scalars(select(events.c.modality))).all())
    assert modalities == ["factual", "factual", "negated"]


async def test_repository_month_report_then_day_report_refines_event(store, repository):
    """A month-precision event joined by a day-precision report takes the day."""
    vague = seed_001()
    vague.events[0] = vague.events[0].model_copy(
        update={"date": dt.date(2024, 8, 1), "date_precision": "month"}
    )
    created = await repository.store(vague)
    record = await repository.store(seed_000())
    assert record.events[1].event_id == created.events[0].event_id
    async with store.engine.connect() as conn:
        row = (
            await conn.execute(
                select(events.c.date, events.c.date_precision).where(
                    events.c.event_id == created.events[0].event_id
                )
            )
        ).one()
    assert tuple(row) == (dt.date(2024, 8, 1), "day")


async def test_repository_event_window_setting_is_respected(store):
    """With a window of 0 days, reports one day apart are two events."""
    repository = Repository(store.engine, event_window_days=0)
    await repository.store(seed_000())
    shifted = seed_001()
    shifted.events[0] = shifted.events[0].model_copy(update={"date": dt.date(2024, 8, 2)})
    record = await repository.store(shifted)
    assert record.events[0].status == "created"


async def test_repository_published_at_keeps_date_versus_datetime(store, repository):
    """A day stays "YYYY-MM-DD"; a timestamp stays a full ISO datetime."""
    await repository.store_many(seed_articles())
    async with store.engine.connect() as conn:
        values = dict((await conn.execute(select(articles.c.external_id, articles.c.published_at))).all())
    assert values["000_a40abfe1d573a9db"] == "2024-08-01"
    assert values["004_ed8f757f900ae7de"] == "2023-02-07T18:30:00+00:00"


def _yearless(article, month_day: str):
    """The article as an undated outlet tells it: no publication date, "le 1er août" without a year."""
    undated = article.model_copy(update={"published_at": None, "published_precision": "unknown"})
    undated.events = [
        e.model_copy(update={"date": None, "date_precision": "unknown", "month_day": month_day})
        for e in article.events
    ]
    return undated


@pytest.mark.parametrize("yearless_first", [False, True])
async def test_repository_yearless_report_joins_the_dated_event_of_its_day(store, repository, yearless_first):
    """An undated article that says "le 1er août" is a source of the call of 2024-08-01, whichever
    arrives first; the event keeps the dated report's day."""
    dated, yearless = seed_000(), _yearless(seed_001(), "08-01")
    first, second = (yearless, dated) if yearless_first else (dated, yearless)
    await repository.store(first)
    record = await repository.store(second)
    call = next(e for e in record.events if e.type == "CONSULT" and e.status == "updated")
    assert call.sources == 2
    async with store.engine.connect() as conn:
        row = (await conn.execute(select(events.c.date).where(events.c.event_id == call.event_id))).one()
    assert row.date == dt.date(2024, 8, 1)


async def test_repository_yearless_report_of_another_day_is_another_event(store, repository):
    """"Le 2 août" is not the call of the 1st: two exact days never join, with a year or without."""
    await repository.store(seed_000())
    record = await repository.store(_yearless(seed_001(), "08-02"))
    assert [e.status for e in record.events if e.type == "CONSULT"] == ["created"]
