"""The demo's outcomes are the contract models read off records.stored and the dead-letter streams."""

from __future__ import annotations

import datetime as dt

from fakeredis import FakeAsyncRedis

from services.cli_demo import record_cells
from services.common.broker import entry_fields
from services.common.contracts import RAW, STORED, DeadLetter, RawArticle, StoredEvent, StoredRecord, dlq_stream
from services.common.settings import NewsflowSettings
from services.demo import Tracker, outcomes_for


async def test_tracker_collects_stored_records_and_dead_letters_as_models() -> None:
    """A stored article's outcome is its StoredRecord, a rejected one's its DeadLetter; others wait."""
    settings = NewsflowSettings(stream_prefix="t:")
    redis = FakeAsyncRedis()
    stored, rejected, other = (RawArticle(text=f"article {n}") for n in range(3))
    tracker = Tracker(redis, settings)
    await tracker.mark()
    record = StoredRecord(article_id="a1", trace_id=stored.trace_id, events=[
        StoredEvent(event_id="e1", type="CONSULT", status="created", sources=1)])
    letter = DeadLetter(stream="t:articles.raw", service="ingest", error_type="ValidationError", error="no text",
                        delivery_count=1, failed_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC), payload="{}",
                        trace_id=rejected.trace_id)
    await redis.xadd(settings.stream(STORED), entry_fields(record))
    await redis.xadd(dlq_stream(settings.stream(RAW)), entry_fields(letter))
    outcomes = outcomes_for([stored, rejected, other])
    await tracker.collect(outcomes, timeout_s=0.5, progress=None)
    assert outcomes[stored.trace_id].record == record and outcomes[stored.trace_id].state == "stored"
    assert outcomes[rejected.trace_id].rejection == letter and outcomes[rejected.trace_id].state == "rejected"
    assert outcomes[other.trace_id].state == "missing"


def test_demo_table_cells_read_the_record_fields() -> None:
    """A duplicate's status names its original; each event shows its type, status and sources."""
    record = StoredRecord(article_id="a2", status="duplicate", duplicate_of="a1", events=[
        StoredEvent(event_id="e1", type="CONSULT", status="updated", sources=2)])
    assert record_cells(record) == ("duplicate of a1", "CONSULT (updated, 2 src)")
