"""Shared fixtures: the real Redis and Postgres for integration tests, and where test data lives.

Integration tests skip when a service is unreachable, unless NEWSFLOW_REQUIRE_SERVICES=1
(CI), where they fail instead.
"""

from __future__ import annotations

import os
import socket
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SEEDS = ROOT / "seeds"
GOLD = DATA / "seeds_gold.json"

REQUIRE_SERVICES = os.environ.get("NEWSFLOW_REQUIRE_SERVICES") == "1"
TEST_REDIS_URL = os.environ.get("NEWSFLOW_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
TEST_DATABASE_URL = os.environ.get(
    "NEWSFLOW_TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), 1):
            return True
    except OSError:
        return False


def _need(url: str, default_port: int, what: str) -> str:
    if _reachable(url, default_port):
        return url
    message = f"{what} unreachable at {url}"
    if REQUIRE_SERVICES:
        pytest.fail(f"{message} and NEWSFLOW_REQUIRE_SERVICES=1")
    pytest.skip(message)


@pytest.fixture
def redis_url() -> str:
    """The machine's real Redis (tests use their own stream prefix and clean up)."""
    return _need(TEST_REDIS_URL, 6379, "Redis")


@pytest.fixture
def postgres_url() -> str:
    """The machine's real Postgres as an async SQLAlchemy URL (tests use their own schema)."""
    return _need(TEST_DATABASE_URL, 5432, "Postgres")


@pytest.fixture
def stream_prefix() -> str:
    """A stream prefix no other test run uses."""
    return f"test-{uuid.uuid4().hex[:10]}:"
