"""Context flags of an event: negated, future (announced), hypothetical.

Read from the trigger and the verbs that govern it, so "n'a pas rencontré", "se rendra à
Moscou", "une visite prévue", "pourrait signer" and "si la CEDEAO maintient ses sanctions" are
marked. Litotes are not negations: "n'a cessé d'accuser", "n'avait pas manqué d'exprimer".
"""

from __future__ import annotations

from spacy.tokens import Token

from services.common.contracts import EventContext

NEGATORS = {"pas", "jamais", "plus", "guère", "point", "nullement", "aucunement"}
NEGATING_VERBS = {"démentir", "nier", "réfuter", "exclure"}
NEGATING_DETERMINERS = {"aucun", "aucune", "nul", "nulle"}
LITOTES = {"cesser", "manquer"}  # "ne cesse de", "n'a pas manqué de": affirmations
FUTURE_WORDS = {"prévu", "prévue", "prévus", "prévues", "prochain", "prochaine", "attendu", "attendue"}
PLANNING_VERBS = {"prévoir", "envisager", "projeter", "programmer"}
FUTURE_AUXILIARIES = {"aller", "devoir"}  # "va se rendre", "doit signer", "devrait rencontrer"
HYPOTHETICAL_WORDS = {"éventuel", "éventuelle", "éventuellement", "possible", "probable", "hypothétique"}
VERBAL = {"VERB", "AUX"}


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


def _negated_verb(verb: Token) -> bool:
    """'ne ... pas/jamais/plus', or a bare literary 'ne' ('ne saurait'), but not 'ne ... que'."""
    children = list(verb.children)
    if not any(c.lower_ in {"ne", "n'", "n’"} for c in children):
        return False
    return any(c.lower_ in NEGATORS for c in children) or not any(c.lower_ == "que" for c in children)


def is_negated(trigger: Token) -> bool:
    if any(c.lower_ in NEGATING_DETERMINERS for c in trigger.children):
        return True
    for position, token in enumerate(governing_chain(trigger)):
        if token.pos_ not in VERBAL:
            continue
        if token.lemma_ in LITOTES:
            return False
        if position and token.lemma_ in NEGATING_VERBS:
            return True
        if _negated_verb(token):
            return True
    return False


def _future_auxiliary(token: Token) -> bool:
    """'va rencontrer' / 'devrait signer', parsed as an auxiliary child or as the governing verb."""
    for child in token.children:
        if child.lemma_ in FUTURE_AUXILIARIES and child.dep_.startswith("aux"):
            return child.lemma_ == "devoir" or "Pres" in child.morph.get("Tense", [])
    head = token.head
    if token.dep_ == "xcomp" and head.lemma_ in FUTURE_AUXILIARIES:
        return head.lemma_ == "devoir" or "Pres" in head.morph.get("Tense", [])
    return False


def is_future(trigger: Token) -> bool:
    for token in governing_chain(trigger):
        if token.lower_ in FUTURE_WORDS or any(c.lower_ in FUTURE_WORDS for c in token.children):
            return True
        if token.pos_ not in VERBAL:
            continue
        if "Fut" in token.morph.get("Tense", []) or token.lemma_ in PLANNING_VERBS or _future_auxiliary(token):
            return True
        if any("Fut" in c.morph.get("Tense", []) and c.dep_.startswith("aux") for c in token.children):
            return True
    return False


def _conditional(token: Token) -> bool:
    if token.lemma_ == "devoir":  # "devrait se rendre": announced, counted as future
        return False
    return "Cnd" in token.morph.get("Mood", [])


def is_hypothetical(trigger: Token) -> bool:
    for token in governing_chain(trigger):
        if _conditional(token) or token.lower_ in HYPOTHETICAL_WORDS:
            return True
        for child in token.children:
            if child.dep_.startswith("aux") and _conditional(child):
                return True
            if child.lower_ == "si" and child.dep_ == "mark":
                return True
            if child.lower_ in HYPOTHETICAL_WORDS:
                return True
    return False


def event_context(trigger: Token) -> EventContext:
    return EventContext(
        negated=is_negated(trigger), future=is_future(trigger), hypothetical=is_hypothetical(trigger)
    )
