"""Who a phrase stands for: a named entity, an office plus a nationality ('son homologue turc'),
a nationality alone (the country), a group a nameless party belongs to, or an anaphor."""

from __future__ import annotations

from spacy.tokens import Span, Token

from services.common.folding import fold
from services.extract.events.anaphora import last_person_before, plural_anaphor
from services.extract.events.memory import ArticleMemory
from services.extract.events.records import ActorRef, dedupe_sources, unique
from services.extract.events.syntax import (
    INHERIT_SUBJECT_DEPS,
    NESTED_CLAUSES,
    case_of,
    entity_at,
    entity_spans,
    is_place_phrase,
    is_verb,
    noun_phrase_before,
    same_entity,
    walk,
)
from services.extract.gazetteer import Gazetteer


def country_actor(alpha3: str | None, gazetteer: Gazetteer) -> ActorRef | None:
    entry = gazetteer.country(alpha3)
    return ActorRef(entry.key, entry.name, entry.country, "LOC") if entry else None


def actor_of_entity(span: Span, memory: ArticleMemory) -> ActorRef | None:
    """A person or body stands for itself; a people or a place for its country."""
    entity = memory.entities.get(span.kb_id_)
    if entity is None:
        return None
    if entity.label in {"PER", "ORG"}:
        return ActorRef(entity.key, entity.name, entity.country, entity.label)
    if entity.key.startswith("misc:people-") or entity.label == "LOC":
        return country_actor(entity.country, memory.gazetteer)
    return None


def place_of_entity(span: Span, memory: ArticleMemory) -> ActorRef | None:
    """The place a span names; not a region ('Afrique de l'Ouest', 'Sahel'), which says nothing
    of where an event happened."""
    entity = memory.entities.get(span.kb_id_)
    if entity is None or entity.label != "LOC" or memory.is_region(entity.key):
        return None
    return ActorRef(entity.key, entity.name, entity.country, "LOC")


def slot_actors(head: Token, memory: ArticleMemory, counterpart: list[ActorRef] | None = None) -> list[ActorRef]:
    """Actors named in one dependent's phrase, else its office or nationality, else an anaphor."""
    tokens = walk(head, NESTED_CLAUSES | {"conj"})
    if head.ent_type_:  # a named head stands for itself, not for the names hanging on it
        tokens = [t for t in tokens if t.ent_iob_ != "O" and same_entity(t, head)] or [head]
    actors = _named_actors(head, tokens, memory)
    if actors:
        return dedupe_sources(unique(actors))
    plural = plural_anaphor(tokens, memory)
    if plural is not None:
        return plural
    if head.lower_ in memory.words.personal_pronouns and head.pos_ == "PRON":
        return [a for a in [last_person_before(head, memory)] if a]
    return role_actor(head, tokens, memory, counterpart or [])


def _named_actors(head: Token, tokens: list[Token], memory: ArticleMemory) -> list[ActorRef]:
    """The actors a phrase names ('le président de la Fédération de Russie' is its president),
    with its noun's nationality ('les troupes françaises du Niger'), else the group a nameless
    party belongs to."""
    office_pronoun = head.lower_ == memory.words.office_pronoun
    role_tokens = walk(head.head, NESTED_CLAUSES | {"conj"}) if office_pronoun else tokens
    role = memory.names.role_in(" ".join(t.text for t in role_tokens)) if not head.ent_type_ else None
    actors: list[ActorRef] = []
    for span in entity_spans(tokens):
        if is_place_phrase(span, memory.words):
            continue
        actor = actor_of_entity(span, memory)
        if actor is not None and actor.label == "LOC" and role and actor.country:
            actor = memory.office_holder(role, actor.country) or actor  # "le président de la Fédération de Russie"
        if actor is not None:
            actors.append(actor)
    if actors and not head.ent_type_:  # "les troupes françaises du Niger": the noun's own nationality
        actors += [
            a
            for c in head.children
            if c.dep_ == "amod"
            and (a := country_actor(memory.gazetteer.country_of_adjective(c.text), memory.gazetteer))
        ]
    if not actors and not head.ent_type_:
        actors = affiliation_actors(head, memory)
    return actors


def role_actor(head: Token, tokens: list[Token], memory: ArticleMemory, counterpart: list[ActorRef]) -> list[ActorRef]:
    """A slot with no name: an office plus a nationality is a person, a nationality a country."""
    gazetteer, words = memory.gazetteer, memory.words
    if head.lower_ == words.office_pronoun and head.dep_ == "conj":
        role_text = " ".join(t.text for t in walk(head.head, {"conj", *NESTED_CLAUSES}))
    else:
        role_text = " ".join(t.text for t in tokens)
    country = None
    for token in tokens:
        if token.pos_ == "ADJ" or token.dep_ == "amod":
            country = country or gazetteer.country_of_adjective(token.text)
    for span in entity_spans(tokens):
        entity = memory.entities.get(span.kb_id_)
        if entity and entity.label == "LOC" and entity.key == gazetteer.country_key.get(entity.country or ""):
            country = country or entity.country
    if country is None and any(
        t.lemma_ == words.country_noun and any(c.lower_ in words.possessives for c in t.children) for t in tokens
    ):  # "son pays": the country of whoever "son" is
        owner = next((a for a in counterpart if a.country), None) or possessor(head, memory)
        country = owner.country if owner else None
    if country is None:
        return []
    role = memory.names.role_in(role_text)
    if role is None and any(fold(t.text) == words.counterpart_noun for t in tokens):
        role = next((r for a in counterpart for r in memory.roles_of(a.key)), None)
    person = memory.office_holder(role, country) if role else None
    return [person] if person else [a for a in [country_actor(country, gazetteer)] if a]


def affiliation_actors(head: Token, memory: ArticleMemory) -> list[ActorRef]:
    """'des hommes armés se réclamant de Boko Haram', 'des combattants affiliés à l'EI': the
    group a nameless party belongs to stands for it."""
    actors: list[ActorRef] = []
    cases = memory.words.owner_cases | memory.words.dative_cases
    for participle in head.children:
        if participle.dep_ not in {"acl", "amod"} or fold(participle.lemma_) not in memory.lexicon.affiliation_verbs:
            continue
        for arg in participle.children:
            if arg.dep_.startswith(("obl", "obj", "nmod")) and case_of(arg) in cases:
                actors += [a for a in slot_actors(arg, memory) if a.label != "LOC"]
    return actors


def possessor(token: Token, memory: ArticleMemory) -> ActorRef | None:
    """Whom 'son'/'sa' points at: the subject of a clause above, else the last person named."""
    for ancestor in token.ancestors:
        if not is_verb(ancestor):
            continue
        for subject in (c for c in ancestor.children if c.dep_ == "nsubj" and token not in c.subtree):
            actors = slot_actors(subject, memory)
            if actors:
                return actors[0]
    return last_person_before(token, memory)


def subject_of(verb: Token, memory: ArticleMemory, depth: int = 3, passive: bool = False) -> list[ActorRef]:
    """The subject's actors, inherited through xcomp/conj/advcl when the verb has none.
    With `passive`, a passive subject counts too ('sont engagés dans un combat')."""
    current = verb
    subject_deps = {"nsubj", "obl:agent", "nsubj:pass"} if passive else {"nsubj", "obl:agent"}
    for _ in range(depth):
        subjects = [c for c in current.children if c.dep_ in subject_deps]
        if subjects:
            actors: list[ActorRef] = []
            for subject in subjects:
                actors += slot_actors(subject, memory)
                for conj in (c for c in subject.children if c.dep_ == "conj"):
                    actors += [a for a in slot_actors(conj, memory) if a not in actors]
                actors += [a for a in coordinated_before(subject, memory) if a not in actors]
            return actors
        if current.dep_ not in INHERIT_SUBJECT_DEPS or current.head.i == current.i:
            return []
        current = current.head
    return []


def coordinated_before(subject: Token, memory: ArticleMemory) -> list[ActorRef]:
    """'Niamey et Moscou ont décidé': names joined by 'et' before a subject the parse left out."""
    doc = subject.doc
    start = span.start if (span := entity_at(subject)) is not None else subject.i
    phrase = noun_phrase_before(doc[start : subject.i + 1], memory.words)
    i = phrase.start - 1
    if i < subject.sent.start or doc[i].lower_ not in memory.words.coordinators:
        return []
    previous = doc[i - 1] if i - 1 >= subject.sent.start else None
    if previous is None or not previous.ent_type_ or previous.dep_ in {"nsubj", "conj"}:
        return []
    actor = anchor_actor(previous, memory, [])
    return [actor] if actor else []


def anchor_actor(token: Token, memory: ArticleMemory, counterpart: list[ActorRef]) -> ActorRef | None:
    """The actor a name or a nationality adjective in running text stands for."""
    if token.ent_type_:
        span = entity_at(token)
        if span is None:
            return None
        actor = actor_of_entity(span, memory)
        if actor is not None and actor.label == "LOC":
            role = memory.names.role_in(noun_phrase_before(span, memory.words).text)
            person = memory.office_holder(role, actor.country) if role and actor.country else None
            return person or actor
        return actor
    gazetteer = memory.gazetteer
    country = gazetteer.country_of_adjective(token.text) if token.pos_ in {"ADJ", "PROPN"} else None
    if country is None:
        return None
    phrase = noun_phrase_before(token.doc[token.i : token.i + 1], memory.words)
    role = memory.names.role_in(phrase.text + " " + " ".join(t.text for t in token.doc[token.i : token.i + 5]))
    if role is None and any(fold(t.text) == memory.words.counterpart_noun for t in phrase):
        role = next((r for a in counterpart for r in memory.roles_of(a.key)), None)
    person = memory.office_holder(role, country) if role else None
    return person or country_actor(country, gazetteer)
