"""The evaluation corpus on disk: articles (JSON lines) and the gold that says what they report.

A corpus directory holds any number of `*.jsonl` files of RawArticles (each with its
`external_id`) and `gold*.json` files, merged. Gold, per file:

- `events`: id -> type, date (ISO day), actors (name, kind, country, role), location;
- `articles`: external_id -> the one main `event` it reports, the other events it `mentions`,
  whether a reader of it alone can tell the event's day (`event_date_knowable`);
- `near_duplicates`: pairs of external ids that are copies of one dispatch.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from services.common.contracts import RawArticle


class CorpusError(ValueError):
    """The corpus or its gold is inconsistent: the message says where."""


@dataclass(frozen=True)
class GoldActor:
    name: str
    kind: str
    country: str | None
    role: str | None


@dataclass(frozen=True)
class GoldEvent:
    event_id: str
    type: str
    date: dt.date
    actors: tuple[GoldActor, ...]
    location: str | None = None

    @property
    def people(self) -> tuple[str, ...]:
        return tuple(actor.name for actor in self.actors if actor.kind == "PER")


@dataclass(frozen=True)
class GoldArticle:
    external_id: str
    event: str
    mentions: tuple[str, ...] = ()
    date_knowable: bool = True
    published: dt.date | None = None
    publication_signal: str | None = None


@dataclass
class Gold:
    events: dict[str, GoldEvent] = field(default_factory=dict)
    articles: dict[str, GoldArticle] = field(default_factory=dict)
    near_duplicates: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Corpus:
    articles: list[RawArticle]
    gold: Gold


def _event(event_id: str, raw: dict) -> GoldEvent:
    actors = tuple(
        GoldActor(a["name"], a.get("kind", "PER"), a.get("country"), a.get("role")) for a in raw.get("actors", [])
    )
    location = (raw.get("location") or {}).get("name")
    return GoldEvent(event_id, raw["type"], dt.date.fromisoformat(raw["date"]), actors, location)


def _article(external_id: str, raw: dict) -> GoldArticle:
    published = raw.get("published")
    return GoldArticle(
        external_id,
        raw["event"],
        tuple(raw.get("mentions") or ()),
        bool(raw.get("event_date_knowable", True)),
        dt.date.fromisoformat(published) if published else None,
        raw.get("publication_signal"),
    )


def parse_gold(documents: list[dict]) -> Gold:
    """One Gold from several gold documents; ids must not repeat across them."""
    gold = Gold()
    for document in documents:
        for event_id, raw in document.get("events", {}).items():
            if event_id in gold.events:
                raise CorpusError(f"gold event {event_id} is defined twice")
            gold.events[event_id] = _event(event_id, raw)
        for external_id, raw in document.get("articles", {}).items():
            if external_id in gold.articles:
                raise CorpusError(f"gold article {external_id} is defined twice")
            gold.articles[external_id] = _article(external_id, raw)
        gold.near_duplicates.extend((a, b) for a, b in document.get("near_duplicates", []))
    for article in gold.articles.values():
        for event_id in (article.event, *article.mentions):
            if event_id not in gold.events:
                raise CorpusError(f"gold article {article.external_id} names unknown event {event_id}")
    return gold


def load_corpus(path: Path) -> Corpus:
    """Every article and the merged gold under `path`; CorpusError when they do not line up."""
    if not path.is_dir():
        raise CorpusError(f"{path} is not a corpus directory (it should hold *.jsonl and gold*.json)")
    articles: list[RawArticle] = []
    for file in sorted(path.glob("*.jsonl")):
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                try:
                    articles.append(RawArticle.model_validate_json(line))
                except ValueError as exc:
                    raise CorpusError(f"{file}:{number}: {exc}") from exc
    gold = parse_gold([json.loads(f.read_text(encoding="utf-8")) for f in sorted(path.glob("gold*.json"))])
    ids = [a.external_id for a in articles]
    missing = sorted(set(gold.articles) - set(ids))
    unknown = sorted({i or "<none>" for i in ids} - set(gold.articles))
    if missing or unknown or len(ids) != len(set(ids)):
        raise CorpusError(
            f"articles and gold disagree: {len(missing)} gold articles not in the corpus {missing[:5]}, "
            f"{len(unknown)} corpus articles without gold {unknown[:5]}, {len(ids) - len(set(ids))} repeated ids"
        )
    return Corpus(articles, gold)
