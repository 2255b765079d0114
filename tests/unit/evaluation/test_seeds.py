"""The seed evaluation: gold matching rules, and the seeds themselves (real model)."""

from __future__ import annotations

import datetime as dt

import pytest
from rich.console import Console

from services.common.contracts import Actor, Entity, Event, ExtractedArticle, Location
from services.evaluation.seeds import check_article, evaluate, render_report
from tests.conftest import GOLD, SEEDS


def _article(entities: list[Entity], events: list[Event]) -> ExtractedArticle:
    return ExtractedArticle(article_id="x", content_sha256="0", text="t", entities=entities, events=events)


def _event(actors: list[str], date: dt.date, mode: str = "phone") -> Event:
    return Event(
        type="CONSULT",
        mode=mode,
        date=date,
        sentence="s",
        trigger="t",
        trigger_start=0,
        trigger_end=1,
        source_actors=[Actor(key=f"per:{i}", name=name) for i, name in enumerate(actors)],
        location=Location(name="Moscou"),
    )


GOLD_DOC = {
    "events_must": [
        {
            "key": "k",
            "type": "CONSULT",
            "mode": "phone",
            "date": "2024-08-01",
            "actors": ["Sergueï Lavrov", "Abdoulaye Diop"],
            "articles": ["x"],
        }
    ],
}


def test_check_article_matches_entities_accent_insensitively() -> None:
    """'Goita' found satisfies gold 'Assimi Goïta' through the aliases, with the country."""
    entity = Entity(
        text="Goita",
        label="PER",
        name="Assimi Goita",
        key="per:a",
        country="MLI",
        start=0,
        end=5,
        aliases=["Assimi Goita"],
    )
    report = check_article(
        _article([entity], []), {"entities_must": [{"name": "Assimi Goïta", "type": "PER"}]}, {}
    )
    assert report.entities[0].found


def test_check_article_flags_must_not_by_label() -> None:
    """'Lavrov' as ORG is a violation; as PER it is not."""
    gold = {"entities_must_not": [{"text": "Lavrov", "type": "ORG"}]}
    as_org = Entity(text="Lavrov", label="ORG", name="Lavrov", key="org:lavrov", start=0, end=6)
    as_per = Entity(text="Lavrov", label="PER", name="Sergueï Lavrov", key="per:l", start=0, end=6)
    assert check_article(_article([as_org], []), gold, {}).violations
    assert not check_article(_article([as_per], []), gold, {}).violations


def test_check_article_event_needs_same_actor_set_and_date() -> None:
    """An event matches only with the gold's type, mode, date and exactly its actors."""
    good = _event(["Abdoulaye Diop", "Sergueï Lavrov"], dt.date(2024, 8, 1))
    wrong_date = _event(["Abdoulaye Diop", "Sergueï Lavrov"], dt.date(2024, 7, 1))
    extra_actor = _event(["Abdoulaye Diop", "Sergueï Lavrov", "Mali"], dt.date(2024, 8, 1))
    assert check_article(_article([], [good]), {}, GOLD_DOC).events[0].found
    assert not check_article(_article([], [wrong_date]), {}, GOLD_DOC).events[0].found
    assert not check_article(_article([], [extra_actor]), {}, GOLD_DOC).events[0].found


@pytest.mark.model
def test_evaluate_seeds_pass(nlp) -> None:
    """Every seed entity and required event is found, with no forbidden entity."""
    report = evaluate(GOLD, SEEDS, nlp)
    Console(width=200, record=True).print(render_report(report))
    missing = [(a.article_id, c.name) for a in report.articles for c in a.entities if not c.found]
    events = [(c.key, c.detail) for c in report.events(required=True) if not c.found]
    assert not missing and not events and report.violations == 0
    assert report.passed
