"""A faster stand-in for spaCy's Matcher over the trigger lexicon, with the same matches.

Most lexicon entries are one-token patterns (`{"LEMMA": {"IN": [...]}, "POS": "VERB"}`). spaCy's
Matcher tries every pattern on every token and evaluates each `IN` set in Python, which made it
half of newsflow_events' time. Here one-token patterns of plain attributes are looked up in a
dict by their word (LOWER or LEMMA) and their other attributes checked on the few tokens found;
every other pattern (several tokens, operators, other attributes) stays in a spaCy Matcher.

The matches are the Matcher's: the same (match_id, start, end) triples. Their order differs
(one-token matches come first, by token, then the Matcher's), except where it matters: among
matches of the very same span, one-token patterns keep the order they were added in and come
before the Matcher's, as in spaCy's own Matcher (find_triggers' filter_spans keeps the first).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from spacy.matcher import Matcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

Match = tuple[int, int, int]
INDEXED_KEYS = ("LOWER", "LEMMA")  # the word a one-token pattern is looked up by, in this order
CHECKED_ATTRIBUTES: dict[str, Callable[[Token], str]] = {
    "LOWER": lambda t: t.lower_,
    "LEMMA": lambda t: t.lemma_,
    "POS": lambda t: t.pos_,
    "ORTH": lambda t: t.text,
}


def _accepted_values(spec: Any) -> tuple[frozenset[str], bool] | None:
    """(values, negated) for a plain `"x"`, `{"IN": [...]}` or `{"NOT_IN": [...]}`; None otherwise."""
    if isinstance(spec, str):
        return frozenset([spec]), False
    if isinstance(spec, dict) and len(spec) == 1:
        (operator, values), = spec.items()
        if operator in ("IN", "NOT_IN") and isinstance(values, list) and all(isinstance(v, str) for v in values):
            return frozenset(values), operator == "NOT_IN"
    return None


@dataclass(frozen=True)
class OneTokenPattern:
    """A one-token pattern of plain attributes: the word it is indexed by and what else it checks."""

    order: int  # position among the patterns as added (ties keep it)
    key: int  # the match id (the rule id's hash)
    checks: tuple[tuple[Callable[[Token], str], frozenset[str], bool], ...]

    def accepts(self, token: Token) -> bool:
        return all((read(token) in values) != negated for read, values, negated in self.checks)


def _one_token(
    pattern: list[dict[str, Any]], order: int, key: int
) -> tuple[str, frozenset[str], OneTokenPattern] | None:
    """(indexed attribute, its words, the pattern) when the Matcher's semantics are plain lookups here."""
    if len(pattern) != 1:
        return None
    (token,) = pattern
    index_key = next((k for k in INDEXED_KEYS if k in token), None)
    if index_key is None or not set(token) <= set(CHECKED_ATTRIBUTES):
        return None
    accepted = {name: _accepted_values(spec) for name, spec in token.items()}
    plain = {name: value for name, value in accepted.items() if value is not None}
    if len(plain) < len(accepted) or plain[index_key][1]:  # an operator we don't mirror, or NOT_IN words
        return None
    checks = tuple((CHECKED_ATTRIBUTES[name], values, negated)
                   for name, (values, negated) in plain.items() if name != index_key)
    return index_key, plain[index_key][0], OneTokenPattern(order, key, checks)


class TriggerMatcher:
    """Callable over a Doc like spaCy's Matcher: (match_id, start, end) for every pattern match."""

    def __init__(self, vocab: Vocab, patterns: dict[str, list[list[dict[str, Any]]]]) -> None:
        self.matcher = Matcher(vocab)
        self.index: dict[str, dict[str, list[OneTokenPattern]]] = {name: {} for name in INDEXED_KEYS}
        order = 0
        for rule_id, rule_patterns in patterns.items():
            key = vocab.strings.add(rule_id)
            for pattern in rule_patterns:
                indexed = _one_token(pattern, order, key)
                order += 1
                if indexed is None:
                    self.matcher.add(rule_id, [pattern])
                    continue
                attribute, words, one = indexed
                for word in words:
                    self.index[attribute].setdefault(word, []).append(one)

    def __call__(self, doc: Doc) -> list[Match]:
        by_lower, by_lemma = self.index["LOWER"], self.index["LEMMA"]
        matches: list[Match] = []
        for token in doc:
            found = by_lower.get(token.lower_, []) + by_lemma.get(token.lemma_, [])
            if found:
                found.sort(key=lambda p: p.order)
                matches.extend((p.key, token.i, token.i + 1) for p in found if p.accepts(token))
        if len(self.matcher):
            matches.extend(self.matcher(doc))
        return matches
