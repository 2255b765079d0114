"""Quality benchmark: what the store makes of the multi-outlet corpus, through the whole pipeline.

Runs `newsflow eval corpus` (ingest → extract → store on an embedded Redis and a fresh SQLite),
prints the figures with their targets and writes bench/results/quality.json.

    .venv/bin/python -m bench.bench_quality [--corpus tests/data/corpus]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.report import RESULTS, print_table
from services.evaluation.report import TARGETS, meets, write_json
from services.evaluation.run import CORPUS, evaluate_corpus


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args(argv)
    scores = evaluate_corpus(args.corpus)
    rows = [("figure", "value", "target", "")]
    for name, value in scores.summary().items():
        verdict = meets(name, float(value))
        target = " ".join(map(str, TARGETS[name])) if name in TARGETS else ""
        rows.append((name, str(value), target, "" if verdict is None else "met" if verdict else "MISSED"))
    print_table(f"quality on {args.corpus.name}: {scores.articles} articles", rows)
    write_json(scores, RESULTS / "quality.json")
    print(f"wrote {RESULTS / 'quality.json'}")


if __name__ == "__main__":
    main()
