"""The extract service: articles.normalized → spaCy entities and events → articles.extracted.

Reads in batches and runs `nlp.pipe` over each batch in a worker thread, so the event loop
keeps serving Redis while the model works. Run it with `newsflow run extract` or
`faststream run services.extract.app:app`.
"""

from __future__ import annotations

from typing import Any

import anyio
from faststream.redis import RedisBroker
from faststream.redis.annotations import RedisBatchStreamMessage
from spacy.language import Language

from services.common.contracts import EXTRACTED, NORMALIZED, ExtractedArticle, NormalizedArticle
from services.common.service import StreamService
from services.common.settings import ExtractSettings
from services.extract.nlp import build_nlp
from services.extract.pipeline import extract_articles


class ExtractService(StreamService):
    name = "extract"
    input_stream = NORMALIZED
    settings: ExtractSettings

    def __init__(self, settings: ExtractSettings, nlp: Language | None = None) -> None:
        """`nlp`: a pipeline already loaded (forked workers share their parent's, services/workers.py)."""
        super().__init__(settings, http_port=settings.http_port)
        self._nlp: Language | None = nlp

    async def on_start(self) -> None:
        if self._nlp is not None:
            return
        self.log.info("loading spaCy model", model=self.settings.spacy_model)
        self._nlp = await anyio.to_thread.run_sync(build_nlp, self.settings.spacy_model)
        self.log.info("spaCy model loaded", model=self.settings.spacy_model, pipes=self._nlp.pipe_names)

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            raise RuntimeError("the spaCy model is not loaded yet")
        return self._nlp

    async def extract(self, articles: list[NormalizedArticle]) -> list[ExtractedArticle]:
        return await anyio.to_thread.run_sync(
            lambda: extract_articles(self.nlp, articles, batch_size=self.settings.batch_size)
        )

    def register(self, broker: RedisBroker) -> None:
        output = broker.publisher(stream=self.settings.stream(EXTRACTED), title="articles.extracted",
                                  schema=ExtractedArticle)

        async def on_normalized_articles(msg: RedisBatchStreamMessage) -> None:
            await self.handle_batch(msg, NormalizedArticle, self.extract, output,
                                    lambda a: {"entities": len(a.entities), "events": len(a.events)})

        self.subscribe(broker, on_normalized_articles, batch_size=self.settings.batch_size)


def __getattr__(name: str) -> Any:
    """`app`, for `faststream run services.extract.app:app`: bootstrapped on first access."""
    if name != "app":
        raise AttributeError(name)
    from services.bootstrap import service_app

    return service_app("extract")
