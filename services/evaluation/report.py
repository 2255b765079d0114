"""The corpus evaluation's report: a table for people, a JSON document for benchmarks and tests."""

from __future__ import annotations

import json
from pathlib import Path

from rich.table import Table

from services.evaluation.scoring import Scores

# The targets of the event-identity and dates issues: what "good" means for each figure.
TARGETS: dict[str, tuple[str, float]] = {
    "found": (">=", 0.90),
    "date_exact": (">=", 0.95),
    "wrong_year": ("<=", 0),
    "b3_f1": (">=", 0.90),
    "false_merges": ("<=", 0),
    "actor_recall": (">=", 0.90),
    "false_duplicate_links": ("<=", 0),
    "published_dated": (">=", 0.95),
    "published_wrong": ("<=", 0),
}


def meets(name: str, value: float) -> bool | None:
    if name not in TARGETS:
        return None
    op, target = TARGETS[name]
    return value >= target if op == ">=" else value <= target


def render(scores: Scores, examples: int = 5) -> Table:
    table = Table(title=f"corpus evaluation: {scores.articles} articles, {scores.stored_events} stored events")
    for column in ("figure", "value", "target", "examples of misses"):
        table.add_column(column, overflow="fold")
    misses = {
        "found": "not found", "date_exact": "date not exact", "wrong_year": "wrong year",
        "false_merges": "false merge", "false_duplicate_links": "false duplicate link",
        "published_wrong": "publication date wrong",
    }
    for name, value in scores.summary().items():
        target = " ".join(map(str, TARGETS[name])) if name in TARGETS else ""
        verdict = meets(name, float(value))
        shown = f"[{'green' if verdict else 'red'}]{value}[/]" if verdict is not None else str(value)
        sample = "; ".join(scores.examples.get(misses.get(name, ""), [])[:examples])
        table.add_row(name, shown, target, sample)
    return table


def write_json(scores: Scores, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"summary": scores.summary(), "examples": scores.examples}
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
