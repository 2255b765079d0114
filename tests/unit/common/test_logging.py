"""Logging: credentials never reach the logs."""

import io
import json
import sys

import pytest
import structlog

from services.common.logging import configure_logging, redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("redis://:s3cret@redis:6379/0", "redis://:***@redis:6379/0"),
        ("postgresql+asyncpg://news:pw@db/newsflow", "postgresql+asyncpg://news:***@db/newsflow"),
        ("rediss://user:p%40ss@host:6380", "rediss://user:***@host:6380"),
        ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0"),
    ],
)
def test_redact_hides_url_passwords(text, expected):
    """Passwords in URLs are replaced by ***; URLs without one are unchanged."""
    assert redact(text) == expected


def test_logging_redacts_credentials_in_json_lines(monkeypatch):
    """A URL with a password logged as a field comes out redacted in the JSON line."""
    buffer = io.StringIO()
    monkeypatch.setattr(sys, "stderr", buffer)
    configure_logging("INFO", "json")
    structlog.get_logger(service="t").info("started", redis="redis://:hunter2@host:6379")
    line = json.loads(buffer.getvalue().strip().splitlines()[-1])
    assert line["redis"] == "redis://:***@host:6379"
    assert line["service"] == "t" and line["event"] == "started"
    structlog.reset_defaults()
