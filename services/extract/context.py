"""Context flags of an event: negated, future (announced), hypothetical.

Read from the trigger and the verbs that govern it, so "n'a pas rencontré", "se rendra à
Moscou", "une visite prévue", "pourrait signer" and "si la CEDEAO maintient ses sanctions" are
marked. Litotes are not negations: "n'a cessé d'accuser", "n'avait pas manqué d'exprimer".
The words come from data/event_context.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from spacy.tokens import Token

from services.common.contracts import EventContext

CONTEXT_WORDS_FILE = Path(__file__).resolve().parent / "data" / "event_context.yaml"
VERBAL = {"VERB", "AUX"}


@dataclass(frozen=True)
class ContextWords:
    """The words of data/event_context.yaml (see its comments for what each list marks)."""

    negation_particles: frozenset[str]
    negators: frozenset[str]
    restriction: str
    negating_determiners: frozenset[str]
    negating_verbs: frozenset[str]
    litotes: frozenset[str]
    future_words: frozenset[str]
    planning_verbs: frozenset[str]
    future_auxiliaries: frozenset[str]
    obligation_auxiliary: str
    hypothetical_words: frozenset[str]
    condition_mark: str


@cache
def load_context_words(path: Path = CONTEXT_WORDS_FILE) -> ContextWords:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))

    def words(name: str) -> frozenset[str]:
        return frozenset(str(w) for w in raw[name])

    return ContextWords(
        negation_particles=words("negation_particles"),
        negators=words("negators"),
        restriction=str(raw["restriction"]),
        negating_determiners=words("negating_determiners"),
        negating_verbs=words("negating_verbs"),
        litotes=words("litotes"),
        future_words=words("future_words"),
        planning_verbs=words("planning_verbs"),
        future_auxiliaries=words("future_auxiliaries"),
        obligation_auxiliary=str(raw["obligation_auxiliary"]),
        hypothetical_words=words("hypothetical_words"),
        condition_mark=str(raw["condition_mark"]),
    )


def governing_chain(token: Token, depth: int = 4) -> list[Token]:
    """The trigger and the words above it, up to the second verb (its clause and the one above)."""
    chain = [token]
    current = token
    verbs_seen = 1 if token.pos_ in VERBAL else 0
    while current.head.i != current.i and len(chain) <= depth and verbs_seen < 2:
        current = current.head
        chain.append(current)
        verbs_seen += current.pos_ in VERBAL
    return chain


def _negated_verb(verb: Token, words: ContextWords) -> bool:
    """'ne ... pas/jamais/plus', or a bare literary 'ne' ('ne saurait'), but not 'ne ... que'."""
    children = list(verb.children)
    if not any(c.lower_ in words.negation_particles for c in children):
        return False
    return any(c.lower_ in words.negators for c in children) or not _restricted(verb, words)


def _restricted(verb: Token, words: ContextWords) -> bool:
    """'n'aura duré que quelques minutes', 'n'a pu rencontrer ses avocats que 48 heures après':
    the 'que' of 'ne ... que' follows the verb in its clause, wherever the parse hangs it (the
    verb's own phrases and infinitives; not a clause of another verb)."""
    for token in verb.doc[verb.i + 1 : verb.sent.end]:
        if token.lower_ == words.restriction or token.lower_[:-1] + "e" == words.restriction:  # "qu'après"
            return True
        if (token.pos_ in VERBAL and token.head.i != verb.i) or token.dep_ in {"acl:relcl", "ccomp", "advcl", "conj"}:
            return False
    return False


def is_negated(trigger: Token, words: ContextWords) -> bool:
    if any(c.lower_ in words.negating_determiners for c in trigger.children):
        return True
    for position, token in enumerate(governing_chain(trigger)):
        if token.pos_ not in VERBAL:
            continue
        if token.lemma_ in words.litotes:
            return False
        if position and token.lemma_ in words.negating_verbs:
            return True
        if _negated_verb(token, words):
            return True
    return False


def _future_auxiliary(token: Token, words: ContextWords) -> bool:
    """'va rencontrer' / 'devrait signer', parsed as an auxiliary child or as the governing verb."""
    for child in token.children:
        if child.lemma_ in words.future_auxiliaries and child.dep_.startswith("aux"):
            return child.lemma_ == words.obligation_auxiliary or "Pres" in child.morph.get("Tense", [])
    head = token.head
    if token.dep_ == "xcomp" and head.lemma_ in words.future_auxiliaries:
        return head.lemma_ == words.obligation_auxiliary or "Pres" in head.morph.get("Tense", [])
    return False


def is_future(trigger: Token, words: ContextWords) -> bool:
    for token in governing_chain(trigger):
        if token.lower_ in words.future_words or any(c.lower_ in words.future_words for c in token.children):
            return True
        if token.pos_ not in VERBAL:
            continue
        if (
            "Fut" in token.morph.get("Tense", [])
            or token.lemma_ in words.planning_verbs
            or _future_auxiliary(token, words)
        ):
            return True
        if any("Fut" in c.morph.get("Tense", []) and c.dep_.startswith("aux") for c in token.children):
            return True
    return False


def _conditional(token: Token, words: ContextWords) -> bool:
    if token.lemma_ == words.obligation_auxiliary:  # "devrait se rendre": announced, counted as future
        return False
    return "Cnd" in token.morph.get("Mood", [])


def is_hypothetical(trigger: Token, words: ContextWords) -> bool:
    for token in governing_chain(trigger):
        if _conditional(token, words) or token.lower_ in words.hypothetical_words:
            return True
        for child in token.children:
            if child.dep_.startswith("aux") and _conditional(child, words):
                return True
            if child.lower_ == words.condition_mark and child.dep_ == "mark":
                return True
            if child.lower_ in words.hypothetical_words:
                return True
    return False


def event_context(trigger: Token, words: ContextWords | None = None) -> EventContext:
    """The trigger's flags; `words` defaults to the committed data/event_context.yaml."""
    words = words or load_context_words()
    return EventContext(
        negated=is_negated(trigger, words),
        future=is_future(trigger, words),
        hypothetical=is_hypothetical(trigger, words),
    )
