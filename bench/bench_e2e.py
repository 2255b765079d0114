"""End to end on the real Redis and Postgres: throughput, latency at half load, memory; the spaCy limit beside it.

Services run as separate processes (1 ingest, 2 extract replicas (--extract-replicas), 1 store) on a fresh stream
prefix and a Postgres database of their own (created, then dropped). In the same run:

- limit: raw `nlp.pipe` of the same pipeline (build_nlp), batch size and texts (the first
  `limit_articles` of the corpus, normalized as ingest does), in one process and in two (before
  and after the pipeline run, averaged); the bare model in one, for context;
- throughput: N distinct articles (bench/corpus.py) XADDed at once on articles.raw, timed
  until N records are on records.stored;
- latency: articles fed one by one at half that throughput for `latency_seconds`; each one's
  latency is from its articles.raw entry id to the records.stored entry id carrying its
  trace_id (both stamped by the Redis server clock);
- peak RSS of each service process, sampled every 0.25 s, and CPU per article per service.

Targets: throughput >= 0.8 x the two-process limit; p99 latency at half load < 2 s. The CPU ratio
(nlp.pipe CPU per article / the four services' CPU per article) is the same comparison made
insensitive to other work on a shared machine.

    .venv/bin/python -m bench.bench_e2e [--articles 2000] [--latency-seconds 60] [--limit-articles 300]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any

import numpy as np
import redis

from bench.corpus import variations
from bench.limit import pipe_limit
from bench.procs import Sampler, postgres_database, running_services, wait_for_length
from bench.report import machine, mark, print_table, write
from services.common.broker import entry_fields
from services.common.contracts import RAW, STORED, RawArticle
from services.common.settings import NewsflowSettings
from services.ingest.normalize import normalize_article


def services(extract_replicas: int) -> list[tuple[str, str]]:
    """(key, service) of each process: 1 ingest, the extract replicas, 1 store."""
    return [("ingest", "ingest"), *((f"extract-{i}", "extract") for i in range(1, extract_replicas + 1)),
            ("store", "store")]

TARGET_THROUGHPUT_RATIO = 0.8
TARGET_P99_S = 2.0
WARM_UP = 20


def entry_ms(entry_id: bytes) -> int:
    return int(entry_id.split(b"-")[0])


def feed_all(client: redis.Redis, stream: str, articles: list[RawArticle], chunk: int = 500) -> None:
    for start in range(0, len(articles), chunk):
        with client.pipeline(transaction=False) as pipe:
            for article in articles[start : start + chunk]:
                pipe.xadd(stream, entry_fields(article))  # type: ignore[arg-type]
            pipe.execute()


def feed_paced(client: redis.Redis, stream: str, articles: list[RawArticle], rate: float) -> dict[str, int]:
    """XADD one article every 1/rate s (on an absolute schedule); trace_id -> articles.raw entry ms."""
    fed: dict[str, int] = {}
    started = time.monotonic()
    for index, article in enumerate(articles):
        delay = started + index / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        fed[article.trace_id] = entry_ms(client.xadd(stream, entry_fields(article)))  # type: ignore[arg-type]
    return fed


def stored_records(client: redis.Redis, stream: str) -> list[tuple[int, dict[str, Any]]]:
    return [(entry_ms(entry_id), json.loads(fields[b"__data__"])) for entry_id, fields in client.xrange(stream)]


def percentiles(values: list[float]) -> dict[str, float]:
    return {f"p{p}": float(np.percentile(values, p)) for p in (50, 95, 99)} | {"max": max(values)}


def measure_pipeline(
    corpus: list[RawArticle], latency_seconds: float, batch_size: int | None, database_url: str,
    extract_replicas: int = 2,
) -> dict[str, Any]:
    env = {"NEWSFLOW_DATABASE_URL": database_url}
    if batch_size:
        env["NEWSFLOW_BATCH_SIZE"] = str(batch_size)
    with running_services(services(extract_replicas), env) as (pipeline, client), Sampler(pipeline) as sampler:
        settings = NewsflowSettings(stream_prefix=pipeline.prefix)
        raw, stored = settings.stream(RAW), settings.stream(STORED)
        next_index = len(corpus)
        feed_all(client, raw, variations(WARM_UP, start=next_index))
        next_index += WARM_UP
        wait_for_length(client, stored, WARM_UP, timeout=300)

        cpu = sampler.cpu_seconds()
        started = time.monotonic()
        feed_all(client, raw, corpus)
        finished = wait_for_length(client, stored, WARM_UP + len(corpus), timeout=120 + 2 * len(corpus))
        cpu = {key: seconds - cpu[key] for key, seconds in sampler.cpu_seconds().items()}
        throughput = len(corpus) / (finished - started)

        rate = throughput / 2
        paced = variations(max(int(rate * latency_seconds), 20), start=next_index)
        fed = feed_paced(client, raw, paced, rate)
        wait_for_length(client, stored, WARM_UP + len(corpus) + len(paced), timeout=120 + 2 * len(paced))
        records = stored_records(client, stored)
    latencies = [(ms - fed[record["trace_id"]]) / 1000 for ms, record in records if record.get("trace_id") in fed]
    statuses = [record["status"] for _, record in records]
    return {
        "articles": len(corpus),
        "throughput": {
            "seconds": finished - started,
            "articles_per_s": throughput,
            "cpu_ms_per_article": {key: seconds * 1000 / len(corpus) for key, seconds in cpu.items()},
        },
        "latency": {
            "offered_per_s": rate,
            "articles": len(paced),
            "matched": len(latencies),
            "mean_s": statistics.fmean(latencies),
            **{f"{k}_s": v for k, v in percentiles(latencies).items()},
        },
        "peak_rss_mb": {key: rss / 2**20 for key, rss in sampler.peak_rss.items()},
        "records": {status: statuses.count(status) for status in sorted(set(statuses))},
    }


def run(articles: int = 2000, latency_seconds: float = 60.0, limit_articles: int = 300,
        batch_size: int | None = None, extract_replicas: int = 2) -> dict[str, Any]:
    corpus = variations(articles)
    texts = [normalize_article(a).text for a in corpus[:limit_articles]]
    batch = batch_size or NewsflowSettings().batch_size
    limits = {
        "1_process": pipe_limit(texts, processes=1, batch_size=batch),
        "bare_model_1_process": pipe_limit(texts[: max(limit_articles // 2, 1)], processes=1, batch_size=batch,
                                           bare=True),
    }
    before = pipe_limit(texts, processes=2, batch_size=batch)
    with postgres_database() as url:
        measured = measure_pipeline(corpus, latency_seconds, batch_size, url, extract_replicas)
    after = pipe_limit(texts, processes=2, batch_size=batch)
    # The two-process limit before and after the pipeline run, averaged: others' load drifts.
    limits["2_processes"] = {**before, **{key: (before[key] + after[key]) / 2 for key in
                                          ("seconds", "articles_per_s", "words_per_s", "cpu_ms_per_article")},
                             "articles_per_s_before_after": [before["articles_per_s"], after["articles_per_s"]]}
    ratio = measured["throughput"]["articles_per_s"] / limits["2_processes"]["articles_per_s"]
    service_cpu = sum(measured["throughput"]["cpu_ms_per_article"].values())
    return {
        **machine(),
        "batch_size": batch,
        "extract_replicas": extract_replicas,
        "limit": limits,
        **measured,
        "ratio_to_2_process_limit": ratio,
        # Load-independent: nlp.pipe CPU per article over the services' CPU per article (Redis and
        # Postgres not counted): the share of the pipeline's CPU that is spaCy's own work.
        "cpu_ratio": limits["2_processes"]["cpu_ms_per_article"] / service_cpu,
        "targets": {
            "throughput_ratio": TARGET_THROUGHPUT_RATIO,
            "throughput_ratio_met": ratio >= TARGET_THROUGHPUT_RATIO,
            "p99_s": TARGET_P99_S,
            "p99_met": measured["latency"]["p99_s"] < TARGET_P99_S,
        },
    }


def show(report: dict[str, Any]) -> None:
    limits, throughput, latency = report["limit"], report["throughput"], report["latency"]
    rows = [("measure", "result", "target")]
    for key, label in (("1_process", "raw nlp.pipe, 1 process"), ("2_processes", "raw nlp.pipe, 2 processes"),
                       ("bare_model_1_process", "bare model (no newsflow components), 1 process")):
        limit = limits[key]
        rows.append((label, f"{limit['articles_per_s']:.2f} articles/s, {limit['words_per_s']:,.0f} words/s, "
                            f"{limit['cpu_ms_per_article']:.0f} CPU ms/article", ""))
    rows.append((f"end to end, {report['extract_replicas']} extract replica(s)",
                 f"{throughput['articles_per_s']:.2f} articles/s "
                 f"({report['articles']} in {throughput['seconds']:.1f} s)",
                 ""))
    rows.append(("  ratio to the 2-process limit", f"{report['ratio_to_2_process_limit']:.3f}",
                 f">= {TARGET_THROUGHPUT_RATIO} {mark(report['targets']['throughput_ratio_met'])}"))
    cpu = ", ".join(f"{k} {v:.1f}" for k, v in throughput["cpu_ms_per_article"].items())
    rows.append(("  CPU ms/article by service", cpu, ""))
    rows.append(("  CPU ratio nlp.pipe / services", f"{report['cpu_ratio']:.3f}", ""))
    before_after = limits["2_processes"]["articles_per_s_before_after"]
    rows.append(("  2-process limit before, after", f"{before_after[0]:.2f}, {before_after[1]:.2f} articles/s", ""))
    rows.append((f"latency at {latency['offered_per_s']:.2f}/s (half load)",
                 f"p50 {latency['p50_s']:.2f} s, p95 {latency['p95_s']:.2f} s, p99 {latency['p99_s']:.2f} s, "
                 f"max {latency['max_s']:.2f} s ({latency['matched']} articles)",
                 f"p99 < {TARGET_P99_S:.0f} s {mark(report['targets']['p99_met'])}"))
    rows.append(("peak RSS", ", ".join(f"{k} {v:.0f} MB" for k, v in report["peak_rss_mb"].items()), ""))
    rows.append(("records.stored statuses", ", ".join(f"{k} {v}" for k, v in report["records"].items()), ""))
    print_table(f"end to end: Redis streams + Postgres, batch {report['batch_size']}, {report['cpus']} CPUs, "
                f"load {report['load_average_1m']}", rows)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000, help="articles fed at once for the throughput")
    parser.add_argument("--latency-seconds", type=float, default=60.0, help="duration of the half-load feed")
    parser.add_argument("--limit-articles", type=int, default=300, help="corpus articles piped for the limit")
    parser.add_argument("--batch-size", type=int, default=None, help="NEWSFLOW_BATCH_SIZE (default: the service's)")
    parser.add_argument("--extract-replicas", type=int, default=2, help="extract processes (the targets assume 2)")
    args = parser.parse_args(argv)
    report = run(args.articles, args.latency_seconds, args.limit_articles, args.batch_size, args.extract_replicas)
    show(report)
    write("e2e" if args.extract_replicas == 2 else f"e2e_{args.extract_replicas}_replicas", report)
    return report


if __name__ == "__main__":
    main()
