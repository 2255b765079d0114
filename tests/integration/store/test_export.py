"""Export format (DESIGN.md field names), filters, CSV/JSONL writers, timeline and counts."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import jsonschema
import pytest

from services.store.export import counts, export_rows, write_csv, write_jsonl
from services.store.overview import article_overview
from services.store.timeline import timeline
from tests.conftest import ROOT
from tests.integration.store.seed_articles import republished, seed_000, seed_articles

pytestmark = pytest.mark.integration

ARTICLE_FIELDS = {
    "article_id",
    "external_id",
    "url",
    "title",
    "published_at",
    "published_precision",
    "source_name",
    "author",
    "lang",
    "duplicate_of",
    "text",
    "removed",
}
ENTITY_FIELDS = {"key", "name", "label", "country", "aliases", "mentions"}
EVENT_FIELDS = {
    "event_id",
    "type",
    "mode",
    "date",
    "date_precision",
    "location",
    "actors",
    "sources",
    "merge_reasons",
}
ACTOR_FIELDS = {"key", "name", "country", "role"}
SOURCE_FIELDS = {"article_id", "external_id", "url", "sentence", "trigger", "confidence"}


@pytest.fixture
async def seeded(store, repository):
    await repository.store_many([*seed_articles(), republished(seed_000())])
    return store


async def _rows(store, kind, **filters) -> list[dict]:
    return [row async for row in export_rows(store.engine, kind, **filters)]


async def test_export_articles_have_the_design_fields(seeded):
    """Every exported article carries the DESIGN.md fields; the copy names its original."""
    rows = await _rows(seeded, "articles")
    assert len(rows) == 6
    assert all(set(row) >= ARTICLE_FIELDS for row in rows)
    copy = next(row for row in rows if row["external_id"] == "copy")
    assert copy["duplicate_of"] == seed_000().article_id
    assert rows[0]["removed"] == [{"text": "Source: example", "kind": "source-line"}]


async def test_export_entities_have_the_design_fields(seeded):
    """Every exported entity has key, name, label, country, aliases (a list) and mentions (a count)."""
    rows = {row["key"]: row for row in await _rows(seeded, "entities")}
    assert all(set(row) >= ENTITY_FIELDS for row in rows.values())
    lavrov = rows["per:serguei-lavrov"]
    assert (lavrov["name"], lavrov["label"], lavrov["country"]) == ("Sergueï Lavrov", "PER", "RUS")
    assert lavrov["mentions"] == 3 + 3 + 2 + 5  # 000, 001, 003, 004; the copy of 000 adds nothing
    assert lavrov["aliases"] == ["Sergueï Lavrov"]


async def test_export_events_have_the_design_fields(seeded):
    """Events carry actors, sources and merge reasons with the DESIGN.md field names."""
    rows = await _rows(seeded, "events")
    assert len(rows) == 5
    assert all(set(row) >= EVENT_FIELDS for row in rows)
    call = next(row for row in rows if len(row["sources"]) == 2)
    assert (call["type"], call["mode"], call["date"], call["location"]) == (
        "CONSULT",
        "phone",
        "2024-08-01",
        None,
    )
    assert all(set(actor) == ACTOR_FIELDS for actor in call["actors"])
    assert all(set(source) >= SOURCE_FIELDS for source in call["sources"])
    assert [s["external_id"] for s in call["sources"]] == ["000_a40abfe1d573a9db", "001_98f8ecbca590d10d"]
    assert len(call["merge_reasons"]) == 1
    moscow = next(row for row in rows if row["date"] == "2024-02-28")
    assert moscow["location"] == {"name": "Moscou", "country": "RUS"}


@pytest.mark.parametrize("kind", ["articles", "entities", "events"])
async def test_export_rows_validate_against_the_committed_schema(seeded, kind):
    """Every exported line is what docs/schemas/export.<kind>.schema.json describes."""
    schema = json.loads((ROOT / "docs" / "schemas" / f"export.{kind}.schema.json").read_text(encoding="utf-8"))
    rows = await _rows(seeded, kind)
    assert rows
    for row in rows:
        jsonschema.validate(json.loads(json.dumps(row, ensure_ascii=False)), schema)


async def test_export_filter_since(seeded):
    """--since keeps only records dated on or after the day."""
    events = await _rows(seeded, "events", since=dt.date(2024, 1, 1))
    assert sorted(row["date"] for row in events) == ["2024-02-28", "2024-07-31", "2024-08-01"]
    articles = await _rows(seeded, "articles", since=dt.date(2024, 1, 1))
    assert {row["external_id"] for row in articles} == {
        "000_a40abfe1d573a9db",
        "001_98f8ecbca590d10d",
        "003_aff52467650c9e76",
        "copy",
    }


async def test_export_filter_type(seeded):
    """--type keeps only events of that PLOVER type (and articles reporting one)."""
    assert len(await _rows(seeded, "events", event_type="CONSULT")) == 5
    assert await _rows(seeded, "events", event_type="ASSAULT") == []
    assert await _rows(seeded, "articles", event_type="ASSAULT") == []


async def test_export_filter_entity_by_key_name_or_alias(seeded):
    """--entity accepts an entity key, its name or one of its aliases."""
    by_key = await _rows(seeded, "events", entity="per:vladimir-poutine")
    by_name = await _rows(seeded, "events", entity="vladimir poutine")
    assert [row["date"] for row in by_key] == [row["date"] for row in by_name] == ["2023-10-10"]
    alias = await _rows(seeded, "entities", entity="Colonel Assimi Goïta")
    assert [row["key"] for row in alias] == ["per:assimi-goita"]
    articles = await _rows(seeded, "articles", entity="per:sadio-camara")
    assert [row["external_id"] for row in articles] == ["003_aff52467650c9e76"]


async def test_export_writers_jsonl_and_csv(seeded):
    """JSONL is one object a line; CSV has a header and JSON-encoded nested cells."""
    rows = await _rows(seeded, "events")
    jsonl, table = io.StringIO(), io.StringIO()
    assert write_jsonl(rows, jsonl) == write_csv(rows, table) == 5
    assert [json.loads(line) for line in jsonl.getvalue().splitlines()] == rows
    parsed = list(csv.DictReader(io.StringIO(table.getvalue())))
    assert set(parsed[0]) >= EVENT_FIELDS
    assert json.loads(parsed[0]["actors"]) == rows[0]["actors"]


async def test_timeline_lists_events_in_date_order(seeded):
    """The timeline gives date, type, actor names, place and number of sources, oldest first."""
    rows = await timeline(seeded.engine)
    assert [row.date for row in rows] == sorted(row.date for row in rows)
    call = next(row for row in rows if row.sources == 2)
    assert (call.type, sorted(call.actors)) == ("CONSULT", ["Abdoulaye Diop", "Sergueï Lavrov"])
    assert [row.location for row in rows if row.location] == ["Mali", "Moscou"]


async def test_counts_report_articles_duplicates_entities_events(seeded):
    """Counts: 6 articles of which 1 duplicate, 5 events with 6 sources."""
    found = await counts(seeded.engine)
    assert found == {"articles": 6, "duplicates": 1, "entities": 10, "events": 5, "event_sources": 6}


async def test_overview_summarises_stored_articles(seeded):
    """The demo overview gives each article's date, source and entity names."""
    overview = await article_overview(seeded.engine, [seed_000().article_id])
    summary = overview[seed_000().article_id]
    assert (summary["published"], summary["source"]) == ("2024-08-01", "Malikonews.com")
    assert summary["entities"][0] == "Mali"


async def test_timeline_entity_ignores_accents_and_case_and_matches_part_of_a_name(seeded):
    """'Goita', 'GOÏTA' and 'assimi goïta' all find the events of per:assimi-goita."""
    expected = [row.event_id for row in await timeline(seeded.engine, entity="per:assimi-goita")]
    assert expected
    for typed in ("Goita", "GOÏTA", "assimi goïta", "goï"):
        assert [row.event_id for row in await timeline(seeded.engine, entity=typed)] == expected, typed
    assert await timeline(seeded.engine, entity="nobody-of-that-name") == []


async def test_timeline_since_and_until_bound_the_dates(seeded):
    """--since and --until keep the events whose dates fall between them."""
    rows = await timeline(seeded.engine)
    dated = sorted({row.date for row in rows if row.date})
    middle = await timeline(seeded.engine, since=dated[1], until=dated[-2])
    assert middle and all(dated[1] <= row.date <= dated[-2] for row in middle)
    assert len(middle) < len(rows)
    assert await timeline(seeded.engine, until=dated[0] - dt.timedelta(days=400)) == []


async def test_timeline_says_who_acted_on_whom(seeded):
    """Each row names its source actors and its target actors apart."""
    rows = await timeline(seeded.engine, entity="per:recep-tayyip-erdogan")
    call = next(row for row in rows if row.type == "CONSULT")
    assert (call.acting, call.acted_on) == (["Assimi Goïta"], ["Recep Tayyip Erdogan"])
    assert call.who_on_whom() == "Assimi Goïta → Recep Tayyip Erdogan"
    both_ways = next(row for row in await timeline(seeded.engine) if row.sources == 2)  # reports disagree
    assert set(both_ways.acting) == set(both_ways.acted_on) == {"Abdoulaye Diop", "Sergueï Lavrov"}
