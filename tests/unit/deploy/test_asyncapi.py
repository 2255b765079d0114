"""docs/asyncapi/asyncapi.yaml is what the code generates, and it describes every stream's contract."""

from __future__ import annotations

import os
import subprocess
import sys

import yaml

from services.common.contracts import STREAMS, dlq_stream
from tests.conftest import ROOT

COMMITTED = ROOT / "docs" / "asyncapi" / "asyncapi.yaml"
REGENERATE = "python -m services.asyncapi"


def _generate(tmp_path, *args: str) -> subprocess.CompletedProcess:
    """Run the generator in a clean process, in an empty directory, under a deliberately odd environment."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        # None of these may leak into the document: it must not depend on the machine or the shell.
        "NEWSFLOW_CONSUMER_NAME": "someone-else-4242",
        "NEWSFLOW_STREAM_PREFIX": "tenant-x:",
        "NEWSFLOW_REDIS_URL": "redis://user:pw@elsewhere:6380/3",
    }
    return subprocess.run([sys.executable, "-m", "services.asyncapi", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=240)


def _channels_by_address(document: dict) -> dict[str, list[dict]]:
    channels: dict[str, list[dict]] = {}
    for channel in document["channels"].values():
        channels.setdefault(channel["address"], []).append(channel)
    return channels


def _payload_schema(document: dict, channel: dict) -> str:
    (ref,) = {m["$ref"] for m in channel["messages"].values()}
    message = document["components"]["messages"][ref.rsplit("/", 1)[-1]]
    return message["payload"]["$ref"].rsplit("/", 1)[-1]


def test_asyncapi_committed_document_matches_the_code(tmp_path):
    """Regenerating from the code gives the committed document (else: run `python -m services.asyncapi`)."""
    out = tmp_path / "asyncapi.yaml"
    result = _generate(tmp_path, "--out", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    assert yaml.safe_load(out.read_text()) == yaml.safe_load(COMMITTED.read_text()), (
        f"{COMMITTED.relative_to(ROOT)} no longer matches the code: run `{REGENERATE}` and commit it")


def test_asyncapi_check_mode_fails_on_a_stale_document(tmp_path):
    """`--check` exits 1 when the document differs from the code, so CI can guard it."""
    stale = tmp_path / "asyncapi.yaml"
    document = yaml.safe_load(COMMITTED.read_text())
    del document["channels"]["records.stored"]
    stale.write_text(yaml.safe_dump(document))
    result = _generate(tmp_path, "--check", "--out", str(stale))
    assert result.returncode == 1
    assert "out of date" in result.stderr


def test_asyncapi_document_gives_every_stream_its_contract_schema():
    """Each stream's channels carry its contract model; records.stored's names event_id; DLQs carry DeadLetter."""
    document = yaml.safe_load(COMMITTED.read_text())
    channels = _channels_by_address(document)
    expected = {"articles.raw": "RawArticle", "articles.normalized": "NormalizedArticle",
                "articles.extracted": "ExtractedArticle", "records.stored": "StoredRecord"}
    assert set(expected) == set(STREAMS)
    for stream, model in expected.items():
        assert {_payload_schema(document, c) for c in channels[stream]} == {model}, stream
    for stream in ("articles.raw", "articles.normalized", "articles.extracted"):
        assert [_payload_schema(document, c) for c in channels[dlq_stream(stream)]] == ["DeadLetter"]
    schemas = document["components"]["schemas"]
    assert "event_id" in schemas["StoredEvent"]["properties"]
    assert "schema_version" in schemas["StoredRecord"]["properties"]


def test_asyncapi_document_names_each_service_consumer_group():
    """Every input stream is read by the consumer group named after its service."""
    document = yaml.safe_load(COMMITTED.read_text())
    groups = {(c["address"], c["bindings"]["redis"].get("groupName")) for c in document["channels"].values()
              if c["bindings"]["redis"]["method"] == "xreadgroup"}
    assert groups == {("articles.raw", "ingest"), ("articles.normalized", "extract"),
                      ("articles.extracted", "store")}
