"""Quality benchmark: what the store makes of each evaluation corpus, through the whole pipeline.

Runs `newsflow eval corpus` (ingest → extract → store on an embedded Redis and a fresh SQLite) on
the multi-outlet corpus the rules were written against (tests/data/corpus), on the first held-out
corpus (tests/data/corpus_holdout, written without reading the rules, then used to find general
failures) and on the final held-out corpus (tests/data/corpus_final, written the same way and not
used to change anything). Prints the figures with their targets and writes bench/results/quality.json:
`summary` is the main corpus's, `corpora` every corpus's.

    .venv/bin/python -m bench.bench_quality [--corpus DIR ...]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bench.report import RESULTS, print_table
from services.evaluation.report import TARGETS, meets
from services.evaluation.run import CORPUS, evaluate_corpus

HELD_OUT = (CORPUS.parent / "corpus_holdout", CORPUS.parent / "corpus_final")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, nargs="+", default=[CORPUS, *HELD_OUT])
    args = parser.parse_args(argv)
    corpora: dict[str, dict] = {}
    for path in args.corpus:
        scores = evaluate_corpus(path)
        corpora[path.name] = {"summary": scores.summary(), "examples": scores.examples}
        rows = [("figure", "value", "target", "")]
        for name, value in scores.summary().items():
            verdict = meets(name, float(value))
            target = " ".join(map(str, TARGETS[name])) if name in TARGETS else ""
            rows.append((name, str(value), target, "" if verdict is None else "met" if verdict else "MISSED"))
        print_table(f"quality on {path.name}: {scores.articles} articles", rows)
    main_corpus = corpora.get(CORPUS.name) or next(iter(corpora.values()))
    document = {**main_corpus, "corpora": corpora}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "quality.json").write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS / 'quality.json'}")


if __name__ == "__main__":
    main()
