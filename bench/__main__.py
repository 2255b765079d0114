"""`python -m bench` (what `make bench` runs): every benchmark, one summary table, bench/results/summary.json.

    .venv/bin/python -m bench                       # all of them, default sizes (~10 min on 2 cores)
    .venv/bin/python -m bench e2e --articles 500    # only some, smaller
    .venv/bin/python -m bench --quick               # everything, small sizes (a smoke run)

Each benchmark is a module bench/bench_<name>.py with a main() that prints its own table and writes
bench/results/<name>.json; the summary picks the figures that matter (ratios to baselines taken in
the same run, so they hold on a shared machine) from those files. A benchmark that fails is
reported and the others still run; the exit status is then 1.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.report import RESULTS, machine, print_table, write

# Run order: the quick ones first; the end-to-end run, which needs the machine to itself, last.
BENCHMARKS = ("quality", "normalize", "dedup", "store", "overhead", "extract_components", "extract", "workers", "e2e")
RESULT_FILES = {"quality": "quality", "normalize": "normalize", "dedup": "dedup", "store": "store",
                "overhead": "overhead", "extract_components": "extract_components", "extract": "extract",
                "workers": "workers", "e2e": "e2e"}

Row = tuple[str, str, str, str]


def _flag(ok: bool | None) -> str:
    return "" if ok is None else ("met" if ok else "MISSED")


def _quality(r: dict[str, Any]) -> list[Row]:
    """The corpus figures against the targets of the event-identity and dates issues."""
    from services.evaluation.report import TARGETS, meets

    rows: list[Row] = []
    for name, value in r["summary"].items():
        target = " ".join(map(str, TARGETS[name])) if name in TARGETS else ""
        verdict = meets(name, float(value))
        rows.append((f"corpus {name}", str(value), target, _flag(verdict)))
    for corpus, held_out in r.get("corpora", {}).items():
        if corpus == "corpus":
            continue
        for name in ("found", "date_exact", "b3_f1", "false_merges"):
            value = held_out["summary"][name]
            rows.append((f"{corpus} {name}", str(value), " ".join(map(str, TARGETS[name])),
                         _flag(meets(name, float(value)))))
    return rows


def _normalize(r: dict[str, Any]) -> list[Row]:
    return [("plain-text articles/s (CPU, 1 core)", f"{r['text']['per_s']:,.0f}", ">= 1,000",
             _flag(r["targets"]["text_meets_rate"]))]


def _store(r: dict[str, Any]) -> list[Row]:
    return [
        ("store_many articles/s (Postgres)", f"{r['store_many_batch_100_per_s']:,.0f}", ">= 500",
         _flag(r["targets"]["store_many_meets_rate"])),
        ("near-dup lookup 100k / 10k", f"{r['lookup_ratio_100k_vs_10k']:.2f}", "<= 1.5",
         _flag(r["targets"]["lookup_meets_ratio"])),
        ("event candidate lookup 1M / 10k events", f"{r['event_lookup_ratio_1m_vs_10k']:.2f}", "<= 1.5",
         _flag(r["targets"]["event_lookup_meets_ratio"])),
        ("store CPU per article 1M / 10k events", f"{r['store_cpu_ratio_1m_vs_10k']:.2f}", "<= 1.5",
         _flag(r["targets"]["store_cpu_meets_ratio"])),
    ]


def _dedup(r: dict[str, Any]) -> list[Row]:
    cut = next(row for row in r["recall"] if row["keep"] == 0.65)
    return [
        ("shortened copies found (65% kept)", f"{cut['found']}/{cut['copies']}", "", ""),
        ("benchmark variations linked as copies", f"{r['cost']['linked']}", "0", _flag(r["cost"]["linked"] == 0)),
    ]


def _overhead(r: dict[str, Any]) -> list[Row]:
    return [("framework CPU per entry (no-op process)", f"{r['cpu_us_per_entry']:.0f} µs", "", "")]


def _components(r: dict[str, Any]) -> list[Row]:
    rows: list[Row] = [("extract pipeline articles/s (1 process)", f"{r['articles_per_s']:.1f}", "", "")]
    spare = [c for c in r["components"] if c.get("seeds_pass_without")]
    share = sum(c.get("share") or 0 for c in spare)
    names = ", ".join(c["component"] for c in spare) or "none"
    rows.append(("components the seeds pass without", names, f"{share:.0%} of the time", ""))
    per_article = {c["component"]: c["own_s"] * 1000 / r["articles"] for c in r["components"]}
    own = {name: ms for name, ms in per_article.items() if name.startswith("newsflow_")}
    rows.append(("newsflow's own components, ms/article", ", ".join(f"{n[9:]} {ms:.1f}" for n, ms in own.items()),
                 f"{sum(own.values()) / sum(per_article.values()):.0%} of the time", ""))
    model = {name: ms for name, ms in per_article.items() if name not in own}
    rows.append(("the model's components, ms/article", ", ".join(f"{n} {ms:.1f}" for n, ms in model.items()), "", ""))
    return rows


def _extract(r: dict[str, Any]) -> list[Row]:
    return [
        ("extract service / raw nlp.pipe (1 process)", f"{r['ratio']:.3f}", ">= 0.9", _flag(r["targets"]["ratio_met"])),
        ("  articles/s: service, raw", f"{r['service']['articles_per_s']:.2f}, "
                                       f"{r['limit_1_process']['articles_per_s']:.2f}", "", ""),
        ("  CPU ratio raw / service", f"{r['cpu_ratio']:.3f}", "", ""),
    ]


def _workers(r: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    for run in r["runs"]:
        if not run["workers"]:
            continue
        uss = ", ".join(f"{m:.0f}" for m in run["worker_uss_mb"])
        rows.append((f"--workers {run['workers']}: USS per worker MB", uss, "<= 300",
                     _flag(all(m <= 300 for m in run["worker_uss_mb"]))))
        rows.append((f"--workers {run['workers']}: articles/s (per worker)",
                     f"{run['articles_per_s']:.2f} ({run['articles_per_s_per_worker']:.2f})", "", ""))
    return rows


def _e2e(r: dict[str, Any]) -> list[Row]:
    limits, latency = r["limit"], r["latency"]
    bare = (f"{limits['bare_model_1_process']['articles_per_s']:.2f}, "
            f"{limits['bare_model_2_processes']['articles_per_s']:.2f}") if "bare_model_2_processes" in limits else "-"
    to_bare = r.get("build_nlp_to_bare", {})
    return [
        ("e2e articles/s (2 extract replicas)", f"{r['throughput']['articles_per_s']:.2f}", "", ""),
        ("  raw nlp.pipe articles/s: 1, 2 processes", f"{limits['1_process']['articles_per_s']:.2f}, "
                                                      f"{limits['2_processes']['articles_per_s']:.2f}", "", ""),
        ("  bare model nlp.pipe articles/s: 1, 2 processes", bare, "", ""),
        ("build_nlp / bare model: 1, 2 processes",
         ", ".join(f"{to_bare[k]:.3f}" for k in ("1_process", "2_processes")) if to_bare else "-", "", ""),
        ("e2e / bare model 2-process nlp.pipe", f"{r.get('ratio_to_bare_2_processes', 0):.3f}", ">= 1.0",
         _flag(r["targets"].get("bare_ratio_met"))),
        ("e2e / 2-process nlp.pipe limit", f"{r['ratio_to_2_process_limit']:.3f}", ">= 0.8",
         _flag(r["targets"]["throughput_ratio_met"])),
        ("  CPU ratio nlp.pipe / services", f"{r['cpu_ratio']:.3f}", "", ""),
        (f"latency p50/p95/p99 at {latency['offered_per_s']:.1f}/s",
         f"{latency['p50_s']:.2f} / {latency['p95_s']:.2f} / {latency['p99_s']:.2f} s", "p99 < 2 s",
         _flag(r["targets"]["p99_met"])),
        ("peak RSS MB", ", ".join(f"{k} {v:.0f}" for k, v in r["peak_rss_mb"].items()), "", ""),
    ]


SUMMARIES: dict[str, Callable[[dict[str, Any]], list[Row]]] = {
    "quality": _quality, "normalize": _normalize, "dedup": _dedup, "store": _store, "overhead": _overhead,
    "extract_components": _components, "extract": _extract, "workers": _workers, "e2e": _e2e,
}


def arguments(name: str, args: argparse.Namespace) -> list[str]:
    """The command-line arguments the runner passes to one benchmark's main()."""
    quick = args.quick
    if name == "e2e":
        argv = ["--articles", str(args.articles or (300 if quick else 2000)),
                "--latency-seconds", str(args.latency_seconds or (20 if quick else 60)),
                "--limit-articles", str(args.limit_articles or (60 if quick else 300))]
        return argv + (["--batch-size", str(args.batch_size)] if args.batch_size else [])
    if name == "extract":
        argv = ["--repeat", str(args.repeat or (20 if quick else 200))]
        return argv + (["--batch-size", str(args.batch_size)] if args.batch_size else [])
    if name == "extract_components":
        return ["--repeat", str(args.components_repeat or (5 if quick else 20))]
    if name == "workers":
        return ["--repeat", "4" if quick else "20"]
    if name == "quality":
        return []
    if name == "store":
        return ["--articles", "1000"] if quick else []
    if name == "normalize":
        return ["--repeat", "100", "--html-repeat", "5"] if quick else []
    if name == "dedup":
        return ["--variations", "300"] if quick else []
    return ["--entries", "500"] if quick else []


def call_main(module: Any, argv: list[str]) -> None:
    """main(argv) where it takes one; else main() with sys.argv set (bench_normalize, bench_store)."""
    if inspect.signature(module.main).parameters:
        module.main(argv)
        return
    saved = sys.argv
    sys.argv = [module.__name__, *argv]
    try:
        module.main()
    finally:
        sys.argv = saved


def available() -> list[str]:
    here = Path(__file__).resolve().parent
    return [name for name in BENCHMARKS if (here / f"bench_{name}.py").exists()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"benchmarks to run (default: all of {', '.join(BENCHMARKS)})")
    parser.add_argument("--quick", action="store_true", help="small sizes everywhere: a smoke run")
    parser.add_argument("--articles", type=int, help="e2e: articles fed at once (default 2000)")
    parser.add_argument("--latency-seconds", type=float, help="e2e: duration of the half-load feed (default 60)")
    parser.add_argument("--limit-articles", type=int, help="e2e: articles piped for the raw limit (default 300)")
    parser.add_argument("--repeat", type=int, help="extract: copies of the seeds (default 200)")
    parser.add_argument("--components-repeat", type=int, help="extract_components: copies of the seeds (default 20)")
    parser.add_argument("--batch-size", type=int, help="extract and e2e: NEWSFLOW_BATCH_SIZE (default: the service's)")
    args = parser.parse_args(argv)
    names = args.names or available()
    unknown = sorted(set(names) - set(BENCHMARKS))
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")

    runs: dict[str, dict[str, Any]] = {}
    for name in names:
        argv_for = arguments(name, args)
        print(f"\n=== {name}: python -m bench.bench_{name} {' '.join(argv_for)}", flush=True)
        started = time.monotonic()
        try:
            call_main(importlib.import_module(f"bench.bench_{name}"), argv_for)
            result = json.loads((RESULTS / f"{RESULT_FILES[name]}.json").read_text(encoding="utf-8"))
            runs[name] = {"seconds": time.monotonic() - started, "argv": argv_for, "rows": SUMMARIES[name](result)}
        except Exception as exc:  # one failing benchmark must not hide the others' figures
            traceback.print_exc()
            runs[name] = {"seconds": time.monotonic() - started, "argv": argv_for,
                          "error": f"{type(exc).__name__}: {exc}"[:300]}

    rows: list[tuple[str, ...]] = [("benchmark", "measure", "result", "target", "")]
    for name, run in runs.items():
        if "error" in run:
            rows.append((name, "FAILED", run["error"][:100], "", ""))
        for measure, value, target, status in run.get("rows", []):
            rows.append((name, measure, value, target, status))
    summary = {**machine(), "benchmarks": runs}
    print()
    print_table(f"summary ({summary['cpus']} CPUs, load average {summary['load_average_1m']}; "
                f"{sum(r['seconds'] for r in runs.values()) / 60:.1f} min)", rows)
    write("summary", summary)
    return 1 if any("error" in run for run in runs.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
