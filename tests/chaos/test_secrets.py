"""Chaos: a database password with a `/` in it. Before, the store logged it in clear at start-up
and `newsflow status` printed it; now neither the service's log nor status (text or JSON) shows it."""

from __future__ import annotations

import subprocess

import pytest

from tests.chaos.conftest import chaos_run
from tests.chaos.harness import SUMMARIES
from tests.conftest import TEST_REDIS_URL, _need
from tests.e2e.processes import BIN

pytestmark = [pytest.mark.integration, pytest.mark.e2e, pytest.mark.slow]

PASSWORD = "Sup3r/S3cretPw_B"


def test_store_log_and_status_never_show_a_password_with_a_slash(tmp_path, postgres_database):
    """The store starts on a URL whose password holds a `/` (Postgres here trusts local users, so any
    password connects): its log and `newsflow status` show `***`, never the password."""
    url = postgres_database.replace("://postgres@", f"://postgres:{PASSWORD}@", 1)
    assert PASSWORD in url
    with chaos_run(tmp_path, _need(TEST_REDIS_URL, 6379, "Redis"), url) as chaos:
        chaos.start(names=("store",))
        outputs = [subprocess.run([str(BIN / "newsflow"), "status", *flag], env=chaos.services.env, cwd=tmp_path,
                                  capture_output=True, text=True, timeout=60) for flag in ((), ("--json",))]
        chaos.services.stop("store")
        log = chaos.services.log("store")
    assert "store ready" in log and "postgres:***@" in log
    for shown in (log, *(o.stdout + o.stderr for o in outputs)):
        assert PASSWORD not in shown and "S3cretPw" not in shown
    assert all(o.returncode == 0 for o in outputs) and "postgres:***@" in outputs[1].stdout
    SUMMARIES.append("CHAOS secrets: password with '/' absent from the store log and from status (text, --json)")
