"""Chaos: one batch of the store holding a text with NUL (Postgres refuses it: SQLSTATE 22021), a
valid article and a non-JSON entry, written straight to articles.extracted. Before: the non-JSON
entry was parked twice, the valid article delayed 74 s, the NUL one parked after 5 deliveries
(about 5 minutes). Now each settles on its first delivery."""

from __future__ import annotations

import hashlib
import json
import time

import pytest

from services.common.broker import entry_fields
from services.common.contracts import EXTRACTED, STORED, ExtractedArticle, dlq_stream
from tests.chaos.conftest import chaos_run
from tests.chaos.harness import SUMMARIES, wait_until
from tests.conftest import TEST_REDIS_URL, _need

pytestmark = [pytest.mark.integration, pytest.mark.e2e, pytest.mark.slow]

CLAIM_IDLE_S = 3.0  # chaos_env's NEWSFLOW_CLAIM_IDLE_MS


def _extracted(text: str, external_id: str) -> ExtractedArticle:
    digest = hashlib.sha256(text.encode()).hexdigest()
    return ExtractedArticle(article_id=digest[:16], content_sha256=digest, text=text, lang="fr",
                            external_id=external_id)


def test_store_batch_nul_valid_and_non_json_settle_on_first_delivery(tmp_path, postgres_database):
    """All three in one batch on Postgres: the valid article stored, the NUL one and the non-JSON
    one parked once each with delivery_count 1, and nothing redelivered after two claim intervals."""
    with chaos_run(tmp_path, _need(TEST_REDIS_URL, 6379, "Redis"), postgres_database) as chaos:
        stream = chaos.stream(EXTRACTED)
        with chaos.client.pipeline(transaction=True) as pipe:
            pipe.xadd(stream, entry_fields(_extracted("Le\x00ministre a reçu son homologue à Bamako.", "nul")))
            pipe.xadd(stream, entry_fields(_extracted("Le ministre a reçu son homologue à Niamey.", "valid")))
            pipe.xadd(stream, {"__data__": b"{not json"})
            pipe.execute()
        started = time.monotonic()
        chaos.start(names=("store",))
        settle_s = wait_until(lambda: chaos.length(STORED) == 1 and chaos.client.xlen(dlq_stream(stream)) == 2,
                              60, "the batch settled")
        time.sleep(2 * CLAIM_IDLE_S)  # time for a wrong redelivery to park or store again
        letters = [json.loads(f[b"__data__"]) for _, f in chaos.client.xrange(dlq_stream(stream))]
        [record] = chaos.records()
        pending = chaos.client.xpending(stream, "store")["pending"]
    assert record["external_id"] == "valid" and record["status"] == "stored"
    assert [letter["delivery_count"] for letter in letters] == [1, 1] and pending == 0
    [nul] = [letter for letter in letters if letter["error_type"] != "ValidationError"]
    assert "0x00" in nul["error"] and json.loads(nul["payload"])["external_id"] == "nul"
    SUMMARIES.append(f"CHAOS store batch (NUL, valid, non-JSON): valid stored, 2 parked once each at delivery 1, "
                     f"settled {settle_s:.1f} s after the store was ready ({time.monotonic() - started:.1f} s in all)")
