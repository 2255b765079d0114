"""Seed evaluation: run the sample articles through normalization and extraction, compare with gold.

It sits above the services (it drives ingest's normalization and extract's pipeline, and renders
with rich for the CLI), beside the corpus evaluation.

Per article: recall of `entities_must` (matched by canonical name or a surface form, accent-
and case-insensitive, the label, and the country when the gold gives one), `entities_must_not`
violations, and `events_must` found with the right type, mode, date, location (when given) and
actor set (gold names against canonical actor names, as a set). `events_may` are counted too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Group
from rich.table import Table
from spacy.language import Language

from services.common.contracts import Entity, Event, ExtractedArticle, NormalizedArticle, RawArticle
from services.common.folding import fold
from services.extract.pipeline import extract_articles
from services.ingest.normalize import normalize_article


@dataclass
class EntityCheck:
    name: str
    label: str
    country: str | None
    found: bool
    key: str | None = None


@dataclass
class Violation:
    text: str
    label: str | None
    key: str


@dataclass
class EventCheck:
    key: str
    type: str
    required: bool
    found: bool
    detail: str = ""


@dataclass
class ArticleReport:
    article_id: str
    published: str | None
    entities: list[EntityCheck] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    events: list[EventCheck] = field(default_factory=list)
    extracted_entities: int = 0
    extracted_events: int = 0

    @property
    def entity_recall(self) -> float:
        return sum(c.found for c in self.entities) / len(self.entities) if self.entities else 1.0


@dataclass
class EvalReport:
    articles: list[ArticleReport]

    @property
    def entities_expected(self) -> int:
        return sum(len(a.entities) for a in self.articles)

    @property
    def entities_found(self) -> int:
        return sum(c.found for a in self.articles for c in a.entities)

    @property
    def violations(self) -> int:
        return sum(len(a.violations) for a in self.articles)

    def events(self, required: bool) -> list[EventCheck]:
        return [c for a in self.articles for c in a.events if c.required is required]

    @property
    def passed(self) -> bool:
        """Every required entity and event found, no forbidden entity."""
        return (
            self.entities_found == self.entities_expected
            and self.violations == 0
            and all(c.found for c in self.events(required=True))
        )


def load_seed_articles(seeds_dir: Path, article_ids: list[str]) -> list[NormalizedArticle]:
    """Each seed through ingest's normalization, as the pipeline would receive it."""
    articles = []
    for article_id in article_ids:
        text = (seeds_dir / f"{article_id}.txt").read_text(encoding="utf-8")
        normalized = normalize_article(RawArticle(text=text, external_id=article_id))
        articles.append(normalized.model_copy(update={"article_id": article_id}))
    return articles


def _entity_matches(entity: Entity, name: str, label: str | None, country: str | None) -> bool:
    forms = {fold(entity.name), *(fold(a) for a in entity.aliases)}
    if fold(name) not in forms:
        return False
    if label and entity.label != label:
        return False
    return not country or entity.country == country


def _actor_names(event: Event) -> list[str]:
    return [fold(a.name) for a in event.source_actors + event.target_actors]


def _event_matches(event: Event, gold: dict[str, Any]) -> bool:
    if event.type != gold["type"]:
        return False
    if gold.get("mode") and event.mode != gold["mode"]:
        return False
    if gold.get("date") and (event.date is None or event.date.isoformat() != gold["date"]):
        return False
    if gold.get("location") and (
        event.location is None or fold(event.location.name) != fold(gold["location"])
    ):
        return False
    if gold.get("actors") and set(_actor_names(event)) != {fold(a) for a in gold["actors"]}:
        return False
    if gold.get("source_country") and gold["source_country"] not in {a.country for a in event.source_actors}:
        return False
    return not gold.get("target_country") or gold["target_country"] in {
        a.country for a in event.source_actors + event.target_actors
    }


def _describe(event: Event) -> str:
    actors = ", ".join(a.name for a in event.source_actors + event.target_actors)
    where = f" @ {event.location.name}" if event.location else ""
    return f"{event.type}/{event.mode} {event.date} [{actors}]{where}"


def _closest(events: list[Event], gold: dict[str, Any]) -> str:
    same_type = [e for e in events if e.type == gold["type"]]
    return "closest: " + _describe(same_type[0]) if same_type else "no event of that type"


def check_article(
    article: ExtractedArticle, gold_article: dict[str, Any], gold: dict[str, Any]
) -> ArticleReport:
    report = ArticleReport(
        article_id=article.article_id,
        published=f"{article.published_at} ({article.published_precision})" if article.published_at else None,
        extracted_entities=len(article.entities),
        extracted_events=len(article.events),
    )
    for must in gold_article.get("entities_must", []):
        match = next(
            (
                e
                for e in article.entities
                if _entity_matches(e, must["name"], must.get("type"), must.get("country"))
            ),
            None,
        )
        report.entities.append(
            EntityCheck(
                must["name"],
                must.get("type", ""),
                must.get("country"),
                match is not None,
                match.key if match else None,
            )
        )
    for must_not in gold_article.get("entities_must_not", []):
        for entity in article.entities:
            forms = {fold(entity.text), fold(entity.name), *(fold(a) for a in entity.aliases)}
            if fold(must_not["text"]) in forms and (
                not must_not.get("type") or entity.label == must_not["type"]
            ):
                report.violations.append(Violation(must_not["text"], must_not.get("type"), entity.key))
    for required, bucket in ((True, "events_must"), (False, "events_may")):
        for gold_event in gold.get(bucket, []):
            if article.article_id not in gold_event.get("articles", []):
                continue
            event = next((e for e in article.events if _event_matches(e, gold_event)), None)
            detail = _describe(event) if event else _closest(article.events, gold_event)
            report.events.append(
                EventCheck(gold_event["key"], gold_event["type"], required, event is not None, detail)
            )
    return report


def evaluate(gold_path: Path, seeds_dir: Path, nlp: Language) -> EvalReport:
    """Normalize and extract every gold article from `seeds_dir`, and compare with the gold."""
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    article_ids = sorted(gold["articles"])
    extracted = extract_articles(nlp, load_seed_articles(Path(seeds_dir), article_ids))
    return EvalReport([check_article(a, gold["articles"][a.article_id], gold) for a in extracted])


def render_report(report: EvalReport) -> Group:
    """Rich tables: one row per article, the events checked, then the totals."""
    articles = Table(title="Seed evaluation: entities")
    for column in ("article", "published", "entities", "must found", "missing", "must-not hits"):
        articles.add_column(column)
    for a in report.articles:
        missing = ", ".join(c.name for c in a.entities if not c.found) or "-"
        hits = ", ".join(f"{v.text} ({v.label or 'any'})" for v in a.violations) or "-"
        found = f"{sum(c.found for c in a.entities)}/{len(a.entities)}"
        articles.add_row(
            a.article_id, a.published or "unknown", str(a.extracted_entities), found, missing, hits
        )
    events = Table(title="Seed evaluation: events")
    for column in ("article", "gold event", "kind", "found", "extracted"):
        events.add_column(column)
    for a in report.articles:
        for c in a.events:
            events.add_row(
                a.article_id[:3], c.key, "must" if c.required else "may", "yes" if c.found else "NO", c.detail
            )
    must, may = report.events(required=True), report.events(required=False)
    totals = Table(title="Totals")
    for column in ("entities_must", "entities_must_not hits", "events_must", "events_may", "verdict"):
        totals.add_column(column)
    totals.add_row(
        f"{report.entities_found}/{report.entities_expected}",
        str(report.violations),
        f"{sum(c.found for c in must)}/{len(must)}",
        f"{sum(c.found for c in may)}/{len(may)}",
        "PASS" if report.passed else "FAIL",
    )
    return Group(articles, events, totals)
