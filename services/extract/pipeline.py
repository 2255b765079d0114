"""NormalizedArticle → ExtractedArticle: run the pipeline over a batch, convert Docs outside spaCy.

- The publication date travels into the pipeline as Doc extensions set on `nlp.make_doc`
  output before `nlp.pipe` (components read it to resolve event dates).
- Articles in another language than French (`lang` set and not "fr") get empty entities and
  events: the gazetteer, the trigger lexicon and the model are French, and their rules on
  another language would produce confident nonsense. An article without `lang` is taken as
  French (the service's input language).
- Empty or whitespace-only text gives empty lists.
- Texts longer than CHUNK_CHARS are parsed paragraph by paragraph (bounded memory per Doc, as
  the parser's cost grows with Doc length), merged back into one Doc with `Doc.from_docs`, and
  the article-level components (canonicalization, events) then run once on the whole article.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from spacy.language import Language
from spacy.tokens import Doc

from services.common.contracts import Actor, Entity, Event, ExtractedArticle, Location, NormalizedArticle
from services.extract.canonical import CanonicalEntity
from services.extract.events import ActorRef, EventRecord
from services.extract.nlp import ARTICLE_LEVEL_COMPONENTS

CHUNK_CHARS = 100_000
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n")


def is_french(article: NormalizedArticle) -> bool:
    return article.lang is None or article.lang.lower().split("-")[0] == "fr"


def _published_date(article: NormalizedArticle) -> dt.date | None:
    value = article.published_at
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def prepare_doc(nlp: Language, text: str, article: NormalizedArticle) -> Doc:
    """A tokenized Doc carrying the article's publication date for the components."""
    doc = nlp.make_doc(text)
    doc._.newsflow_published = _published_date(article)
    doc._.newsflow_published_precision = article.published_precision if article.published_at else "unknown"
    doc._.newsflow_title = article.title
    return doc


def split_chunks(text: str, limit: int = CHUNK_CHARS) -> list[str]:
    """Consecutive pieces of `text`, each under `limit` where paragraphs allow, joined back exactly."""
    chunks: list[str] = []
    start = 0
    while len(text) - start > limit:
        window_end = start + limit
        breaks = [m.end() for m in _PARAGRAPH_BREAK.finditer(text, start, window_end)]
        cut = breaks[-1] if breaks and breaks[-1] > start else text.rfind(" ", start, window_end) + 1
        if cut <= start:
            cut = window_end
        chunks.append(text[start:cut])
        start = cut
    chunks.append(text[start:])
    return chunks


def _parse_long(nlp: Language, article: NormalizedArticle) -> Doc:
    """Parse a long article chunk by chunk, then run the article-level components on the whole."""
    article_level = [name for name in ARTICLE_LEVEL_COMPONENTS if name in nlp.pipe_names]
    with nlp.select_pipes(disable=article_level):
        parts = list(nlp.pipe(split_chunks(article.text)))
    doc = Doc.from_docs(parts, ensure_whitespace=False)
    doc._.newsflow_published = _published_date(article)
    doc._.newsflow_published_precision = article.published_precision if article.published_at else "unknown"
    doc._.newsflow_title = article.title
    for name in article_level:
        doc = nlp.get_pipe(name)(doc)
    return doc


def parse_articles(
    nlp: Language, articles: list[NormalizedArticle], batch_size: int = 16
) -> Iterator[Doc | None]:
    """One Doc per article, in order; None for articles not to be parsed (empty, not French)."""
    short = [
        (i, prepare_doc(nlp, a.text, a))
        for i, a in enumerate(articles)
        if a.text.strip() and is_french(a) and len(a.text) <= CHUNK_CHARS
    ]
    parsed = dict(
        zip((i for i, _ in short), nlp.pipe((d for _, d in short), batch_size=batch_size), strict=True)
    )
    for i, article in enumerate(articles):
        if i in parsed:
            yield parsed[i]
        elif article.text.strip() and is_french(article):
            yield _parse_long(nlp, article)
        else:
            yield None


def _entity(entity: CanonicalEntity) -> Entity:
    return Entity(
        text=entity.text,
        label=entity.label,
        name=entity.name,
        key=entity.key,
        country=entity.country,
        start=entity.start_char,
        end=entity.end_char,
        count=entity.count,
        aliases=list(entity.aliases),
    )


def _actor(actor: ActorRef) -> Actor:
    return Actor(key=actor.key, name=actor.name, country=actor.country)


def _month_day(record: EventRecord) -> str | None:
    """'11-14' for an undated event whose text said 'le 14 novembre'."""
    if record.date is not None or record.undated is None or record.undated.month_day is None:
        return None
    month, day = record.undated.month_day
    return f"{month:02d}-{day:02d}"


def _event(record: EventRecord) -> Event:
    return Event(
        type=record.type,  # type: ignore[arg-type]
        mode=record.mode,
        source_actors=[_actor(a) for a in record.sources],
        target_actors=[_actor(a) for a in record.targets],
        date=record.date.value if record.date else None,
        date_precision=record.date.precision if record.date else "unknown",  # type: ignore[arg-type]
        date_reason=record.date.reason if record.date else record.undated.reason if record.undated else None,
        month_day=_month_day(record),
        location=Location(name=record.location.name, key=record.location.key, country=record.location.country)
        if record.location
        else None,
        sentence=record.sentence,
        sentence_start=record.sentence_start,
        trigger=record.trigger,
        trigger_start=record.trigger_start,
        trigger_end=record.trigger_end,
        context=record.context,
        confidence=record.confidence,
    )


def doc_to_extracted(doc: Doc | None, article: NormalizedArticle) -> ExtractedArticle:
    """The contract model for one article; no Doc (empty or non-French text): no entities, no events."""
    base = article.model_dump()
    if doc is None:
        return ExtractedArticle(**base, entities=[], events=[])
    entities = sorted((doc._.newsflow_entities or {}).values(), key=lambda e: e.start_char)
    events = doc._.newsflow_events or []
    return ExtractedArticle(
        **base, entities=[_entity(e) for e in entities], events=[_event(e) for e in events]
    )


def extract_articles(
    nlp: Language, articles: list[NormalizedArticle], batch_size: int = 16
) -> list[ExtractedArticle]:
    """Entities and events for a batch of articles, in input order."""
    return [
        doc_to_extracted(doc, article)
        for doc, article in zip(parse_articles(nlp, articles, batch_size), articles, strict=True)
    ]
