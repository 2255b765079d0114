"""Store benchmark on Postgres: throughput with dedup, and near-duplicate lookup time vs corpus size.

Runs in a schema of its own (dropped afterwards), prints a table and writes bench/results/store.json.

    .venv/bin/python -m bench.bench_store [--database-url URL] [--articles 5000]

Throughput: synthetic seed-like ExtractedArticles (6 entities, 2 events each, every 10th a
republished copy) stored with `store_many` in batches and with `store` one at a time.
Lookup: the (band, hash) query plus verification for one article, with 10k and then 100k
originals already indexed. The background corpus is bulk-loaded with COPY from random
signatures (real MinHash of real texts is not needed to fill an index; the probes are real).
Event identity: the candidate query plus the identity scores of one report, and the store's CPU
per article, with 10k and then 1M events stored (background events inserted by generate_series
over ten years and fifty countries, with their actors). Beside it, the same lookup in a 10k store
as dense per day as the 1M one (36 days of the same news), asked again at 1M: how the lookup
grows with the store's history alone, the candidates per report being alike. Both 10k stores are
kept beside the 1M one and the lookups are timed in interleaved rounds (--rounds), the median
ratio reported, so that load drift on a shared machine does not decide the ratio. Targets: >= 500
articles/s; near-duplicate lookup at 100k <= 1.5 x at 10k; event lookup and store CPU per article
at 1M events <= 1.5 x at 10k.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import statistics
import time
import uuid
from pathlib import Path

import numpy as np
from sqlalchemy import String, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncEngine

from services.store.db import make_engine, upgrade
from services.store.dedup import NUM_PERM, Fingerprint, band_hashes, best_match, signature_bytes
from services.store.event_identity import DateSpan, EventFacts, choose_event
from services.store.planning import Snapshot
from services.store.reads import candidate_events, lsh_candidates
from services.store.repository import Repository
from tests.integration.store.seed_articles import republished, synthetic_articles

RESULTS = Path(__file__).resolve().parent / "results" / "store.json"
DEFAULT_URL = os.environ.get(
    "NEWSFLOW_TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
WORDS = 400  # a typical news article
TARGET_RATE = 500.0
TARGET_LOOKUP_RATIO = 1.5
EVENT_TYPES = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
               "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]
EVENT_DAYS = 3650  # the background events spread over ten years, as a long-running store's would
# A 10k store as dense per day as the 1M one (274 events a day): a young store of the same news desk.
DENSE_DAYS = 36
# Ten years of events, mostly day-precise, some month- or year-precise; actors among 5,000 people.
_BULK_EVENTS = text("""
    INSERT INTO events (event_id, type, modality, actor_set, date, date_precision, date_start, date_end,
                        first_seen, last_seen, actors, terms)
    SELECT 'bulk' || lpad(i::text, 14, '0'), (CAST(:types AS text[]))[1 + i % 16], 'factual',
           'per:p' || (i % 5000) || '>', d,
           CASE WHEN i % 50 = 0 THEN 'year' WHEN i % 12 = 0 THEN 'month' ELSE 'day' END,
           CASE WHEN i % 50 = 0 THEN date_trunc('year', d)::date WHEN i % 12 = 0 THEN date_trunc('month', d)::date
                ELSE d END,
           CASE WHEN i % 50 = 0 THEN (date_trunc('year', d) + interval '1 year - 1 day')::date
                WHEN i % 12 = 0 THEN (date_trunc('month', d) + interval '1 month - 1 day')::date ELSE d END,
           now(), now(),
           CAST('[["per:p' || (i % 5000) || '", "' || c || '"], ["loc:' || lower(c) || '", "' || c || '"]]' AS json),
           CAST('["attaqu", "villag", "mot' || (i % 997) || '"]' AS json)
    FROM (SELECT i, DATE '2016-01-01' + CAST(i % CAST(:days AS integer) AS integer) AS d,
                 (CAST(:countries AS text[]))[1 + (i % 5000) % 50] AS c
          FROM generate_series(CAST(:first AS integer), CAST(:last AS integer)) AS i) AS s
""").bindparams(bindparam("types", type_=ARRAY(String)), bindparam("countries", type_=ARRAY(String)))
_BULK_ACTORS = text("""
    INSERT INTO event_actors (event_id, entity_key, role)
    SELECT e.event_id, a.value ->> 0, 'source' FROM events AS e, json_array_elements(e.actors) AS a
    WHERE e.event_id BETWEEN :low AND :high
    ON CONFLICT DO NOTHING
""")
_BULK_ENTITIES = text("""
    INSERT INTO entities (key, name, country)
    SELECT DISTINCT a.value ->> 0, a.value ->> 0, a.value ->> 1 FROM events AS e, json_array_elements(e.actors) AS a
    WHERE e.event_id BETWEEN :low AND :high
    ON CONFLICT DO NOTHING
""")
# What the store's event_reach holds for each background event (events.reach_terms): its actors'
# keys and their countries.
_BULK_REACH = text("""
    INSERT INTO event_reach (term, event_id, type, date_precision, date_start)
    SELECT DISTINCT t.term, e.event_id, e.type, e.date_precision, e.date_start
    FROM events AS e, json_array_elements(e.actors) AS a,
         LATERAL (VALUES ('k:' || (a.value ->> 0)), ('c:' || (a.value ->> 1))) AS t(term)
    WHERE e.event_id BETWEEN :low AND :high
    ON CONFLICT DO NOTHING
""")
# Fifty countries the background events happen in, as a wide news desk's would.
COUNTRIES = ["MLI", "BFA", "NER", "SEN", "CIV", "GIN", "TCD", "CMR", "COD", "CAF", "NGA", "SDN", "DZA", "MAR",
             "TUN", "LBY", "EGY", "LBN", "ISR", "PSE", "SYR", "IRN", "IRQ", "SAU", "QAT", "ARE", "TUR", "RUS",
             "UKR", "FRA", "DEU", "GBR", "USA", "CHN", "IND", "BRA", "HTI", "MEX", "ETH", "KEN", "SOM", "MOZ",
             "ZAF", "AGO", "GHA", "TGO", "BEN", "MRT", "GAB", "RWA"]


async def throughput_batched(repository: Repository, articles: list, batch: int) -> tuple[float, float]:
    """Articles per second, and this process's CPU milliseconds per article (load-independent)."""
    started, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(articles), batch):
        await repository.store_many(articles[start : start + batch])
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return len(articles) / elapsed, cpu * 1000 / len(articles)


async def throughput_single(repository: Repository, articles: list, concurrency: int) -> float:
    queue = list(reversed(articles))

    async def worker() -> None:
        while queue:
            await repository.store(queue.pop())

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return len(articles) / (time.perf_counter() - started)


async def bulk_load(engine, schema: str, first: int, count: int, rng: np.random.Generator) -> None:
    """COPY `count` originals with random signatures and their band rows into the index."""
    signatures = rng.integers(0, 2**32, size=(count, NUM_PERM), dtype=np.uint32)
    now = dt.datetime.now(dt.UTC)
    article_rows, band_rows = [], []
    for offset, values in enumerate(signatures):
        article_id = f"bulk{first + offset:012d}"
        article_rows.append(
            (article_id, f"{first + offset:064x}", "bulk", "[]", signature_bytes(values), "unknown", now)
        )
        band_rows.extend((band, band_hash, article_id) for band, band_hash in band_hashes(values))
    async with engine.connect() as conn:
        raw = (await conn.get_raw_connection()).driver_connection
        await raw.copy_records_to_table(
            "articles",
            schema_name=schema,
            records=article_rows,
            columns=[
                "article_id",
                "content_sha256",
                "text",
                "removed",
                "minhash",
                "published_precision",
                "ingested_at",
            ],
        )
        await raw.copy_records_to_table(
            "article_lsh", schema_name=schema, records=band_rows, columns=["band", "hash", "article_id"]
        )
        await conn.execute(text("ANALYZE articles"))
        await conn.execute(text("ANALYZE article_lsh"))
        await conn.commit()


async def lookup_ms(
    engine, probes: list[Fingerprint], threshold: float, containment: float
) -> tuple[float, float, int]:
    """Median and p95 time of one article's candidate query plus verification, and how many matched."""
    timings, matched = [], 0
    async with engine.connect() as conn:
        for warm_up, fingerprint in [(True, p) for p in probes[:20]] + [(False, p) for p in probes]:
            started = time.perf_counter()
            snapshot = Snapshot()
            await lsh_candidates(conn, list(fingerprint.bands), snapshot)
            ids = sorted({a for band in fingerprint.bands for a in snapshot.lsh.get(band, [])})
            match = best_match(fingerprint, [snapshot.originals[a] for a in ids], threshold, containment)
            if not warm_up:
                timings.append((time.perf_counter() - started) * 1000)
                matched += match is not None
        await conn.rollback()
    return statistics.median(timings), float(np.percentile(timings, 95)), matched


async def bulk_events(engine, first: int, count: int, days: int = EVENT_DAYS) -> None:
    """Insert `count` background events over `days` days, in the database itself (generate_series)."""
    bounds = {"low": f"bulk{first:014d}", "high": f"bulk{first + count - 1:014d}"}
    async with engine.begin() as conn:
        await conn.execute(
            _BULK_EVENTS,
            {"types": EVENT_TYPES, "countries": COUNTRIES, "days": days, "first": first,
             "last": first + count - 1},
        )
        await conn.execute(_BULK_ENTITIES, bounds)
        await conn.execute(_BULK_ACTORS, bounds)
        await conn.execute(_BULK_REACH, bounds)
        await conn.execute(text("ANALYZE events"))
        await conn.execute(text("ANALYZE event_reach"))
        await conn.execute(text("ANALYZE event_actors"))


def event_probes(count: int, rng: np.random.Generator, days: int = EVENT_DAYS) -> list[EventFacts]:
    """Reports of real shape (synthetic seed-like events) on random days of the first `days` (the
    ten years), by people of the background's countries, so they meet the candidates a real report would."""
    probes = []
    for article in synthetic_articles(count, seed=5, words=60, duplicate_every=0):
        for event in article.events[:1]:
            day = dt.date(2016, 1, 1) + dt.timedelta(days=int(rng.integers(0, days)))
            facts = EventFacts.of(event, article.title)
            person = int(rng.integers(0, 5000))
            country = COUNTRIES[person % 50]
            actors = frozenset({(f"per:p{person}", country), (f"loc:{country.lower()}", country)})
            probes.append(EventFacts(**{**facts.__dict__, "span": DateSpan.of(day, "day"), "actors": actors}))
    return probes


async def event_lookup_ms(engine, probes: list[EventFacts], window_days: int, threshold: float) -> tuple[float, float]:
    """Median time of one report's candidate query plus its identity scores, and candidates per report."""
    timings, candidates = [], []
    async with engine.connect() as conn:
        for warm_up, report in [(True, p) for p in probes[:20]] + [(False, p) for p in probes]:
            started = time.perf_counter()
            known = await candidate_events(conn, [report], window_days)
            choose_event(report, known, window_days, threshold)
            if not warm_up:
                timings.append((time.perf_counter() - started) * 1000)
                candidates.append(len(known))
        await conn.rollback()
    return statistics.median(timings), statistics.mean(candidates)


async def _throughputs(repository: Repository, count: int, results: dict) -> tuple[list, int]:
    """Batched, one-by-one and concurrent store rates; returns the batched articles (the originals)
    and how many articles were stored."""
    batched = synthetic_articles(count, seed=1, words=WORDS)
    single = synthetic_articles(max(count // 5, 200), seed=2, words=WORDS)
    concurrent = synthetic_articles(max(count // 5, 200), seed=4, words=WORDS)
    rate, cpu_ms = await throughput_batched(repository, batched, 100)
    results["store_many_batch_100_per_s"], results["store_many_client_cpu_ms_per_article"] = rate, cpu_ms
    results["store_one_by_one_per_s"] = await throughput_single(repository, single, 1)
    results["store_8_concurrent_per_s"] = await throughput_single(repository, concurrent, 8)
    return batched, count + len(single) + len(concurrent)


async def _near_duplicates(
    engine, schema: str, repository: Repository, stored: tuple[list, int], rng: np.random.Generator, results: dict
) -> None:
    """The LSH lookup with 10k, then 100k originals indexed."""
    batched, existing = stored
    originals = [a for index, a in enumerate(batched[:120]) if index % 10 != 9][:100]
    probes = [Fingerprint.of(republished(a).text) for a in originals]  # near copies of stored originals
    unseen = synthetic_articles(100, seed=99, words=WORDS, duplicate_every=0)
    probes += [Fingerprint.of(a.text) for a in unseen]
    await bulk_load(engine, schema, 0, 10_000 - existing, rng)
    limits = repository.near_duplicate_threshold, repository.near_duplicate_containment
    results["lookup_10k_median_ms"], results["lookup_10k_p95_ms"], matched_10k = await lookup_ms(
        engine, probes, *limits
    )
    started = time.perf_counter()
    await bulk_load(engine, schema, 10_000, 90_000, rng)
    results["bulk_load_90k_s"] = time.perf_counter() - started
    results["lookup_100k_median_ms"], results["lookup_100k_p95_ms"], matched_100k = await lookup_ms(
        engine, probes, *limits
    )
    results["lookup_probes_matched"] = [matched_10k, matched_100k]


async def _background_store(url: str, schema: str, days: int) -> AsyncEngine:
    """A schema of its own holding 10k background events over `days` days (the caller disposes and drops it)."""
    await upgrade(url, schema=schema)
    engine = make_engine(url, schema=schema)
    await bulk_events(engine, 0, 10_000, days)
    return engine


async def _interleaved_lookups(
    pairs: dict[str, tuple[AsyncEngine, AsyncEngine, list[EventFacts]]], window: int, threshold: float, rounds: int
) -> dict[str, dict]:
    """Each pair's small and large store asked in turn, `rounds` times, so that load drift on a
    shared machine hits both alike; per pair the median times, candidates and the median ratio."""
    timings: dict[str, list[tuple[float, float]]] = {name: [] for name in pairs}
    candidates: dict[str, tuple[float, float]] = {}
    for _ in range(rounds):
        for name, (small, large, probes) in pairs.items():
            small_ms, small_candidates = await event_lookup_ms(small, probes, window, threshold)
            large_ms, large_candidates = await event_lookup_ms(large, probes, window, threshold)
            timings[name].append((small_ms, large_ms))
            candidates[name] = (small_candidates, large_candidates)
    return {
        name: {
            "small_ms": statistics.median(s for s, _ in pair_timings),
            "large_ms": statistics.median(large for _, large in pair_timings),
            "candidates": candidates[name],
            "ratio": statistics.median(large / s for s, large in pair_timings),
            "ratios": [large / s for s, large in pair_timings],
        }
        for name, pair_timings in timings.items()
    }


async def _event_identity(
    url: str, engine, schema: str, repository: Repository, rng: np.random.Generator, results: dict, rounds: int
) -> None:
    """Candidate lookup and store CPU with 10k, then 1M events stored. The 10k stores (the ten-year
    layout, and one as dense per day as the 1M store) stay beside the 1M one, so that the lookups
    are timed in interleaved rounds."""
    window, threshold = repository.event_window_days, repository.event_match_threshold
    reports = event_probes(200, rng)
    dense_probes = event_probes(200, np.random.default_rng(1), DENSE_DAYS)
    await bulk_events(engine, 0, 10_000 - await _count_events(engine))
    results["store_cpu_ms_per_article_10k_events"] = (
        await throughput_batched(repository, synthetic_articles(300, seed=11, words=WORDS), 100)
    )[1]
    small = {"ten_years": (f"{schema}_10k", EVENT_DAYS), "dense": (f"{schema}_dense", DENSE_DAYS)}
    engines = {name: await _background_store(url, small_schema, days) for name, (small_schema, days) in small.items()}
    try:
        started = time.perf_counter()
        await bulk_events(engine, 10_000, 1_000_000 - await _count_events(engine))
        results["bulk_load_events_s"] = time.perf_counter() - started
        lookups = await _interleaved_lookups(
            {"ten_years": (engines["ten_years"], engine, reports), "dense": (engines["dense"], engine, dense_probes)},
            window, threshold, rounds,
        )
    finally:
        for name, small_engine in engines.items():
            await small_engine.dispose()
            await _drop(url, small[name][0])
    results["event_lookup_rounds"] = rounds
    for name, lookup, candidates in (("ten_years", "event_lookup", "event_candidates"),
                                     ("dense", "event_lookup_dense", "event_candidates_dense")):
        measured = lookups[name]
        results[f"{lookup}_10k_median_ms"] = measured["small_ms"]
        results[f"{lookup}_1m_median_ms"] = measured["large_ms"]
        results[f"{candidates}_10k"], results[f"{candidates}_1m"] = measured["candidates"]
        results[f"{lookup}_ratio_1m_vs_10k"] = measured["ratio"]
        results[f"{lookup}_round_ratios"] = measured["ratios"]
    results["store_cpu_ms_per_article_1m_events"] = (
        await throughput_batched(repository, synthetic_articles(300, seed=12, words=WORDS), 100)
    )[1]


def _ratios(results: dict) -> None:
    results["lookup_ratio_100k_vs_10k"] = results["lookup_100k_median_ms"] / results["lookup_10k_median_ms"]
    results["store_cpu_ratio_1m_vs_10k"] = (
        results["store_cpu_ms_per_article_1m_events"] / results["store_cpu_ms_per_article_10k_events"]
    )
    results["targets"] = {
        "store_rate_per_s": TARGET_RATE,
        "lookup_ratio": TARGET_LOOKUP_RATIO,
        "store_many_meets_rate": results["store_many_batch_100_per_s"] >= TARGET_RATE,
        "lookup_meets_ratio": results["lookup_ratio_100k_vs_10k"] <= TARGET_LOOKUP_RATIO,
        "event_lookup_meets_ratio": results["event_lookup_ratio_1m_vs_10k"] <= TARGET_LOOKUP_RATIO,
        "store_cpu_meets_ratio": results["store_cpu_ratio_1m_vs_10k"] <= TARGET_LOOKUP_RATIO,
    }


async def _drop(url: str, schema: str) -> None:
    admin = make_engine(url)
    async with admin.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    await admin.dispose()


async def run(url: str, count: int, rounds: int = 5) -> dict:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    await upgrade(url, schema=schema)
    engine = make_engine(url, schema=schema)
    results: dict = {"database": "postgresql", "schema": schema, "articles": count}
    try:
        repository = Repository(engine)
        stored = await _throughputs(repository, count, results)
        rng = np.random.default_rng(0)  # the near-duplicate loads, then the event probes
        await _near_duplicates(engine, schema, repository, stored, rng, results)
        await _event_identity(url, engine, schema, repository, rng, results, rounds)
        async with engine.connect() as conn:
            results["indexed_articles"] = await conn.scalar(
                text("SELECT count(DISTINCT article_id) FROM article_lsh")
            )
            results["lsh_rows"] = await conn.scalar(text("SELECT count(*) FROM article_lsh"))
    finally:
        await engine.dispose()
        await _drop(url, schema)
    _ratios(results)
    return results


async def _count_events(engine) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(text("SELECT count(*) FROM events")))


def _spread(ratios: list[float]) -> str:
    return f"{min(ratios):.2f} to {max(ratios):.2f}"


def print_table(results: dict) -> None:
    rows = [
        ("store_many, batches of 100", f"{results['store_many_batch_100_per_s']:.0f} articles/s", ">= 500/s"),
        (
            "  client CPU per article",
            f"{results['store_many_client_cpu_ms_per_article']:.2f} ms (Python side only)",
            "",
        ),
        ("store, one at a time", f"{results['store_one_by_one_per_s']:.0f} articles/s", ""),
        ("store, 8 concurrent calls", f"{results['store_8_concurrent_per_s']:.0f} articles/s", ""),
        (
            "near-dup lookup @ 10k",
            f"{results['lookup_10k_median_ms']:.2f} ms median, {results['lookup_10k_p95_ms']:.2f} ms p95",
            "",
        ),
        (
            "near-dup lookup @ 100k",
            f"{results['lookup_100k_median_ms']:.2f} ms median, {results['lookup_100k_p95_ms']:.2f} ms p95",
            "",
        ),
        ("lookup ratio 100k / 10k", f"{results['lookup_ratio_100k_vs_10k']:.2f}", "<= 1.5"),
        ("copies found @10k, @100k", f"{results['lookup_probes_matched']}", "[100, 100]; 100 new: none"),
        ("bulk load 90k originals", f"{results['bulk_load_90k_s']:.1f} s", ""),
        (
            "event candidates + scores @ 10k events",
            f"{results['event_lookup_10k_median_ms']:.2f} ms median, {results['event_candidates_10k']:.1f} candidates",
            "",
        ),
        (
            "event candidates + scores @ 1M events",
            f"{results['event_lookup_1m_median_ms']:.2f} ms median, {results['event_candidates_1m']:.1f} candidates",
            "",
        ),
        ("event lookup ratio 1M / 10k", f"{results['event_lookup_ratio_1m_vs_10k']:.2f} (median of "
         f"{results['event_lookup_rounds']} rounds: {_spread(results['event_lookup_round_ratios'])})", "<= 1.5"),
        (
            "  same density: 10k over 36 days, 1M",
            f"{results['event_lookup_dense_10k_median_ms']:.2f}, {results['event_lookup_dense_1m_median_ms']:.2f} ms, "
            f"{results['event_candidates_dense_10k']:.1f}, {results['event_candidates_dense_1m']:.1f} candidates",
            "",
        ),
        ("  same density ratio 1M / 10k", f"{results['event_lookup_dense_ratio_1m_vs_10k']:.2f} "
         f"({_spread(results['event_lookup_dense_round_ratios'])})", ""),
        (
            "store CPU per article @ 10k, 1M events",
            f"{results['store_cpu_ms_per_article_10k_events']:.2f}, "
            f"{results['store_cpu_ms_per_article_1m_events']:.2f} ms",
            "",
        ),
        ("store CPU ratio 1M / 10k", f"{results['store_cpu_ratio_1m_vs_10k']:.2f}", "<= 1.5"),
        ("bulk load events to 1M", f"{results['bulk_load_events_s']:.1f} s", ""),
    ]
    width = max(len(name) for name, _, _ in rows)
    print(f"{'measure':<{width}}  {'result':<34}  target")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:<34}  {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--articles", type=int, default=5000, help="articles for the batched throughput run")
    parser.add_argument("--rounds", type=int, default=5,
                        help="interleaved rounds of the event lookups at 10k and 1M (the median ratio is reported)")
    args = parser.parse_args()
    results = asyncio.run(run(args.database_url, args.articles, args.rounds))
    results["measured_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    results["cpus"] = os.cpu_count()
    results["load_average_1m"] = round(os.getloadavg()[0], 2)  # other work on a shared machine skews rates
    print_table(results)
    print(f"{results['cpus']} CPUs, load average {results['load_average_1m']} (Postgres shares these CPUs)")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written {RESULTS}")


if __name__ == "__main__":
    main()
