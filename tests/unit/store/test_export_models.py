"""The export format's models: the documented fields, in the order consumers see, and their schemas."""

from __future__ import annotations

import json

import jsonschema
import pytest

from services.store.export_models import (
    EXPORT_MODELS,
    ExportedActor,
    ExportedArticle,
    ExportedEntity,
    ExportedEvent,
    ExportedSource,
)
from tests.conftest import ROOT

# The keys of each line, in their order: scripts and consumer teams rely on them (add, never rename).
ORDER = {
    ExportedArticle: ["article_id", "external_id", "url", "title", "published_at", "published_precision",
                      "source_name", "author", "lang", "duplicate_of", "text", "removed", "duplicate_reason",
                      "content_sha256", "published_from", "deliveries", "version_of"],
    ExportedEntity: ["key", "name", "label", "country", "aliases", "mentions", "articles"],
    ExportedEvent: ["event_id", "type", "mode", "date", "date_precision", "location", "actors", "sources",
                    "merge_reasons", "modality", "aliases"],
    ExportedActor: ["key", "name", "country", "role"],
    ExportedSource: ["article_id", "external_id", "url", "sentence", "trigger", "confidence"],
}


@pytest.mark.parametrize("model", list(ORDER), ids=lambda model: model.__name__)
def test_export_models_keep_the_documented_keys_in_order(model):
    """A renamed, dropped or moved field fails here before it reaches a consumer's script."""
    assert list(model.model_fields) == ORDER[model]


def _event() -> ExportedEvent:
    return ExportedEvent(
        event_id="ev1", type="CONSULT", mode="phone", date="2024-08-01", date_precision="day",
        location={"name": "Moscou", "country": "RUS"},
        actors=[ExportedActor(key="per:a", name="A", country="MLI", role="source")],
        sources=[ExportedSource(article_id="a1", external_id="x", url=None, sentence="A a appelé B.",
                                trigger="appelé", confidence=0.8)],
        merge_reasons=[], modality="factual", aliases=[],
    )


def test_export_event_dumps_as_the_jsonl_line_and_validates():
    """An event dumps with its date as ISO text, its keys in order, and fits the committed schema."""
    line = _event().model_dump(mode="json")
    assert line["date"] == "2024-08-01" and list(line) == ORDER[ExportedEvent]
    schema = json.loads((ROOT / "docs" / "schemas" / "export.events.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(line, schema)
    line["actor_list"] = line.pop("actors")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(line, schema)


def test_export_models_cover_every_export_kind():
    """One model, and one committed schema, for each kind `newsflow export` writes."""
    assert set(EXPORT_MODELS) == {"articles", "entities", "events"}
    assert all((ROOT / "docs" / "schemas" / f"export.{kind}.schema.json").is_file() for kind in EXPORT_MODELS)
