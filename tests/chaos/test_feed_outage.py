"""Chaos: `newsflow feed` while Redis fails. Before, it exited 1 after 1.6 s with a traceback and no
summary; now it says how many articles were fed and at which input to resume, and exits 1."""

from __future__ import annotations

import json
import subprocess

import pytest
import redis

from tests.chaos.harness import SUMMARIES
from tests.e2e.processes import BIN, free_port

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _feed(tmp_path, redis_url: str, *paths: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "NEWSFLOW_REDIS_URL": redis_url, "COLUMNS": "1000",
           "NEWSFLOW_STREAM_PREFIX": "feed-outage:"}
    return subprocess.run([str(BIN / "newsflow"), "feed", *paths], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)


def test_feed_with_redis_down_says_nothing_was_fed_and_where_to_resume(tmp_path):
    """Redis unreachable from the start: 'fed 0', stopped at the first input, exit 1, no traceback."""
    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text(f"Article {name} : le ministre a parlé à Bamako.")
    result = _feed(tmp_path, f"redis://127.0.0.1:{free_port()}/0", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"))
    output = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 1, output
    assert "fed 0" in output and f"nothing from {tmp_path}/a.txt on was fed" in output
    assert "Traceback" not in output


def test_feed_when_redis_fails_mid_feed_reports_exactly_what_it_fed(tmp_path, redis_server):
    """Redis refusing writes part-way (out of memory): the count reported is what the stream holds,
    and the feed names the JSONL line to resume from."""
    client = redis.Redis.from_url(redis_server.url)
    used = int(client.info("memory")["used_memory"])
    client.config_set("maxmemory-policy", "noeviction")
    client.config_set("maxmemory", used + 600_000)
    path = tmp_path / "many.jsonl"
    text = "Le ministre malien des Affaires étrangères a reçu son homologue à Bamako. " * 12
    path.write_text("".join(json.dumps({"text": f"{n} {text}", "external_id": f"a{n}"}) + "\n" for n in range(3000)))
    try:
        result = _feed(tmp_path, redis_server.url, str(path))
        output = " ".join((result.stdout + result.stderr).split())
        stored = client.xlen("feed-outage:articles.raw")
    finally:
        client.close()
    assert result.returncode == 1, output
    assert 0 < stored < 3000 and f"fed {stored}," in output
    assert f"nothing from {path}:{stored + 1} on was fed" in output and "OutOfMemoryError" in output
    SUMMARIES.append(f"CHAOS feed-outage: Redis refused writes mid-feed; fed={stored} reported exactly, "
                     f"stopped at line {stored + 1}")
