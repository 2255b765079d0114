"""Mentions of one event in one article (same type, participants, compatible date and mode)
become one event: the best-dated mention wins and takes the others' mode and place."""

from __future__ import annotations

from dataclasses import replace

from services.extract.events.records import EventRecord

MERGE_BONUS = 0.05  # each repeated mention makes the event a little surer
MAX_CONFIDENCE = 0.95


def same_event(a: EventRecord, b: EventRecord) -> bool:
    """Whether two mentions tell one event: same type, context and parties, compatible mode and date."""
    if a.type != b.type or a.context != b.context:
        return False
    if a.mode and b.mode and a.mode != b.mode:
        return False
    if a.type == "CONSULT":
        if a.actor_keys != b.actor_keys:
            return False
    elif ({x.key for x in a.sources}, {x.key for x in a.targets}) != (
        {x.key for x in b.sources},
        {x.key for x in b.targets},
    ):
        return False
    if a.date is None or b.date is None or not (a.date_from_text and b.date_from_text):
        return True  # an undated mention of the same actors repeats the dated one
    return a.date.value == b.date.value


def merge_pair(kept: EventRecord, mention: EventRecord) -> EventRecord:
    """One event from an earlier-kept mention and a new one of the same event."""
    better = mention if (mention.date_from_text and not kept.date_from_text) else kept
    other = kept if better is mention else mention
    return replace(
        better,
        mode=better.mode or other.mode,
        location=better.location or other.location,
        undated=better.undated or other.undated,
        merged=kept.merged + 1,
        confidence=round(min(MAX_CONFIDENCE, max(better.confidence, other.confidence) + MERGE_BONUS), 2),
    )


def merge_mentions(events: list[EventRecord]) -> list[EventRecord]:
    """One event per (type, participants, date) within an article, in the order first told."""
    merged: list[EventRecord] = []
    buckets: dict[tuple[str, frozenset[str]], list[int]] = {}
    for event in events:
        bucket = buckets.setdefault((event.type, event.actor_keys), [])
        twin = next((i for i in bucket if same_event(merged[i], event)), None)
        if twin is None:
            bucket.append(len(merged))
            merged.append(event)
        else:
            merged[twin] = merge_pair(merged[twin], event)
    return merged
