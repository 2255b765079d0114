"""Chaos harness: service processes we can kill, a feeder, the wait for the pipeline to drain,
and the audit of the store against what was fed (lost, duplicated, dead-lettered)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import signal
import subprocess
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import redis
from sqlalchemy import select, text

from services.common.broker import entry_fields
from services.common.contracts import EXTRACTED, NORMALIZED, RAW, STORED, ExtractedArticle, RawArticle, dlq_stream
from services.common.settings import StoreSettings
from services.store.db import make_engine, upgrade
from services.store.event_identity import EventFacts, between_days, match, type_family
from services.store.reads import event_facts
from services.store.repository import Repository
from services.store.schema import events
from tests.e2e.processes import BIN, Pipeline, free_port

SERVICES = ("ingest", "extract", "store")
INPUTS = {"ingest": RAW, "extract": NORMALIZED, "store": EXTRACTED}
WINDOW_DAYS = StoreSettings.model_fields["event_window_days"].default  # the services run with the default
THRESHOLD = StoreSettings.model_fields["event_match_threshold"].default
SUMMARIES: list[str] = []  # one line per scenario, printed at the end of the pytest session


def chaos_env(workdir: Path, redis_url: str, prefix: str, database_url: str, **extra: str) -> dict[str, str]:
    """The environment of every service process of a chaos run: fast reclaim, small batches."""
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(workdir),
        "NEWSFLOW_REDIS_URL": redis_url,
        "NEWSFLOW_STREAM_PREFIX": prefix,
        "NEWSFLOW_DATABASE_URL": database_url,
        "NEWSFLOW_LOG_FORMAT": "json",
        "NEWSFLOW_CLAIM_IDLE_MS": "3000",
        "NEWSFLOW_BATCH_SIZE": "16",
        "NEWSFLOW_RETRY_SECONDS": "5",
        "NEWSFLOW_MAX_DELIVERIES": "5",
        **extra,
    }


@dataclass
class Services(Pipeline):
    """A Pipeline whose processes can be killed and restarted, each with a known consumer name."""

    consumers: dict[str, str] = field(default_factory=dict)

    def start(self, name: str, command: list[str] | None = None, *, key: str | None = None) -> None:
        key = key or name
        port = free_port()
        consumer = f"{key}-{uuid.uuid4().hex[:6]}"
        env = {**self.env, "NEWSFLOW_HTTP_PORT": str(port), "NEWSFLOW_CONSUMER_NAME": consumer}
        log = (self.workdir / f"{key}.log").open("ab")
        self.processes[key] = subprocess.Popen(
            command or [str(BIN / "newsflow"), "run", name], env=env, cwd=self.workdir, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.ports[key] = port
        self.consumers[key] = consumer

    def kill(self, key: str) -> str:
        """kill -9 the process; returns the consumer name it leaves its pending entries under."""
        process = self.processes.pop(key)
        self.ports.pop(key, None)
        process.kill()
        process.wait(10)
        return self.consumers[key]

    def stop(self, key: str, sig: int = signal.SIGTERM, timeout: float = 30.0) -> int:
        self.ports.pop(key, None)
        return super().stop(key, sig, timeout)

    def alive(self) -> dict[str, int | None]:
        """Each process's exit code, None while it runs."""
        return {key: process.poll() for key, process in self.processes.items()}

    def ready(self, key: str) -> int:
        import httpx

        try:
            return httpx.get(f"http://127.0.0.1:{self.ports[key]}/readyz", timeout=3).status_code
        except httpx.HTTPError:
            return 0


def wait_until(condition: Callable[[], bool], timeout: float, what: str, poll: float = 0.1) -> float:
    """Poll `condition` until true; returns the seconds it took, or fails naming `what`."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"{what}: not reached in {timeout:.0f}s")
        time.sleep(poll)
    return time.monotonic() - started


@dataclass
class Outcome:
    """What a chaos scenario ended with."""

    scenario: str
    fed: int
    stored: int
    lost: int
    duplicated: int
    dead_lettered: int
    recover_s: float
    total_s: float
    notes: dict[str, object] = field(default_factory=dict)

    def line(self) -> str:
        notes = " ".join(f"{k}={v}" for k, v in self.notes.items())
        return (f"CHAOS {self.scenario}: fed={self.fed} stored={self.stored} lost={self.lost} "
                f"duplicated={self.duplicated} dead_lettered={self.dead_lettered} "
                f"recover_s={self.recover_s:.1f} total_s={self.total_s:.1f} {notes}").rstrip()


class Chaos:
    """One chaos run: its services, its Redis client and its store."""

    def __init__(self, services: Services, client: redis.Redis, database_url: str) -> None:
        self.services = services
        self.client = client
        self.database_url = database_url
        self.fed: dict[str, RawArticle] = {}
        self.started = time.monotonic()

    def stream(self, base: str) -> str:
        return self.services.prefix + base

    def start(self, replicas: int = 1, names: Iterable[str] = SERVICES) -> None:
        for name in names:
            for index in range(replicas):
                self.services.start(name, key=name if replicas == 1 else f"{name}-{index}")
        self.services.wait_ready()

    def feed(self, articles: list[RawArticle], chunk: int = 200) -> None:
        """XADD the articles to articles.raw, the way `newsflow feed` does."""
        for start in range(0, len(articles), chunk):
            with self.client.pipeline(transaction=False) as pipe:
                for article in articles[start:start + chunk]:
                    pipe.xadd(self.stream(RAW), entry_fields(article))
                pipe.execute()
        self.fed.update({a.external_id or "": a for a in articles})
        self.started = time.monotonic()

    def length(self, base: str) -> int:
        return int(self.client.xlen(self.stream(base)))

    def records(self) -> list[dict]:
        return [json.loads(f[b"__data__"]) for _, f in self.client.xrange(self.stream(STORED))]

    def stored_ids(self) -> set[str]:
        """External ids of the fed articles that have a record on records.stored."""
        return {r["external_id"] for r in self.records()} & set(self.fed)

    def pending(self, key: str | None = None) -> int:
        """Entries pending in every group (or the consumers of one process: reader and claimer)."""
        total = 0
        for service, base in INPUTS.items():
            stream = self.stream(base)
            if key is not None:
                if not key.startswith(service):
                    continue
                consumer = self.services.consumers[key]
                for info in self.client.xinfo_consumers(stream, service):
                    if info["name"].decode() in (consumer, f"{consumer}-claimer"):
                        total += int(info["pending"])
                continue
            for group in self.client.xinfo_groups(stream):
                total += int(group["pending"])
        return total

    def drained(self) -> bool:
        """Every group has read every entry of its stream and has nothing pending."""
        for base in INPUTS.values():
            stream = self.stream(base)
            last = self.client.xinfo_stream(stream)["last-generated-id"]
            for group in self.client.xinfo_groups(stream):
                if group["pending"] or group["last-delivered-id"] != last:
                    return False
        return True

    def done(self) -> bool:
        return self.stored_ids() == set(self.fed) and self.drained()

    def wait_done(self, timeout: float) -> float:
        """Wait until every fed article has a record and the streams are drained."""
        return wait_until(self.done, timeout, f"{len(self.fed)} articles stored and drained "
                          f"(have {len(self.stored_ids())}, alive={self.services.alive()})", poll=0.5)

    def wait_progress(self, timeout: float = 120.0) -> float:
        """Seconds until records.stored grows again (the pipeline moves after a fault)."""
        before = self.length(STORED)
        return wait_until(lambda: self.length(STORED) > before, timeout, "records.stored growing again", 0.05)

    def dead_letters(self) -> list[dict]:
        letters = []
        for base in INPUTS.values():
            letters += [json.loads(f[b"__data__"]) for _, f in self.client.xrange(dlq_stream(self.stream(base)))]
        return letters

    def audit(self, scenario: str, recover_s: float, **notes: object) -> Outcome:
        """Compare the store with what was fed; the figures of the closing note."""
        total_s = time.monotonic() - self.started
        exported = self.services.export("articles")
        by_external = Counter(a["external_id"] for a in exported)
        stored = set(by_external) & set(self.fed)
        store = asyncio.run(store_facts(self.database_url))
        records = self.records()
        expected_mentions = extracted_mentions(self.client, self.stream(EXTRACTED))
        missing_mentions = {k: v - store.mentions.get(k, set()) for k, v in expected_mentions.items()}
        duplicated = {
            "article_rows": sum(n - 1 for n in by_external.values() if n > 1),
            "linked_as_duplicate": sum(1 for a in exported if a["duplicate_of"]),
            "duplicate_records": sum(1 for r in records if r["status"] == "duplicate"),
            "mentions_in_two_events": store.mentions_in_two_events,
            "events_that_should_be_one": store.events_that_should_be_one,
        }
        outcome = Outcome(
            scenario=scenario,
            fed=len(self.fed),
            stored=len(stored),
            lost=len(set(self.fed) - stored) + sum(len(v) for v in missing_mentions.values()),
            duplicated=sum(duplicated.values()),
            dead_lettered=len(self.dead_letters()),
            recover_s=recover_s,
            total_s=total_s,
            notes={"events": store.events, "mentions": store.mention_count, "records": len(records), **notes},
        )
        SUMMARIES.append(outcome.line())
        print(outcome.line())
        outcome.notes["duplicated_detail"] = duplicated
        return outcome


@dataclass
class StoreFacts:
    events: int
    mention_count: int
    mentions: dict[str, set[tuple[int, str]]]
    mentions_in_two_events: int
    events_that_should_be_one: int
    articles: set[str] = field(default_factory=set)
    keys: set[tuple[str, str, str]] = field(default_factory=set)


def mergeable_pairs(facts: Iterable[EventFacts], window_days: int = WINDOW_DAYS) -> int:
    """Pairs of stored events the identity score would join: none, whatever order reports came in.

    A report joins the best event it matches; a refined event that now matches another is merged
    with it, so no two stored events match each other, on one store or many. Which of two
    neighbours a report between them joins does depend on order, so the events themselves are not
    compared across runs; and an event dated only by its publication day that matches two exact
    days of a series is neither's (events.between_days), so its pairs do not count. Only pairs
    whose spans lie within the window can match: the others are skipped, so this stays fast on
    thousands of events.
    """
    groups: dict[tuple[str, str], list[EventFacts]] = defaultdict(list)
    for event in facts:
        groups[(event.family, event.modality)].append(event)
    window = dt.timedelta(days=window_days)
    pairs: list[tuple[EventFacts, EventFacts]] = []
    for group in groups.values():
        dated = sorted((e for e in group if e.span.known), key=lambda e: e.span.start)
        undated = [e for e in group if not e.span.known]
        for i, first in enumerate(dated):
            for second in dated[i + 1:]:
                if second.span.start > first.span.end + window:
                    break
                if joined(first, second, window_days):
                    pairs.append((first, second))
        pairs += [
            (a, b) for i, a in enumerate(undated) for b in (*undated[i + 1:], *dated) if joined(a, b, window_days)
        ]
    partners: dict[int, list[EventFacts]] = defaultdict(list)
    events = {}
    for a, b in pairs:
        partners[id(a)].append(b)
        partners[id(b)].append(a)
        events[id(a)], events[id(b)] = a, b
    apart = {key for key, matched in partners.items() if between_days(events[key], matched)}
    return sum(1 for a, b in pairs if id(a) not in apart and id(b) not in apart)


def joined(first: EventFacts, second: EventFacts, window_days: int) -> bool:
    return bool(match(first, second, window_days, THRESHOLD) or match(second, first, window_days, THRESHOLD))


async def store_facts(database_url: str) -> StoreFacts:
    """Event facts read with SQL: each mention's event, and events that should have been one."""
    engine = make_engine(database_url)
    try:
        async with engine.connect() as conn:
            rows = (await conn.execute(text(
                "SELECT s.article_id, s.trigger_start, e.type, e.event_id FROM event_sources s "
                "JOIN events e ON e.event_id = s.event_id"))).all()
            stored = [event_facts(row) for row in (await conn.execute(select(events))).mappings()]
            article_ids = set((await conn.execute(text("SELECT article_id FROM articles"))).scalars())
    finally:
        await engine.dispose()
    mentions: dict[str, set[tuple[int, str]]] = defaultdict(set)
    events_of: dict[tuple[str, int, str], set[str]] = defaultdict(set)
    for article_id, trigger_start, event_type, event_id in rows:
        mentions[article_id].add((trigger_start, type_family(event_type)))
        events_of[(article_id, trigger_start, event_type)].add(event_id)
    return StoreFacts(
        events=len(stored),
        mention_count=len(rows),
        mentions=mentions,
        mentions_in_two_events=sum(len(ids) - 1 for ids in events_of.values()),
        events_that_should_be_one=mergeable_pairs(stored),
        articles=article_ids,
        keys={(f.type, f.modality, f.roles) for f in stored},
    )


async def reference_facts(extracted: list[ExtractedArticle], database_url: str) -> StoreFacts:
    """The store one replica makes of the same extracted articles, in order, in batches of 16."""
    await upgrade(database_url)
    engine = make_engine(database_url)
    try:
        repository = Repository(engine)
        for start in range(0, len(extracted), 16):
            await repository.store_many(extracted[start:start + 16])
    finally:
        await engine.dispose()
    return await store_facts(database_url)


def extracted_articles(client: redis.Redis, stream: str) -> list[ExtractedArticle]:
    """Each article extract published, once, in the order first published."""
    seen: dict[str, ExtractedArticle] = {}
    for _, fields in client.xrange(stream):
        article = ExtractedArticle.model_validate_json(fields[b"__data__"])
        seen.setdefault(article.article_id, article)
    return list(seen.values())


def extracted_mentions(client: redis.Redis, stream: str) -> dict[str, set[tuple[int, str]]]:
    """The event mentions extract published for each article (the same each time it is extracted), by
    type family: a report may join a stored event of a compatible type (a SUPPORT told of a CONSULT)."""
    mentions: dict[str, set[tuple[int, str]]] = {}
    for _, fields in client.xrange(stream):
        article = json.loads(fields[b"__data__"])
        found = {(e["trigger_start"], type_family(e["type"])) for e in article["events"]}
        previous = mentions.setdefault(article["article_id"], found)
        assert previous == found, f"extract is not deterministic for {article['article_id']}"
    return mentions
