"""Stream growth on the real Redis: a running service trims its input towards NEWSFLOW_STREAM_MAXLEN,
but never an entry some consumer group has not read or acknowledged."""

from __future__ import annotations

import time

import pytest

from services.common.contracts import RAW, RawArticle
from tests.chaos.harness import SUMMARIES, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.e2e, pytest.mark.slow]

FED = 2500
MAXLEN = 1000  # the smallest NEWSFLOW_STREAM_MAXLEN allowed


def test_trim_never_cuts_what_a_lagging_group_needs(sqlite_chaos):
    """ingest trims articles.raw every 0.5 s: nothing goes while a second group holds the oldest entry
    pending; once that group has read and acked everything, the stream shrinks to about MAXLEN."""
    with sqlite_chaos(NEWSFLOW_STREAM_MAXLEN=str(MAXLEN), NEWSFLOW_TRIM_INTERVAL_S="0.5") as chaos:
        raw = chaos.stream(RAW)
        chaos.client.xgroup_create(raw, "laggard", id="0", mkstream=True)
        chaos.start(names=["ingest"])
        chaos.feed([RawArticle(text=f"Le ministre {i} a rencontré son homologue à Dakar le {i % 28 + 1} mars.",
                               external_id=f"trim-{i}") for i in range(FED)])
        ids = [entry_id for entry_id, _ in chaos.client.xrange(raw)]
        [(_, held)] = chaos.client.xreadgroup("laggard", "slow", {raw: ">"}, count=100)
        wait_until(lambda: all(not g["pending"] and g["last-delivered-id"] == ids[-1]
                               for g in chaos.client.xinfo_groups(raw) if g["name"] == b"ingest"), 60, "ingest done")
        time.sleep(2.0)  # four trim rounds
        assert chaos.client.xlen(raw) == FED, "an entry the laggard holds pending, or never read, was trimmed"

        chaos.client.xack(raw, "laggard", *[entry_id for entry_id, _ in held])
        time.sleep(2.0)
        unread = ids[100:]
        assert [e for e, _ in chaos.client.xrange(raw, min=unread[0])] == unread, "an unread entry was trimmed"

        while entries := chaos.client.xreadgroup("laggard", "slow", {raw: ">"}, count=500):
            chaos.client.xack(raw, "laggard", *[entry_id for entry_id, _ in entries[0][1]])
        shrink_s = wait_until(lambda: chaos.client.xlen(raw) <= MAXLEN + 200, 30, f"{raw} trimmed to ~{MAXLEN}")
        length = chaos.client.xlen(raw)
        SUMMARIES.append(f"CHAOS trim: fed={FED} maxlen={MAXLEN} kept_while_lagging={FED} "
                         f"after_catch_up={length} shrink_s={shrink_s:.1f}")
        print(SUMMARIES[-1])
    assert length >= MAXLEN, f"trimmed below MAXLEN: {length}"
