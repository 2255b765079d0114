"""What storing a batch of articles changes: decided in memory from what the database holds. Pure.

The repository reads what it needs (existing articles, LSH and event candidates), this module
decides every article's fate and rows, the repository writes one statement per table. Articles
of one batch see each other as if stored one by one, in order (a second copy is a duplicate).
Duplicates add no LSH rows, mentions or sources; an exact copy is not stored (content hash).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from services.common.contracts import Event, ExtractedArticle, StoredEvent, StoredRecord
from services.store import event_identity as identity
from services.store.dedup import Candidate, Fingerprint, best_match
from services.store.event_identity import (
    EVENT_MATCH_THRESHOLD,
    EventFacts,
    KnownEvent,
    choose_event,
    echoes,
    match,
    new_event_id,
    refined,
    stable_int64,
)
from services.store.known_events import KnownEvents
from services.store.row_builders import article_row, event_row, reach_rows, source_row
from services.store.rows import (
    ArticleLshRow,
    ArticleRow,
    EntityRow,
    EventActorRow,
    EventAliasRow,
    EventReachRow,
    EventRow,
    EventSourceRow,
    MentionRow,
    MergeRow,
)


@dataclass(frozen=True)
class StoredArticle:
    article_id: str
    content_sha256: str
    duplicate_of: str | None
    duplicate_reason: str | None


@dataclass
class Snapshot:
    """What the database holds that matters for one batch (read under the batch's locks)."""

    articles: list[StoredArticle] = field(default_factory=list)
    lsh: dict[tuple[int, int], list[str]] = field(default_factory=dict)
    originals: dict[str, Candidate] = field(default_factory=dict)  # indexed articles the LSH found
    events: list[KnownEvent] = field(default_factory=list)  # candidates the batch's reports may join
    article_events: dict[str, list[StoredEvent]] = field(default_factory=dict)


@dataclass
class Rows:
    """Rows to write, one list per table; event_updates are full rows of events already stored."""

    articles: list[ArticleRow] = field(default_factory=list)
    article_lsh: list[ArticleLshRow] = field(default_factory=list)
    entities: dict[str, EntityRow] = field(default_factory=dict)
    entity_aliases: set[tuple[str, str]] = field(default_factory=set)
    mentions: list[MentionRow] = field(default_factory=list)
    events: list[EventRow] = field(default_factory=list)
    event_updates: list[EventRow] = field(default_factory=list)
    event_actors: list[EventActorRow] = field(default_factory=list)
    event_sources: list[EventSourceRow] = field(default_factory=list)
    merges: list[MergeRow] = field(default_factory=list)
    event_aliases: list[EventAliasRow] = field(default_factory=list)  # stored events merged into another
    event_reach: list[EventReachRow] = field(default_factory=list)  # what created or changed events are found by


@dataclass(frozen=True)
class Batch:
    """A batch's articles and what is computed of them once, before any read: fingerprints and the
    identity facts of their events (the lock keys, the candidate lookup and every plan of the
    batch use the same facts; named_places and text_terms cost most of planning)."""

    articles: list[ExtractedArticle]
    fingerprints: dict[str, Fingerprint]
    reports: dict[str, list[EventFacts]]

    @classmethod
    def of(cls, articles: list[ExtractedArticle]) -> Batch:
        """An id delivered twice in the batch keeps its first delivery's facts: the later one is
        planned as `unchanged`, as it would be stored one by one."""
        fingerprints: dict[str, Fingerprint] = {}
        reports: dict[str, list[EventFacts]] = {}
        for a in articles:
            if a.article_id not in reports:
                fingerprints[a.article_id] = Fingerprint.of(a.text)
                reports[a.article_id] = [EventFacts.reported(event, a) for event in a.events]
        return cls(articles, fingerprints, reports)


@dataclass
class Plan:
    records: list[StoredRecord]
    rows: Rows
    changed: list[EventFacts] = field(default_factory=list)  # events created or refined, as they now are


def lock_keys(batch: Batch, window_days: int = 1) -> list[int]:
    """Advisory-lock keys that serialize exactly the batches that could conflict.

    Same content or id (exact copies), a shared LSH band (near copies), a type family and month
    (two reports of one event arriving at two replicas at once: every report that could join an
    event shares one of these with it). Sorted: no lock-order deadlock.
    """
    keys: set[int] = set()
    for article in batch.articles:
        keys.add(stable_int64(f"article\x1f{article.article_id}"))
        keys.add(stable_int64(f"sha\x1f{article.content_sha256}"))
        keys.update(band_hash for _, band_hash in batch.fingerprints[article.article_id].bands)
        for facts in batch.reports[article.article_id]:
            keys.update(identity.lock_keys(facts, window_days))
    return sorted(keys)


class _Planner:
    def __init__(
        self,
        snapshot: Snapshot,
        threshold: float,
        containment: float | None,
        window_days: int,
        now: dt.datetime,
        event_threshold: float,
    ) -> None:
        self.snapshot = snapshot
        self.threshold = threshold
        self.containment = containment
        self.window_days = window_days
        self.event_threshold = event_threshold
        self.now = now
        self.rows = Rows()
        self.by_id = {a.article_id: a for a in snapshot.articles}
        self.by_sha = {a.content_sha256: a for a in snapshot.articles}
        self.lsh: dict[tuple[int, int], list[str]] = defaultdict(
            list, {k: list(v) for k, v in snapshot.lsh.items()}
        )
        self.originals = dict(snapshot.originals)
        self.known = KnownEvents(snapshot.events, window_days)
        self.facts = {event.event_id: event.facts for event in snapshot.events}
        self.sources = {event.event_id: event.sources for event in snapshot.events}
        self.created: set[str] = set()
        self.merged_into: dict[str, str] = {}
        self.source_keys: set[tuple[str, str, int]] = set()
        self.touched: set[str] = set()
        self.batch_records: dict[str, StoredRecord] = {}
        self.reports: dict[str, list[EventFacts]] = {}

    def plan(self, batch: Batch) -> Plan:
        self.reports = batch.reports
        records = [self.article(article, batch.fingerprints[article.article_id]) for article in batch.articles]
        self.finish_events()
        changed = [self.facts[event_id] for event_id in sorted(self.created | self.touched)]
        return Plan(records, self.rows, changed)

    def article(self, article: ExtractedArticle, fingerprint: Fingerprint) -> StoredRecord:
        record = StoredRecord(
            article_id=article.article_id, external_id=article.external_id, trace_id=article.trace_id
        )
        if (earlier := self.batch_records.get(article.article_id)) is not None:
            events = self.current(earlier.events)
            return self.unchanged(record, earlier.duplicate_of, earlier.duplicate_reason, events)
        if (stored := self.by_id.get(article.article_id)) is not None:
            events = [e.model_copy() for e in self.snapshot.article_events.get(article.article_id, [])]
            return self.unchanged(record, stored.duplicate_of, stored.duplicate_reason, events)
        if (same := self.by_sha.get(article.content_sha256)) is not None:
            record.status = "duplicate"
            record.duplicate_of = same.duplicate_of or same.article_id
            record.duplicate_reason = f"exact duplicate: same content_sha256 as {same.article_id}"
            return record
        near = best_match(fingerprint, self.lsh_candidates(fingerprint), self.threshold, self.containment)
        self.add_article(
            article, fingerprint, near.original_id if near else None, near.reason if near else None
        )
        if near is not None:
            record.status, record.duplicate_of, record.duplicate_reason = (
                "duplicate",
                near.original_id,
                near.reason,
            )
        else:
            self.add_index(article, fingerprint)
            record.entities = self.add_entities(article)
            record.events = self.add_events(article)
        self.batch_records[article.article_id] = record
        return record

    @staticmethod
    def unchanged(
        record: StoredRecord, duplicate_of: str | None, reason: str | None, events: list[StoredEvent]
    ) -> StoredRecord:
        record.status, record.duplicate_of, record.duplicate_reason = "unchanged", duplicate_of, reason
        for event in events:
            event.status = "unchanged"
        record.events = events
        return record

    def lsh_candidates(self, fingerprint: Fingerprint) -> list[Candidate]:
        ids = sorted({article_id for band in fingerprint.bands for article_id in self.lsh.get(band, [])})
        return [self.originals[article_id] for article_id in ids]

    def add_article(
        self,
        article: ExtractedArticle,
        fingerprint: Fingerprint,
        duplicate_of: str | None,
        duplicate_reason: str | None,
    ) -> None:
        self.rows.articles.append(article_row(article, fingerprint, duplicate_of, duplicate_reason, self.now))
        stored = StoredArticle(article.article_id, article.content_sha256, duplicate_of, duplicate_reason)
        self.by_id[article.article_id] = stored
        self.by_sha[article.content_sha256] = stored

    def add_index(self, article: ExtractedArticle, fingerprint: Fingerprint) -> None:
        self.originals[article.article_id] = Candidate(
            article.article_id, fingerprint.signature, fingerprint.shingle_count
        )
        for band, band_hash in fingerprint.bands:
            self.lsh[(band, band_hash)].append(article.article_id)
            self.rows.article_lsh.append(ArticleLshRow(band, band_hash, article.article_id))

    def add_entity(self, key: str, name: str, label: str | None, country: str | None) -> None:
        row = self.rows.entities.setdefault(key, EntityRow(key, name, label, country))
        row.label = row.label or label
        row.country = row.country or country

    def add_entities(self, article: ExtractedArticle) -> int:
        counts: dict[str, int] = defaultdict(int)
        for entity in article.entities:
            self.add_entity(entity.key, entity.name, entity.label, entity.country)
            counts[entity.key] += entity.count
            for alias in {entity.text, *entity.aliases}:
                if alias.strip():
                    self.rows.entity_aliases.add((entity.key, alias.strip()[:512]))
        for event in article.events:  # actors the extractor did not list as entities still need a row
            for actor in (*event.source_actors, *event.target_actors):
                self.add_entity(actor.key, actor.name, None, actor.country)
        self.rows.mentions.extend(MentionRow(article.article_id, key, count) for key, count in counts.items())
        return len(counts)

    def add_events(self, article: ExtractedArticle) -> list[StoredEvent]:
        reported: list[StoredEvent] = []  # one per event of the article, in order
        told: list[tuple[EventFacts, str]] = []  # the article's events so far, and where each went
        for event, facts in zip(article.events, self.reports[article.article_id], strict=True):
            if echoed := next((self.survivor(e) for earlier, e in told if echoes(facts, earlier)), None):
                self.add_source(echoed, article.article_id, event)  # told again: a source of it, no event
                reported.append(StoredEvent(event_id=echoed, type=event.type, status="updated", sources=0))
                continue
            matches = choose_event(facts, self.known.reachable(facts), self.window_days, self.event_threshold)
            merged: list[str] = []
            if not matches:
                event_id, status = self.create_event(facts, article, event), "created"
            else:
                (best, found), others = matches[0], matches[1:]
                event_id, status = best.event_id, "updated"
                if all(e.event_id != event_id for e in reported):  # two mentions of one event: one source
                    self.join_event(event_id, facts, article.article_id, found.reason)
                merged = [o.event_id for o, _ in others if self.merge_events(event_id, o.event_id, article)]
                merged += self.merge_now_matching(event_id, article)
            self.add_actors(event_id, event)
            self.add_source(event_id, article.article_id, event)
            reported.append(StoredEvent(event_id=event_id, type=event.type, status=status, sources=0,
                                        merged_from=merged))
            told.append((facts, event_id))
        return self.current(reported)

    def current(self, events: list[StoredEvent]) -> list[StoredEvent]:
        """The events as they are now, one per surviving id: an event merged later in the batch is
        named by its survivor, `merged` with the ids folded into it."""
        found: dict[str, StoredEvent] = {}
        for event in events:
            survivor = self.survivor(event.event_id)
            folded = [*event.merged_from, *([event.event_id] if survivor != event.event_id else [])]
            kept = found.setdefault(survivor, event.model_copy(update={"event_id": survivor, "merged_from": []}))
            kept.merged_from = sorted(set(kept.merged_from) | set(folded))
            kept.status = "merged" if kept.merged_from else kept.status
            kept.sources = self.sources[survivor]
        return list(found.values())

    def survivor(self, event_id: str) -> str:
        while event_id in self.merged_into:
            event_id = self.merged_into[event_id]
        return event_id

    def create_event(self, facts: EventFacts, article: ExtractedArticle, event: Event) -> str:
        event_id = new_event_id(facts, article.article_id, event.trigger_start)
        self.facts[event_id] = facts
        self.sources[event_id] = 1
        self.created.add(event_id)
        self.known.put(KnownEvent(event_id, facts, 1))
        return event_id

    def add_actors(self, event_id: str, event: Event) -> None:
        roles = {("source", a.key) for a in event.source_actors} | {("target", a.key) for a in event.target_actors}
        self.rows.event_actors.extend(EventActorRow(event_id, key, role) for role, key in sorted(roles))

    def join_event(self, event_id: str, facts: EventFacts, article_id: str, reason: str) -> None:
        self.sources[event_id] += 1
        self.facts[event_id] = refined(self.facts[event_id], facts)
        self.known.put(KnownEvent(event_id, self.facts[event_id], self.sources[event_id]))
        if event_id not in self.created:
            self.touched.add(event_id)
        self.rows.merges.append(MergeRow(event_id, article_id, reason, self.now))

    def merge_now_matching(self, event_id: str, article: ExtractedArticle) -> list[str]:
        """Events the joined event now matches (it gained actors, words or a narrower date): one
        event, until none is left. Only events within the event's own reach are compared: the
        repository loads all of those (Plan.changed), in a batch as one by one."""
        merged: list[str] = []
        while (other := self.now_matching(event_id)) is not None:
            if not self.merge_events(event_id, other, article):
                return merged
            merged.append(other)
        return merged

    def now_matching(self, event_id: str) -> str | None:
        """The first known event (by id) within the event's reach that it matches either way."""
        facts = self.facts[event_id]
        for other in self.known.reachable(facts):
            if other.event_id != event_id and (
                match(facts, other.facts, self.window_days, self.event_threshold)
                or match(other.facts, facts, self.window_days, self.event_threshold)
            ):
                return other.event_id
        return None

    def merge_events(self, survivor: str, other: str, article: ExtractedArticle) -> bool:
        """Make `other` part of `survivor` when the report matched both and nothing rules them out
        as one event (dates, places, types, people); returns whether it did."""
        if other not in self.known:
            return False
        checked = identity.compatible(self.facts[other], self.facts[survivor], self.window_days)
        if checked is None or any(part.value < 0 for part in checked):  # days apart, other people or places
            return False
        reason = (
            f"merged into {survivor}: article {article.article_id} showed them one "
            f"({identity.describe(self.facts[other])} and {identity.describe(self.facts[survivor])})"
        )
        self.facts[survivor] = refined(self.facts[survivor], self.facts[other])
        self.sources[survivor] += self.sources.pop(other)
        self.known.remove(other)
        self.known.put(KnownEvent(survivor, self.facts[survivor], self.sources[survivor]))
        if survivor not in self.created:
            self.touched.add(survivor)
        if other in self.created:  # made earlier in this batch: relabel its rows instead of moving them
            self.created.discard(other)
            for rows in (self.rows.event_actors, self.rows.event_sources, self.rows.merges):
                for row in rows:
                    if row.event_id == other:
                        row.event_id = survivor
            self.source_keys = {(survivor if e == other else e, a, t) for e, a, t in self.source_keys}
        self.touched.discard(other)
        self.merged_into[other] = survivor
        for alias in self.rows.event_aliases:  # events merged into `other` earlier now alias the survivor
            if alias.event_id == other:
                alias.event_id = survivor
        self.rows.event_aliases.append(EventAliasRow(other, survivor, reason, self.now))
        return True

    def add_source(self, event_id: str, article_id: str, event: Event) -> None:
        if (event_id, article_id, event.trigger_start) in self.source_keys:
            return  # the extractor reported the same trigger twice
        self.source_keys.add((event_id, article_id, event.trigger_start))
        self.rows.event_sources.append(source_row(event_id, article_id, event))

    def finish_events(self) -> None:
        for event_id in sorted(self.created):
            self.rows.events.append(event_row(event_id, self.facts[event_id], self.now))
        for event_id in sorted(self.touched):
            self.rows.event_updates.append(event_row(event_id, self.facts[event_id], self.now))
        for event_id in sorted(self.created | self.touched):
            self.rows.event_reach.extend(reach_rows(event_id, self.facts[event_id]))


def plan_batch(
    batch: Batch,
    snapshot: Snapshot,
    *,
    threshold: float,
    window_days: int,
    now: dt.datetime,
    containment: float | None = None,
    event_threshold: float = EVENT_MATCH_THRESHOLD,
) -> Plan:
    """Decide, for each article in order, what the store does with it and which rows that writes."""
    planner = _Planner(snapshot, threshold, containment, window_days, now, event_threshold)
    return planner.plan(batch)
