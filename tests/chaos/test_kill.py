"""Chaos: kill -9 each service in turn mid-run; restarted, it loses and duplicates nothing."""

from __future__ import annotations

import time

import pytest

from services.common.contracts import EXTRACTED, NORMALIZED, STORED
from tests.chaos.corpus import articles
from tests.chaos.harness import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.e2e, pytest.mark.slow, pytest.mark.model]

ARTICLES = 1000


def test_kill9_each_service_loses_and_duplicates_nothing(sqlite_chaos):
    """1,000 articles; ingest, extract and store each killed -9 with a batch in hand and restarted:
    every article stored once, every event mention once, a record each, the dead consumers reclaimed."""
    corpus = articles(ARTICLES)
    with sqlite_chaos() as chaos:
        chaos.start()
        chaos.feed(corpus)
        recoveries: dict[str, float] = {}
        in_hand: dict[str, int] = {}
        # (service, stream whose growth shows it is mid-run, how far along to kill it)
        for service, base, at in (("ingest", NORMALIZED, 150), ("extract", EXTRACTED, 300), ("store", STORED, 550)):
            wait_until(lambda base=base, at=at: chaos.length(base) >= at, 180, f"{base} reaching {at}", poll=0.005)
            in_hand[service] = chaos.pending(service)
            chaos.services.kill(service)
            chaos.services.start(service)
            restarted = time.monotonic()
            chaos.services.wait_ready()
            # Recovered: what the dead consumer held was claimed by the new one and handled.
            dead = chaos.services.consumers.pop(service)
            chaos.services.consumers[f"{service}-dead"] = dead
            wait_until(lambda service=service: chaos.pending(f"{service}-dead") == 0, 120,
                       f"{service}'s dead consumer reclaimed")
            recoveries[service] = time.monotonic() - restarted
        chaos.wait_done(timeout=240)
        outcome = chaos.audit("kill-9 ingest/extract/store (SQLite)", max(recoveries.values()),
                              in_hand=in_hand, recover={k: round(v, 1) for k, v in recoveries.items()})
        assert all(code is None for code in chaos.services.alive().values())
    assert sum(in_hand.values()) > 0, "no kill caught a batch in hand: the test proved nothing about reclaim"
    assert (outcome.stored, outcome.lost, outcome.duplicated, outcome.dead_lettered) == (ARTICLES, 0, 0, 0), \
        outcome.notes
