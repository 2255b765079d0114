"""The ingest service: articles.raw → normalize → articles.normalized.

Run it with `newsflow run ingest` or `faststream run services.ingest.app:app`.
"""

from __future__ import annotations

from typing import Any

import anyio
from fastapi import FastAPI
from faststream.redis import RedisBroker
from faststream.redis.annotations import RedisBatchStreamMessage

from services.common.broker import publish
from services.common.contracts import NORMALIZED, RAW, NormalizedArticle, RawArticle
from services.common.service import StreamService
from services.common.settings import IngestSettings
from services.ingest.intake_api import add_intake
from services.ingest.normalize import normalize_article

WARM_UP_TEXT = "Le mardi 7 février 2023, le ministre a été reçu à Bamako.\nPartagez"


class IngestService(StreamService):
    name = "ingest"
    input_stream = RAW
    settings: IngestSettings

    def __init__(self, settings: IngestSettings) -> None:
        super().__init__(settings, http_port=settings.http_port, api_token=settings.api_token)

    async def on_start(self) -> None:
        # The language detector and the rule files load lazily (~2 s): pay that at start-up, not
        # on the first article, which would otherwise block the event loop while it is read.
        await anyio.to_thread.run_sync(normalize_article, RawArticle(text=WARM_UP_TEXT))

    def api(self) -> FastAPI:
        """Ops endpoints plus POST /articles, which enqueues on articles.raw."""

        async def enqueue(articles: list[RawArticle]) -> list[str]:
            return await publish(self.redis, self.stream, articles)

        return add_intake(super().api(), self.settings, enqueue)

    async def normalize(self, articles: list[RawArticle]) -> list[NormalizedArticle]:
        return [normalize_article(raw, max_bytes=self.settings.max_text_bytes) for raw in articles]

    def register(self, broker: RedisBroker) -> None:
        output = broker.publisher(stream=self.settings.stream(NORMALIZED), title="articles.normalized",
                                  schema=NormalizedArticle)

        async def on_raw_articles(msg: RedisBatchStreamMessage) -> None:
            await self.handle_batch(msg, RawArticle, self.normalize, output, lambda a: {
                "article_id": a.article_id, "external_id": a.external_id, "lang": a.lang,
                "removed": len(a.removed), "published": str(a.published_at)})

        self.subscribe(broker, on_raw_articles, batch_size=self.settings.batch_size)


def __getattr__(name: str) -> Any:
    """`app`, for `faststream run services.ingest.app:app`: bootstrapped on first access."""
    if name != "app":
        raise AttributeError(name)
    from services.bootstrap import service_app

    return service_app("ingest")
