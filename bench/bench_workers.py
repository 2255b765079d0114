"""Forked extract workers (`newsflow run extract --workers N`): memory per worker and throughput per worker.

For N = 1 and 2 (and, for reference, one plain `newsflow run extract` process, which is what a
replica costs): the seeds x `repeat`, normalized as ingest does, are XADDed at once on the input
stream; the figure is the time until all of them are on articles.extracted. Meanwhile each
process's USS (pages only it holds) and PSS (its share of the shared ones) are sampled with
psutil. The model is loaded once in the parent, so each worker's USS is what one more worker
costs. Target: each worker <= 300 MB USS; throughput per worker about that of one process.

    .venv/bin/python -m bench.bench_workers [--repeat 20] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from bench.bench_extract import seed_articles, xadd_all
from bench.procs import Sampler, running_services, wait_for_length
from bench.report import machine, mark, print_table, write
from services.common.contracts import EXTRACTED, NORMALIZED, new_trace_id
from services.common.settings import NewsflowSettings

TARGET_WORKER_USS_MB = 300.0


def measure(workers: int, repeat: int) -> dict[str, Any]:
    """Drain time and peak memory of one extract process forking `workers` workers (0: no --workers)."""
    articles = seed_articles(repeat)
    arguments = ["--workers", str(workers)] if workers else []
    with running_services([("extract", "extract", arguments)], {}) as (pipeline, client), \
            Sampler(pipeline, full_every=2) as sampler:
        settings = NewsflowSettings(stream_prefix=pipeline.prefix)
        source, target = settings.stream(NORMALIZED), settings.stream(EXTRACTED)
        warm_up = [a.model_copy(update={"trace_id": new_trace_id()}) for a in articles[: 16 * max(workers, 1)]]
        xadd_all(client, source, warm_up)
        wait_for_length(client, target, len(warm_up), timeout=300)
        started = time.monotonic()
        xadd_all(client, source, articles)
        finished = wait_for_length(client, target, len(warm_up) + len(articles), timeout=60 + 5 * len(articles))
    rate = len(articles) / (finished - started)
    memory = sampler.peak_memory
    per_worker = [m for key, m in memory.items() if "/w" in key]
    return {
        "workers": workers,
        "articles": len(articles),
        "seconds": finished - started,
        "articles_per_s": rate,
        "articles_per_s_per_worker": rate / max(workers, 1),
        "memory_mb": memory,
        "worker_uss_mb": [m["uss"] for m in per_worker],
        "worker_pss_mb": [m["pss"] for m in per_worker],
    }


def run(repeat: int, worker_counts: list[int]) -> dict[str, Any]:
    runs = [measure(0, repeat), *(measure(n, repeat) for n in worker_counts)]
    worst = max((uss for r in runs for uss in r["worker_uss_mb"]), default=0.0)
    return {**machine(), "repeat": repeat, "runs": runs,
            "targets": {"worker_uss_mb": TARGET_WORKER_USS_MB, "worker_uss_met": worst <= TARGET_WORKER_USS_MB}}


def show(report: dict[str, Any]) -> None:
    rows: list[tuple[str, ...]] = [("process", "articles/s (per worker)", "USS MB", "PSS MB", "RSS MB", "target")]
    for r in report["runs"]:
        label = f"run extract --workers {r['workers']}" if r["workers"] else "run extract (one process, a replica)"
        rows.append((label, f"{r['articles_per_s']:.2f} ({r['articles_per_s_per_worker']:.2f})", "", "", "", ""))
        for key, m in r["memory_mb"].items():
            worker = "/w" in key
            target = f"USS <= {TARGET_WORKER_USS_MB:.0f} {mark(m['uss'] <= TARGET_WORKER_USS_MB)}" if worker else ""
            rows.append((f"  {'worker ' + key.split('/w')[1] if worker else 'parent' if r['workers'] else 'process'}",
                         "", f"{m['uss']:.0f}", f"{m['pss']:.0f}", f"{m['rss']:.0f}", target))
    print_table(f"extract workers: seeds x {report['repeat']}, {report['cpus']} CPUs, "
                f"load {report['load_average_1m']}", rows)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="copies of the seeds")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts to measure")
    args = parser.parse_args(argv)
    report = run(args.repeat, args.workers)
    show(report)
    write("workers", report)
    return report


if __name__ == "__main__":
    main()
