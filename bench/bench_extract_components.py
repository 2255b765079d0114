"""What each spaCy component of the extract pipeline costs, and whether the seeds still pass without it.

For every component: its own time over the seeds ×N (each component run in turn over the batch),
the pipeline's total time with it disabled, and the seed evaluation with it disabled. Prints a
table and writes bench/results/extract_components.json.

    .venv/bin/python -m bench.bench_extract_components [--repeat 50] [--batch-size 16]
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path
from typing import Any

import spacy
from rich.console import Console
from rich.table import Table
from spacy.language import Language

from services.common.contracts import NormalizedArticle
from services.evaluation.seeds import evaluate, load_seed_articles
from services.extract.nlp import build_nlp
from services.extract.pipeline import prepare_doc

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "data" / "seeds_gold.json"
RESULTS = ROOT / "bench" / "results" / "extract_components.json"


def seed_articles(repeat: int) -> list[NormalizedArticle]:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    return load_seed_articles(SEEDS, sorted(gold["articles"])) * repeat


def time_each_component(
    nlp: Language, articles: list[NormalizedArticle], batch_size: int
) -> dict[str, float]:
    """Seconds each component spends on the whole batch, run one component after the other."""
    docs = [prepare_doc(nlp, a.text, a) for a in articles]
    seconds: dict[str, float] = {}
    for name, component in nlp.pipeline:
        start = time.perf_counter()
        if hasattr(component, "pipe"):
            docs = list(component.pipe(docs, batch_size=batch_size))
        else:
            docs = [component(doc) for doc in docs]
        seconds[name] = time.perf_counter() - start
    return seconds


def time_pipeline(nlp: Language, articles: list[NormalizedArticle], batch_size: int) -> float:
    docs = [prepare_doc(nlp, a.text, a) for a in articles]
    start = time.perf_counter()
    for _ in nlp.pipe(docs, batch_size=batch_size):
        pass
    return time.perf_counter() - start


def ablation(nlp: Language, name: str, articles: list[NormalizedArticle], batch_size: int) -> dict[str, Any]:
    """Total time and seed verdict with one component disabled (or the error it causes)."""
    try:
        with nlp.select_pipes(disable=[name]):
            total = time_pipeline(nlp, articles, batch_size)
            report = evaluate(GOLD, SEEDS, nlp)
    except Exception as exc:  # a listener without its tok2vec, a component without its input
        return {
            "without_total_s": None,
            "seeds_pass_without": None,
            "error": f"{type(exc).__name__}: {exc}"[:160],
        }
    must = report.events(required=True)
    return {
        "without_total_s": round(total, 3),
        "seeds_pass_without": report.passed,
        "entities_must_without": f"{report.entities_found}/{report.entities_expected}",
        "events_must_without": f"{sum(c.found for c in must)}/{len(must)}",
        "must_not_hits_without": report.violations,
        "error": None,
    }


def run(repeat: int, batch_size: int) -> dict[str, Any]:
    nlp = build_nlp()
    articles = seed_articles(repeat)
    chars = sum(len(a.text) for a in articles)
    time_pipeline(nlp, articles[:5], batch_size)  # warm-up
    total = time_pipeline(nlp, articles, batch_size)
    own = time_each_component(nlp, articles, batch_size)
    baseline = evaluate(GOLD, SEEDS, nlp)
    components = []
    for name in nlp.pipe_names:
        row = {
            "component": name,
            "own_s": round(own[name], 3),
            "share": round(own[name] / sum(own.values()), 3),
        }
        row |= ablation(nlp, name, articles, batch_size)
        components.append(row)
    return {
        "articles": len(articles),
        "characters": chars,
        "repeat": repeat,
        "batch_size": batch_size,
        "total_s": round(total, 3),
        "articles_per_s": round(len(articles) / total, 1),
        "seeds_pass": baseline.passed,
        "components": components,
        "spacy": spacy.__version__,
        "python": platform.python_version(),
        "machine": platform.machine(),
    }


def render(result: dict[str, Any]) -> Table:
    table = Table(
        title=f"extract components: {result['articles']} articles, {result['characters']:,} chars, "
        f"full pipeline {result['total_s']} s ({result['articles_per_s']} articles/s), "
        f"seeds {'PASS' if result['seeds_pass'] else 'FAIL'}"
    )
    for column in ("component", "own s", "share", "total s without", "seeds without", "note"):
        table.add_column(column)
    for row in result["components"]:
        verdict = (
            "-" if row["seeds_pass_without"] is None else ("pass" if row["seeds_pass_without"] else "FAIL")
        )
        note = row["error"] or (
            f"entities {row['entities_must_without']}, events {row['events_must_without']}, "
            f"must-not {row['must_not_hits_without']}"
        )
        table.add_row(
            row["component"],
            f"{row['own_s']:.2f}",
            f"{row['share']:.0%}",
            "-" if row["without_total_s"] is None else f"{row['without_total_s']:.2f}",
            verdict,
            note,
        )
    return table


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50, help="copies of the seeds in the batch")
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args(argv)
    result = run(args.repeat, args.batch_size)
    Console(width=200).print(render(result))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")
    return result


if __name__ == "__main__":
    main()
