"""Graceful shutdown: SIGTERM mid-run makes a service exit 0 promptly; what it leaves is handled
by another replica or by its restart, and nothing is lost or duplicated."""

from __future__ import annotations

import signal
import time

import pytest

from services.common.contracts import EXTRACTED, NORMALIZED, STORED
from tests.chaos.corpus import articles
from tests.chaos.harness import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.e2e, pytest.mark.slow, pytest.mark.model]

ARTICLES = 300
EXIT_BOUND_S = 15.0  # FastStream's graceful_timeout is 30 s; a batch in hand takes about a second


def test_shutdown_sigterm_mid_run_exits_0_and_loses_nothing(sqlite_chaos):
    """SIGTERM to ingest, to one of two extract replicas and to store, each with work in hand:
    each exits 0 within the bound, the other extract replica takes over, every article stored once."""
    corpus = articles(ARTICLES, seed=9)
    with sqlite_chaos() as chaos:
        for name, key in (("ingest", "ingest"), ("extract", "extract-0"), ("extract", "extract-1"),
                          ("store", "store")):
            chaos.services.start(name, key=key)
        chaos.services.wait_ready()
        chaos.feed(corpus)
        exits: dict[str, tuple[int, float]] = {}
        in_hand: dict[str, int] = {}
        for key, base, at, restart in (("ingest", NORMALIZED, 50, True), ("extract-0", EXTRACTED, 60, False),
                                       ("store", STORED, 150, True)):
            wait_until(lambda base=base, at=at: chaos.length(base) >= at, 180, f"{base} reaching {at}", poll=0.005)
            in_hand[key] = chaos.pending(key)
            started = time.monotonic()
            code = chaos.services.stop(key, signal.SIGTERM, timeout=60)
            exits[key] = (code, round(time.monotonic() - started, 2))
            chaos.services.consumers[f"{key}-stopped"] = chaos.services.consumers.pop(key)
            if restart:
                chaos.services.start(key.split("-")[0], key=key)
                chaos.services.wait_ready()
        # What extract-0 did not finish is claimed by extract-1 (extract-0 is not restarted).
        wait_until(lambda: chaos.pending("extract-0-stopped") == 0, 60, "extract-0's entries handled")
        chaos.wait_done(timeout=180)
        outcome = chaos.audit("SIGTERM ingest/extract(1 of 2)/store", max(t for _, t in exits.values()),
                              exits=exits, in_hand=in_hand)
    assert all(code == 0 for code, _ in exits.values()), exits
    assert all(seconds < EXIT_BOUND_S for _, seconds in exits.values()), exits
    assert (outcome.stored, outcome.lost, outcome.duplicated, outcome.dead_lettered) == (ARTICLES, 0, 0, 0), \
        outcome.notes
