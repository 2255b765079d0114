"""Chaos: FLUSHDB under running services (a redis-server of the test's own). Before, every service
exited with status 0; now each recreates its group, logs a warning, and keeps serving."""

from __future__ import annotations

import hashlib

import pytest

from services.common.broker import entry_fields
from services.common.contracts import EXTRACTED, NORMALIZED, RAW, STORED, ExtractedArticle, RawArticle
from tests.chaos.conftest import chaos_run
from tests.chaos.harness import SUMMARIES, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.e2e, pytest.mark.slow]

SERVICES = ("ingest", "store")  # extract's recovery is the same code; it would only add a spaCy start-up


def _extracted(text: str) -> ExtractedArticle:
    digest = hashlib.sha256(text.encode()).hexdigest()
    return ExtractedArticle(article_id=digest[:16], content_sha256=digest, text=text, lang="fr")


def test_flushdb_services_recreate_their_groups_and_keep_serving(tmp_path, redis_server):
    """FLUSHDB while ingest and store run: both stay up, log that their group was recreated, and
    handle what arrives next; SIGTERM then stops them with status 0."""
    with chaos_run(tmp_path, redis_server.url, f"sqlite+aiosqlite:///{tmp_path}/lost.db") as chaos:
        chaos.start(names=SERVICES)
        chaos.client.xadd(chaos.stream(RAW), entry_fields(RawArticle(text="Le ministre a parlé à Bamako mardi.")))
        wait_until(lambda: chaos.length(NORMALIZED) == 1, 60, "first article normalized")
        chaos.client.flushdb()
        chaos.client.xadd(chaos.stream(RAW), entry_fields(RawArticle(text="Le président a reçu son homologue.")))
        chaos.client.xadd(chaos.stream(EXTRACTED), entry_fields(_extracted("Un article arrivé après FLUSHDB.")))
        recover_s = wait_until(lambda: chaos.length(NORMALIZED) == 1 and chaos.length(STORED) == 1, 60,
                               "articles handled after FLUSHDB")
        assert chaos.services.alive() == {"ingest": None, "store": None}
        for name in SERVICES:
            assert "consumer group was lost" in chaos.services.log(name), chaos.services.log(name)[-2000:]
        codes = {name: chaos.services.stop(name) for name in SERVICES}
        assert codes == {"ingest": 0, "store": 0}
        SUMMARIES.append(f"CHAOS flushdb: services alive after FLUSHDB, groups recreated, recover_s={recover_s:.1f}")
