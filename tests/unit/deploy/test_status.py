"""`newsflow status`: stream lengths, consumer groups, DLQ sizes and store counts, on fakeredis."""

from __future__ import annotations

import asyncio
import io
import json
import sys
import types

import fakeredis
import pytest
import typer
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from rich.console import Console
from typer.testing import CliRunner

from services import status as status_module
from services.cli_errors import one_line
from services.common.settings import NewsflowSettings
from services.status import collect_status, render_status, status_command

PREFIX = "t:"
SECRET_REDIS = "redis://user:s3cret-pw@redis.example:6379/0"
SECRET_DB = "postgresql+asyncpg://newsflow:s3cret-pw@db.example/newsflow"


async def _fill(redis) -> None:
    """articles.raw: 5 entries, group ingest with two consumers (3 pending); one DLQ entry on normalized."""
    for i in range(5):
        await redis.xadd(f"{PREFIX}articles.raw", {"__data__": json.dumps({"n": i})})
    await redis.xgroup_create(f"{PREFIX}articles.raw", "ingest", id="0", mkstream=True)
    await redis.xreadgroup("ingest", "ingest-a", {f"{PREFIX}articles.raw": ">"}, count=2)
    await redis.xreadgroup("ingest", "ingest-b", {f"{PREFIX}articles.raw": ">"}, count=1)
    await redis.xadd(f"{PREFIX}articles.normalized.dlq", {"__data__": "{}"})
    await redis.xgroup_create(f"{PREFIX}records.stored", "my-team", id="0", mkstream=True)


def _fake_counts(monkeypatch, counts: dict[str, int] | None) -> None:
    """Stand in for services.store.export: with `counts`, or absent when None."""
    if counts is None:
        monkeypatch.setitem(sys.modules, "services.store.export", None)
        return
    module = types.ModuleType("services.store.export")

    async def fake(engine):
        return counts

    module.counts = fake  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "services.store.export", module)


def _settings() -> NewsflowSettings:
    return NewsflowSettings(redis_url=SECRET_REDIS, database_url=SECRET_DB, stream_prefix=PREFIX)


def _group(status: dict, stream: str, name: str) -> dict:
    entry = next(s for s in status["streams"] if s["stream"] == stream)
    return next(g for g in entry["groups"] if g["name"] == name)


async def test_status_reports_lengths_groups_pending_and_lag(monkeypatch):
    """Each stream's length, each group's consumers, pending count and lag are read from Redis."""
    _fake_counts(monkeypatch, None)
    redis = fakeredis.FakeAsyncRedis()
    await _fill(redis)
    status = await collect_status(redis, _settings(), None)
    lengths = {s["stream"]: s["length"] for s in status["streams"]}
    assert lengths == {"articles.raw": 5, "articles.normalized": 0, "articles.extracted": 0, "records.stored": 0}
    ingest = _group(status, "articles.raw", "ingest")
    assert ingest["pending"] == 3
    assert ingest["lag"] == 2
    assert {c["name"]: c["pending"] for c in ingest["consumers"]} == {"ingest-a": 2, "ingest-b": 1}
    assert _group(status, "records.stored", "my-team")["consumers"] == []


async def test_status_reports_dead_letter_sizes_of_input_streams(monkeypatch):
    """Every input stream's `<stream>.dlq` is counted, with the deployment's prefix."""
    _fake_counts(monkeypatch, None)
    redis = fakeredis.FakeAsyncRedis()
    await _fill(redis)
    status = await collect_status(redis, _settings(), None)
    dlqs = {s["stream"]: s.get("dlq") for s in status["streams"]}
    assert dlqs["articles.normalized"] == {"key": "t:articles.normalized.dlq", "length": 1}
    assert dlqs["articles.raw"]["length"] == 0
    assert dlqs["records.stored"] is None


async def test_status_includes_store_counts_when_export_provides_them(monkeypatch):
    """The store's counts come from services.store.export.counts(engine)."""
    _fake_counts(monkeypatch, {"articles": 5, "events": 7})
    status = await collect_status(fakeredis.FakeAsyncRedis(), _settings(), engine=object())
    assert status["store"] == {"counts": {"articles": 5, "events": 7}}


async def test_status_explains_missing_store_counts(monkeypatch):
    """Without services.store.export the status still works and says why counts are missing."""
    _fake_counts(monkeypatch, None)
    status = await collect_status(fakeredis.FakeAsyncRedis(), _settings(), engine=object())
    assert "services.store.export.counts" in status["store"]["error"]


async def test_status_never_shows_passwords(monkeypatch):
    """Redis and database URLs appear redacted in the JSON and in the rendered tables."""
    _fake_counts(monkeypatch, None)
    redis = fakeredis.FakeAsyncRedis()
    await _fill(redis)
    status = await collect_status(redis, _settings(), None)
    console = Console(record=True, width=200)
    console.print(render_status(status))
    for text in (json.dumps(status), console.export_text()):
        assert "s3cret-pw" not in text
        assert "user:***@redis.example" in text


async def test_render_status_shows_groups_and_parked_messages(monkeypatch):
    """The tables name each group with its pending count and the DLQ size."""
    _fake_counts(monkeypatch, {"articles": 5})
    redis = fakeredis.FakeAsyncRedis()
    await _fill(redis)
    console = Console(record=True, width=200)
    console.print(render_status(await collect_status(redis, _settings(), object())))
    lines = console.export_text().splitlines()
    ingest_row = next(line for line in lines if " ingest " in line)
    assert "ingest-a (2 pending)" in ingest_row and " 3 " in ingest_row
    normalized_row = next(line for line in lines if "articles.normalized" in line and "│" in line)
    assert normalized_row.rstrip(" │").endswith("1")
    assert any("articles" in line and "5" in line for line in lines if "│" in line)


def test_status_command_prints_json_for_scripts(monkeypatch):
    """`newsflow status --json` prints one parseable document with the streams and groups."""
    server = fakeredis.FakeServer()
    seeded = fakeredis.FakeAsyncRedis(server=server)

    class FakeRedis:
        @staticmethod
        def from_url(url):
            return fakeredis.FakeAsyncRedis(server=server)

    asyncio.run(_fill(seeded))
    _fake_counts(monkeypatch, {"articles": 5})
    monkeypatch.setattr(status_module, "Redis", FakeRedis)
    monkeypatch.setenv("NEWSFLOW_REDIS_URL", SECRET_REDIS)
    monkeypatch.setenv("NEWSFLOW_DATABASE_URL", "sqlite+aiosqlite:///:memory:")
    monkeypatch.setenv("NEWSFLOW_STREAM_PREFIX", PREFIX)
    cli = typer.Typer()
    cli.command()(status_command)
    result = CliRunner().invoke(cli, ["--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert _group(document, "articles.raw", "ingest")["pending"] == 3
    assert document["store"] == {"counts": {"articles": 5}}
    assert "s3cret-pw" not in result.stdout


@pytest.mark.parametrize("option", ["--watch", "--json", "--interval"])
def test_status_command_has_documented_options(option):
    """The command declares --watch, --interval and --json, as the README documents."""
    cli = typer.Typer()
    cli.command()(status_command)
    cli.command("other")(lambda: None)
    result = CliRunner().invoke(cli, ["status-command", "--help"])
    assert result.exit_code == 0
    assert option in result.stdout


async def test_status_tells_live_consumers_from_idle_ones(monkeypatch):
    """A consumer silent longer than the claim idle time is idle; status counts live and idle apart."""
    _fake_counts(monkeypatch, None)
    redis = fakeredis.FakeAsyncRedis()
    await _fill(redis)

    async def consumers(stream, group):
        return [{"name": b"ingest-a", "pending": 2, "idle": 10}, {"name": b"gone-1", "pending": 0, "idle": 90_000}]

    monkeypatch.setattr(redis, "xinfo_consumers", consumers)
    status = await collect_status(redis, _settings(), None)
    ingest = _group(status, "articles.raw", "ingest")
    assert {c["name"]: c["live"] for c in ingest["consumers"]} == {"ingest-a": True, "gone-1": False}
    assert (ingest["live_consumers"], ingest["idle_consumers"]) == (1, 1)
    console = Console(record=True, width=200)
    console.print(render_status(status))
    assert "1 live, 1 idle" in console.export_text()


@pytest.mark.parametrize("password", ["Sup3r/S3cretPw_B", "p@ss@w0rd", "two words/and@more", "p%40ss%2Fw0rd"])
async def test_status_never_shows_passwords_of_any_form(monkeypatch, password):
    """Passwords with `/`, `@`, spaces or percent-encoding are hidden in the JSON and the tables."""
    _fake_counts(monkeypatch, None)
    settings = NewsflowSettings(redis_url=f"redis://user:{password}@redis.example:6379/0",
                                database_url=f"postgresql+asyncpg://news:{password}@db.example/newsflow",
                                stream_prefix=PREFIX)
    status = await collect_status(fakeredis.FakeAsyncRedis(), settings, None)
    console = Console(record=True, width=300)
    console.print(render_status(status))
    assert (status["redis"], status["database"]) == (
        "redis://user:***@redis.example:6379/0", "postgresql+asyncpg://news:***@db.example/newsflow")
    for text in (json.dumps(status), console.export_text()):
        assert password not in text and password.split("/")[0] not in text and ":***@" in text


async def test_render_status_shows_names_that_look_like_markup(monkeypatch):
    """A consumer group or consumer named like rich markup (`[/y]`, `[bold]`) is shown as it is."""
    _fake_counts(monkeypatch, {"[/z]": 1})
    redis = fakeredis.FakeAsyncRedis()
    await _fill(redis)
    await redis.xgroup_create(f"{PREFIX}articles.raw", "[/y]", id="0")
    await redis.xreadgroup("[/y]", "[bold]c[/bold]", {f"{PREFIX}articles.raw": ">"}, count=1)
    console = Console(record=True, width=200)
    console.print(render_status(await collect_status(redis, _settings(), object())))
    text = console.export_text()
    assert "[/y]" in text and "[bold]c[/bold] (1 pending)" in text and "[/z]" in text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(password=st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=6, max_size=30))
def test_status_hides_any_generated_password(monkeypatch, password):
    """Whatever a database password holds (`/`, `@`, spaces, accents, percent signs), neither status's
    JSON nor its tables show it. (A password that the status shows anyway, such as 'stream', tells nothing.)"""
    _fake_counts(monkeypatch, None)

    def shown(secret: str) -> tuple[dict, str]:
        url = f"postgresql+asyncpg://news:{secret}@db.example/newsflow"
        try:
            settings_ = NewsflowSettings(database_url=url, stream_prefix=PREFIX)
        except ValidationError as error:  # "0000@:" moves the port: refused, and the refusal shows none of it
            return {"database": "refused"}, one_line(error) or ""
        status = asyncio.run(collect_status(fakeredis.FakeAsyncRedis(), settings_, None))
        console = Console(record=True, width=400, file=io.StringIO())
        console.print(render_status(status))
        return status, json.dumps(status, ensure_ascii=False) + console.export_text()

    _, without = shown("pw")
    _, refusal = shown("0000@:")
    assume(password not in without and password not in refusal)
    status, text = shown(password)
    assert status["database"] in {"postgresql+asyncpg://news:***@db.example/newsflow", "refused"}
    assert password not in text
