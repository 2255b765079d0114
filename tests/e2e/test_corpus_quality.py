"""Each tuned corpus run through the whole pipeline holds the quality committed in its baseline.json.

tests/data/corpus (the rules were written against it) and tests/data/corpus_holdout (written
without reading the rules, then used to find general failures). The final held-out corpus,
tests/data/corpus_final, is measured by `python -m bench quality` only: it holds no floor here.

A change that splits events (B³ F1 falls), joins different events (false merges rise), dates
fewer events right or links articles that are not copies fails here. Quality floors only:
speed lives in the benchmarks. The run is `newsflow eval corpus --json` in its own process, as
a user runs it (in-process, the services would reconfigure this process's logging).
"""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.conftest import ROOT
from tests.e2e.processes import BIN

pytestmark = [pytest.mark.e2e, pytest.mark.model, pytest.mark.slow]

CORPORA = [ROOT / "tests" / "data" / name for name in ("corpus", "corpus_holdout")]
# The three services run concurrently, so reports may reach the store in another order from one
# run to the next; identity is order-robust but not order-free, hence a small tolerance on shares.
TOLERANCE = 0.02


@pytest.fixture(scope="module", params=CORPORA, ids=lambda path: path.name)
def corpus(request):
    return request.param


@pytest.fixture(scope="module")
def summary(corpus, tmp_path_factory) -> dict:
    workdir = tmp_path_factory.mktemp("corpus-eval")
    report = workdir / "quality.json"
    result = subprocess.run(
        [str(BIN / "newsflow"), "eval", "corpus", str(corpus), "--json", str(report)],
        cwd=workdir, capture_output=True, text=True, timeout=900,
        env={"PATH": "/usr/bin:/bin", "HOME": str(workdir), "NEWSFLOW_DATA_DIR": str(workdir / "data")},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(report.read_text(encoding="utf-8"))["summary"]


@pytest.fixture(scope="module")
def baseline(corpus) -> dict:
    return json.loads((corpus / "baseline.json").read_text(encoding="utf-8"))["summary"]


@pytest.mark.parametrize("figure", ["b3_f1", "found", "date_exact", "actor_recall", "published_dated"])
def test_corpus_share_does_not_fall_below_baseline(summary, baseline, figure):
    """Each quality share is at least the committed baseline's (within the run-to-run tolerance)."""
    assert summary[figure] >= baseline[figure] - TOLERANCE, (figure, summary[figure], baseline[figure])


@pytest.mark.parametrize("figure", ["false_merges", "false_duplicate_links", "wrong_year", "published_wrong"])
def test_corpus_error_count_does_not_rise_above_baseline(summary, baseline, figure):
    """Each count of errors is at most the committed baseline's."""
    assert summary[figure] <= baseline[figure], (figure, summary[figure], baseline[figure])
