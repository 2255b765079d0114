"""Merging an article's mentions of one event (pure functions, no spaCy): which mentions are one
event, and what the merged event keeps."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from services.common.contracts import EventContext
from services.extract.event_dates import ResolvedDate
from services.extract.events import ActorRef, EventRecord, merge_mentions
from services.extract.events.merging import same_event

GOITA = ActorRef("per:assimi-goita", "Assimi Goïta", "MLI", "PER")
ERDOGAN = ActorRef("per:recep-tayyip-erdogan", "Recep Tayyip Erdogan", "TUR", "PER")
JNIM = ActorRef("org:jnim", "JNIM", None, "ORG")
MALI = ActorRef("loc:mli", "Mali", "MLI", "LOC")
BAMAKO = ActorRef("loc:bamako", "Bamako", "MLI", "LOC")


def day(d: int) -> ResolvedDate:
    return ResolvedDate(dt.date(2024, 3, d), "day", "test")


def mention(
    event_type: str = "CONSULT",
    sources: tuple[ActorRef, ...] = (GOITA,),
    targets: tuple[ActorRef, ...] = (ERDOGAN,),
    date: ResolvedDate | None = None,
    from_text: bool = False,
    **fields,
) -> EventRecord:
    return EventRecord(
        type=event_type,
        mode=fields.pop("mode", None),
        sources=list(sources),
        targets=list(targets),
        date=date,
        location=fields.pop("location", None),
        sentence="...",
        sentence_start=0,
        trigger=fields.pop("trigger", "entretien"),
        trigger_start=0,
        trigger_end=9,
        context=fields.pop("context", EventContext()),
        confidence=fields.pop("confidence", 0.6),
        date_from_text=from_text,
    )


def test_merge_mentions_dated_mention_wins_and_keeps_the_others_details() -> None:
    """An undated repeat joins the dated mention, which takes its mode and place and gains confidence."""
    undated = mention(mode="phone", location=BAMAKO, confidence=0.7)
    dated = mention(date=day(19), from_text=True, trigger="appel", confidence=0.85)
    (merged,) = merge_mentions([undated, dated])
    assert (merged.trigger, merged.date, merged.mode, merged.location) == ("appel", day(19), "phone", BAMAKO)
    assert (merged.merged, merged.confidence) == (2, 0.9)


def test_merge_mentions_counts_every_mention_and_caps_confidence() -> None:
    """Three mentions make one event told three times; confidence stays at most 0.95."""
    (merged,) = merge_mentions([mention(confidence=0.95) for _ in range(3)])
    assert (merged.merged, merged.confidence) == (3, 0.95)


def test_merge_mentions_keeps_events_of_different_days_apart() -> None:
    """Two talks the text dates on different days are two events."""
    events = merge_mentions([mention(date=day(18), from_text=True), mention(date=day(19), from_text=True)])
    assert [e.date for e in events] == [day(18), day(19)]


def test_merge_mentions_leaves_its_input_unchanged() -> None:
    """Merging builds new records: the mentions read from the text are not rewritten."""
    first, second = mention(mode="phone"), mention(date=day(19), from_text=True)
    before = (replace(first), replace(second))
    merge_mentions([first, second])
    assert (first, second) == before


def test_same_event_meeting_sides_are_a_set_but_an_attack_has_a_direction() -> None:
    """'Goïta met Erdogan' = 'Erdogan met Goïta'; 'JNIM attacked Mali' ≠ 'Mali attacked JNIM'."""
    assert same_event(mention(), mention(sources=(ERDOGAN,), targets=(GOITA,)))
    attack = mention("ASSAULT", sources=(JNIM,), targets=(MALI,))
    assert not same_event(attack, mention("ASSAULT", sources=(MALI,), targets=(JNIM,)))


def test_same_event_needs_the_same_mode_and_context() -> None:
    """A phone call is no visit, and a denied meeting is no meeting."""
    assert not same_event(mention(mode="phone"), mention(mode="visit"))
    assert same_event(mention(mode="phone"), mention())
    assert not same_event(mention(), mention(context=EventContext(negated=True)))


def test_same_event_undated_mention_repeats_a_dated_one() -> None:
    """A date given by the article's reference (not the text) does not split a repeat."""
    assert same_event(mention(date=day(18)), mention(date=day(19), from_text=True))
    assert not same_event(mention(date=day(18), from_text=True), mention(date=day(19), from_text=True))
