"""Reading the parse: free functions over tokens (subtrees, cases, clause verbs, entity spans).

fr_core_news_md's dependency labels are Universal Dependencies; these helpers name the few
questions the event rules ask of them.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from services.common.folding import fold
from services.extract.events.words import FunctionWords

OBJECT_DEPS = {"obj", "iobj", "obl:arg", "nsubj:pass"}
NESTED_CLAUSES = {"acl:relcl", "ccomp", "parataxis", "advcl", "csubj", "acl"}
INHERIT_SUBJECT_DEPS = {"xcomp", "conj", "advcl", "acl", "ccomp", "parataxis"}
NP_WORDS = {"DET", "ADJ", "NOUN", "PROPN", "NUM"}


def entity_at(token: Token) -> Span | None:
    """The entity span a token is in, read from its IOB tags (no scan over doc.ents)."""
    if not token.ent_type_:
        return None
    doc = token.doc
    start = token.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, start, end, label=token.ent_type_, kb_id=token.ent_kb_id_)


def same_entity(token: Token, head: Token) -> bool:
    span = entity_at(head)
    return span is not None and span.start <= token.i < span.end


def entity_spans(tokens: list[Token]) -> list[Span]:
    """The entity spans the tokens touch, once each, in text order."""
    doc = tokens[0].doc if tokens else None
    if doc is None:
        return []
    spans: dict[int, Span] = {}
    for token in tokens:
        span = entity_at(token)
        if span is not None:
            spans.setdefault(span.start, span)
    return [spans[start] for start in sorted(spans)]


def within_one_hop(span: Span, phrase_head: Token) -> bool:
    """'dans le secteur de Tinzaouatène' yes; 'dans le communiqué du ministère du Mali' no."""
    root = span.root
    return root.i == phrase_head.i or root.head.i == phrase_head.i or span.start <= phrase_head.i < span.end


def noun_phrase_before(span: Span, words: FunctionWords) -> Span:
    """The span extended left over its noun phrase ('le chef de l'État de la' + 'Turquie')."""
    doc = span.doc
    start = span.start
    sent_start = span.sent.start
    while start > sent_start:
        previous = doc[start - 1]
        if previous.pos_ in NP_WORDS or fold(previous.text) in words.owner_cases:
            if previous.pos_ == "PROPN" and previous.ent_type_:
                break
            start -= 1
            continue
        break
    # the preposition that introduces the phrase is not part of it
    while start < span.start and fold(doc[start].text) in words.owner_cases:
        start += 1
    return doc[start : span.end]


def walk(token: Token, skip: set[str]) -> list[Token]:
    """The token's subtree without the dependents in `skip` (nested clauses), in text order."""
    out = [token]
    for child in token.children:
        if child.dep_ not in skip:
            out.extend(walk(child, skip))
    return sorted(out, key=lambda t: t.i)


def is_participle(token: Token) -> bool:
    return "Part" in token.morph.get("VerbForm", [])


def has_auxiliary(token: Token) -> bool:
    """A verb the tagger took for a noun ('a téléphoné' as NOUN) still carries its auxiliary."""
    return any(c.dep_.startswith("aux") for c in token.children)


def is_reduced_relative(token: Token) -> bool:
    """A past participle qualifying a noun without an auxiliary: 'menée', 'portées', 'imposées'."""
    return (
        token.dep_ in {"acl", "amod"}
        and token.pos_ in {"VERB", "ADJ"}
        and is_participle(token)
        and not has_auxiliary(token)
    )


def case_of(token: Token) -> str | None:
    """The (folded) preposition or conjunction that introduces a dependent: 'à', 'de', 'par'."""
    cases = [fold(c.text) for c in token.children if c.dep_ in {"case", "mark"} or c.pos_ == "ADP"]
    return cases[0] if cases else None


def is_verb(token: Token) -> bool:
    return token.pos_ in {"VERB", "AUX"}


def is_passive(verb: Token) -> bool:
    return any(c.dep_ == "aux:pass" for c in verb.children)


def governing_verb(noun: Token) -> Token | None:
    """The verb at most three heads above a noun ('a eu un appel' → 'eu')."""
    current = noun
    for _ in range(3):
        if current.head.i == current.i:
            return None
        current = current.head
        if is_verb(current):
            return current
    return None


def clause_verb(token: Token) -> Token | None:
    """The verb heading the clause a token belongs to."""
    current = token
    for _ in range(6):
        if is_verb(current):
            return current
        if current.head.i == current.i:
            return None
        current = current.head
    return None


def is_place_phrase(span: Span, words: FunctionWords) -> bool:
    """'Lavrov, à Moscou': a place inside a phrase is where, not who."""
    return span.label_ == "LOC" and case_of(span.root) in words.place_phrase_cases and span.root.dep_ != "ROOT"
