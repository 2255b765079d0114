"""The store service: articles.extracted → deduplicated rows → records.stored.

Applies the migrations at start-up, commits each article in one transaction, and publishes
what changed. Run it with `newsflow run store` or `faststream run services.store.app:app`.
"""

from __future__ import annotations

from typing import Any

from faststream.redis import RedisBroker
from faststream.redis.annotations import RedisBatchStreamMessage
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from services.common.contracts import EXTRACTED, STORED, ExtractedArticle, StoredRecord
from services.common.http import ReadinessCheck
from services.common.service import StreamService
from services.common.settings import StoreSettings
from services.store.db import make_engine, upgrade
from services.store.repository import Repository


class StoreService(StreamService):
    name = "store"
    input_stream = EXTRACTED
    settings: StoreSettings

    def __init__(self, settings: StoreSettings, engine: AsyncEngine | None = None) -> None:
        """`engine`: one the caller made and owns (it is used, and left open at shutdown); the
        migrations are applied to the configured database_url either way."""
        super().__init__(settings, http_port=settings.http_port)
        self._engine: AsyncEngine | None = engine
        self._owns_engine = engine is None
        self._repository: Repository | None = None

    async def on_start(self) -> None:
        url = self.settings.resolved_database_url()
        await upgrade(url)
        if self._engine is None:
            self._engine = make_engine(url)
        self._repository = Repository(
            self._engine,
            near_duplicate_threshold=self.settings.near_duplicate_threshold,
            near_duplicate_containment=self.settings.near_duplicate_containment,
            event_window_days=self.settings.event_window_days,
            event_match_threshold=self.settings.event_match_threshold,
        )
        self.log.info("store ready", database=url)

    async def on_stop(self) -> None:
        """The database engine, when the service made it (after the base's trimmer and HTTP server)."""
        if self._owns_engine and self._engine is not None:
            await self._engine.dispose()

    @property
    def repository(self) -> Repository:
        if self._repository is None:
            raise RuntimeError("the store is not started yet")
        return self._repository

    def trimmed_streams(self) -> list[str]:
        return [*super().trimmed_streams(), self.settings.stream(STORED)]

    def readiness_checks(self) -> dict[str, ReadinessCheck]:
        async def database() -> None:
            async with self.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))

        return {**super().readiness_checks(), "database": database}

    @property
    def engine(self) -> AsyncEngine:
        if self._engine is None:
            raise RuntimeError("the store is not started yet")
        return self._engine

    def register(self, broker: RedisBroker) -> None:
        output = broker.publisher(stream=self.settings.stream(STORED), title="records.stored", schema=StoredRecord)

        async def on_extracted_articles(msg: RedisBatchStreamMessage) -> None:
            await self.handle_batch(msg, ExtractedArticle, self.repository.store_many, output, lambda r: {
                "status": r.status, "duplicate_of": r.duplicate_of, "events": len(r.events)})

        self.subscribe(broker, on_extracted_articles, batch_size=self.settings.batch_size)


def __getattr__(name: str) -> Any:
    """`app`, for `faststream run services.store.app:app`: bootstrapped on first access."""
    if name != "app":
        raise AttributeError(name)
    from services.bootstrap import service_app

    return service_app("store")
