"""Dedup recall and cost: shortened copies of the seeds found, and candidate pairs of the LSH index.

    .venv/bin/python -m bench.bench_dedup

Recall: each seed republished by "another outlet" keeping 80, 65 and 50 % of its paragraphs under
its own dateline (tests/integration/store/seed_articles.shortened); a copy counts as found when it
shares an LSH band with the original and best_match links it, by Jaccard alone and by Jaccard or
containment. Cost: candidate pairs (sharing a band) among the benchmark corpus' variations, which
share up to 0.63 Jaccard with each other, so it is a worst case; and how many of them are linked.
"""

from __future__ import annotations

import argparse
from collections import defaultdict

from bench.corpus import variation_text
from bench.report import machine, print_table, write
from services.common.settings import StoreSettings
from services.store.dedup import Candidate, Fingerprint, best_match, jaccard, shared_bands
from tests.integration.store.seed_articles import seed_articles, shortened

KEEPS = (0.8, 0.65, 0.5)


def recall(threshold: float, containment: float) -> list[dict]:
    rows = []
    for keep in KEEPS:
        similarities, by_jaccard, by_either = [], 0, 0
        for article in seed_articles():
            original, copy = Fingerprint.of(article.text), Fingerprint.of(shortened(article, keep=keep).text)
            candidate = [Candidate("original", original.signature, original.shingle_count)]
            similarities.append(jaccard(original.signature, copy.signature))
            if shared_bands(original.bands, copy.bands):
                by_jaccard += best_match(copy, candidate, threshold) is not None
                by_either += best_match(copy, candidate, threshold, containment) is not None
        rows.append({"keep": keep, "jaccard_min": min(similarities), "jaccard_max": max(similarities),
                     "found_by_jaccard": by_jaccard, "found": by_either, "copies": len(similarities)})
    return rows


def candidate_pairs(count: int, threshold: float, containment: float) -> dict:
    prints = [Fingerprint.of(variation_text(i)) for i in range(count)]
    index: dict[tuple[int, int], list[int]] = defaultdict(list)
    pairs: set[tuple[int, int]] = set()
    for i, fingerprint in enumerate(prints):
        for band in fingerprint.bands:
            pairs.update((j, i) for j in index[band])
            index[band].append(i)
    linked = sum(
        best_match(prints[i], [Candidate(str(j), prints[j].signature, prints[j].shingle_count)], threshold,
                   containment) is not None
        for j, i in pairs
    )
    return {"articles": count, "candidate_pairs": len(pairs), "linked": linked}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variations", type=int, default=2000)
    args = parser.parse_args(argv)
    settings = StoreSettings.model_fields
    threshold = settings["near_duplicate_threshold"].default
    containment = settings["near_duplicate_containment"].default
    report = {"machine": machine(), "threshold": threshold, "containment": containment,
              "recall": recall(threshold, containment),
              "cost": candidate_pairs(args.variations, threshold, containment)}
    print_table("shortened copies of the 5 seeds", [
        ("paragraphs kept", "jaccard", "found by jaccard", "found (jaccard or containment)"),
        *((f"{r['keep']:.0%}", f"{r['jaccard_min']:.2f}–{r['jaccard_max']:.2f}", f"{r['found_by_jaccard']}/5",
           f"{r['found']}/5") for r in report["recall"]),
    ])
    cost = report["cost"]
    print(f"  {cost['articles']} variations: {cost['candidate_pairs']} candidate pairs, {cost['linked']} linked")
    write("dedup", report)
    return report


if __name__ == "__main__":
    main()
