"""Run a corpus through the whole pipeline (ingest → extract → store) and read what the store made.

The services run in this process on the settings given (the embedded Redis and a fresh SQLite
file unless URLs are set), bootstrapped exactly as `newsflow demo` runs them; the store is then read through
the export format, the way a user would read it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import tempfile
from pathlib import Path

from redis.asyncio import Redis
from rich.progress import Progress

from services.common.contracts import RAW, RawArticle, StoredRecord
from services.common.settings import NewsflowSettings
from services.evaluation.corpus import load_corpus
from services.evaluation.scoring import Scores, StoredArticleView, StoredEventView, score
from services.store.event_identity import types_compatible

CHUNK = 200
CORPUS = Path(__file__).resolve().parents[2] / "tests" / "data" / "corpus"


def event_view(row: dict) -> StoredEventView:
    """The scorer's view of one exported event row."""
    return StoredEventView(
        event_id=row["event_id"],
        type=row["type"],
        date=dt.date.fromisoformat(row["date"][:10]) if row.get("date") else None,
        precision=row.get("date_precision") or "unknown",
        actors=tuple(f"{a['key']} {a.get('name') or ''}" for a in row.get("actors", [])),
        sources=frozenset(s["article_id"] for s in row.get("sources", [])),
    )


async def run_pipeline(
    articles: list[RawArticle], settings: NewsflowSettings, progress: Progress | None = None, timeout_s: float = 600
) -> tuple[list[StoredArticleView], list[dict], list[str]]:
    """Feed the articles, wait for each one's record, export the events; returns the articles the
    store reported, the exported event rows, and the external ids that were rejected or timed out."""
    from services.bootstrap import bootstrap
    from services.common.broker import redis_url, stop_embedded_redis
    from services.demo import Tracker, outcomes_for
    from services.feed import publish
    from services.store.db import make_engine
    from services.store.export import export_rows

    outcomes = outcomes_for(articles)
    service_app = bootstrap(settings)
    async with service_app:
        redis = Redis.from_url(redis_url(settings))
        try:
            tracker = Tracker(redis, settings)
            await tracker.mark()
            for start in range(0, len(articles), CHUNK):
                await publish(redis, settings.stream(RAW), articles[start : start + CHUNK])
            await tracker.collect(outcomes, timeout_s=timeout_s, progress=progress)
        finally:
            await redis.aclose()
    stop_embedded_redis()
    engine = make_engine(settings.resolved_database_url())
    try:
        rows = [row async for row in export_rows(engine, "events")]
        published = {row["article_id"]: row async for row in export_rows(engine, "articles")}
    finally:
        await engine.dispose()
    views, failed = [], []
    for outcome in outcomes.values():
        external_id = outcome.article.external_id or outcome.article.trace_id
        if outcome.record is None:
            why = outcome.rejection.error if outcome.rejection else "not stored in time"
            failed.append(f"{external_id}: {why[:160]}")
            continue
        record = outcome.record
        views.append(article_view(external_id, record, published.get(record.article_id, {})))
    return views, rows, failed


def article_view(external_id: str, record: StoredRecord, row: dict) -> StoredArticleView:
    """The scorer's view of one fed article: its record, and its stored row when it has one."""
    value = row.get("published_at")
    return StoredArticleView(
        external_id,
        record.article_id,
        record.duplicate_of,
        dt.date.fromisoformat(value[:10]) if value else None,
        row.get("published_precision") or "unknown",
    )


def evaluate_corpus(path: Path = CORPUS) -> Scores:
    """The corpus scored on a fresh embedded Redis and SQLite in a temporary directory (benchmarks,
    the regression test), whatever the environment says: the settings are passed down, and the
    environment is neither read for the URLs nor changed."""
    corpus = load_corpus(path)
    with tempfile.TemporaryDirectory(prefix="newsflow-eval-") as workdir:
        settings = NewsflowSettings(http_enabled=False, log_level="WARNING", data_dir=Path(workdir),
                                    redis_url=None, database_url=None)
        views, rows, failed = asyncio.run(run_pipeline(corpus.articles, settings))
    if failed:
        raise RuntimeError(f"{len(failed)} corpus articles were not stored: {failed[:5]}")
    return score(corpus.gold, views, [event_view(r) for r in rows], types_compatible)
