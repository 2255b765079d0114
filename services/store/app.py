"""The store service: articles.extracted → deduplicated rows → records.stored.

Applies the migrations at start-up, commits each article in one transaction, and publishes
what changed. Run it with `newsflow run store` or `faststream run services.store.app:app`.
"""

from __future__ import annotations

from faststream.redis import RedisBroker
from faststream.redis.annotations import RedisBatchStreamMessage
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from services.common.contracts import EXTRACTED, STORED, ExtractedArticle, StoredRecord
from services.common.http import ReadinessCheck
from services.common.service import StreamService, app_factory, lazy_app
from services.common.settings import StoreSettings
from services.store.db import make_engine, upgrade
from services.store.repository import Repository


class StoreService(StreamService):
    name = "store"
    input_stream = EXTRACTED
    settings: StoreSettings

    def __init__(self, settings: StoreSettings) -> None:
        super().__init__(settings)
        self._engine: AsyncEngine | None = None
        self._repository: Repository | None = None

    async def start(self, redis: Redis) -> None:
        await super().start(redis)
        url = self.settings.resolved_database_url()
        await upgrade(url)
        self._engine = make_engine(url)
        self._repository = Repository(
            self._engine,
            near_duplicate_threshold=self.settings.near_duplicate_threshold,
            near_duplicate_containment=self.settings.near_duplicate_containment,
            event_window_days=self.settings.event_window_days,
            event_match_threshold=self.settings.event_match_threshold,
        )
        self.log.info("store ready", database=url)

    async def stop(self) -> None:
        """The base's stop (its trimmer and HTTP server), then the database engine."""
        await super().stop()
        if self._engine is not None:
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


create_app = app_factory(StoreService, StoreSettings)
__getattr__ = lazy_app(create_app)
