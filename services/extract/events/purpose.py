"""Whom a protest is against, from what it was held for: "ont défilé pour dénoncer la dérive du
président Kaïs Saïed", "sont descendus dans la rue pour exiger la démission du Premier ministre"."""

from __future__ import annotations

from spacy.tokens import Token

from services.common.folding import fold
from services.extract.events.actors import slot_actors
from services.extract.events.memory import ArticleMemory
from services.extract.events.records import ActorRef
from services.extract.events.syntax import governing_verb, is_verb

PURPOSE_OBJECTS = {"obj", "obl:arg"}  # the clause's object: "dénoncer X", "exiger la démission de Y"


def purpose_targets(head: Token, memory: ArticleMemory) -> list[ActorRef]:
    """The actors named in the object of a purpose clause ("pour dénoncer X") of the trigger's verb,
    when the trigger's type takes them (the lexicon's purpose_types) and the clause's verb says
    against whom (its purpose_verbs)."""
    verb = head if is_verb(head) else governing_verb(head)
    if verb is None:
        return []
    lexicon = memory.lexicon
    found: list[ActorRef] = []
    for clause in verb.children:
        if clause.dep_ != "advcl" or fold(clause.lemma_) not in lexicon.purpose_verbs:
            continue
        if not any(m.dep_ == "mark" and fold(m.text) in lexicon.purpose_marks for m in clause.children):
            continue
        for child in clause.children:
            if child.dep_ in PURPOSE_OBJECTS:
                found += slot_actors(child, memory)
    return found
