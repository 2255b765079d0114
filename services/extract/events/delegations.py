"""Who leads each country's delegation: 'la délégation russe, conduite par X', 'la délégation
russe est conduite par X, celle de l'Ukraine par Y'."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from services.common.folding import fold
from services.extract.canonical import CanonicalEntity
from services.extract.events.records import ActorRef
from services.extract.events.words import FunctionWords
from services.extract.gazetteer import Gazetteer
from services.extract.triggers import TriggerLexicon


def delegation_leaders(
    doc: Doc,
    entities: dict[str, CanonicalEntity],
    gazetteer: Gazetteer,
    lexicon: TriggerLexicon,
    words: FunctionWords,
) -> dict[str, ActorRef]:
    """Country → the person leading its delegation, the first the article names."""
    leaders: dict[str, ActorRef] = {}
    for token in doc:
        if fold(token.lemma_) not in lexicon.delegation_nouns:
            continue
        countries = (_country_of(c, entities, gazetteer) for c in token.children if c.dep_ in {"amod", "nmod"})
        country = next((c for c in countries if c), None)
        verbs = [c for c in token.children if c.dep_ == "acl"] + ([token.head] if token.dep_ == "nsubj:pass" else [])
        verb = next((v for v in verbs if fold(v.lemma_) in lexicon.leading_verbs), None)
        if country is None or verb is None:
            continue
        found = _person_after(doc, entities, words, verb.i + 1, verb.i + 16)
        if found is None:
            continue
        leaders.setdefault(country, found[0])
        for other, person in _other_delegations(doc, entities, gazetteer, words, found[1] + 1, token.sent.end):
            leaders.setdefault(other, person)
    return leaders


def _other_delegations(
    doc: Doc,
    entities: dict[str, CanonicalEntity],
    gazetteer: Gazetteer,
    words: FunctionWords,
    start: int,
    sent_end: int,
) -> list[tuple[str, ActorRef]]:
    """'..., celle de l'Ukraine par Y': the other countries' leaders later in the sentence."""
    out: list[tuple[str, ActorRef]] = []
    i = start
    while i < sent_end - 3:
        if doc[i].lower_ in words.delegation_pronouns and fold(doc[i + 1].text) in words.delegation_owner_cases:
            j = i + 2 + (doc[i + 2].pos_ == "DET")
            other = _country_of(doc[j], entities, gazetteer) if j < sent_end else None
            par = next((k for k in range(j + 1, min(j + 4, sent_end)) if doc[k].lower_ in words.agent_cases), None)
            nxt = _person_after(doc, entities, words, par + 1, par + 16) if other and par else None
            if other and nxt:
                out.append((other, nxt[0]))
                i = nxt[1]
        i += 1
    return out


def _person_after(
    doc: Doc, entities: dict[str, CanonicalEntity], words: FunctionWords, start: int, end: int
) -> tuple[ActorRef, int] | None:
    """The first named person in doc[start:end] before a new clause ('celle', ';'), and its index."""
    for i in range(start, min(end, len(doc))):
        token = doc[i]
        if token.lower_ in words.delegation_pronouns or token.text == ";" or (token.is_sent_start and i > start):
            return None
        if token.ent_type_ == "PER" and (entity := entities.get(token.ent_kb_id_)):
            return ActorRef(entity.key, entity.name, entity.country, "PER"), i
    return None


def _country_of(token: Token, entities: dict[str, CanonicalEntity], gazetteer: Gazetteer) -> str | None:
    """The country a token names: a country entity, or a nationality adjective."""
    if token.ent_type_ == "LOC" and (entity := entities.get(token.ent_kb_id_)):
        return entity.country if entity.key == gazetteer.country_key.get(entity.country or "") else None
    return gazetteer.country_of_adjective(token.text) if token.pos_ == "ADJ" else None
