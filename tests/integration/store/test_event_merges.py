"""Two stored events that a later report shows to be one become one: sources move, the old id is an alias."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from services.common.contracts import Location
from services.store.db import make_engine, upgrade
from services.store.export import export_rows
from services.store.repository import Repository
from services.store.schema import event_aliases, event_sources, events
from tests.integration.store.conftest import table_rows
from tests.integration.store.seed_articles import article, entity, event, synthetic_articles

pytestmark = pytest.mark.integration
DAY = dt.date(2024, 8, 1)


def _report(external_id: str, text: str, sources: list[str], targets: list[str], mode: str | None):
    return article(
        external_id,
        text,
        published=DAY,
        entities=[entity(text, key) for key in (*sources, *targets)],
        events=[event(text, text.split()[2], "CONSULT", sources, targets, DAY, mode=mode)],
    )


def reports():
    """A call of the two ministers, a visit told only by the two countries, then a report naming all four."""
    call = _report(
        "call", "Sergueï Lavrov a téléphoné à Abdoulaye Diop pour évoquer la sécurité au Sahel.",
        ["per:serguei-lavrov"], ["per:abdoulaye-diop"], "phone",
    )
    countries = _report(
        "countries", "Russie et Mali renforcent leurs relations militaires, selon un communiqué officiel de Bamako.",
        ["loc:russie"], ["loc:mali"], "visit",
    )
    both = _report(
        "both", "Sergueï Lavrov téléphone à Abdoulaye Diop : Russie et Mali renforcent leurs relations militaires.",
        ["per:serguei-lavrov", "loc:russie"], ["per:abdoulaye-diop", "loc:mali"], None,
    )
    return call, countries, both


async def test_repository_report_matching_two_events_merges_them(store, repository):
    """The third report matches both stored events: they become one, with three sources and the old id as alias."""
    call, countries, both = reports()
    first = (await repository.store(call)).events[0]
    second = (await repository.store(countries)).events[0]
    assert first.event_id != second.event_id and second.status == "created"
    record = await repository.store(both)
    (merged,) = record.events
    assert merged.status == "merged"
    assert {merged.event_id, *merged.merged_from} == {first.event_id, second.event_id}
    assert merged.sources == 3
    async with store.engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(events)) == 1
        assert set(await conn.scalars(select(event_sources.c.event_id).distinct())) == {merged.event_id}
        alias = (await conn.execute(select(event_aliases))).mappings().one()
    assert (alias["alias_id"], alias["event_id"]) == (merged.merged_from[0], merged.event_id)
    assert "showed them one" in alias["reason"]


async def test_repository_merged_event_is_exported_by_either_id(store, repository):
    """`export events --event OLD_ID` finds the surviving event, which lists its aliases and why."""
    for report in reports():
        record = await repository.store(report)
    (merged,) = record.events
    by_old = [row async for row in export_rows(store.engine, "events", event=merged.merged_from[0])]
    by_new = [row async for row in export_rows(store.engine, "events", event=merged.event_id)]
    assert [row["event_id"] for row in by_old] == [row["event_id"] for row in by_new] == [merged.event_id]
    assert by_old[0]["aliases"] == merged.merged_from
    assert len(by_old[0]["sources"]) == 3
    assert any("merged into" in reason for reason in by_old[0]["merge_reasons"])


async def test_repository_merge_in_one_batch_leaves_the_rows_of_one_by_one(tmp_path):
    """Storing the three reports in one batch leaves exactly the rows storing them one by one leaves."""
    dumps = []
    for name, batch in (("single", 1), ("batch", 3)):
        url = f"sqlite+aiosqlite:///{tmp_path / name}.db"
        await upgrade(url)
        engine = make_engine(url)
        try:
            repository = Repository(engine)
            items = list(reports())
            for start in range(0, len(items), batch):
                await repository.store_many(items[start : start + batch])
            dumps.append(await table_rows(engine))
        finally:
            await engine.dispose()
    assert dumps[0] == dumps[1]
    assert len(dumps[0]["event_aliases"]) == 1


async def test_repository_merge_is_idempotent(store, repository):
    """Storing the merging report again changes nothing: unchanged, same surviving id."""
    for report in reports():
        record = await repository.store(report)
    again = await repository.store(reports()[2])
    assert again.status == "unchanged"
    assert [e.event_id for e in again.events] == [record.events[0].event_id]


async def test_repository_chained_merges_in_one_batch_keep_aliases_valid(tmp_path):
    """Events merged into an event that is itself merged later in the batch alias the final survivor
    (a batch of busy synthetic articles once left an alias pointing at a deleted event)."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'chain'}.db"
    await upgrade(url)
    engine = make_engine(url)
    try:
        await Repository(engine).store_many(synthetic_articles(300, seed=1, words=80))
        async with engine.connect() as conn:
            dangling = await conn.scalar(
                select(func.count()).select_from(event_aliases).where(event_aliases.c.event_id.not_in(
                    select(events.c.event_id)))
            )
            aliases = await conn.scalar(select(func.count()).select_from(event_aliases))
    finally:
        await engine.dispose()
    assert aliases > 0 and dangling == 0


def _custom(external_id: str, text: str, actors: list[tuple[str, str]], day: dt.date, precision: str = "day"):
    import hashlib

    from services.common.contracts import Actor, Event, ExtractedArticle

    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    event = Event(
        type="CONSULT", source_actors=[Actor(key=k, name=k, country=c) for k, c in actors], date=day,
        date_precision=precision, date_reason="sentence: test", sentence=text, trigger="entretien",
        trigger_start=0, trigger_end=9,
    )
    return ExtractedArticle(
        article_id=sha[:16], content_sha256=sha, text=text, external_id=external_id, lang="fr",
        published_at=day, published_precision="day", removed=[], events=[event],
    )


async def test_repository_refined_event_merges_with_one_its_report_does_not_reach(store, repository):
    """A month event narrowed to a day by a report now matches a stored day event that report shares
    nothing with: the store loads what the refined event reaches and merges them."""
    month = _custom("month", "Entretien sur les barrages hydrauliques et le coton",
                    [("per:a-b", "RUS"), ("org:z-z", "TUR")], DAY, "month")
    day = _custom("day", "Réunion consacrée aux bourses universitaires des étudiants", [("org:w-w", "TUR")], DAY)
    narrowing = _custom("narrowing", "Nouvel entretien sur les barrages hydrauliques", [("per:a-b", "RUS")], DAY)
    first = (await repository.store(month)).events[0]
    second = (await repository.store(day)).events[0]
    assert second.status == "created" and second.event_id != first.event_id
    record = await repository.store(narrowing)
    assert record.events[0].status == "merged"
    assert {record.events[0].event_id, *record.events[0].merged_from} == {first.event_id, second.event_id}


async def test_repository_loose_report_between_two_days_merges_neither(store, repository):
    """A report dated only by its article's day overlaps the events of that day and the day before:
    it may tell either day, so it joins neither and never makes the two days one event (a daily
    series stays a series)."""
    actors = [("per:a-b", "RUS"), ("per:c-d", "UKR")]
    day_one = _custom("day-one", "Premier jour des pourparlers à Istanbul sur les prisonniers", actors, DAY)
    day_two = _custom("day-two", "Deuxième jour des pourparlers à Istanbul sur les prisonniers", actors,
                      DAY + dt.timedelta(days=1))
    loose = _custom("loose", "Les pourparlers à Istanbul sur les prisonniers se poursuivent", actors,
                    DAY + dt.timedelta(days=1))
    loose.events[0] = loose.events[0].model_copy(update={"date_reason": "article date"})
    first = (await repository.store(day_one)).events[0]
    second = (await repository.store(day_two)).events[0]
    assert first.event_id != second.event_id
    record = await repository.store(loose)
    assert record.events[0].status == "created"
    async with store.engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(events)) == 3


async def test_repository_an_article_telling_its_event_again_stores_one_event(store, repository):
    """An ambush near Banibangou (a town the gazetteer does not place), then 'la riposte a permis
    de neutraliser des dizaines d'assaillants au Mali', no one named and only the country as its
    place: one event, both mentions its sources. A mention placed in another town stays its own."""
    text = ("Des soldats ont été tués mardi dans une embuscade près de Banibangou, selon Sergueï Lavrov. "
            "La riposte a permis de neutraliser des dizaines d'assaillants au Mali.")
    people = [entity(text, "per:serguei-lavrov")]
    banibangou = Location(name="Banibangou", key="loc:banibangou")
    ambush = event(text, "embuscade", "ASSAULT", ["per:serguei-lavrov"], [], DAY).model_copy(
        update={"location": banibangou})
    echo = event(text, "neutraliser", "ASSAULT", [], [], DAY, location="loc:mali")
    record = await repository.store(article("ambush", text, published=DAY, entities=people, events=[ambush, echo]))
    (stored,) = record.events
    async with store.engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(events)) == 1
        assert await conn.scalar(select(func.count()).select_from(event_sources)) == 2
    other = ("Sergueï Lavrov a confirmé qu'une embuscade a coûté la vie à des soldats près de Banibangou mardi. "
             "Une autre unité a dû neutraliser un groupe armé le même jour, à Moscou selon lui.")
    again = event(other, "embuscade", "ASSAULT", ["per:serguei-lavrov"], [], DAY).model_copy(
        update={"location": banibangou})
    elsewhere = event(other, "neutraliser", "ASSAULT", [], [], DAY, location="loc:moscou")
    lavrov = [entity(other, "per:serguei-lavrov")]
    second = await repository.store(
        article("ambush-2", other, published=DAY, entities=lavrov, events=[again, elsewhere])
    )
    assert len({e.event_id for e in second.events}) == 2 and stored.event_id in {e.event_id for e in second.events}


async def test_repository_echo_of_an_event_merged_in_the_same_article_goes_to_the_survivor(store, repository):
    """An article's first event is folded, by its second, into an event stored before; its third
    echoes the first: that source goes to the surviving event (it went to the folded id, which no
    longer exists, and the batch failed on the foreign key)."""
    call, _, _ = reports()
    stored = (await repository.store(call)).events[0]
    text = ("Russie et Mali renforcent leurs relations militaires. Sergueï Lavrov téléphone à Abdoulaye Diop. "
            "Moscou et Bamako renforcent encore leurs liens.")
    countries = event(text, "renforcent", "CONSULT", ["loc:russie"], ["loc:mali"], DAY, mode="visit")
    both = event(text, "téléphone", "CONSULT", ["per:serguei-lavrov", "loc:russie"],
                 ["per:abdoulaye-diop", "loc:mali"], DAY)
    echo = event(text, "renforcent encore", "CONSULT", ["loc:russie"], ["loc:mali"], DAY, mode="visit")
    keys = ["loc:russie", "loc:mali", "per:serguei-lavrov", "per:abdoulaye-diop"]
    record = await repository.store(article("three", text, published=DAY, entities=[entity(text, k) for k in keys],
                                            events=[countries, both, echo]))
    survivors = {e.event_id for e in record.events}
    async with store.engine.connect() as conn:
        ids = set((await conn.execute(select(events.c.event_id))).scalars())
        sourced = set((await conn.execute(select(event_sources.c.event_id))).scalars())
    folded = {alias for e in record.events for alias in e.merged_from}
    assert sourced <= ids and survivors <= ids and stored.event_id in ids | folded
