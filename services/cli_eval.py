"""`newsflow eval`: score what newsflow makes of annotated articles (the seeds, or a corpus)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from services.cli_console import PROJECT_CORPUS, PROJECT_SEEDS, console, fresh_settings, out, progress_bar
from services.common.settings import ExtractSettings

eval_app = typer.Typer(help="Score what newsflow makes of annotated articles.", no_args_is_help=True)


@eval_app.command("seeds")
def evaluate_seeds(
    gold: Annotated[Path, typer.Argument(help="gold annotations (e.g. tests/data/seeds_gold.json)")],
    seeds: Annotated[Path, typer.Option(help="the articles the gold annotates")] = PROJECT_SEEDS,
    model: Annotated[str | None, typer.Option(help="spaCy model (default: NEWSFLOW_SPACY_MODEL)")] = None,
):
    """Run the seeds through normalization and extraction; score entities and events against the gold."""
    from services.evaluation.seeds import evaluate as run_evaluation
    from services.evaluation.seeds import render_report
    from services.extract.nlp import build_nlp

    if not gold.is_file():
        console.print(Text(f"no gold file at {gold}", style="red"))
        raise typer.Exit(2)
    with console.status("loading the spaCy model"):
        nlp = build_nlp(model or ExtractSettings().spacy_model)
    report = run_evaluation(gold, seeds, nlp)
    out.print(render_report(report))
    raise typer.Exit(0 if report.passed else 1)


@eval_app.command("corpus")
def evaluate_corpus(
    path: Annotated[Path, typer.Argument(help="a corpus directory: *.jsonl articles and gold*.json")] = PROJECT_CORPUS,
    json_path: Annotated[Path | None, typer.Option("--json", help="also write the figures to this JSON file")] = None,
):
    """Run a corpus through ingest, extract and store (embedded Redis, fresh SQLite); score the store."""
    from services.evaluation.corpus import CorpusError, load_corpus
    from services.evaluation.report import render, write_json
    from services.evaluation.run import event_view, run_pipeline
    from services.evaluation.scoring import score
    from services.store.event_identity import types_compatible

    try:
        corpus = load_corpus(path)
    except CorpusError as exc:
        console.print(Text(str(exc), style="red"))
        raise typer.Exit(2) from None
    settings = fresh_settings("eval")
    with progress_bar() as progress:
        views, rows, failed = asyncio.run(run_pipeline(corpus.articles, settings, progress))
    if failed:
        console.print(f"[yellow]{len(failed)} articles were rejected or not stored in time:[/yellow]")
        for line in failed[:20]:
            console.print(Text(f"  {line}"))
    scores = score(corpus.gold, views, [event_view(r) for r in rows], types_compatible)
    out.print(render(scores))
    if json_path:
        write_json(scores, json_path)
        console.print(Text(f"wrote {json_path}"))


