"""End to end on the real Redis and Postgres: throughput, latency at half load, memory; the spaCy limit beside it.

Services run as separate processes (1 ingest, 2 extract replicas (--extract-replicas), 1 store) on a fresh stream
prefix and a Postgres database of their own (created, then dropped). In the same run:

- limit: raw `nlp.pipe` of the same pipeline (build_nlp), batch size and texts (the first
  `limit_articles` of the corpus, normalized as ingest does), in one process and in two (before
  and after the pipeline run, averaged); the bare model (fr_core_news_md as shipped, `spacy.load`)
  the same way, the honest baseline: what newsflow's own components cost shows against it;
- throughput: N distinct articles (bench/corpus.py) XADDed at once on articles.raw, timed
  until N records are on records.stored;
- latency: articles fed one by one at half that throughput for `latency_seconds`; each one's
  latency is from its articles.raw entry id to the records.stored entry id carrying its
  trace_id (both stamped by the Redis server clock);
- peak RSS of each service process, sampled every 0.25 s, peak USS/PSS of each process and of
  each forked extract worker (`--extract-workers N`: one `newsflow run extract --workers N`
  instead of replicas), and CPU per article per service.

Targets: throughput >= 0.8 x the two-process limit and >= 1.0 x the bare model's two-process
`nlp.pipe` (issue 16); p99 latency at half load < 2 s; each extract worker <= 300 MB USS. The CPU ratio
(nlp.pipe CPU per article / the four services' CPU per article) is the same comparison made
insensitive to other work on a shared machine.

    .venv/bin/python -m bench.bench_e2e [--articles 2000] [--latency-seconds 60] [--limit-articles 300]
                                        [--extract-replicas 2 | --extract-workers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from typing import Any

import numpy as np
import redis

from bench.corpus import variations
from bench.limit import pipe_limit
from bench.procs import (
    Sampler,
    machine_busy_seconds,
    postgres_database,
    running_services,
    server_cpu_used,
    wait_for_length,
)
from bench.report import machine, mark, print_table, write
from services.common.broker import entry_fields
from services.common.contracts import RAW, STORED, RawArticle
from services.common.settings import NewsflowSettings
from services.ingest.normalize import normalize_article


def services(extract_replicas: int, extract_workers: int = 0) -> list[tuple[str, str, list[str]]]:
    """(key, service, arguments) of each process: 1 ingest, the extract replicas (or one extract
    process forking `extract_workers` workers), 1 store."""
    if extract_workers:
        extract = [("extract", "extract", ["--workers", str(extract_workers)])]
    else:
        extract = [(f"extract-{i}", "extract", []) for i in range(1, extract_replicas + 1)]
    return [("ingest", "ingest", []), *extract, ("store", "store", [])]

TARGET_THROUGHPUT_RATIO = 0.8
TARGET_BARE_RATIO = 1.0
TARGET_P99_S = 2.0
TARGET_WORKER_USS_MB = 300.0
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
    extract_replicas: int = 2, extract_workers: int = 0,
) -> dict[str, Any]:
    env = {"NEWSFLOW_DATABASE_URL": database_url}
    if batch_size:
        env["NEWSFLOW_BATCH_SIZE"] = str(batch_size)
    processes = services(extract_replicas, extract_workers)
    with running_services(processes, env) as (pipeline, client), Sampler(pipeline) as sampler:
        settings = NewsflowSettings(stream_prefix=pipeline.prefix)
        raw, stored = settings.stream(RAW), settings.stream(STORED)
        next_index = len(corpus)
        feed_all(client, raw, variations(WARM_UP, start=next_index))
        next_index += WARM_UP
        wait_for_length(client, stored, WARM_UP, timeout=300)

        cpu, servers, busy = sampler.cpu_seconds(), sampler.server_cpu_seconds(), machine_busy_seconds()
        started = time.monotonic()
        feed_all(client, raw, corpus)
        finished = wait_for_length(client, stored, WARM_UP + len(corpus), timeout=120 + 2 * len(corpus))
        cpu = {key: seconds - cpu[key] for key, seconds in sampler.cpu_seconds().items()}
        servers = server_cpu_used(servers, sampler.server_cpu_seconds())
        busy = machine_busy_seconds() - busy
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
            # The servers' share of the work, and how busy the whole machine was: what is left of
            # the cores is time the pipeline spent waiting, not computing.
            "server_cpu_ms_per_article": {key: seconds * 1000 / len(corpus) for key, seconds in servers.items()},
            "machine_busy_ms_per_article": busy * 1000 / len(corpus),
            "machine_busy_share": busy / ((finished - started) * (os.cpu_count() or 1)),
        },
        "latency": {
            "offered_per_s": rate,
            "articles": len(paced),
            "matched": len(latencies),
            "mean_s": statistics.fmean(latencies),
            **{f"{k}_s": v for k, v in percentiles(latencies).items()},
        },
        "peak_rss_mb": {key: rss / 2**20 for key, rss in sampler.peak_rss.items()},
        "peak_memory_mb": sampler.peak_memory,
        "records": {status: statuses.count(status) for status in sorted(set(statuses))},
    }


def averaged(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """A limit measured before and after the pipeline run, averaged: others' load drifts."""
    keys = ("seconds", "articles_per_s", "words_per_s", "cpu_ms_per_article")
    return {**before, **{key: (before[key] + after[key]) / 2 for key in keys},
            "articles_per_s_before_after": [before["articles_per_s"], after["articles_per_s"]]}


def run(articles: int = 2000, latency_seconds: float = 60.0, limit_articles: int = 300,
        batch_size: int | None = None, extract_replicas: int = 2, extract_workers: int = 0) -> dict[str, Any]:
    corpus = variations(articles)
    texts = [normalize_article(a).text for a in corpus[:limit_articles]]
    batch = batch_size or NewsflowSettings().batch_size
    limits = {
        "1_process": pipe_limit(texts, processes=1, batch_size=batch),
        "bare_model_1_process": pipe_limit(texts, processes=1, batch_size=batch, bare=True),
    }
    before = pipe_limit(texts, processes=2, batch_size=batch)
    bare_before = pipe_limit(texts, processes=2, batch_size=batch, bare=True)
    with postgres_database() as url:
        measured = measure_pipeline(corpus, latency_seconds, batch_size, url, extract_replicas, extract_workers)
    bare_after = pipe_limit(texts, processes=2, batch_size=batch, bare=True)
    after = pipe_limit(texts, processes=2, batch_size=batch)
    limits["2_processes"] = averaged(before, after)
    limits["bare_model_2_processes"] = averaged(bare_before, bare_after)
    throughput = measured["throughput"]["articles_per_s"]
    ratio = throughput / limits["2_processes"]["articles_per_s"]
    bare_ratio = throughput / limits["bare_model_2_processes"]["articles_per_s"]
    service_cpu = sum(measured["throughput"]["cpu_ms_per_article"].values())
    workers = {key: memory for key, memory in measured["peak_memory_mb"].items() if "/w" in key}
    return {
        **machine(),
        "batch_size": batch,
        "extract_replicas": 0 if extract_workers else extract_replicas,
        "extract_workers": extract_workers,
        "limit": limits,
        **measured,
        "ratio_to_2_process_limit": ratio,
        "ratio_to_bare_2_processes": bare_ratio,
        # newsflow's nlp.pipe against the model as shipped: what its own components cost.
        "build_nlp_to_bare": {n: limits[k]["articles_per_s"] / limits[f"bare_model_{k}"]["articles_per_s"]
                              for n, k in (("1_process", "1_process"), ("2_processes", "2_processes"))},
        # Load-independent: nlp.pipe CPU per article over the services' CPU per article (Redis and
        # Postgres not counted): the share of the pipeline's CPU that is spaCy's own work.
        "cpu_ratio": limits["2_processes"]["cpu_ms_per_article"] / service_cpu,
        "cpu_ratio_bare": limits["bare_model_2_processes"]["cpu_ms_per_article"] / service_cpu,
        "targets": {
            "throughput_ratio": TARGET_THROUGHPUT_RATIO,
            "throughput_ratio_met": ratio >= TARGET_THROUGHPUT_RATIO,
            "bare_ratio": TARGET_BARE_RATIO,
            "bare_ratio_met": bare_ratio >= TARGET_BARE_RATIO,
            "p99_s": TARGET_P99_S,
            "p99_met": measured["latency"]["p99_s"] < TARGET_P99_S,
            **({"worker_uss_mb": TARGET_WORKER_USS_MB,
                "worker_uss_met": all(m["uss"] <= TARGET_WORKER_USS_MB for m in workers.values())}
               if workers else {}),
        },
    }


def show(report: dict[str, Any]) -> None:
    limits, throughput, latency, targets = report["limit"], report["throughput"], report["latency"], report["targets"]
    rows = [("measure", "result", "target")]
    for key, label in (("1_process", "newsflow nlp.pipe (build_nlp), 1 process"),
                       ("2_processes", "newsflow nlp.pipe (build_nlp), 2 processes"),
                       ("bare_model_1_process", "bare model nlp.pipe (as shipped), 1 process"),
                       ("bare_model_2_processes", "bare model nlp.pipe (as shipped), 2 processes")):
        limit = limits[key]
        rows.append((label, f"{limit['articles_per_s']:.2f} articles/s, {limit['words_per_s']:,.0f} words/s, "
                            f"{limit['cpu_ms_per_article']:.0f} CPU ms/article", ""))
    to_bare = report["build_nlp_to_bare"]
    rows.append(("  build_nlp / bare model: 1, 2 processes",
                 f"{to_bare['1_process']:.3f}, {to_bare['2_processes']:.3f}", ""))
    extract = (f"{report['extract_workers']} extract worker(s) (--workers)" if report["extract_workers"]
               else f"{report['extract_replicas']} extract replica(s)")
    rows.append((f"end to end, {extract}",
                 f"{throughput['articles_per_s']:.2f} articles/s "
                 f"({report['articles']} in {throughput['seconds']:.1f} s)",
                 ""))
    rows.append(("  ratio to the bare model, 2 processes", f"{report['ratio_to_bare_2_processes']:.3f}",
                 f">= {TARGET_BARE_RATIO} {mark(targets['bare_ratio_met'])}"))
    rows.append(("  ratio to build_nlp, 2 processes", f"{report['ratio_to_2_process_limit']:.3f}",
                 f">= {TARGET_THROUGHPUT_RATIO} {mark(targets['throughput_ratio_met'])}"))
    cpu = ", ".join(f"{k} {v:.1f}" for k, v in throughput["cpu_ms_per_article"].items())
    rows.append(("  CPU ms/article by service", cpu, ""))
    servers = ", ".join(f"{k} {v:.1f}" for k, v in throughput["server_cpu_ms_per_article"].items())
    rows.append(("  CPU ms/article by server", servers, ""))
    rows.append(("  machine busy: CPU ms/article, share of the cores",
                 f"{throughput['machine_busy_ms_per_article']:.1f}, {throughput['machine_busy_share']:.2f}", ""))
    rows.append(("  CPU ratio nlp.pipe / services: build_nlp, bare",
                 f"{report['cpu_ratio']:.3f}, {report['cpu_ratio_bare']:.3f}", ""))
    for key in ("2_processes", "bare_model_2_processes"):
        before_after = limits[key]["articles_per_s_before_after"]
        rows.append((f"  {key.replace('_', ' ')} limit before, after",
                     f"{before_after[0]:.2f}, {before_after[1]:.2f} articles/s", ""))
    rows.append((f"latency at {latency['offered_per_s']:.2f}/s (half load)",
                 f"p50 {latency['p50_s']:.2f} s, p95 {latency['p95_s']:.2f} s, p99 {latency['p99_s']:.2f} s, "
                 f"max {latency['max_s']:.2f} s ({latency['matched']} articles)",
                 f"p99 < {TARGET_P99_S:.0f} s {mark(targets['p99_met'])}"))
    rows.append(("peak RSS", ", ".join(f"{k} {v:.0f} MB" for k, v in report["peak_rss_mb"].items()), ""))
    for key, memory in report["peak_memory_mb"].items():
        if key.startswith("extract"):
            target = (f"USS <= {TARGET_WORKER_USS_MB:.0f} MB {mark(memory['uss'] <= TARGET_WORKER_USS_MB)}"
                      if "/w" in key else "")
            rows.append((f"  peak memory {key}", f"USS {memory['uss']:.0f} MB, PSS {memory['pss']:.0f} MB, "
                                                 f"RSS {memory['rss']:.0f} MB", target))
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
    parser.add_argument("--extract-workers", type=int, default=0,
                        help="instead of replicas: one `newsflow run extract --workers N`")
    args = parser.parse_args(argv)
    report = run(args.articles, args.latency_seconds, args.limit_articles, args.batch_size, args.extract_replicas,
                 args.extract_workers)
    show(report)
    if args.extract_workers:
        write(f"e2e_{args.extract_workers}_workers", report)
    else:
        write("e2e" if args.extract_replicas == 2 else f"e2e_{args.extract_replicas}_replicas", report)
    return report


if __name__ == "__main__":
    main()
