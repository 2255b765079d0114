"""Hand-built parses for the event rules: words, lemmas, POS, heads, deps and linked entities set
by hand on a blank French vocab, so a rule is checked in milliseconds without the model."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import spacy
from spacy.tokens import Doc, Span

import services.extract.components  # noqa: F401  (declares the Doc extensions)
from services.extract.canonical import CanonicalEntity, load_name_lexicon
from services.extract.context import load_context_words
from services.extract.event_dates import publication_reference
from services.extract.events.countries import nationality_prefixes
from services.extract.events.memory import ArticleMemory
from services.extract.events.words import load_function_words
from services.extract.gazetteer import default_gazetteer
from services.extract.triggers import load_trigger_lexicon

VOCAB = spacy.blank("fr").vocab


class Row(NamedTuple):
    """One token: its word, lemma, POS, head index (absolute), dependency, and optionally its
    morphology and the gazetteer key of the entity it belongs to."""

    word: str
    lemma: str
    pos: str
    head: int
    dep: str
    morph: str = ""
    entity: str = ""


def parsed(rows: list[Row]) -> Doc:
    """A Doc with the rows' parse; consecutive tokens with one entity key make one entity span."""
    doc = Doc(
        VOCAB,
        words=[r.word for r in rows],
        lemmas=[r.lemma for r in rows],
        pos=[r.pos for r in rows],
        heads=[r.head for r in rows],
        deps=[r.dep for r in rows],
        morphs=[r.morph for r in rows],
    )
    spans: list[Span] = []
    i = 0
    while i < len(rows):
        key = rows[i].entity
        if not key:
            i += 1
            continue
        end = i
        while end < len(rows) and rows[end].entity == key:
            end += 1
        label = default_gazetteer().entries[key].label
        spans.append(Span(doc, i, end, label=label, kb_id=key))
        i = end
    doc.set_ents(spans, default="outside")
    doc._.newsflow_entities = entities_of(doc)
    return doc


def entities_of(doc: Doc) -> dict[str, CanonicalEntity]:
    """The canonical entities of the Doc's spans, from the gazetteer (as newsflow_canonical does)."""
    entities: dict[str, CanonicalEntity] = {}
    for span in doc.ents:
        entry = default_gazetteer().entries[span.kb_id_]
        entity = entities.setdefault(
            entry.key,
            CanonicalEntity(
                entry.key, entry.name, entry.label, entry.country, span.text, span.start_char, span.end_char
            ),
        )
        entity.add_mention(span)
    return entities


def memory_of(doc: Doc, published: dt.date | None = None) -> ArticleMemory:
    """The event finder's memory of a one-sentence article."""
    return ArticleMemory(
        doc,
        entities_of(doc),
        default_gazetteer(),
        load_trigger_lexicon(),
        load_name_lexicon(),
        load_function_words(),
        nationality_prefixes(),
        load_context_words(),
        publication_reference(published, "day"),
    )
