"""examples/: the subscribers' de-duplication, and the FastStream subscriber's wiring."""

from __future__ import annotations

import ast
import importlib
import json
from pathlib import Path

from faststream import FastStream
from faststream.redis.parser import BinaryMessageFormatV1

from examples.plain_subscriber import Deduplicator
from examples.records import Record
from examples.subscriber import EventBook, create_app
from services.common.contracts import RecordActor, StoredEvent, StoredRecord

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def _stored(article: str, *events: tuple[str, str, int]) -> StoredRecord:
    return StoredRecord(article_id=article, events=[
        StoredEvent(event_id=e, type="CONSULT", status=s, sources=n) for e, s, n in events])


def _record(article: str, *events: tuple[str, str, int]) -> Record:
    """The record as a subscriber's own model reads newsflow's JSON."""
    return Record.model_validate_json(_stored(article, *events).model_dump_json())


def test_event_book_ignores_a_redelivered_record():
    """The same record applied twice changes nothing the second time."""
    book = EventBook()
    record = _record("a1", ("ev1", "created", 1))
    assert book.apply(record) == ["ev1"]
    assert book.apply(record) == []
    assert book.events["ev1"]["articles"] == ["a1"]


def test_event_book_keeps_an_update_of_the_same_event():
    """Another article reporting the same event is new information: one row, more sources."""
    book = EventBook()
    book.apply(_record("a1", ("ev1", "created", 1)))
    assert book.apply(_record("a2", ("ev1", "updated", 2))) == ["ev1"]
    assert book.events == {"ev1": {"type": "CONSULT", "sources": 2, "articles": ["a1", "a2"]}}


def test_plain_deduplicator_matches_the_event_book(capsys):
    """The redis-py example applies the same rule on the JSON documents."""
    dedup = Deduplicator()
    first = json.loads(_stored("a1", ("ev1", "created", 1)).model_dump_json())
    dedup(first)
    dedup(first)
    dedup(json.loads(_stored("a2", ("ev1", "updated", 2)).model_dump_json()))
    assert dedup.sources == {"ev1": 2}
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_subscriber_app_reads_records_stored_in_its_own_group():
    """The FastStream example subscribes to <prefix>records.stored, in its group, with a claimer."""
    app = create_app("redis://localhost:6379/0", prefix="p:", group="team-x", consumer="c1")
    assert isinstance(app, FastStream)
    subs = [s for s in app.broker.subscribers]
    assert {(s.stream_sub.name, s.stream_sub.group, s.stream_sub.consumer) for s in subs} == {
        ("p:records.stored", "team-x", "c1"), ("p:records.stored", "team-x", "c1-claimer")}
    assert sum(s.stream_sub.min_idle_time is not None for s in subs) == 1


def test_subscriber_wire_format_yields_the_stored_record():
    """FastStream's default parser hands the example the `__data__` JSON newsflow writes, in full."""
    stored = _stored("a1", ("ev1", "created", 1))
    stored.events[0].actors = [RecordActor(key="per:x", name="X", role="source")]
    body, _ = BinaryMessageFormatV1.parse(stored.model_dump_json().encode())
    record = Record.model_validate_json(body)
    assert (record.article_id, record.events[0].actors[0].role, record.schema_version) == ("a1", "source", 3)


def test_examples_need_neither_newsflow_nor_spacy():
    """The subscriber examples import faststream, redis, pydantic and each other, never `services`."""
    for path in EXAMPLES.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        roots = {name.split(".")[0] for name in imported}
        assert roots.isdisjoint({"services", "spacy"}), f"{path.name} imports {sorted(roots)}"


def test_subscriber_module_exposes_app_for_faststream_run(monkeypatch):
    """`faststream run examples.subscriber:app` finds a FastStream app built from the environment."""
    monkeypatch.setenv("NEWSFLOW_STREAM_PREFIX", "env:")
    module = importlib.reload(importlib.import_module("examples.subscriber"))
    app = module.app
    assert isinstance(app, FastStream)
    assert {s.stream_sub.name for s in app.broker.subscribers} == {"env:records.stored"}
