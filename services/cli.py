"""The `newsflow` command: feed articles, run the services, demo, export, evaluate."""

from __future__ import annotations

import asyncio
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from services.cli_console import PROJECT_SEEDS, console, out, progress_bar
from services.cli_dlq import dlq_app
from services.cli_errors import debugging, one_line, run_reporting_errors
from services.cli_eval import eval_app
from services.cli_feed import feed_articles, feed_exit_code, print_feed_summary
from services.common.settings import ExtractSettings, NewsflowSettings
from services.status import status_command

app = typer.Typer(help="newsflow: news articles in; deduplicated articles, entities and events out.",
                  no_args_is_help=True, pretty_exceptions_show_locals=False)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(dlq_app, name="dlq")
app.add_typer(eval_app, name="eval")
app.command("status")(status_command)
_options = {"debug": False}


@app.callback()
def _global_options(
    debug: Annotated[bool, typer.Option("--debug", help="show the traceback of any error")] = False,
) -> None:
    """newsflow: news articles in; deduplicated articles, entities and events out."""
    _options["debug"] = debug


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
    with progress_bar() as progress:
        feeding = asyncio.run(feed_articles(paths, settings, progress, stdin_id))
    print_feed_summary(feeding)
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


@app.command()
def demo(
    paths: Annotated[list[str] | None, typer.Argument(help="articles to feed (default: seeds/)")] = None,
    timeout: Annotated[float, typer.Option(help="seconds to wait for the last article, at least")] = 120.0,
):
    """Run the three services here, feed articles, wait until all are stored, print them."""
    from services.cli_demo import run_demo

    raise typer.Exit(asyncio.run(run_demo(paths or [str(PROJECT_SEEDS)], timeout)))


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
    from services.store.timeline import timeline

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
