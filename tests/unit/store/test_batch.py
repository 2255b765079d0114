"""A batch's facts are computed once, from each article's first delivery."""

from __future__ import annotations

from services.store.event_identity import EventFacts
from services.store.planning import Batch
from tests.integration.store.seed_articles import seed_000


def test_batch_keeps_the_first_delivery_of_an_id():
    """The same text delivered twice under two titles keeps the first title's facts: the second
    delivery is planned as unchanged, as it would be stored one by one."""
    first = seed_000()
    second = first.model_copy(update={"title": "Un tout autre titre"})
    batch = Batch.of([first, second])
    assert batch.reports[first.article_id] == [EventFacts.reported(event, first) for event in first.events]
    assert batch.reports[first.article_id] != [EventFacts.reported(event, second) for event in second.events]
