"""A store replica in its own process, for the concurrency test: stores a list of articles, prints records.

Usage: python -m tests.integration.store.store_worker URL SCHEMA START_AT BATCH
Waits until the wall clock reaches START_AT (so two workers begin together), stores
`concurrency_articles()` in batches of BATCH (1: one store() per article) and prints one
StoredRecord JSON a line.
"""

from __future__ import annotations

import asyncio
import sys
import time

from services.common.contracts import ExtractedArticle
from services.store.db import make_engine
from services.store.repository import Repository
from tests.integration.store.seed_articles import republished, seed_000, seed_articles, synthetic_articles


def concurrency_articles() -> list[ExtractedArticle]:
    """Seeds, a copy of a seed, and synthetic articles whose events often share keys (contention)."""
    return [*seed_articles(), republished(seed_000()), *synthetic_articles(60, seed=7, people=8)]


async def run(url: str, schema: str, start_at: float, batch: int) -> None:
    articles = concurrency_articles()
    engine = make_engine(url, schema=schema or None)
    repository = Repository(engine)
    await asyncio.sleep(max(0.0, start_at - time.time()))
    for start in range(0, len(articles), batch):
        for record in await repository.store_many(articles[start : start + batch]):
            print(record.model_dump_json(), flush=True)
    await engine.dispose()


if __name__ == "__main__":
    asyncio.run(run(sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])))
