"""Logging: credentials never reach the logs."""

import io
import json
import logging
import sys
from urllib.parse import quote

import pytest
import structlog
from hypothesis import given
from hypothesis import strategies as st

from services.common.logging import configure_logging, redact, redact_value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("redis://:s3cret@redis:6379/0", "redis://:***@redis:6379/0"),
        ("postgresql+asyncpg://news:pw@db/newsflow", "postgresql+asyncpg://news:***@db/newsflow"),
        ("rediss://user:p%40ss@host:6380", "rediss://user:***@host:6380"),
        ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0"),
        ("postgresql+asyncpg://user:Sup3r/S3cretPw_B@host/db", "postgresql+asyncpg://user:***@host/db"),
        ("postgresql://u:p@ss@w0rd@db:5432/x", "postgresql://u:***@db:5432/x"),
        ("postgresql://u:two words@db/x failed", "postgresql://u:***@db/x failed"),
        ("redis://host:6379/0?password=hunter2&db=1", "redis://host:6379/0?password=***&db=1"),
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


# Passwords as people make them: any printable character, `/`, `@`, `:`, `%`, spaces, accents.
passwords = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=40)
schemes = st.sampled_from(["postgresql+asyncpg", "postgresql", "postgres", "redis", "rediss", "sqlite+aiosqlite"])


@given(scheme=schemes, user=st.sampled_from(["", "news", "u_1"]), password=passwords,
       encoded=st.booleans(), host=st.sampled_from(["db", "10.0.0.7:5432", "redis.internal:6380"]))
def test_redact_hides_any_password_in_any_url_form(scheme, user, password, encoded, host):
    """Whatever the password (raw or percent-encoded), the URL comes out with *** in its place."""
    secret = quote(password, safe="") if encoded else password
    url = f"{scheme}://{user}:{secret}@{host}/newsflow"
    assert redact(f"could not connect to {url}: refused") == (
        f"could not connect to {scheme}://{user}:***@{host}/newsflow: refused")


def test_redact_value_walks_lists_and_dicts():
    """URLs inside lists and dicts of a log field are redacted too."""
    assert redact_value({"urls": ["redis://:a/b@h"], "n": 1}) == {"urls": ["redis://:***@h"], "n": 1}


def test_logging_redacts_tracebacks_and_stdlib_records(monkeypatch):
    """An exception quoting a URL, and a stdlib logger's line (FastStream's), are redacted too."""
    buffer = io.StringIO()
    monkeypatch.setattr(sys, "stderr", buffer)
    root = logging.getLogger()
    saved = root.handlers[:]
    root.handlers = []
    try:
        configure_logging("INFO", "json")
        try:
            raise ValueError("cannot parse postgresql://u:Sup3r/S3cret@db/x")
        except ValueError:
            structlog.get_logger(service="t").exception("failed")
        logging.getLogger("newsflow.faststream").warning("connecting to %s", "redis://:Sup3r/S3cret@r:6379")
    finally:
        root.handlers = saved
        structlog.reset_defaults()
    logged = buffer.getvalue()
    assert "S3cret" not in logged and "postgresql://u:***@db/x" in logged and "redis://:***@r:6379" in logged
