"""Chaos: two replicas of each service at once give the same store as one."""

from __future__ import annotations

import asyncio

import pytest

from services.common.contracts import EXTRACTED
from tests.chaos.conftest import chaos_run
from tests.chaos.corpus import articles
from tests.chaos.harness import extracted_articles, reference_facts, store_facts

pytestmark = [pytest.mark.integration, pytest.mark.e2e, pytest.mark.slow, pytest.mark.model]

ARTICLES = 1000


def test_replicas_two_of_each_store_what_one_would(tmp_path, redis_url, postgres_database):
    """1,000 articles through two ingest, two extract and two store processes on one Postgres: every
    article once, the same articles, event mentions and event keys as one replica storing the same
    extracted articles, and no two events that the merge rule would have joined.

    The events themselves are not compared: a report dated between two events of one key joins the
    nearer one that exists when it is stored, so their dates depend on the order replicas store in."""
    corpus = articles(ARTICLES, seed=8)
    with chaos_run(tmp_path, redis_url, postgres_database) as chaos:
        chaos.start(replicas=2)
        chaos.feed(corpus)
        drained_s = chaos.wait_done(timeout=240)
        outcome = chaos.audit("two replicas of each (Postgres)", 0.0, drained_s=round(drained_s, 1))
        handled_by = {key: chaos.services.log(key).count('"handled"') for key in chaos.services.processes}
        extracted = extracted_articles(chaos.client, chaos.stream(EXTRACTED))
        alive = chaos.services.alive()
    replicated = asyncio.run(store_facts(postgres_database))
    reference = asyncio.run(reference_facts(extracted, f"sqlite+aiosqlite:///{tmp_path}/reference.db"))
    assert alive == dict.fromkeys(alive), f"a replica died: {alive}"
    assert all(handled_by.values()), f"a replica handled nothing, so this was not a two-replica run: {handled_by}"
    assert (outcome.stored, outcome.lost, outcome.duplicated, outcome.dead_lettered) == (ARTICLES, 0, 0, 0), \
        outcome.notes
    assert replicated.articles == reference.articles
    assert replicated.mentions == reference.mentions
    assert replicated.keys == reference.keys
    assert (replicated.events_that_should_be_one, reference.events_that_should_be_one) == (0, 0)
