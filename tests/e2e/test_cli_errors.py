"""The newsflow command in its own process: ordinary problems are one line and exit 1."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SEEDS


def _newsflow(*args: str, tmp_path, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NEWSFLOW_")}
    environment.update({"NEWSFLOW_DATA_DIR": str(tmp_path), "COLUMNS": "80", **env})
    return subprocess.run([sys.executable, "-m", "services.cli", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120)


def _error_lines(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("error:")]


def test_cli_feed_with_redis_down_is_one_line(tmp_path):
    """feed against an unreachable Redis: exit 1, one error line naming NEWSFLOW_REDIS_URL, no traceback."""
    result = _newsflow("feed", str(SEEDS), tmp_path=tmp_path, NEWSFLOW_REDIS_URL="redis://127.0.0.1:1/0")
    assert result.returncode == 1
    [line] = _error_lines(result)
    assert "Redis unreachable" in line and "NEWSFLOW_REDIS_URL" in line
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) < 5


def test_cli_debug_shows_the_traceback(tmp_path):
    """--debug, or NEWSFLOW_LOG_LEVEL=DEBUG, shows the traceback of the same problem."""
    down = {"NEWSFLOW_REDIS_URL": "redis://127.0.0.1:1/0"}
    assert "Traceback" in _newsflow("--debug", "feed", str(SEEDS), tmp_path=tmp_path, **down).stderr
    verbose = _newsflow("feed", str(SEEDS), tmp_path=tmp_path, NEWSFLOW_LOG_LEVEL="DEBUG", **down)
    assert verbose.returncode != 0 and "Traceback" in verbose.stderr


@pytest.mark.parametrize(("args", "env", "expected"), [
    (("export", "articles"), {"NEWSFLOW_DATABASE_URL": "mysql://u:secret@db/news"}, "NEWSFLOW_DATABASE_URL"),
    (("export", "articles"), {"NEWSFLOW_DATABASE_URL": "postgresql://u:secret@127.0.0.1:1/news"},
     "database unreachable"),
    (("export", "articles"), {"NEWSFLOW_BATCH_SIZE": "zero"}, "NEWSFLOW_BATCH_SIZE"),
    (("dlq", "show", "abc"), {"NEWSFLOW_REDIS_URL": "redis://127.0.0.1:1/0"}, "not a stream entry id"),
])
def test_cli_ordinary_problems_are_one_line(tmp_path, args, env, expected):
    """A bad database URL, a database down, a bad setting, a malformed DLQ id: one line, exit 1, no secret."""
    result = _newsflow(*args, tmp_path=tmp_path, **env)
    assert result.returncode == 1, result.stderr[-2000:]
    [line] = _error_lines(result)
    assert expected in line and "secret" not in result.stderr
    assert "Traceback" not in result.stderr
