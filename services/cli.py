"""The `newsflow` command: feed articles, run the services, demo, export, evaluate."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from collections import Counter
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from services.common.contracts import RAW, RawArticle
from services.common.settings import IngestSettings, NewsflowSettings
from services.status import status_command

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


async def _feed(paths: list[str], settings: NewsflowSettings, progress: Progress) -> tuple[list[RawArticle], list]:
    """Read and publish in chunks; returns what was fed and what was rejected."""
    from redis.asyncio import Redis

    from services.common.broker import redis_url
    from services.feed import Rejected, publish, read_sources

    limit = IngestSettings().max_text_bytes
    fed: list[RawArticle] = []
    rejected: list[Rejected] = []
    chunk: list[RawArticle] = []
    task = progress.add_task("fed", total=None)
    redis = Redis.from_url(redis_url(settings))
    try:
        for item in read_sources(paths):
            if isinstance(item, Rejected):
                rejected.append(item)
                continue
            size = len((item.text or item.html or "").encode("utf-8", errors="replace"))
            if size > limit:
                rejected.append(Rejected(item.external_id or "-", f"{size} bytes, over the {limit}-byte limit"))
                continue
            chunk.append(item)
            if len(chunk) >= 200:
                await publish(redis, settings.stream(RAW), chunk)
                fed += chunk
                progress.update(task, advance=len(chunk))
                chunk = []
        if chunk:
            await publish(redis, settings.stream(RAW), chunk)
            fed += chunk
            progress.update(task, advance=len(chunk))
        progress.update(task, total=len(fed))
    finally:
        await redis.aclose()
    return fed, rejected


def _print_feed_summary(fed: list[RawArticle], rejected: list) -> None:
    console.print(f"[bold]fed {len(fed)}[/bold], rejected {len(rejected)}")
    for item in rejected:
        console.print(f"  [red]rejected[/red] {item.where}: {item.reason}")


@app.command()
def feed(paths: Annotated[list[str], typer.Argument(help=".txt/.html files, directories, .jsonl, or - for stdin")]):
    """Publish articles to articles.raw (the services pick them up)."""
    settings = NewsflowSettings()
    with _progress() as progress:
        fed, rejected = asyncio.run(_feed(paths, settings, progress))
    _print_feed_summary(fed, rejected)
    if not fed and rejected:
        raise typer.Exit(1)


@app.command()
def run(
    service: Annotated[ServiceChoice, typer.Argument(help="which service to run")],
    workers: Annotated[
        int | None, typer.Option(min=1, help="extract only: load the model once, fork N workers sharing it")
    ] = None,
):
    """Run one service (or all three in this process) until SIGINT/SIGTERM."""
    if workers is not None:
        if service.value != "extract":
            raise typer.BadParameter("--workers is for `newsflow run extract`", param_hint="--workers")
        from services.workers import run_extract_workers

        raise typer.Exit(run_extract_workers(workers))
    from services.runner import make_app

    asyncio.run(make_app(service.value).run())


def _fresh_environment(name: str) -> NewsflowSettings:
    """A fresh embedded Redis and SQLite under data_dir/<name>, unless URLs are configured."""
    os.environ.setdefault("NEWSFLOW_LOG_LEVEL", "WARNING")  # progress bars and a table, not logs
    os.environ.setdefault("NEWSFLOW_HTTP_ENABLED", "false")  # and no ports needed
    settings = NewsflowSettings()
    if not settings.redis_url and not settings.database_url:
        run_dir = settings.data_dir / name
        shutil.rmtree(run_dir, ignore_errors=True)
        os.environ["NEWSFLOW_DATA_DIR"] = str(run_dir)
        settings = NewsflowSettings()
    return settings


async def _demo(paths: list[str], timeout: float) -> int:
    from redis.asyncio import Redis

    from services.common.broker import redis_url, stop_embedded_redis
    from services.demo import Tracker, outcomes_for
    from services.runner import make_app

    settings = _fresh_environment("demo")
    started = asyncio.get_running_loop().time()
    console.print(f"[bold]newsflow demo[/bold]: Redis {'configured' if settings.redis_url else 'embedded'}, "
                  f"database {'configured' if settings.database_url else settings.resolved_database_url()}")
    service_app = make_app("all", settings)
    async with service_app:
        redis = Redis.from_url(redis_url(settings))
        tracker = Tracker(redis, settings)
        await tracker.mark()
        with _progress() as progress:
            fed, rejected = await _feed(paths, settings, progress)
            outcomes = outcomes_for(fed)
            await tracker.collect(outcomes, timeout_s=max(timeout, 2.0 * len(fed)), progress=progress)
        await redis.aclose()
    stop_embedded_redis()
    elapsed = asyncio.get_running_loop().time() - started
    _print_feed_summary(fed, rejected)
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
        name = outcome.article.external_id or outcome.article.trace_id[:8]
        if outcome.rejection:
            table.add_row(name, "-", f"rejected: {outcome.rejection.get('error', '')[:80]}", "", "", "", "")
            continue
        if not outcome.record:
            table.add_row(name, "-", "not stored in time", "", "", "", "")
            continue
        record = outcome.record
        info = overview.get(record["article_id"], {})
        status = record["status"] + (f" of {record['duplicate_of']}" if record.get("duplicate_of") else "")
        events = ", ".join(f"{e['type']} ({e['status']}, {e['sources']} src)" for e in record["events"])
        table.add_row(name, record["article_id"], status, info.get("published", ""), info.get("source", "") or "",
                      ", ".join(info.get("entities", [])), events)
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


@app.command()
def events(
    since: Annotated[str | None, typer.Option(help="only from this ISO date on")] = None,
    event_type: Annotated[str | None, typer.Option("--type", help="only this PLOVER event type")] = None,
    entity: Annotated[str | None, typer.Option(help="only events involving this entity key or name")] = None,
    limit: Annotated[int | None, typer.Option(help="at most this many events")] = None,
):
    """Print a readable timeline of the stored events: date, type, actors, location, sources."""
    import datetime as dt

    from services.store.db import make_engine
    from services.store.export import timeline

    async def collect() -> list:
        engine = make_engine(NewsflowSettings().resolved_database_url())
        try:
            return await timeline(engine, since=dt.date.fromisoformat(since) if since else None,
                                  event_type=event_type, entity=entity, limit=limit)
        finally:
            await engine.dispose()

    rows = asyncio.run(collect())
    table = Table(title=f"{len(rows)} events")
    for column in ("date", "type", "actors", "location", "sources"):
        table.add_column(column, overflow="fold")
    for row in rows:
        when = f"{row.date or '?'}" + ("" if row.date_precision == "day" else f" ({row.date_precision})")
        kind = row.type + ("" if row.modality == "factual" else f" [{row.modality}]")
        table.add_row(when, kind, ", ".join(row.actors), row.location or "", str(row.sources))
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
            console.print(f"[red]not in any dead-letter stream:[/red] {', '.join(missing)}")
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
        table.add_row(item.dlq, item.entry_id, letter.service, f"{letter.error_type}: {letter.error[:120]}",
                      str(letter.delivery_count), letter.failed_at.isoformat(timespec="seconds"))
    out.print(table)


@dlq_app.command("show")
def dlq_show(entry_id: Annotated[str, typer.Argument(help="the parked entry's id (from dlq list)")]):
    """Print one parked message in full, with its original payload."""
    from services.dlq import find

    item = asyncio.run(_with_dlq(lambda redis, streams: find(redis, streams, entry_id)))
    if item is None:
        console.print(f"[red]{entry_id} is in no dead-letter stream[/red]")
        raise typer.Exit(1)
    out.print_json(item.letter.model_dump_json())


@dlq_app.command("replay")
def dlq_replay(
    entry_ids: Annotated[list[str] | None, typer.Argument(help="parked entry ids")] = None,
    everything: Annotated[bool, typer.Option("--all", help="replay every parked message")] = False,
):
    """Put parked messages back on their stream, with a fresh delivery count."""
    from services.dlq import replay

    _act_on_parked(entry_ids, everything, replay, "replayed")


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
    from services.common.settings import ExtractSettings
    from services.extract.evaluate import evaluate as run_evaluation
    from services.extract.evaluate import render_report
    from services.extract.nlp import build_nlp

    if not gold.is_file():
        console.print(f"[red]no gold file at {gold}[/red]")
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
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    settings = _fresh_environment("eval")
    with _progress() as progress:
        views, rows, failed = asyncio.run(run_pipeline(corpus.articles, settings, progress))
    if failed:
        console.print(f"[yellow]{len(failed)} articles were rejected or not stored in time:[/yellow]")
        for line in failed[:20]:
            console.print(f"  {escape(line)}")
    scores = score(corpus.gold, views, [event_view(r) for r in rows], types_compatible)
    out.print(render(scores))
    if json_path:
        write_json(scores, json_path)
        console.print(f"wrote {json_path}")


@db_app.command("upgrade")
def db_upgrade():
    """Apply the migrations to NEWSFLOW_DATABASE_URL (or the embedded SQLite file)."""
    from services.store.db import upgrade

    url = NewsflowSettings().resolved_database_url()
    asyncio.run(upgrade(url))
    console.print("database schema up to date")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
