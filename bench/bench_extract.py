"""Extract service throughput vs the raw spaCy limit, on the real Redis (issue 4).

The five seeds x `repeat` (default 200), normalized as ingest does, are XADDed at once on the
input stream of one `newsflow run extract` process; the figure is the time until all of them
are on articles.extracted. In the same run, one process pipes the same texts with the same
pipeline (services.extract.nlp.build_nlp) and batch size: the limit. Target: service / limit
>= 0.9. The CPU ratio (limit CPU per article / service CPU per article) is the same comparison
made insensitive to whatever else runs on a shared machine.

    .venv/bin/python -m bench.bench_extract [--repeat 200] [--batch-size 16]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from bench.limit import pipe_limit
from bench.procs import Sampler, running_services, wait_for_length
from bench.report import machine, mark, print_table, write
from services.common.broker import entry_fields
from services.common.contracts import EXTRACTED, NORMALIZED, NormalizedArticle, RawArticle, new_trace_id
from services.common.settings import NewsflowSettings
from services.ingest.normalize import normalize_article

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
TARGET_RATIO = 0.9


def seed_articles(repeat: int) -> list[NormalizedArticle]:
    """The seeds normalized once, then `repeat` copies with their own trace ids."""
    seeds = [normalize_article(RawArticle(text=p.read_text(encoding="utf-8"), external_id=p.stem))
             for p in sorted(SEEDS.glob("*.txt"))]
    return [seed.model_copy(update={"trace_id": new_trace_id()}) for _ in range(repeat) for seed in seeds]


def xadd_all(client: Any, stream: str, articles: list[NormalizedArticle]) -> None:
    """All of them in one round trip, as a backlog would be."""
    with client.pipeline(transaction=False) as pipe:
        for article in articles:
            pipe.xadd(stream, entry_fields(article))
        pipe.execute()


def service_rate(articles: list[NormalizedArticle], batch_size: int) -> dict[str, Any]:
    """Drain time of the articles through one extract process."""
    env = {"NEWSFLOW_BATCH_SIZE": str(batch_size)}
    with running_services([("extract", "extract")], env) as (pipeline, client), Sampler(pipeline) as sampler:
        settings = NewsflowSettings(stream_prefix=pipeline.prefix)
        source, target = settings.stream(NORMALIZED), settings.stream(EXTRACTED)
        warm_up = [a.model_copy(update={"trace_id": new_trace_id()}) for a in articles[:batch_size]]
        xadd_all(client, source, warm_up)  # first-call costs, as the limit's warm-up pays them
        wait_for_length(client, target, len(warm_up), timeout=300)
        cpu = sampler.cpu_seconds()["extract"]
        started = time.monotonic()
        xadd_all(client, source, articles)
        finished = wait_for_length(client, target, len(warm_up) + len(articles), timeout=60 + 2 * len(articles))
        cpu = sampler.cpu_seconds()["extract"] - cpu
    elapsed = finished - started
    words = sum(len(a.text.split()) for a in articles)
    return {
        "articles": len(articles),
        "batch_size": batch_size,
        "seconds": elapsed,
        "articles_per_s": len(articles) / elapsed,
        "words_per_s": words / elapsed,
        "cpu_ms_per_article": cpu * 1000 / len(articles),
        "peak_rss_mb": sampler.peak_rss.get("extract", 0) / 2**20,
    }


def run(repeat: int = 200, batch_size: int = 16) -> dict[str, Any]:
    articles = seed_articles(repeat)
    limit = pipe_limit([a.text for a in articles], processes=1, batch_size=batch_size)
    service = service_rate(articles, batch_size)
    ratio = service["articles_per_s"] / limit["articles_per_s"]
    cpu_ratio = limit["cpu_ms_per_article"] / service["cpu_ms_per_article"]
    return {
        **machine(),
        "repeat": repeat,
        "limit_1_process": limit,
        "service": service,
        "ratio": ratio,
        "cpu_ratio": cpu_ratio,
        "targets": {"ratio": TARGET_RATIO, "ratio_met": ratio >= TARGET_RATIO},
    }


def show(report: dict[str, Any]) -> None:
    limit, service = report["limit_1_process"], report["service"]
    rows = [("measure", "articles/s", "words/s", "CPU ms/article", "target")]
    rows.append(("raw nlp.pipe, 1 process", f"{limit['articles_per_s']:.2f}", f"{limit['words_per_s']:,.0f}",
                 f"{limit['cpu_ms_per_article']:.1f}", ""))
    rows.append(("extract service, 1 process", f"{service['articles_per_s']:.2f}", f"{service['words_per_s']:,.0f}",
                 f"{service['cpu_ms_per_article']:.1f}", ""))
    rows.append(("ratio service / raw (wall)", f"{report['ratio']:.3f}", "", "",
                 f">= {TARGET_RATIO} {mark(report['targets']['ratio_met'])}"))
    rows.append(("ratio raw / service (CPU)", f"{report['cpu_ratio']:.3f}", "", "", ""))
    print_table(f"extract: seeds x {report['repeat']} ({service['articles']} articles), batch {service['batch_size']},"
                f" peak RSS {service['peak_rss_mb']:.0f} MB, load {report['load_average_1m']}", rows)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200, help="copies of the five seeds")
    parser.add_argument("--batch-size", type=int, default=NewsflowSettings().batch_size,
                        help="XREADGROUP count and nlp.pipe batch (default: the service default)")
    args = parser.parse_args(argv)
    report = run(args.repeat, args.batch_size)
    show(report)
    write("extract", report)
    return report


if __name__ == "__main__":
    main()
