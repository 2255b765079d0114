"""The newsflow command's own behaviour: eval verdict, export formats, errors for bad arguments."""

import json
import os
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from services.cli import app
from tests.conftest import GOLD

runner = CliRunner()


@pytest.mark.model
def test_cli_eval_passes_on_the_seed_gold():
    """`newsflow eval` scores the seeds: every required entity and event, no forbidden entity."""
    result = runner.invoke(app, ["eval", "seeds", str(GOLD)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "43/43" in result.output and "6/6" in result.output and "PASS" in result.output


def test_cli_eval_rejects_a_missing_gold_file(tmp_path):
    """A gold path that does not exist is a usage error, not a crash."""
    result = runner.invoke(app, ["eval", "seeds", str(tmp_path / "nope.json")])
    assert result.exit_code == 2


def test_cli_export_writes_jsonl_and_csv_from_an_empty_store(tmp_path):
    """Export works on a fresh database: no rows, no error, in both formats."""
    env = {"NEWSFLOW_DATA_DIR": str(tmp_path), "NEWSFLOW_DATABASE_URL": ""}
    assert runner.invoke(app, ["db", "upgrade"], env=env).exit_code == 0
    jsonl = runner.invoke(app, ["export", "articles", "--format", "jsonl"], env=env)
    csv_out = tmp_path / "entities.csv"
    csv = runner.invoke(app, ["export", "entities", "--format", "csv", "-o", str(csv_out)], env=env)
    assert jsonl.exit_code == 0 and jsonl.stdout.strip() == ""
    assert csv.exit_code == 0 and csv_out.exists()


def test_cli_feed_reports_rejections_and_fails_when_nothing_is_fed(tmp_path):
    """feed with only bad inputs exits 1 and says why each was rejected."""
    (tmp_path / "blank.txt").write_text("   ")
    (tmp_path / "bad.jsonl").write_text(json.dumps({"url": "x"}) + "\n")
    result = runner.invoke(app, ["feed", str(tmp_path)], env={"NEWSFLOW_REDIS_URL": "redis://127.0.0.1:1/0"})
    assert result.exit_code == 1
    assert "rejected 2" in result.output and "bad.jsonl:1" in result.output


@pytest.mark.integration
def test_cli_dlq_lists_replays_and_purges(redis_url, stream_prefix):
    """`newsflow dlq` lists a parked message, replays it onto its stream, and purges another."""
    import redis as redis_py

    from services.common.contracts import DeadLetter

    client = redis_py.Redis.from_url(redis_url)
    env = {"NEWSFLOW_REDIS_URL": redis_url, "NEWSFLOW_STREAM_PREFIX": stream_prefix, "COLUMNS": "200"}
    dlq = f"{stream_prefix}articles.raw.dlq"
    try:
        ids = [client.xadd(dlq, {"__data__": DeadLetter(
            stream=f"{stream_prefix}articles.raw", service="ingest", error_type="ValidationError",
            error=f"problem {n}", delivery_count=1, failed_at="2024-01-01T00:00:00Z",
            payload=json.dumps({"text": f"article {n}"})).model_dump_json()}).decode() for n in range(2)]
        listed = runner.invoke(app, ["dlq", "list"], env=env)
        assert listed.exit_code == 0 and "problem 0" in listed.output and "problem 1" in listed.output
        assert runner.invoke(app, ["dlq", "replay"], env=env).exit_code == 2
        assert runner.invoke(app, ["dlq", "replay", ids[0]], env=env).exit_code == 0
        [(_, fields)] = client.xrange(f"{stream_prefix}articles.raw")
        assert json.loads(fields[b"__data__"]) == {"text": "article 0"}
        assert runner.invoke(app, ["dlq", "purge", "--all"], env=env).exit_code == 0
        assert client.xlen(dlq) == 0
        assert runner.invoke(app, ["dlq", "show", ids[1]], env=env).exit_code == 1
    finally:
        for key in client.scan_iter(match=f"{stream_prefix}*"):
            client.delete(key)
        client.close()


@pytest.mark.integration
def test_cli_dlq_show_prints_the_payload_and_replay_edit_fixes_it(redis_url, stream_prefix, tmp_path):
    """`dlq show` prints the payload; `dlq replay --edit` replays what the operator fixed in $EDITOR."""
    import redis as redis_py

    from services.common.contracts import DeadLetter

    editor = tmp_path / "fix.py"
    editor.write_text("import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
                      "p.write_text(p.read_text().replace('\"\"', '\"Le Mali et la Russie.\"'))\n")
    client = redis_py.Redis.from_url(redis_url)
    env = {"NEWSFLOW_REDIS_URL": redis_url, "NEWSFLOW_STREAM_PREFIX": stream_prefix, "COLUMNS": "200",
           "EDITOR": f"{sys.executable} {editor}"}
    dlq = f"{stream_prefix}articles.raw.dlq"
    try:
        entry_id = client.xadd(dlq, {"__data__": DeadLetter(
            stream=f"{stream_prefix}articles.raw", service="ingest", error_type="ValidationError",
            error="text/html is empty", delivery_count=1, failed_at="2024-01-01T00:00:00Z",
            payload=json.dumps({"text": "", "external_id": "e1"})).model_dump_json()}).decode()
        shown = runner.invoke(app, ["dlq", "show", entry_id], env=env)
        assert shown.exit_code == 0 and '"external_id": "e1"' in shown.stdout
        assert json.loads(runner.invoke(app, ["dlq", "show", "--payload", entry_id], env=env).stdout) == {
            "text": "", "external_id": "e1"}
        replayed = runner.invoke(app, ["dlq", "replay", "--edit", entry_id], env=env)
        assert replayed.exit_code == 0, replayed.output
        [(_, fields)] = client.xrange(f"{stream_prefix}articles.raw")
        assert json.loads(fields[b"__data__"]) == {"text": "Le Mali et la Russie.", "external_id": "e1"}
        assert client.xlen(dlq) == 0
    finally:
        for key in client.scan_iter(match=f"{stream_prefix}*"):
            client.delete(key)
        client.close()


@pytest.mark.integration
def test_cli_dlq_list_shows_input_that_looks_like_markup(redis_url, stream_prefix):
    """A parked entry whose error, service or id reads like rich markup (`[/x]`) is listed as it is."""
    import redis as redis_py

    from services.common.contracts import DeadLetter

    client = redis_py.Redis.from_url(redis_url)
    env = {"NEWSFLOW_REDIS_URL": redis_url, "NEWSFLOW_STREAM_PREFIX": stream_prefix, "COLUMNS": "200"}
    try:
        client.xadd(f"{stream_prefix}articles.raw.dlq", {"__data__": DeadLetter(
            stream=f"{stream_prefix}articles.raw", service="[bold]ingest", error_type="ValidationError",
            error='Input should be an object [type=model_type, input_value="[/x]"]', delivery_count=1,
            failed_at="2024-01-01T00:00:00Z", payload='"[/x]"').model_dump_json()})
        listed = runner.invoke(app, ["dlq", "list"], env=env)
        assert listed.exit_code == 0, listed.output
        assert '"[/x]"' in listed.output and "[bold]ingest" in listed.output
    finally:
        for key in client.scan_iter(match=f"{stream_prefix}*"):
            client.delete(key)
        client.close()


@pytest.mark.integration
def test_cli_feed_exits_1_after_its_summary_when_an_input_is_rejected(tmp_path, redis_url, stream_prefix):
    """One good and one bad input: the good one is fed, the summary printed, exit 1; --allow-rejects gives 0."""
    import redis as redis_py

    (tmp_path / "good.txt").write_text("Le président Assimi Goïta a reçu mardi à Bamako le ministre.")
    (tmp_path / "blank.txt").write_text("   ")
    env = {"NEWSFLOW_REDIS_URL": redis_url, "NEWSFLOW_STREAM_PREFIX": stream_prefix}
    client = redis_py.Redis.from_url(redis_url)
    try:
        strict = runner.invoke(app, ["feed", str(tmp_path)], env=env)
        assert strict.exit_code == 1 and "fed 1" in strict.output and "rejected 1" in strict.output
        assert runner.invoke(app, ["feed", "--allow-rejects", str(tmp_path)], env=env).exit_code == 0
        assert runner.invoke(app, ["feed", str(tmp_path / "good.txt")], env=env).exit_code == 0
        stdin = runner.invoke(app, ["feed", "--id", "from-stdin", "-"], env=env, input="Le Mali et la Russie.")
        assert stdin.exit_code == 0
        last = client.xrevrange(f"{stream_prefix}articles.raw", count=1)[0][1]
        assert json.loads(last[b"__data__"])["external_id"] == "from-stdin"
    finally:
        for key in client.scan_iter(match=f"{stream_prefix}*"):
            client.delete(key)
        client.close()


def test_cli_events_finds_goita_without_accents_and_says_who_acted_on_whom(tmp_path):
    """`newsflow events --entity goita` lists his events with 'who → whom'; a bad date is a usage error."""
    import asyncio

    from services.store.db import make_engine, upgrade
    from services.store.repository import Repository
    from tests.integration.store.seed_articles import seed_articles

    url = f"sqlite+aiosqlite:///{tmp_path / 'n.db'}"

    async def seed() -> None:
        await upgrade(url)
        engine = make_engine(url)
        await Repository(engine).store_many(seed_articles())
        await engine.dispose()

    asyncio.run(seed())
    env = {"NEWSFLOW_DATABASE_URL": url, "COLUMNS": "200"}
    result = runner.invoke(app, ["events", "--entity", "goita", "--since", "2024-01-01"], env=env)
    assert result.exit_code == 0, result.output
    assert "Assimi Goïta → Recep Tayyip Erdogan" in result.output and "2023-" not in result.output
    assert runner.invoke(app, ["events", "--until", "last year"], env=env).exit_code == 2


@pytest.mark.model
def test_cli_demo_leaves_the_environment_unchanged(tmp_path, monkeypatch):
    """`newsflow demo` passes its settings (quiet logs, no HTTP, a fresh data dir) down to the
    services it bootstraps instead of writing them into os.environ."""
    monkeypatch.chdir(tmp_path)
    for name in ("REDIS_URL", "DATABASE_URL", "DATA_DIR", "LOG_LEVEL", "HTTP_ENABLED"):
        monkeypatch.delenv(f"NEWSFLOW_{name}", raising=False)
    seed = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))[0]
    before = dict(os.environ)
    result = runner.invoke(app, ["demo", str(seed), "--timeout", "120"])
    assert result.exit_code == 0, result.output
    assert "1 stored" in result.output
    assert dict(os.environ) == before
    assert (tmp_path / ".newsflow" / "demo").is_dir()  # the fresh data dir it ran in
