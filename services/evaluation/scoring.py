"""What the store made of a corpus, scored against its gold. Pure functions.

Each gold article reports one main gold event. Its *matched* stored event is the stored event,
among those the article is a source of (a duplicate counts through its original), whose type is
compatible with the gold type and whose date lies within one day of the gold date (any date,
or none, when the article alone cannot tell the day); ties go to the closest date, then to the
most gold people among its actors, then to the smallest id.

- found: articles with a matched event; date exact: found (with a knowable day) dated that day;
- B³ over articles: an article's system cluster is its matched event (a singleton when not
  found), its gold cluster its gold event;
- false merges: pairs of articles of different gold events where one article's matched event
  has the other as a source, and that other article does not mention the first one's event;
- wrong year: articles whose gold event is not found but a type-compatible event of theirs has
  the gold day and month in another year (the misresolved year the dates issue is about);
- actor recall: gold people (by folded surname) among the matched event's actors;
- near duplicates: gold pairs the store linked, and store links that no gold pair explains;
- publication dates: the share of articles carrying a date signal (published_at, prefix, URL,
  dateline, stamp, lead) that got one, and those whose date is not the true day (or a month or
  year holding it).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import combinations

from services.evaluation.corpus import Gold, GoldArticle, GoldEvent

DATE_TOLERANCE_DAYS = 1
TypeCheck = Callable[[str, str], bool]


@dataclass(frozen=True)
class StoredArticleView:
    external_id: str
    article_id: str
    duplicate_of: str | None = None
    published: dt.date | None = None  # the publication date the store kept (its first day when imprecise)
    published_precision: str = "unknown"


@dataclass(frozen=True)
class StoredEventView:
    event_id: str
    type: str
    date: dt.date | None
    precision: str
    actors: tuple[str, ...]  # "key name" strings, searched for gold surnames
    sources: frozenset[str]  # article ids


@dataclass
class Scores:
    articles: int = 0
    found: int = 0
    dated_knowable_found: int = 0
    date_exact: int = 0
    wrong_year: int = 0
    b3_precision: float = 0.0
    b3_recall: float = 0.0
    false_merges: int = 0
    actor_hits: int = 0
    actor_total: int = 0
    near_duplicate_pairs: int = 0
    near_duplicates_found: int = 0
    false_duplicate_links: int = 0
    stored_events: int = 0
    originals: int = 0
    with_date_signal: int = 0
    published_dated: int = 0
    published_wrong: int = 0
    examples: dict[str, list[str]] = field(default_factory=dict)

    @property
    def b3_f1(self) -> float:
        total = self.b3_precision + self.b3_recall
        return 2 * self.b3_precision * self.b3_recall / total if total else 0.0

    def summary(self) -> dict[str, float | int]:
        ratio = lambda a, b: round(a / b, 4) if b else 0.0  # noqa: E731
        return {
            "articles": self.articles,
            "found": ratio(self.found, self.articles),
            "date_exact": ratio(self.date_exact, self.dated_knowable_found),
            "wrong_year": self.wrong_year,
            "b3_precision": round(self.b3_precision, 4),
            "b3_recall": round(self.b3_recall, 4),
            "b3_f1": round(self.b3_f1, 4),
            "false_merges": self.false_merges,
            "actor_recall": ratio(self.actor_hits, self.actor_total),
            "near_duplicates_found": ratio(self.near_duplicates_found, self.near_duplicate_pairs),
            "false_duplicate_links": self.false_duplicate_links,
            "events_per_article": ratio(self.stored_events, self.originals),
            "published_dated": ratio(self.published_dated, self.with_date_signal),
            "published_wrong": self.published_wrong,
        }


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))


def surname(name: str) -> str:
    words = fold(name).split()
    return words[-1] if words else ""


def people_found(gold: GoldEvent, event: StoredEventView) -> int:
    actors = " ".join(fold(a) for a in event.actors).split()
    return sum(1 for person in gold.people if surname(person) in actors)


def b_cubed(system: dict[str, str], truth: dict[str, str]) -> tuple[float, float]:
    """B³ precision and recall of a clustering of items (item -> cluster) against the truth."""
    if not truth:
        return 0.0, 0.0
    by_system: dict[str, set[str]] = defaultdict(set)
    by_truth: dict[str, set[str]] = defaultdict(set)
    for item, cluster in system.items():
        by_system[cluster].add(item)
    for item, cluster in truth.items():
        by_truth[cluster].add(item)
    precision = recall = 0.0
    for item in truth:
        mine, gold = by_system[system[item]], by_truth[truth[item]]
        shared = len(mine & gold)
        precision += shared / len(mine)
        recall += shared / len(gold)
    return precision / len(truth), recall / len(truth)


def _roots(articles: Iterable[StoredArticleView]) -> dict[str, str]:
    """external_id -> the article id whose events it counts through (its original when a copy)."""
    views = list(articles)
    parent = {v.article_id: v.duplicate_of or v.article_id for v in views}

    def root(article_id: str) -> str:
        seen = set()
        while parent.get(article_id, article_id) != article_id and article_id not in seen:
            seen.add(article_id)
            article_id = parent[article_id]
        return article_id

    return {v.external_id: root(v.article_id) for v in views}


def _date_ok(gold: GoldEvent, event: StoredEventView, knowable: bool) -> bool:
    if event.date is None:
        return not knowable
    return abs((event.date - gold.date).days) <= DATE_TOLERANCE_DAYS or not knowable


def _match(
    gold: GoldEvent, knowable: bool, events: list[StoredEventView], compatible: TypeCheck
) -> StoredEventView | None:
    fits = [e for e in events if compatible(gold.type, e.type) and _date_ok(gold, e, knowable)]
    if not fits:
        return None
    return min(
        fits,
        key=lambda e: (
            abs((e.date - gold.date).days) if e.date else 99,
            -people_found(gold, e),
            e.event_id,
        ),
    )


def _wrong_year(event: StoredEventView, truth: dt.date) -> bool:
    """The gold event's day and month resolved into another year: "vendredi 20 mai" of a 2022
    article read as 2021-05-20. A year-precision mention ("en 2014") is another event, not this."""
    if event.date is None or event.precision != "day":
        return False
    return (event.date.month, event.date.day) == (truth.month, truth.day) and event.date.year != truth.year


def _publication_fits(view: StoredArticleView, truth: dt.date) -> bool:
    """The stored publication date is the true day, or a month or year that holds it."""
    if view.published is None:
        return False
    if view.published_precision == "year":
        return view.published.year == truth.year
    if view.published_precision == "month":
        return (view.published.year, view.published.month) == (truth.year, truth.month)
    return view.published == truth


def _score_publication(gold: Gold, articles: list[StoredArticleView], scores: Scores) -> None:
    """Publication dates: found for articles that carry a date signal, and never wrong."""
    for view in articles:
        article = gold.articles.get(view.external_id)
        if article is None or article.published is None:
            continue
        if article.publication_signal not in (None, "none"):
            scores.with_date_signal += 1
            scores.published_dated += view.published is not None
        if view.published is not None and not _publication_fits(view, article.published):
            scores.published_wrong += 1
            scores.examples["publication date wrong"].append(
                f"{view.external_id}: {view.published} ({view.published_precision}) vs {article.published}"
            )


def _gold_components(pairs: list[tuple[str, str]]) -> dict[str, str]:
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent[find(a)] = find(b)
    return {x: find(x) for x in parent}


def _score_match(external_id: str, article: GoldArticle, event: GoldEvent, match: StoredEventView | None,
                 scores: Scores) -> None:
    """One gold article's event: found or not, its people, its date when the text tells it."""
    if match is None:
        scores.examples["not found"].append(f"{external_id} ({article.event} {event.type} {event.date})")
        return
    scores.found += 1
    scores.actor_total += len(event.people)
    scores.actor_hits += people_found(event, match)
    if article.date_knowable:
        scores.dated_knowable_found += 1
        if match.date == event.date and match.precision == "day":
            scores.date_exact += 1
        else:
            scores.examples["date not exact"].append(f"{external_id}: {match.date} ({match.precision}) vs {event.date}")


def _score_events(gold: Gold, roots: dict[str, str], events: list[StoredEventView], compatible: TypeCheck,
                  scores: Scores) -> dict[str, StoredEventView | None]:
    """Match each gold article's event among the stored events it is a source of; B³ of the clusters.
    Returns each gold article's match."""
    by_article: dict[str, list[StoredEventView]] = defaultdict(list)
    for stored in events:
        for article_id in stored.sources:
            by_article[article_id].append(stored)
    matched: dict[str, StoredEventView | None] = {}
    system: dict[str, str] = {}
    truth: dict[str, str] = {}
    for external_id, article in sorted(gold.articles.items()):
        event = gold.events[article.event]
        scores.articles += 1
        candidates = by_article.get(roots.get(external_id, ""), [])
        match = _match(event, article.date_knowable, candidates, compatible)
        matched[external_id] = match
        truth[external_id] = article.event
        system[external_id] = match.event_id if match else f"unmatched:{external_id}"
        _score_match(external_id, article, event, match, scores)
        misdated = [e for e in candidates if compatible(event.type, e.type) and _wrong_year(e, event.date)]
        if match is None and misdated:
            scores.wrong_year += 1
            scores.examples["wrong year"].append(f"{external_id}: {misdated[0].date} vs {event.date}")
    scores.b3_precision, scores.b3_recall = b_cubed(system, truth)
    return matched


def _score_false_merges(gold: Gold, roots: dict[str, str], matched: dict[str, StoredEventView | None],
                        scores: Scores) -> None:
    """Two articles of different gold events whose stored events are one (and neither mentions the other's)."""
    for first, second in combinations(sorted(gold.articles), 2):
        a, b = gold.articles[first], gold.articles[second]
        if a.event == b.event:
            continue
        merged = any(
            (m := matched[x]) is not None and roots.get(y) in m.sources and gold.articles[x].event not in
            gold.articles[y].mentions
            for x, y in ((first, second), (second, first))
        )
        if merged:
            scores.false_merges += 1
            scores.examples["false merge"].append(f"{first} ({a.event}) + {second} ({b.event})")


def _score_duplicates(gold: Gold, roots: dict[str, str], articles: list[StoredArticleView], scores: Scores) -> None:
    """Near-duplicate pairs found, and duplicate links between articles that are no copies."""
    component = _gold_components(gold.near_duplicates)
    scores.near_duplicate_pairs = len(gold.near_duplicates)
    scores.near_duplicates_found = sum(
        1 for a, b in gold.near_duplicates if roots.get(a) and roots.get(a) == roots.get(b)
    )
    by_id = {v.article_id: v.external_id for v in articles}
    for view in articles:
        if view.duplicate_of is None:
            continue
        original = by_id.get(view.duplicate_of)
        if original is None or component.get(view.external_id, view.external_id) != component.get(original, original):
            scores.false_duplicate_links += 1
            scores.examples["false duplicate link"].append(f"{view.external_id} -> {original}")


def score(
    gold: Gold,
    articles: list[StoredArticleView],
    events: list[StoredEventView],
    compatible: TypeCheck = lambda a, b: a == b,
) -> Scores:
    """Every figure of the module docstring, with examples of what went wrong."""
    scores = Scores(examples=defaultdict(list))
    roots = _roots(articles)
    matched = _score_events(gold, roots, events, compatible, scores)
    _score_false_merges(gold, roots, matched, scores)
    _score_duplicates(gold, roots, articles, scores)
    _score_publication(gold, articles, scores)
    scores.originals = sum(1 for v in articles if v.duplicate_of is None)
    scores.stored_events = len(events)
    scores.examples = dict(scores.examples)
    return scores
