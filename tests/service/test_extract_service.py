"""The extract service alone: batches of NormalizedArticles in, entities and events out."""

import pytest

from services.common.contracts import ExtractedArticle, NormalizedArticle
from services.common.settings import ExtractSettings
from services.extract.app import ExtractService

pytestmark = [pytest.mark.model, pytest.mark.integration]

CALL = ("Le ministre malien des Affaires étrangères, Abdoulaye Diop, a eu mardi un entretien téléphonique "
        "avec son homologue russe Sergueï Lavrov.")


def _article(n: int, text: str = CALL) -> NormalizedArticle:
    return NormalizedArticle(article_id=f"{n:016x}", content_sha256=f"{n:064x}", text=text, lang="fr",
                             published_at="2024-03-13", published_precision="day")


async def test_extract_service_extracts_a_batch_and_parks_poison_alone(run_service):
    """A batch with one invalid entry: the valid articles come out with entities, the bad one is parked."""
    async with run_service(ExtractService, ExtractSettings, batch_size=8) as running:
        await running.add("articles.normalized", {"__data__": _article(1).model_dump_json()})
        await running.add("articles.normalized", {"__data__": b'{"article_id": "broken"}'})
        quiet = _article(2, "Rien à signaler ce jour.")
        await running.add("articles.normalized", {"__data__": quiet.model_dump_json()})
        first, second = await running.wait_for(running.stream("articles.extracted"), 2)
        extracted = ExtractedArticle.model_validate(first)
        assert {"Abdoulaye Diop", "Sergueï Lavrov"} <= {e.name for e in extracted.entities}
        assert any(e.type == "CONSULT" and e.mode == "phone" for e in extracted.events)
        assert second["article_id"] == f"{2:016x}"
        [letter] = await running.wait_for(running.stream("articles.normalized") + ".dlq", 1)
        assert letter["service"] == "extract" and "content_sha256" in letter["error"]
        assert await running.pending() == 0


async def test_extract_service_passes_empty_and_foreign_articles_through(run_service):
    """An English article and a text with no sentence come out with no entities rather than crashing."""
    async with run_service(ExtractService, ExtractSettings) as running:
        english = _article(3, "The minister met his Russian counterpart in Moscow on Tuesday.")
        english.lang = "en"
        await running.add("articles.normalized", {"__data__": english.model_dump_json()})
        await running.add("articles.normalized", {"__data__": _article(4, "…").model_dump_json()})
        documents = await running.wait_for(running.stream("articles.extracted"), 2)
        assert [d["events"] for d in documents] == [[], []]
