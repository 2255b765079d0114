"""docs/schemas/: one JSON Schema per stream, what the contracts generate, and real messages validate."""

from __future__ import annotations

import json

import jsonschema
import pytest

from services.common.contracts import STREAMS, RawArticle, StoredEvent, StoredRecord
from services.schemas import documents, main, stale
from tests.conftest import ROOT

COMMITTED = ROOT / "docs" / "schemas"


def test_schemas_committed_are_what_the_contracts_generate():
    """Every stream's schema file exists and is up to date (run `python -m services.schemas` if not)."""
    assert stale(COMMITTED) == []
    assert {f"{s}.schema.json" for s in STREAMS} <= set(documents())


def test_schemas_check_fails_on_a_stale_file(tmp_path):
    """`--check` exits 1 when a file was edited by hand, 0 once it is regenerated."""
    assert main(["--out", str(tmp_path)]) == 0
    (tmp_path / "records.stored.schema.json").write_text("{}", encoding="utf-8")
    assert main(["--out", str(tmp_path), "--check"]) == 1
    assert main(["--out", str(tmp_path)]) == 0
    assert main(["--out", str(tmp_path), "--check"]) == 0


def _schema(stream: str) -> dict:
    return json.loads((COMMITTED / f"{stream}.schema.json").read_text(encoding="utf-8"))


def test_schemas_accept_a_record_and_refuse_a_broken_one():
    """A records.stored document as the store writes it validates; one without article_id does not."""
    record = StoredRecord(article_id="a1", url="https://example.org/a1", events=[
        StoredEvent(event_id="ev1", type="CONSULT", status="created", sources=1, date_precision="day")])
    document = json.loads(record.model_dump_json())
    jsonschema.validate(document, _schema("records.stored"))
    del document["article_id"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, _schema("records.stored"))


def test_schemas_raw_article_accepts_what_a_producer_writes():
    """A plain producer's article validates against articles.raw's schema."""
    document = json.loads(RawArticle(text="Le Mali et la Russie.", external_id="x").model_dump_json())
    jsonschema.validate(document, _schema("articles.raw"))
