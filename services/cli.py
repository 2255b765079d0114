"""The `newsflow` command: feed articles, run the services, demo, export, evaluate."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import sys
from collections import Counter
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import click
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from services.cli_errors import debugging, one_line, run_reporting_errors
from services.common.contracts import RAW
from services.common.settings import ExtractSettings, IngestSettings, NewsflowSettings
from services.status import status_command

if TYPE_CHECKING:
    from services.feed import Feeding

app = typer.Typer(help="newsflow: news articles in; deduplicated articles, entities and events out.",
                  no_args_is_help=True, pretty_exceptions_show_locals=False)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
dlq_app = typer.Typer(help="Dead-letter streams: what was parked, and why.", no_args_is_help=True)
app.add_typer(dlq_app, name="dlq")
eval_app = typer.Typer(help="Score what newsflow makes of annotated articles.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
app.command("status")(status_command)
console = Console(stderr=True)
out = Console()
_options = {"debug": False}


@app.callback()
def _global_options(
    debug: Annotated[bool, typer.Option("--debug", help="show the traceback of any error")] = False,
) -> None:
    """newsflow: news articles in; deduplicated articles, entities and events out."""
    _options["debug"] = debug

PROJECT_SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PROJECT_CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "corpus"


class ServiceChoice(StrEnum):
    ingest = "ingest"
    extract = "extract"
    store = "store"
    all = "all"


class ExportKind(StrEnum):
    articles = "articles"
    entities = "entities"
    events = "events"


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console, transient=False)


async def _feed(paths: list[str], settings: NewsflowSettings, progress: Progress,
                stdin_id: str | None = None) -> Feeding:
    """Read and publish in chunks; what was fed and rejected, and where it stopped if Redis failed.
    A text read from stdin gets `stdin_id` (--id) as its external_id, else its content hash."""
    from redis.asyncio import Redis

    from services.common.broker import redis_url
    from services.feed import feed_located, read_located

    task = progress.add_task("fed", total=None)
    redis = Redis.from_url(redis_url(settings))
    try:
        feeding = await feed_located(redis, settings.stream(RAW), read_located(paths, stdin_id),
                                     max_text_bytes=IngestSettings().max_text_bytes,
                                     on_fed=lambda count: progress.update(task, advance=count))
    finally:
        with contextlib.suppress(Exception):  # closing a client whose server is gone must not hide the summary
            await redis.aclose()
    progress.update(task, total=len(feeding.fed))
    return feeding


def _print_feed_summary(feeding: Feeding) -> None:
    """What was fed and rejected, and where a feed cut short stopped. Strings from input go in as
    Text: rich never reads them as markup."""
    console.print(f"[bold]fed {len(feeding.fed)}[/bold], rejected {len(feeding.rejected)}")
    for item in feeding.rejected:
        console.print(Text.assemble("  ", ("rejected", "red"), f" {item.where}: {item.reason}"))
    if feeding.stopped_at is not None:
        console.print(Text.assemble(
            ("stopped: Redis failed", "red"), f" ({feeding.error}) after {len(feeding.fed)} articles were fed; "
            f"nothing from {feeding.stopped_at} on was fed. Once Redis is back, feed again from there "
            "(feeding an article twice is harmless: the store keeps it once)."), soft_wrap=True)


def feed_exit_code(rejected: int, allow_rejects: bool) -> int:
    """1 when any input was rejected, so a script notices; --allow-rejects keeps 0."""
    return 1 if rejected and not allow_rejects else 0


@app.command()
def feed(
    paths: Annotated[list[str], typer.Argument(help=".txt/.html files, directories, .jsonl, or - for stdin")],
    allow_rejects: Annotated[bool, typer.Option("--allow-rejects", help="exit 0 even if some inputs were rejected")
                             ] = False,
    stdin_id: Annotated[str | None, typer.Option("--id", help="external_id of a text read from stdin "
                                                              "(default: its content hash)")] = None,
):
    """Publish articles to articles.raw (the services pick them up). Exits 1 if any input was rejected."""
    settings = NewsflowSettings()
    with _progress() as progress:
        feeding = asyncio.run(_feed(paths, settings, progress, stdin_id))
    _print_feed_summary(feeding)
    if feeding.stopped_at is not None:  # Redis failed: never 0, whatever --allow-rejects says
        cause = feeding.cause
        if cause is not None and (debugging(_options["debug"]) or one_line(cause) is not None):
            raise cause  # after the summary: the one error line (Redis unreachable), or the traceback with --debug
        raise typer.Exit(1)
    raise typer.Exit(feed_exit_code(len(feeding.rejected), allow_rejects))


@app.command()
def run(
    service: Annotated[ServiceChoice, typer.Argument(help="which service to run")],
    workers: Annotated[
        int | None, typer.Option(min=1, help="extract only: load the model once, fork N workers sharing it")
    ] = None,
):
    """Run one service (or all three in this process) until SIGINT/SIGTERM; exits 1 if it stops on a fault."""
    if workers is not None:
        if service.value != "extract":
            raise typer.BadParameter("--workers is for `newsflow run extract`", param_hint="--workers")
        from services.workers import run_extract_workers

        raise typer.Exit(run_extract_workers(workers, ExtractSettings()))
    from services.bootstrap import bootstrap, settings_for
    from services.runner import serve

    raise typer.Exit(asyncio.run(serve(bootstrap(settings_for(service.value), services=service.value))))


def _fresh_settings(name: str) -> NewsflowSettings:
    """The environment's settings for an in-process run: a fresh embedded Redis and SQLite under
    data_dir/<name> unless URLs are configured, WARNING logs and no HTTP unless set. The
    environment itself is left alone: the settings are passed down to the services."""
    settings = NewsflowSettings()
    quiet = {"log_level": "WARNING", "http_enabled": False}  # progress bars and a table, not logs; no ports
    update: dict[str, object] = {key: value for key, value in quiet.items() if key not in settings.model_fields_set}
    if not settings.redis_url and not settings.database_url:
        run_dir = settings.data_dir / name
        shutil.rmtree(run_dir, ignore_errors=True)
        update["data_dir"] = run_dir
    return settings.model_copy(update=update)


async def _demo(paths: list[str], timeout: float) -> int:
    from redis.asyncio import Redis

    from services.bootstrap import bootstrap
    from services.common.broker import redis_url, stop_embedded_redis
    from services.demo import Tracker, outcomes_for

    settings = _fresh_settings("demo")
    started = asyncio.get_running_loop().time()
    console.print(f"[bold]newsflow demo[/bold]: Redis {'configured' if settings.redis_url else 'embedded'}, "
                  f"database {'configured' if settings.database_url else settings.resolved_database_url()}")
    service_app = bootstrap(settings)
    async with service_app:
        redis = Redis.from_url(redis_url(settings))
        tracker = Tracker(redis, settings)
        await tracker.mark()
        with _progress() as progress:
            feeding = await _feed(paths, settings, progress)
            outcomes = outcomes_for(feeding.fed)
            await tracker.collect(outcomes, timeout_s=max(timeout, 2.0 * len(feeding.fed)), progress=progress)
        await redis.aclose()
    stop_embedded_redis()
    elapsed = asyncio.get_running_loop().time() - started
    _print_feed_summary(feeding)
    await _print_demo_table(outcomes, settings)
    counts = Counter("stored" if o.record else "rejected" if o.rejection else "missing" for o in outcomes.values())
    console.print(f"[bold]{counts['stored']} stored[/bold], {counts['rejected']} rejected in the pipeline, "
                  f"{counts['missing']} not done in time; {elapsed:.1f} s")
    return 0 if counts["missing"] == 0 else 1


async def _print_demo_table(outcomes: dict, settings: NewsflowSettings) -> None:
    from services.store.db import make_engine
    from services.store.overview import article_overview

    ids = [o.record["article_id"] for o in outcomes.values() if o.record]
    engine = make_engine(settings.resolved_database_url())
    try:
        overview = await article_overview(engine, ids)
    finally:
        await engine.dispose()
    table = Table(title="stored articles", show_lines=True)
    for column in ("external id", "article", "status", "published", "source", "entities", "events"):
        table.add_column(column, overflow="fold")
    for outcome in outcomes.values():
        name = Text(outcome.article.external_id or outcome.article.trace_id[:8])
        if outcome.rejection:
            table.add_row(name, "-", Text(f"rejected: {outcome.rejection.get('error', '')[:80]}"), "", "", "", "")
            continue
        if not outcome.record:
            table.add_row(name, "-", "not stored in time", "", "", "", "")
            continue
        record = outcome.record
        info = overview.get(record["article_id"], {})
        status = record["status"] + (f" of {record['duplicate_of']}" if record.get("duplicate_of") else "")
        events = ", ".join(f"{e['type']} ({e['status']}, {e['sources']} src)" for e in record["events"])
        table.add_row(name, *map(Text, (record["article_id"], status, str(info.get("published", "")),
                                         info.get("source", "") or "", ", ".join(info.get("entities", [])), events)))
    out.print(table)


@app.command()
def demo(
    paths: Annotated[list[str] | None, typer.Argument(help="articles to feed (default: seeds/)")] = None,
    timeout: Annotated[float, typer.Option(help="seconds to wait for the last article, at least")] = 120.0,
):
    """Run the three services here, feed articles, wait until all are stored, print them."""
    raise typer.Exit(asyncio.run(_demo(paths or [str(PROJECT_SEEDS)], timeout)))


@app.command()
def export(
    kind: Annotated[ExportKind, typer.Argument(help="articles, entities or events")],
    fmt: Annotated[ExportFormat, typer.Option("--format", help="jsonl or csv")] = ExportFormat.jsonl,
    since: Annotated[str | None, typer.Option(help="only from this ISO date on")] = None,
    event_type: Annotated[str | None, typer.Option("--type", help="only this PLOVER event type")] = None,
    entity: Annotated[str | None, typer.Option(help="only records involving this entity key or name")] = None,
    event: Annotated[str | None, typer.Option(help="only records of this event id (or an id merged into it)")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="file to write (default stdout)")] = None,
):
    """Write the store's records in the export format (one JSON object a line, or CSV)."""
    import datetime as dt

    from services.store.db import make_engine
    from services.store.export import export_rows, write_csv, write_jsonl

    since_date = dt.date.fromisoformat(since) if since else None

    async def collect() -> list[dict]:
        engine = make_engine(NewsflowSettings().resolved_database_url())
        try:
            return [row async for row in export_rows(engine, kind.value, since=since_date,
                                                       event_type=event_type, entity=entity, event=event)]
        finally:
            await engine.dispose()

    rows = asyncio.run(collect())
    target = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        (write_csv if fmt is ExportFormat.csv else write_jsonl)(rows, target)
    finally:
        if output:
            target.close()
    console.print(f"exported {len(rows)} {kind.value}")


def _iso_date(value: str | None, option: str):  # type: ignore[no-untyped-def]
    """An ISO date option, or a usage error naming the option."""
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not an ISO date (YYYY-MM-DD)", param_hint=option) from None


@app.command()
def events(
    since: Annotated[str | None, typer.Option(help="only from this ISO date on")] = None,
    until: Annotated[str | None, typer.Option(help="only up to this ISO date")] = None,
    event_type: Annotated[str | None, typer.Option("--type", help="only this PLOVER event type")] = None,
    entity: Annotated[str | None, typer.Option(
        help="only events involving this entity: key, name or part of it, accents and case ignored")] = None,
    limit: Annotated[int | None, typer.Option(help="at most this many events")] = None,
):
    """Print a readable timeline of the stored events: date, type, who acted on whom, location, sources."""
    from services.store.db import make_engine
    from services.store.export import timeline

    first, last = _iso_date(since, "--since"), _iso_date(until, "--until")

    async def collect() -> list:
        engine = make_engine(NewsflowSettings().resolved_database_url())
        try:
            return await timeline(engine, since=first, until=last, event_type=event_type, entity=entity, limit=limit)
        finally:
            await engine.dispose()

    rows = asyncio.run(collect())
    table = Table(title=f"{len(rows)} events")
    for column in ("date", "type", "who → whom", "location", "sources"):
        table.add_column(column, overflow="fold")
    for row in rows:
        when = f"{row.date or '?'}" + ("" if row.date_precision == "day" else f" ({row.date_precision})")
        kind = row.type + ("" if row.modality == "factual" else f" [{row.modality}]")
        table.add_row(when, Text(kind), Text(row.who_on_whom()), Text(row.location or ""), str(row.sources))
    out.print(table)


async def _with_dlq(action):  # type: ignore[no-untyped-def]
    from redis.asyncio import Redis

    from services.common.broker import redis_url
    from services.dlq import dead_letter_streams

    settings = NewsflowSettings()
    redis = Redis.from_url(redis_url(settings))
    try:
        return await action(redis, dead_letter_streams(settings))
    finally:
        await redis.aclose()


def _act_on_parked(entry_ids: list[str] | None, everything: bool, act, verb: str) -> None:  # type: ignore[no-untyped-def]
    """Apply `act` (replay or purge) to the parked entries named, or to all of them with --all."""
    from services.dlq import find, list_parked

    if not entry_ids and not everything:
        console.print("name entry ids, or use --all")
        raise typer.Exit(2)

    async def action(redis, streams):  # type: ignore[no-untyped-def]
        if everything:
            return await act(redis, await list_parked(redis, streams, limit=1_000_000))
        found = [await find(redis, streams, entry_id) for entry_id in entry_ids or []]
        missing = [i for i, f in zip(entry_ids or [], found, strict=True) if f is None]
        if missing:
            console.print(Text.assemble(("not in any dead-letter stream:", "red"), f" {', '.join(missing)}"))
            raise typer.Exit(1)
        return await act(redis, found)

    console.print(f"{verb} {asyncio.run(_with_dlq(action))}")


@dlq_app.command("list")
def dlq_list(limit: Annotated[int, typer.Option(help="at most this many per stream")] = 100):
    """List parked messages: stream, id, service, error, deliveries."""
    from services.dlq import list_parked

    parked = asyncio.run(_with_dlq(lambda redis, streams: list_parked(redis, streams, limit)))
    table = Table(title=f"{len(parked)} parked messages")
    for column in ("dlq", "id", "service", "error", "deliveries", "failed at"):
        table.add_column(column, overflow="fold")
    for item in parked:
        letter = item.letter
        table.add_row(*map(Text, (item.dlq, item.entry_id, letter.service, f"{letter.error_type}: {letter.error[:120]}",
                                  str(letter.delivery_count), letter.failed_at.isoformat(timespec="seconds"))))
    out.print(table)


@dlq_app.command("show")
def dlq_show(
    entry_id: Annotated[str, typer.Argument(help="the parked entry's id (from dlq list)")],
    payload_only: Annotated[bool, typer.Option("--payload", help="print only the payload (to edit and feed)")] = False,
):
    """Print one parked message: why it was parked, then its original payload."""
    from services.dlq import find, readable_payload

    item = asyncio.run(_with_dlq(lambda redis, streams: find(redis, streams, entry_id)))
    if item is None:
        console.print(Text(f"{entry_id} is in no dead-letter stream", style="red"))
        raise typer.Exit(1)
    if payload_only:
        print(item.letter.payload)
        return
    out.print_json(item.letter.model_dump_json(exclude={"payload"}))
    out.print("[bold]payload[/bold]")
    out.print(readable_payload(item.letter), markup=False, highlight=False)


@dlq_app.command("replay")
def dlq_replay(
    entry_ids: Annotated[list[str] | None, typer.Argument(help="parked entry ids")] = None,
    everything: Annotated[bool, typer.Option("--all", help="replay every parked message")] = False,
    edit: Annotated[bool, typer.Option("--edit", help="fix the payload in $EDITOR before replaying it")] = False,
):
    """Put parked messages back on their stream, with a fresh delivery count (--edit: fix it first)."""
    from services.dlq import edited, readable_payload, replay

    if not edit:
        _act_on_parked(entry_ids, everything, replay, "replayed")
        return
    if everything or len(entry_ids or []) != 1:
        console.print("--edit replays one message: name its id")
        raise typer.Exit(2)

    async def edit_and_replay(redis, parked) -> int:  # type: ignore[no-untyped-def]
        [item] = parked
        text = click.edit(readable_payload(item.letter), extension=".json")
        if text is None:
            console.print("payload not changed: nothing replayed")
            return 0
        return await replay(redis, [edited(item, text)])

    _act_on_parked(entry_ids, False, edit_and_replay, "replayed")


@dlq_app.command("purge")
def dlq_purge(
    entry_ids: Annotated[list[str] | None, typer.Argument(help="parked entry ids")] = None,
    everything: Annotated[bool, typer.Option("--all", help="delete every parked message")] = False,
):
    """Delete parked messages for good."""
    from services.dlq import purge

    _act_on_parked(entry_ids, everything, purge, "purged")


@eval_app.command("seeds")
def evaluate_seeds(
    gold: Annotated[Path, typer.Argument(help="gold annotations (e.g. tests/data/seeds_gold.json)")],
    seeds: Annotated[Path, typer.Option(help="the articles the gold annotates")] = PROJECT_SEEDS,
    model: Annotated[str | None, typer.Option(help="spaCy model (default: NEWSFLOW_SPACY_MODEL)")] = None,
):
    """Run the seeds through normalization and extraction; score entities and events against the gold."""
    from services.evaluation.seeds import evaluate as run_evaluation
    from services.evaluation.seeds import render_report
    from services.extract.nlp import build_nlp

    if not gold.is_file():
        console.print(Text(f"no gold file at {gold}", style="red"))
        raise typer.Exit(2)
    with console.status("loading the spaCy model"):
        nlp = build_nlp(model or ExtractSettings().spacy_model)
    report = run_evaluation(gold, seeds, nlp)
    out.print(render_report(report))
    raise typer.Exit(0 if report.passed else 1)


@eval_app.command("corpus")
def evaluate_corpus(
    path: Annotated[Path, typer.Argument(help="a corpus directory: *.jsonl articles and gold*.json")] = PROJECT_CORPUS,
    json_path: Annotated[Path | None, typer.Option("--json", help="also write the figures to this JSON file")] = None,
):
    """Run a corpus through ingest, extract and store (embedded Redis, fresh SQLite); score the store."""
    from services.evaluation.corpus import CorpusError, load_corpus
    from services.evaluation.report import render, write_json
    from services.evaluation.run import event_view, run_pipeline
    from services.evaluation.scoring import score
    from services.store.identity import types_compatible

    try:
        corpus = load_corpus(path)
    except CorpusError as exc:
        console.print(Text(str(exc), style="red"))
        raise typer.Exit(2) from None
    settings = _fresh_settings("eval")
    with _progress() as progress:
        views, rows, failed = asyncio.run(run_pipeline(corpus.articles, settings, progress))
    if failed:
        console.print(f"[yellow]{len(failed)} articles were rejected or not stored in time:[/yellow]")
        for line in failed[:20]:
            console.print(Text(f"  {line}"))
    scores = score(corpus.gold, views, [event_view(r) for r in rows], types_compatible)
    out.print(render(scores))
    if json_path:
        write_json(scores, json_path)
        console.print(Text(f"wrote {json_path}"))


@db_app.command("upgrade")
def db_upgrade():
    """Apply the migrations to NEWSFLOW_DATABASE_URL (or the embedded SQLite file)."""
    from services.store.db import upgrade

    url = NewsflowSettings().resolved_database_url()
    asyncio.run(upgrade(url))
    console.print("database schema up to date")


def main() -> None:
    """The console script: ordinary problems (Redis or the database down, a bad setting, a taken
    port) end in one line and exit code 1; `--debug` or NEWSFLOW_LOG_LEVEL=DEBUG shows tracebacks."""
    code = run_reporting_errors(app, debug=lambda: debugging(_options["debug"]),
                                report=lambda line: console.print(Text.assemble(("error:", "red"), f" {line}"),
                                                                 soft_wrap=True))
    if code:
        raise SystemExit(code)


if __name__ == "__main__":
    main()
