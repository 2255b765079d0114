"""`newsflow demo`: run the three services in this process, feed articles, wait, print a table."""

from __future__ import annotations

import asyncio
from collections import Counter

from redis.asyncio import Redis
from rich.table import Table
from rich.text import Text

from services.cli_console import console, fresh_settings, out, progress_bar
from services.cli_feed import feed_articles, print_feed_summary
from services.common.contracts import StoredRecord
from services.common.settings import NewsflowSettings
from services.demo import Outcome, Tracker, outcomes_for


async def run_demo(paths: list[str], timeout: float) -> int:
    """Feed `paths` through the three services in this process; print what became of each article.
    Exits 1 when some article was neither stored nor rejected in time."""
    from services.bootstrap import bootstrap
    from services.common.broker import redis_url, stop_embedded_redis

    settings = fresh_settings("demo")
    started = asyncio.get_running_loop().time()
    console.print(f"[bold]newsflow demo[/bold]: Redis {'configured' if settings.redis_url else 'embedded'}, "
                  f"database {'configured' if settings.database_url else settings.resolved_database_url()}")
    service_app = bootstrap(settings)
    async with service_app:
        redis = Redis.from_url(redis_url(settings))
        tracker = Tracker(redis, settings)
        await tracker.mark()
        with progress_bar() as progress:
            feeding = await feed_articles(paths, settings, progress)
            outcomes = outcomes_for(feeding.fed)
            await tracker.collect(outcomes, timeout_s=max(timeout, 2.0 * len(feeding.fed)), progress=progress)
        await redis.aclose()
    stop_embedded_redis()
    elapsed = asyncio.get_running_loop().time() - started
    print_feed_summary(feeding)
    await print_demo_table(outcomes, settings)
    counts = Counter(o.state for o in outcomes.values())
    console.print(f"[bold]{counts['stored']} stored[/bold], {counts['rejected']} rejected in the pipeline, "
                  f"{counts['missing']} not done in time; {elapsed:.1f} s")
    return 0 if counts["missing"] == 0 else 1


def record_cells(record: StoredRecord) -> tuple[str, str]:
    """A stored article's status ("duplicate of …") and its events, as the demo table shows them."""
    status = record.status + (f" of {record.duplicate_of}" if record.duplicate_of else "")
    events = ", ".join(f"{e.type} ({e.status}, {e.sources} src)" for e in record.events)
    return status, events


async def print_demo_table(outcomes: dict[str, Outcome], settings: NewsflowSettings) -> None:
    from services.store.db import make_engine
    from services.store.overview import article_overview

    ids = [o.record.article_id for o in outcomes.values() if o.record]
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
            table.add_row(name, "-", Text(f"rejected: {outcome.rejection.error[:80]}"), "", "", "", "")
            continue
        if not outcome.record:
            table.add_row(name, "-", "not stored in time", "", "", "", "")
            continue
        record = outcome.record
        info = overview.get(record.article_id, {})
        status, events = record_cells(record)
        table.add_row(name, *map(Text, (record.article_id, status, str(info.get("published", "")),
                                         info.get("source", "") or "", ", ".join(info.get("entities", [])), events)))
    out.print(table)
