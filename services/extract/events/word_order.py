"""Actors read from the clause's word order, for when the parse attaches nothing to the trigger
(fr_core_news_md's attachments are often loose): the name before it, the names after it."""

from __future__ import annotations

from spacy.tokens import Token

from services.common.folding import fold
from services.extract.events.actors import anchor_actor, country_actor, place_of_entity
from services.extract.events.countries import compound_countries
from services.extract.events.memory import ArticleMemory
from services.extract.events.records import ActorRef
from services.extract.events.syntax import entity_at, is_verb, noun_phrase_before
from services.extract.trigger_checks import is_summons
from services.extract.triggers import Trigger

AFTER_WINDOW = 30  # tokens after the trigger that may still name its participants


def actor_before(head: Token, memory: ArticleMemory) -> list[ActorRef]:
    """The nearest actor before the trigger in its sentence that no preposition makes a target."""
    doc = head.doc
    sent_start = head.sent.start
    i = head.i - 1
    while i >= sent_start:
        token = doc[i]
        if token.lower_ in {";"}:
            break
        if token.ent_type_ or memory.gazetteer.country_of_adjective(token.text):
            start = span.start if (span := entity_at(token)) is not None else i
            before = noun_phrase_before(doc[start : i + 1], memory.words)
            preposition = doc[before.start - 1] if before.start > sent_start else None
            if preposition is None or fold(preposition.text) not in memory.words.before_trigger_not_source:
                actor = anchor_actor(token, memory, [])
                if actor is not None:
                    return [actor]
            i = start - 1
            continue
        i -= 1
    return []


def actors_after(
    head: Token, trigger: Trigger, memory: ArticleMemory, place_type: bool
) -> tuple[list[ActorRef], list[ActorRef]]:
    """Names (and places) after the trigger up to the next clause: 'un appel avec son homologue
    turc, X', 'les pourparlers russo-ukrainiens'."""
    doc = head.doc
    gazetteer, words = memory.gazetteer, memory.words
    actors: list[ActorRef] = []
    places: list[ActorRef] = []
    i = max(head.i + 1, trigger.end)
    while i < min(head.sent.end, head.i + AFTER_WINDOW):
        token = doc[i]
        if (is_verb(token) and token.dep_ not in {"amod"}) or fold(token.text) in words.clause_stops:
            break
        if is_summons(token, memory.lexicon):
            break  # "à l'appel du Réseau X": who called it, not who undergoes it
        # "les pourparlers russo-ukrainiens" (one token, or "russo", "-", "ukrainiens")
        width = 3 if i + 2 < len(doc) and doc[i + 1].text == "-" else 1
        compound = [] if token.ent_type_ else compound_countries(doc[i : i + width].text, gazetteer, memory.prefixes)
        if compound and trigger.type == "CONSULT":
            actors += [a for c in compound if (a := country_actor(c, gazetteer)) and a not in actors]
            i += width
            continue
        if token.ent_type_ or gazetteer.country_of_adjective(token.text):
            span = entity_at(token) or doc[i : i + 1]
            preposition = noun_phrase_before(span, words)
            prep = fold(doc[preposition.start - 1].text) if preposition.start > 0 else ""
            place = place_of_entity(span, memory) if token.ent_type_ else None
            if place is not None and prep in words.place_cases and place_type:
                places.append(place)
            elif (
                trigger.type == "CONSULT"
                or prep in words.target_cases | words.owner_cases
                or (prep == "," and span.label_ in {"PER", "ORG"} and actors)
            ):
                actor = anchor_actor(token, memory, actors)
                if actor is not None:
                    actors.append(actor)
            i = span.end
            continue
        i += 1
    return actors, places
