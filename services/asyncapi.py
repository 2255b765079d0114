"""The AsyncAPI document of newsflow, generated from the code: `python -m services.asyncapi`.

It is what `faststream docs gen` produces for the three services on one broker
(`services.bootstrap.bootstrap(settings)`), made reproducible and completed:
- consumer names and the Redis URL are fixed, so the document does not depend on the machine;
- the handlers read raw stream entries and the publishers declare no schema, so FastStream
  leaves the payloads empty: each is filled with the JSON schema of the stream's contract model;
- the dead-letter streams, written by the delivery rules rather than a FastStream publisher,
  are added with the DeadLetter schema.

`python -m services.asyncapi --check` exits 1 when docs/asyncapi/asyncapi.yaml is out of date.
No Redis is needed: the broker is built, never connected.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from services.common.contracts import (
    EXTRACTED,
    NORMALIZED,
    RAW,
    SCHEMA_VERSION,
    STREAM_MODELS,
    DeadLetter,
    dlq_stream,
)
from services.common.settings import NewsflowSettings, environment

DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "docs" / "asyncapi" / "asyncapi.yaml"
CONTRACTS: dict[str, type[BaseModel]] = STREAM_MODELS
INPUT_STREAMS = (RAW, NORMALIZED, EXTRACTED)
# What would otherwise vary from one machine or shell to the next.
GENERATION_ENV = {
    "NEWSFLOW_REDIS_URL": "redis://localhost:6379/0",
    "NEWSFLOW_CONSUMER_NAME": "replica",
    "NEWSFLOW_STREAM_PREFIX": "",
}
DESCRIPTION = (
    "newsflow's Redis streams. Every entry carries one JSON document in its `__data__` field "
    "(producers may also write a `data` field or plain fields on articles.raw). Every message has "
    f"`schema_version` (now {SCHEMA_VERSION}) and `trace_id`; within a version fields are only added. "
    "Each service reads its input stream in a consumer group named after it, with a second consumer "
    "(`-claimer`) that reclaims entries a dead replica left pending. Delivery is at least once."
)


def faststream_document() -> dict[str, Any]:
    """What `faststream docs gen` says about the three services on one broker."""
    from services.bootstrap import bootstrap

    with environment(GENERATION_ENV):
        app = bootstrap(NewsflowSettings())
    app.schema.title = "newsflow"
    app.schema.version = str(SCHEMA_VERSION)
    app.schema.description = DESCRIPTION
    return json.loads(json.dumps(app.schema.to_specification().to_jsonable()))


def _is_empty(schemas: dict[str, Any], payload: dict[str, Any]) -> bool:
    target = schemas.get(payload.get("$ref", "").rsplit("/", 1)[-1], payload)
    return target in ({}, {"title": "EmptyPayload", "type": "null"})


def _add_dead_letter_channels(document: dict[str, Any]) -> None:
    for stream in INPUT_STREAMS:
        name = dlq_stream(stream)
        message = f"{name}:Message"
        document["channels"][name] = {
            "address": name,
            "description": f"Poison messages of {stream}, parked by services/common/delivery.py with the reason.",
            "servers": [{"$ref": "#/servers/development"}],
            "messages": {"Message": {"$ref": f"#/components/messages/{message}"}},
            "bindings": {"redis": {"channel": name, "method": "xadd", "bindingVersion": "custom"}},
        }
        document["components"]["messages"][message] = {
            "title": message, "payload": {"$ref": "#/components/schemas/DeadLetter"},
        }
        document["operations"][name] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{name}"},
            "messages": [{"$ref": f"#/channels/{name}/messages/Message"}],
        }


def build_document() -> dict[str, Any]:
    """FastStream's document with the contract schemas and the dead-letter streams filled in."""
    document = faststream_document()
    components = document.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    models: list[type[BaseModel]] = [*CONTRACTS.values(), DeadLetter]
    _, definitions = models_json_schema(
        [(model, "validation") for model in models],
        ref_template="#/components/schemas/{model}",
    )
    for channel in document["channels"].values():
        model = CONTRACTS.get(channel["address"])
        for ref in channel.get("messages", {}).values():
            message = components["messages"][ref["$ref"].rsplit("/", 1)[-1]]
            if model is not None and _is_empty(schemas, message.get("payload", {})):
                message["payload"] = {"$ref": f"#/components/schemas/{model.__name__}"}
    _add_dead_letter_channels(document)
    used = json.dumps({k: v for k, v in document.items() if k != "components"}) + json.dumps(components["messages"])
    for name in [n for n, schema in schemas.items() if _is_empty(schemas, schema) and f"schemas/{n}\"" not in used]:
        del schemas[name]
    schemas.update(definitions["$defs"])
    return document


def render(document: dict[str, Any]) -> str:
    header = "# Generated by `python -m services.asyncapi` from the code; do not edit by hand.\n"
    return header + yaml.safe_dump(document, sort_keys=True, allow_unicode=True, width=120)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUTPUT, help="file to write (YAML)")
    parser.add_argument("--check", action="store_true", help="exit 1 if --out differs from the code")
    args = parser.parse_args(argv)
    document = build_document()
    if args.check:
        current = yaml.safe_load(args.out.read_text()) if args.out.exists() else None
        if current != document:
            print(f"{args.out} is out of date: run python -m services.asyncapi", file=sys.stderr)
            return 1
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(document), encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
