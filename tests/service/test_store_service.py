"""The store service alone: articles.extracted in, rows in SQLite, records.stored out."""

import asyncio
import datetime as dt

import pytest

from services.common.contracts import Actor, Entity, Event, ExtractedArticle
from services.common.settings import StoreSettings
from services.store.app import StoreService

pytestmark = pytest.mark.integration


def _article(article_id: str, text: str, external_id: str) -> ExtractedArticle:
    lavrov = Actor(key="per:serguei-lavrov", name="Sergueï Lavrov", country="RUS")
    diop = Actor(key="per:abdoulaye-diop", name="Abdoulaye Diop", country="MLI")
    return ExtractedArticle(
        article_id=article_id, content_sha256=article_id * 4, text=text, external_id=external_id,
        published_at=dt.date(2024, 8, 1), published_precision="day",
        entities=[Entity(text="Lavrov", label="PER", name="Sergueï Lavrov", key=lavrov.key, country="RUS",
                         start=0, end=6)],
        events=[Event(type="CONSULT", mode="phone", source_actors=[lavrov, diop], date=dt.date(2024, 8, 1),
                      date_precision="day", sentence=text, trigger="entretien", trigger_start=0, trigger_end=9)],
    )


A = _article("a" * 16, "Entretien téléphonique entre Sergueï Lavrov et Abdoulaye Diop, jeudi, sur la sécurité "
             "au Sahel.", "a")
B = _article("b" * 16, "Le chef de la diplomatie russe a échangé par téléphone avec son homologue malien à propos "
             "de la coopération militaire et économique entre Moscou et Bamako.", "b")


async def test_store_service_stores_and_publishes_what_changed(run_service, tmp_path):
    """Two reports of one call: two records, one event created then updated with a second source."""
    async with run_service(StoreService, StoreSettings, data_dir=tmp_path) as running:
        for article in (A, B):
            await running.add("articles.extracted", {"__data__": article.model_dump_json()})
        first, second = await running.wait_for(running.stream("records.stored"), 2)
        assert (first["status"], second["status"]) == ("stored", "stored")
        assert first["events"][0]["status"] == "created" and second["events"][0]["status"] == "updated"
        assert second["events"][0]["sources"] == 2 and first["trace_id"] == A.trace_id
        assert await running.pending() == 0


async def test_store_service_is_idempotent_on_redelivery(run_service, tmp_path):
    """The same ExtractedArticle twice: the second record says unchanged."""
    async with run_service(StoreService, StoreSettings, data_dir=tmp_path) as running:
        for _ in range(2):
            await running.add("articles.extracted", {"__data__": A.model_dump_json()})
        first, second = await running.wait_for(running.stream("records.stored"), 2)
        assert first["status"] == "stored" and second["status"] == "unchanged"
        assert second["events"][0]["status"] == "unchanged" and second["events"][0]["sources"] == 1


async def test_store_service_parks_an_invalid_extracted_article(run_service, tmp_path):
    """A payload that is not an ExtractedArticle is dead-lettered with the field named."""
    async with run_service(StoreService, StoreSettings, data_dir=tmp_path) as running:
        await running.add("articles.extracted", {"__data__": '{"article_id": "x", "text": "t"}'})
        [letter] = await running.wait_for(running.stream("articles.extracted") + ".dlq", 1)
        assert letter["service"] == "store" and "content_sha256" in letter["error"]


async def test_store_service_stop_stops_its_trimmer_and_http_server(run_service, tmp_path):
    """Regression: StoreService.stop never called the base stop, so the trimmer task and the HTTP
    server outlived the service."""
    async with run_service(
        StoreService, StoreSettings, database_url=f"sqlite+aiosqlite:///{tmp_path}/s.db"
    ) as running:
        service = running.service
        trimmer = service._trimmer
        stopped: list[bool] = []

        class Server:
            async def stop(self) -> None:
                stopped.append(True)

        service._http = Server()
        await service.stop()
        await asyncio.sleep(0)
        assert trimmer.cancelled() or trimmer.done()
        assert stopped == [True]
