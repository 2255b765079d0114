"""PLOVER events from a parsed Doc: trigger → actors, place, context flags, date.

For each trigger (triggers.py) the parse gives the actors: the subject is the source, objects
and obliques (à, avec, contre, envers) the targets; a noun trigger takes its own "de X" / "à X"
/ "avec X" / "entre X et Y" dependents and, failing those, the subject of the verb that governs
it ("Goïta a eu un appel avec Erdogan"). A slot with no name but an office and a nationality
("son homologue turc", "le chef de la diplomatie russe") is the person of that office the
article names, else the country. A capital as actor stands for its country. For CONSULT every
participant counts; the store compares them as a set.

Dates: an expression in the sentence (the one bound to this trigger, else the nearest) beats
a reference back to an earlier event ("lors de cet échange", "24 heures après cet appel"), which
beats the article's reference date (dates.infer_reference). Mentions of one event in one
article (same type, participants, compatible date and mode) are merged.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import yaml
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from services.common.contracts import EventContext
from services.extract.canonical import CanonicalEntity, NameLexicon
from services.extract.context import event_context
from services.extract.dates import (
    DateMention,
    ResolvedDate,
    Unresolved,
    explain_mention,
    find_date_mentions,
    infer_reference,
    publication_reference,
    resolve_after,
)
from services.extract.gazetteer import Gazetteer
from services.extract.text import fold
from services.extract.triggers import Trigger, TriggerLexicon, find_triggers, undergoer_agents

OBJECT_DEPS = {"obj", "iobj", "obl:arg", "nsubj:pass"}
TARGET_CASES = {"à", "a", "au", "aux", "avec", "contre", "envers", "auprès", "entre", "vers"}
PLACE_CASES = {"à", "a", "au", "aux", "en", "dans", "vers", "près", "sur"}
OWNER_CASES = {"de", "du", "des", "d'"}
NESTED_CLAUSES = {"acl:relcl", "ccomp", "parataxis", "advcl", "csubj", "acl"}
INHERIT_SUBJECT_DEPS = {"xcomp", "conj", "advcl", "acl", "ccomp", "parataxis"}
POSSESSIVES = {"son", "sa", "ses", "leur", "leurs"}
COUNTRY_WORD = "pays"
LOOKBACK_TOKENS = 400  # how far back a pronoun looks for its person
LOOKBACK_EVENTS = 30
DATELINE_CHARS = 400  # a dateline opens the article's text  # how far back "cet entretien" looks for its event
SUBJECT_IS_SOURCE_WHEN_PASSIVE = {"MOBILIZE", "RETREAT"}  # "des instructeurs ont été envoyés"
TARGETISH_PREPOSITIONS = {
    "à",
    "a",
    "au",
    "aux",
    "avec",
    "contre",
    "envers",
    "pour",
    "sur",
    "en",
    "dans",
    "par",
    "vers",
    "auprès",
    "chez",
    "entre",
    "lors",
}
CLAUSE_STOPS = {
    ";",
    ".",
    "selon",
    "afin",
    "dont",
    "qui",
    "que",
    "qu'",
    "lorsque",
    "mais",
    "tandis",
    "car",
    "lors",
}
NP_WORDS = {"DET", "ADJ", "NOUN", "PROPN", "NUM"}


PREFIXES_FILE = Path(__file__).resolve().parent / "data" / "nationality_prefixes.yaml"


@cache
def nationality_prefixes(path: Path = PREFIXES_FILE) -> dict[str, str]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {fold(prefix): alpha3 for prefix, alpha3 in raw["prefixes"].items()}


def compound_countries(word: str, gazetteer: Gazetteer) -> list[str]:
    """'russo-ukrainiens' → [RUS, UKR], 'algéro-italien' → [DZA, ITA]; [] for anything else."""
    parts = fold(word).split()  # fold turns the hyphens into spaces
    if len(parts) < 2:
        return []
    prefixes = nationality_prefixes()
    heads = [prefixes.get(p) for p in parts[:-1]]
    last = gazetteer.country_of_adjective(parts[-1])
    if last is None or not all(heads):
        return []
    return list(dict.fromkeys([*(h for h in heads if h), last]))


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


def _same_entity(token: Token, head: Token) -> bool:
    span = entity_at(head)
    return span is not None and span.start <= token.i < span.end


FRAME_OF_TIME = {"cours", "occasion", "lors", "issue", "marge", "cadre"}


def _within_one_hop(span: Span, phrase_head: Token) -> bool:
    """'dans le secteur de Tinzaouatène' yes; 'dans le communiqué du ministère du Mali' no."""
    root = span.root
    return root.i == phrase_head.i or root.head.i == phrase_head.i or span.start <= phrase_head.i < span.end


def _noun_phrase_before(span: Span) -> Span:
    """The span extended left over its noun phrase ('le chef de l'État de la' + 'Turquie')."""
    doc = span.doc
    start = span.start
    sent_start = span.sent.start
    while start > sent_start:
        previous = doc[start - 1]
        if previous.pos_ in NP_WORDS or fold(previous.text) in {"de", "d'", "du", "des"}:
            if previous.pos_ == "PROPN" and previous.ent_type_:
                break
            start -= 1
            continue
        break
    # the preposition that introduces the phrase is not part of it
    while start < span.start and fold(doc[start].text) in {"de", "d'", "du", "des"}:
        start += 1
    return doc[start : span.end]


@dataclass(frozen=True)
class ActorRef:
    key: str
    name: str
    country: str | None
    label: str


@dataclass
class EventRecord:
    """One event as the article tells it; pipeline.doc_to_extracted turns it into contracts.Event."""

    type: str
    mode: str | None
    sources: list[ActorRef]
    targets: list[ActorRef]
    date: ResolvedDate | None
    location: ActorRef | None
    sentence: str
    sentence_start: int
    trigger: str
    trigger_start: int
    trigger_end: int
    context: EventContext
    confidence: float = 0.5
    date_from_text: bool = False
    merged: int = 1
    sentence_index: int = 0

    @property
    def actor_keys(self) -> frozenset[str]:
        return frozenset(a.key for a in self.sources + self.targets)


def _walk(token: Token, skip: set[str]) -> list[Token]:
    """The token's subtree without the dependents in `skip` (nested clauses), in text order."""
    out = [token]
    for child in token.children:
        if child.dep_ not in skip:
            out.extend(_walk(child, skip))
    return sorted(out, key=lambda t: t.i)


def _is_reduced_relative(token: Token) -> bool:
    """A past participle qualifying a noun without an auxiliary: 'menée', 'portées', 'imposées'."""
    return (
        token.dep_ in {"acl", "amod"}
        and token.pos_ in {"VERB", "ADJ"}
        and "Part" in token.morph.get("VerbForm", [])
        and not any(c.dep_.startswith("aux") for c in token.children)
    )


def _case(token: Token) -> str | None:
    cases = [fold(c.text) for c in token.children if c.dep_ in {"case", "mark"} or c.pos_ == "ADP"]
    return cases[0] if cases else None


def _is_verb(token: Token) -> bool:
    return token.pos_ in {"VERB", "AUX"}


def _has_auxiliary(token: Token) -> bool:
    """A verb the tagger took for a noun ('a téléphoné' as NOUN) still carries its auxiliary."""
    return any(c.dep_.startswith("aux") for c in token.children)


class EventFinder:
    """Callable over a Doc: the article's events (used by the newsflow_events component)."""

    def __init__(
        self, vocab: Vocab, lexicon: TriggerLexicon, gazetteer: Gazetteer, names: NameLexicon
    ) -> None:
        self.lexicon = lexicon
        self.gazetteer = gazetteer
        self.names = names
        self.matcher: Matcher = lexicon.matcher(vocab)

    # ---- actors -------------------------------------------------------------------------------

    def _actor_of_entity(self, span: Span, entities: dict[str, CanonicalEntity]) -> ActorRef | None:
        entity = entities.get(span.kb_id_)
        if entity is None:
            return None
        if entity.label in {"PER", "ORG"}:
            return ActorRef(entity.key, entity.name, entity.country, entity.label)
        if entity.key.startswith("misc:people-") or entity.label == "LOC":
            return self._country_actor(entity.country)
        return None

    def _country_actor(self, alpha3: str | None) -> ActorRef | None:
        entry = self.gazetteer.country(alpha3)
        return ActorRef(entry.key, entry.name, entry.country, "LOC") if entry else None

    def _place_of_entity(self, span: Span, entities: dict[str, CanonicalEntity]) -> ActorRef | None:
        entity = entities.get(span.kb_id_)
        if entity is None or entity.label != "LOC":
            return None
        return ActorRef(entity.key, entity.name, entity.country, "LOC")

    def _entity_spans(self, tokens: list[Token]) -> list[Span]:
        doc = tokens[0].doc if tokens else None
        if doc is None:
            return []
        spans: dict[int, Span] = {}
        for token in tokens:
            span = entity_at(token)
            if span is not None:
                spans.setdefault(span.start, span)
        return [spans[start] for start in sorted(spans)]

    def _role_actor(
        self, head: Token, tokens: list[Token], ctx: _ArticleContext, counterpart: list[ActorRef]
    ) -> list[ActorRef]:
        """A slot with no name: an office plus a nationality is a person, a nationality a country."""
        if head.lower_ == "celui" and head.dep_ == "conj":
            role_text = " ".join(t.text for t in _walk(head.head, {"conj", *NESTED_CLAUSES}))
        else:
            role_text = " ".join(t.text for t in tokens)
        country = None
        for token in tokens:
            if token.pos_ == "ADJ" or token.dep_ == "amod":
                country = country or self.gazetteer.country_of_adjective(token.text)
        for span in self._entity_spans(tokens):
            entity = ctx.entities.get(span.kb_id_)
            if (
                entity
                and entity.label == "LOC"
                and entity.key == self.gazetteer.country_key.get(entity.country or "")
            ):
                country = country or entity.country
        if country is None and any(
            t.lemma_ == COUNTRY_WORD and any(c.lower_ in POSSESSIVES for c in t.children) for t in tokens
        ):  # "son pays": the country of whoever "son" is
            owner = next((a for a in counterpart if a.country), None) or self._possessor(head, ctx)
            country = owner.country if owner else None
        if country is None:
            return []
        role = self.names.role_in(role_text)
        if role is None and any(fold(t.text) == "homologue" for t in tokens):
            role = next((r for a in counterpart for r in ctx.roles_of(a.key)), None)
        person = ctx.office_holder(role, country) if role else None
        return [person] if person else [a for a in [self._country_actor(country)] if a]

    def _slot_actors(
        self, head: Token, ctx: _ArticleContext, counterpart: list[ActorRef] | None = None
    ) -> list[ActorRef]:
        """Actors named in one dependent's phrase, else its office or nationality, else an anaphor."""
        tokens = _walk(head, NESTED_CLAUSES | {"conj"})
        if head.ent_type_:  # a named head stands for itself, not for the names hanging on it
            tokens = [t for t in tokens if t.ent_iob_ != "O" and _same_entity(t, head)] or [head]
        role_tokens = _walk(head.head, NESTED_CLAUSES | {"conj"}) if head.lower_ == "celui" else tokens
        role = self.names.role_in(" ".join(t.text for t in role_tokens)) if not head.ent_type_ else None
        actors: list[ActorRef] = []
        for span in self._entity_spans(tokens):
            if self._is_place_phrase(span):
                continue
            actor = self._actor_of_entity(span, ctx.entities)
            if actor is not None and actor.label == "LOC" and role and actor.country:
                actor = (
                    ctx.office_holder(role, actor.country) or actor
                )  # "le président de la Fédération de Russie"
            if actor is not None:
                actors.append(actor)
        if actors and not head.ent_type_:  # "les troupes françaises du Niger": the noun's own nationality
            actors += [
                a
                for c in head.children
                if c.dep_ == "amod"
                and (a := self._country_actor(self.gazetteer.country_of_adjective(c.text)))
            ]
        if not actors and not head.ent_type_:
            actors = self._affiliation_actors(head, ctx)
        if actors:
            return _dedupe_actors(_unique(actors), [])
        plural = ctx.plural_anaphor(tokens)
        if plural is not None:
            return plural
        if head.lower_ in {"il", "elle"} and head.pos_ == "PRON":
            return [a for a in [ctx.last_person_before(head)] if a]
        return self._role_actor(head, tokens, ctx, counterpart or [])

    def _affiliation_actors(self, head: Token, ctx: _ArticleContext) -> list[ActorRef]:
        """'des hommes armés se réclamant de Boko Haram', 'des combattants affiliés à l'EI': the
        group a nameless party belongs to stands for it."""
        actors: list[ActorRef] = []
        for participle in head.children:
            if participle.dep_ not in {"acl", "amod"} or fold(participle.lemma_) not in self.lexicon.affiliation_verbs:
                continue
            for arg in participle.children:
                if arg.dep_.startswith(("obl", "obj", "nmod")) and _case(arg) in OWNER_CASES | {"à", "a", "au", "aux"}:
                    actors += [a for a in self._slot_actors(arg, ctx) if a.label != "LOC"]
        return actors

    def _possessor(self, token: Token, ctx: _ArticleContext) -> ActorRef | None:
        """Whom 'son'/'sa' points at: the subject of a clause above, else the last person named."""
        for ancestor in token.ancestors:
            if not _is_verb(ancestor):
                continue
            for subject in (c for c in ancestor.children if c.dep_ == "nsubj" and token not in c.subtree):
                actors = self._slot_actors(subject, ctx)
                if actors:
                    return actors[0]
        return ctx.last_person_before(token)

    def _is_place_phrase(self, span: Span) -> bool:
        """'Lavrov, à Moscou': a place inside a phrase is where, not who."""
        return (
            span.label_ == "LOC" and _case(span.root) in {"à", "a", "en", "dans"} and span.root.dep_ != "ROOT"
        )

    def _subject_of(
        self, verb: Token, ctx: _ArticleContext, depth: int = 3, passive: bool = False
    ) -> list[ActorRef]:
        """The subject's actors, inherited through xcomp/conj/advcl when the verb has none.
        With `passive`, a passive subject counts too ('sont engagés dans un combat')."""
        current = verb
        subject_deps = {"nsubj", "obl:agent", "nsubj:pass"} if passive else {"nsubj", "obl:agent"}
        for _ in range(depth):
            subjects = [c for c in current.children if c.dep_ in subject_deps]
            if subjects:
                actors: list[ActorRef] = []
                for subject in subjects:
                    actors += self._slot_actors(subject, ctx)
                    for conj in (c for c in subject.children if c.dep_ == "conj"):
                        actors += [a for a in self._slot_actors(conj, ctx) if a not in actors]
                    actors += [a for a in self._coordinated_before(subject, ctx) if a not in actors]
                return actors
            if current.dep_ not in INHERIT_SUBJECT_DEPS or current.head.i == current.i:
                return []
            current = current.head
        return []

    def _coordinated_before(self, subject: Token, ctx: _ArticleContext) -> list[ActorRef]:
        """'Niamey et Moscou ont décidé': names joined by 'et' before a subject the parse left out."""
        doc = subject.doc
        start = span.start if (span := entity_at(subject)) is not None else subject.i
        phrase = _noun_phrase_before(doc[start : subject.i + 1])
        i = phrase.start - 1
        if i < subject.sent.start or doc[i].lower_ not in {"et", ","}:
            return []
        previous = doc[i - 1] if i - 1 >= subject.sent.start else None
        if previous is None or not previous.ent_type_ or previous.dep_ in {"nsubj", "conj"}:
            return []
        actor = self._anchor_actor(previous, ctx, [])
        return [actor] if actor else []

    def _governing_verb(self, noun: Token) -> Token | None:
        current = noun
        for _ in range(3):
            if current.head.i == current.i:
                return None
            current = current.head
            if _is_verb(current):
                return current
        return None

    def _actors(
        self, trigger: Trigger, head: Token, ctx: _ArticleContext, place_type: bool
    ) -> tuple[list[ActorRef], list[ActorRef], ActorRef | None]:
        """Sources, targets and place: from the parse first, from the clause's word order when the
        parse has nothing (fr_core_news_md's attachments are often loose)."""
        if trigger.subject_undergoes:
            return self._undergone(head, ctx)
        sources: list[ActorRef] = []
        targets: list[ActorRef] = []
        places: list[ActorRef] = []
        verb = head if trigger.kind != "noun" and (_is_verb(head) or _has_auxiliary(head)) else None
        noun = head if verb is None else None
        governing = self._governing_verb(noun) if noun is not None else None
        place_from_de = trigger.type == "ASSAULT"  # "l'attaque de Kidal"; but "le retrait du Mali" acts
        # "leur retrait de la Cédéao": the possessor acts, so "de X" is what the event bears on
        possessed = noun is not None and any(c.lower_ in POSSESSIVES for c in noun.children)
        nested_places: list[ActorRef] = []
        event_nouns = {noun.i} if noun is not None else set(trigger.event_objects)
        owners_seen: list[int] = []

        def collect(token: Token, skip: set[int]) -> None:
            reduced = _is_reduced_relative(token)
            for child in token.children:
                if token.i in event_nouns and _is_reduced_relative(child):
                    collect(child, skip={c.i for c in child.children if c.dep_ == "nsubj"})
                    continue  # "l'attaque menée par le JNIM contre un camp": the participle's phrases
                if child.i in skip or child.dep_ in NESTED_CLAUSES or child.dep_ == "conj":
                    continue
                case = _case(child)
                tokens = _walk(child, NESTED_CLAUSES)
                place_here = [
                    p
                    for s in self._entity_spans(tokens)
                    if _within_one_hop(s, child) and (p := self._place_of_entity(s, ctx.entities))
                ]
                if reduced and case in {"à", "a", "au", "aux"} and fold(token.lemma_) in self.lexicon.attribution_verbs:
                    sources.extend(self._slot_actors(child, ctx))  # "une attaque attribuée aux jihadistes"
                    continue
                is_place_phrase = case in PLACE_CASES or (place_from_de and case in OWNER_CASES)
                if place_here and is_place_phrase and (place_type or case in {"en", "dans"}):
                    places.extend(place_here)
                    continue
                if child.dep_ == "nsubj:pass" and trigger.type in SUBJECT_IS_SOURCE_WHEN_PASSIVE:
                    sources.extend(self._slot_actors(child, ctx))
                elif child.dep_ == "obl:agent" or (case == "par" and (reduced or token.i in event_nouns)):
                    sources.extend(self._slot_actors(child, ctx))  # "menée par X", "l'attaque par X"
                elif child.dep_ in OBJECT_DEPS or case in TARGET_CASES or child.dep_ == "appos":
                    targets.extend(self._slot_actors(child, ctx, sources))
                    if place_type:  # "contre un camp militaire à Sévaré": where the target was
                        nested_places.extend(self._places_in(tokens, ctx))
                    if place_type and place_here and child.dep_ in {"obj", "nsubj:pass"}:
                        nested_places.extend(place_here)  # "Djibo a été attaquée", "a visité Kidal"
                elif noun is not None and token.i == noun.i and case in OWNER_CASES:
                    owner = self._slot_actors(child, ctx, sources)
                    owner_is_source = not trigger.owner_is_target and not owners_seen and not possessed
                    (sources if owner_is_source else targets).extend(owner)
                    owners_seen.append(child.i)

        if verb is not None:
            if verb.dep_ not in {"acl", "amod", "acl:relcl"}:
                sources.extend(self._subject_of(verb, ctx))
            collect(verb, skip={c.i for c in verb.children if c.dep_ == "nsubj"})
            for event_noun in sorted(event_nouns):  # "les sanctions imposées au Niger"
                collect(verb.doc[event_noun], skip=set())
        elif noun is not None:
            collect(noun, skip=set())
            if governing is not None:
                on_path = {t.i for t in noun.ancestors}
                collect(
                    governing,
                    skip={
                        c.i
                        for c in governing.children
                        if c.dep_ == "nsubj" or c.i == noun.i or c.i in on_path
                    },
                )
        takes_clause_subject = self._takes_clause_subject(noun, governing)
        bare_participle = (
            verb is not None
            and "Part" in verb.morph.get("VerbForm", [])
            and not any(c.dep_.startswith("aux") for c in verb.children)
        )
        if verb is not None and (verb.dep_ in {"acl", "amod", "acl:relcl"} or bare_participle):
            takes_clause_subject = False  # "des groupes appuyés par des sponsors": the agent acts
            targets.extend(self._slot_actors(verb.head, ctx))
        if not sources and takes_clause_subject:
            if governing is not None:
                sources.extend(self._subject_of(governing, ctx, passive=True))
            passive = verb is not None and any(c.dep_ == "aux:pass" for c in verb.children)
            if not sources and not passive:  # "Djibo a été attaquée": the name before undergoes it
                sources.extend(self._actor_before(head, ctx))
        if trigger.type == "CONSULT" or all(a.label == "LOC" for a in targets):
            after, after_places = self._actors_after(head, trigger, ctx, place_type)
            targets.extend(after)
            places.extend(after_places)
        sources = _dedupe_actors(sources, targets)
        targets = _drop_represented_countries(sources, _unique(targets), consult=trigger.type == "CONSULT")
        places.extend(nested_places)
        return sources, targets, (places[0] if places else None)

    def _undergone(
        self, head: Token, ctx: _ArticleContext
    ) -> tuple[list[ActorRef], list[ActorRef], ActorRef | None]:
        """'Kolofata a été la cible des terroristes de Boko Haram': 'de X' acts, the subject
        undergoes it (a town is where it happened, a country or a body the target)."""
        sources = _unique([a for agent in undergoer_agents(head) for a in self._slot_actors(agent, ctx)])
        targets: list[ActorRef] = []
        place: ActorRef | None = None
        for subject in (c for c in head.children if c.dep_ in {"nsubj", "nsubj:pass"}):
            tokens = _walk(subject, NESTED_CLAUSES)
            towns = [
                p
                for s in self._entity_spans(tokens)
                if _within_one_hop(s, subject)
                and (p := self._place_of_entity(s, ctx.entities))
                and p.key != self.gazetteer.country_key.get(p.country or "")
            ]
            if towns:
                place = place or towns[0]
            else:
                targets.extend(self._slot_actors(subject, ctx))
        return sources, _drop_represented_countries(sources, _unique(targets), consult=False), place

    def _places_in(self, tokens: list[Token], ctx: _ArticleContext) -> list[ActorRef]:
        """The places a phrase names with à/en/dans ('un camp militaire à Sévaré')."""
        return [
            place
            for span in self._entity_spans(tokens)
            if self._is_place_phrase(span) and (place := self._place_of_entity(span, ctx.entities))
        ]

    def _takes_clause_subject(self, noun: Token | None, governing: Token | None) -> bool:
        """Whether the clause's subject acts in a noun event: 'Goïta a eu un appel', 'son soutien',
        'ont pris part à une rencontre', 'lors d'une discussion' yes; 'suite à l'attaque' no."""
        if noun is None:
            return True
        if any(c.lower_ in POSSESSIVES for c in noun.children) or noun.dep_ in {"obj", "nsubj:pass"}:
            return True
        attached_to = noun.head
        if fold(attached_to.lemma_) in FRAME_OF_TIME and attached_to.head.i != attached_to.i:
            return True  # "au cours d'un entretien", "à l'occasion de sa visite", "lors de"
        if any(fold(c.text) in {"lors"} for c in noun.children):
            return True
        if governing is None or fold(governing.lemma_) not in self.lexicon.participation_verbs:
            return False
        top = noun  # the phrase under the verb that holds the noun ("dans un violent combat")
        while top.head.i != governing.i and top.head.i != top.i:
            top = top.head
        cases = {"à", "a", "au", "aux", "dans", "en", "pour"}
        if not any(c.dep_ in {"aux:pass", "nsubj:pass"} for c in governing.children):
            cases.add("par")  # "a pris le pouvoir par un coup d'État"; not "a été renversé par un putsch"
        return top.dep_ in {"obj", "obl:arg"} or _case(top) in cases

    def _anchor_actor(
        self, token: Token, ctx: _ArticleContext, counterpart: list[ActorRef]
    ) -> ActorRef | None:
        """The actor a name or a nationality adjective in running text stands for."""
        if token.ent_type_:
            span = entity_at(token)
            if span is None:
                return None
            actor = self._actor_of_entity(span, ctx.entities)
            if actor is not None and actor.label == "LOC":
                role = self.names.role_in(_noun_phrase_before(span).text)
                person = ctx.office_holder(role, actor.country) if role and actor.country else None
                return person or actor
            return actor
        country = self.gazetteer.country_of_adjective(token.text) if token.pos_ in {"ADJ", "PROPN"} else None
        if country is None:
            return None
        phrase = _noun_phrase_before(token.doc[token.i : token.i + 1])
        role = self.names.role_in(
            phrase.text + " " + " ".join(t.text for t in token.doc[token.i : token.i + 5])
        )
        if role is None and any(fold(t.text) == "homologue" for t in phrase):
            role = next((r for a in counterpart for r in ctx.roles_of(a.key)), None)
        person = ctx.office_holder(role, country) if role else None
        return person or self._country_actor(country)

    def _actor_before(self, head: Token, ctx: _ArticleContext) -> list[ActorRef]:
        """The nearest actor before the trigger in its sentence that no preposition makes a target."""
        sent_start = head.sent.start
        i = head.i - 1
        while i >= sent_start:
            token = head.doc[i]
            if token.lower_ in {";"}:
                break
            if token.ent_type_ or self.gazetteer.country_of_adjective(token.text):
                start = span.start if (span := entity_at(token)) is not None else i
                before = _noun_phrase_before(token.doc[start : i + 1])
                preposition = token.doc[before.start - 1] if before.start > sent_start else None
                if preposition is None or fold(preposition.text) not in TARGETISH_PREPOSITIONS:
                    actor = self._anchor_actor(token, ctx, [])
                    if actor is not None:
                        return [actor]
                i = start - 1
                continue
            i -= 1
        return []

    def _actors_after(
        self, head: Token, trigger: Trigger, ctx: _ArticleContext, place_type: bool
    ) -> tuple[list[ActorRef], list[ActorRef]]:
        """Names after the trigger up to the next clause: 'un appel avec son homologue turc, X'."""
        doc = head.doc
        actors: list[ActorRef] = []
        places: list[ActorRef] = []
        i = max(head.i + 1, trigger.end)
        while i < min(head.sent.end, head.i + 30):
            token = doc[i]
            if (_is_verb(token) and token.dep_ not in {"amod"}) or fold(token.text) in CLAUSE_STOPS:
                break
            # "les pourparlers russo-ukrainiens" (one token, or "russo", "-", "ukrainiens")
            width = 3 if i + 2 < len(doc) and doc[i + 1].text == "-" else 1
            compound = [] if token.ent_type_ else compound_countries(doc[i : i + width].text, self.gazetteer)
            if compound and trigger.type == "CONSULT":
                actors += [a for c in compound if (a := self._country_actor(c)) and a not in actors]
                i += width
                continue
            if token.ent_type_ or self.gazetteer.country_of_adjective(token.text):
                span = entity_at(token) or doc[i : i + 1]
                preposition = _noun_phrase_before(span)
                prep = fold(doc[preposition.start - 1].text) if preposition.start > 0 else ""
                place = self._place_of_entity(span, ctx.entities) if token.ent_type_ else None
                if place is not None and prep in PLACE_CASES and place_type:
                    places.append(place)
                elif (
                    trigger.type == "CONSULT"
                    or prep in TARGET_CASES | OWNER_CASES
                    or (prep == "," and span.label_ in {"PER", "ORG"} and actors)
                ):
                    actor = self._anchor_actor(token, ctx, actors)
                    if actor is not None:
                        actors.append(actor)
                i = span.end
                continue
            i += 1
        return actors, places

    # ---- dates --------------------------------------------------------------------------------

    def _mention_token(self, sent: Span, mention: DateMention) -> Token | None:
        span = sent.doc.char_span(
            sent.start_char + mention.start, sent.start_char + mention.end, alignment_mode="expand"
        )
        return span.root if span is not None else None

    def _bound_trigger(self, token: Token | None, heads: dict[int, Trigger]) -> int | None:
        """The noun trigger a date hangs on ('les affrontements des 25 ... juillet'), if any."""
        current = token
        for _ in range(4):
            if current is None or current.head.i == current.i:
                return None
            current = current.head
            if current.i in heads and heads[current.i].kind != "verb" and not _is_verb(current):
                # a date modifying a noun follows it: 'les affrontements des 25 ... juillet'
                return current.i if token is not None and token.i > current.i else None
            if _is_verb(current):
                if current.i in heads:
                    return current.i
                if current.dep_.startswith("acl") and current.head.i in heads:
                    return current.head.i  # "l'attaque survenue le 7 septembre"
                return None
        return None

    def _date_for(
        self,
        trigger: Trigger,
        mentions: list[tuple[DateMention, Token | None, int | None]],
        anaphor: EventRecord | None,
        ctx: _ArticleContext,
        heads: dict[int, Trigger] | None = None,
    ) -> tuple[ResolvedDate | None, bool]:
        heads = heads or {}
        bound = [m for m in mentions if m[2] == trigger.head]
        verb = self._governing_verb(ctx.doc[trigger.head]) if trigger.kind == "noun" else None
        if not bound and verb is not None and verb.i in heads and heads[verb.i].type == trigger.type:
            # "ont été tués dimanche lors d'une attaque": the verb and its noun tell one event
            bound = [m for m in mentions if m[2] == verb.i]
        free = [m for m in mentions if m[2] is None and _dates_clause(m[1], trigger, self)]
        chosen = sorted(bound or free, key=lambda m: abs((m[1].i if m[1] is not None else 0) - trigger.head))
        unresolved: Unresolved | None = None
        for mention, _token, _bound in chosen:
            if mention.is_since:
                continue
            if mention.needs_anchor:
                anchor = anaphor or ctx.last_dated_event()
                if anchor is not None and anchor.date is not None:
                    return resolve_after(mention, anchor.date, f"after '{anchor.trigger}'"), True
                if ctx.reference is not None:
                    return resolve_after(mention, ctx.reference, "after the article date"), True
                continue
            resolved = explain_mention(mention, ctx.reference, ctx.today)
            if isinstance(resolved, ResolvedDate):
                return resolved, True
            unresolved = unresolved or resolved
        if anaphor is not None and anaphor.date is not None:
            reason = f"anaphora: refers to '{anaphor.trigger}' ({anaphor.date.value})"
            return ResolvedDate(anaphor.date.value, anaphor.date.precision, reason), True
        if unresolved is not None and ctx.reference is not None:
            # the sentence's own date fits no year of the publication span: keep the span, say why
            return replace(ctx.reference, reason=f"{ctx.reference.reason}; {unresolved.reason}"), False
        return ctx.reference, False

    # ---- the article --------------------------------------------------------------------------

    def _anaphor_in(
        self, sent: Span, triggers: list[Trigger], ctx: _ArticleContext
    ) -> tuple[EventRecord | None, set[int]]:
        """The earlier event a demonstrative points at ('cet appel', 'cette occasion') and the
        trigger heads that are such back-references (they make no new event)."""
        referenced: EventRecord | None = None
        anaphoric_heads: set[int] = set()
        by_head = {t.head: t for t in triggers}
        for token in sent:
            if token.pos_ not in {"NOUN", "PROPN"}:
                continue
            determiners = {fold(c.text) for c in token.children if c.dep_ == "det"}
            if not determiners & self.lexicon.anaphoric_determiners:
                continue
            trigger = by_head.get(token.i)
            if trigger is None and fold(token.text) not in self.lexicon.anaphoric_nouns:
                continue
            wanted = trigger.type if trigger else None
            candidate = ctx.last_event(wanted, word=fold(token.text))
            if candidate is not None:
                referenced = referenced or candidate
                if trigger is not None:
                    anaphoric_heads.add(token.i)
        return referenced, anaphoric_heads

    def __call__(self, doc: Doc) -> list[EventRecord]:
        entities: dict[str, CanonicalEntity] = doc._.newsflow_entities or {}
        published = publication_reference(doc._.newsflow_published, doc._.newsflow_published_precision)
        sentences = list(doc.sents)
        reference = infer_reference([s.text for s in sentences], published)
        doc._.newsflow_reference = reference
        ctx = _ArticleContext(doc, entities, self.gazetteer, self.lexicon, reference)
        by_sentence: dict[int, list[Trigger]] = {}
        for trigger in find_triggers(doc, self.matcher, self.lexicon):
            by_sentence.setdefault(doc[trigger.head].sent.start, []).append(trigger)
        listed: tuple[int, list[DateMention]] = (-1, [])  # (end of a list, its intro's dates)
        for index, sent in enumerate(sentences):
            in_sentence = by_sentence.get(sent.start, [])
            if sent.start_char >= listed[0] and sent.text.rstrip().endswith(":"):
                own = [m for m in find_date_mentions(sent.text) if not _is_dateline(sent, m)]
                listed = (_list_end(doc.text, sent.end_char), own) if own else (-1, [])
            if not in_sentence and not any(fold(t.text) in self.lexicon.anaphoric_nouns for t in sent):
                continue
            anaphor, anaphoric_heads = self._anaphor_in(sent, in_sentence, ctx)
            heads = {t.head: t for t in in_sentence if t.head not in anaphoric_heads}
            mentions: list[tuple[DateMention, Token | None, int | None]] = []
            for mention in find_date_mentions(sent.text):
                if _is_dateline(sent, mention):
                    continue  # "Maroua (Cameroun), 12 février 2024 (APA) –": the day of the report
                token = self._mention_token(sent, mention)
                mentions.append((mention, token, self._bound_trigger(token, heads)))
            if not mentions and sent.start_char < listed[0] and not sent.text.rstrip().endswith(":"):
                # "ont arrêté le 16 septembre les mesures suivantes : 1. Gel des avoirs ...": an item
                # of a list is dated by the sentence that introduces it
                mentions = [(mention, None, None) for mention in listed[1]]
            made = 0
            for trigger in in_sentence:
                if trigger.head in anaphoric_heads:
                    continue
                event = self._event(trigger, sent, index, mentions, anaphor, ctx, heads)
                if event is not None:
                    ctx.add(event)
                    made += 1
            if anaphor is not None and anaphor.type == "CONSULT" and not made:
                self._add_participants(anaphor, sent, ctx)
        return merge_mentions(ctx.events)

    def _add_participants(self, event: EventRecord, sent: Span, ctx: _ArticleContext) -> None:
        """'Au cours de cette visite, le chef de la diplomatie russe et celui du Mali ont ...': the
        subjects of a sentence about an earlier meeting took part in it."""
        root = sent.root
        if not _is_verb(root):
            return
        subjects = self._subject_of(root, ctx, depth=1) or []
        for actor in subjects:
            if actor.key not in event.actor_keys:
                event.targets.append(actor)
        event.targets = _drop_represented_countries(event.sources, event.targets)

    def _event(
        self,
        trigger: Trigger,
        sent: Span,
        index: int,
        mentions: list[tuple[DateMention, Token | None, int | None]],
        anaphor: EventRecord | None,
        ctx: _ArticleContext,
        heads: dict[int, Trigger] | None = None,
    ) -> EventRecord | None:
        doc = sent.doc
        head = doc[trigger.head]
        place_type = trigger.type in self.lexicon.place_types
        sources, targets, location = self._actors(trigger, head, ctx, place_type)
        mode = trigger.mode
        if trigger.type == "CONSULT":
            if mode == "visit" and location is not None and not targets:
                targets = [
                    a
                    for a in [self._country_actor(location.country)]
                    if a and a.key not in {s.key for s in sources}
                ]
            if mode is None and location is not None:
                mode = "meeting"
            targets = _drop_represented_countries(sources, targets)
        if trigger.type in self.lexicon.represented_types:
            sources = _unique([b for a in sources for b in (a, ctx.person_for(a)) if b])
            targets = _unique([b for a in targets for b in (a, ctx.person_for(a)) if b])
            targets = [a for a in targets if a not in sources]
        alone = sources + targets
        multilateral = len(alone) == 1 and alone[0].label == "ORG"  # "le sommet de l'AES"
        if (
            trigger.type == "CONSULT"
            and len(alone) < 2
            and not multilateral
            and not (mode == "visit" and location)
        ):
            return None  # a meeting needs two sides; a visit a visitor and a place
        if not sources and not targets and location is None:
            return None
        date, from_text = self._date_for(trigger, mentions, anaphor, ctx, heads)
        span = doc[trigger.start : trigger.end]
        confidence = 0.4 + 0.15 * bool(sources) + 0.1 * bool(targets) + 0.1 * bool(location)
        confidence += 0.2 if from_text else (0.1 if date else 0.0)
        return EventRecord(
            type=trigger.type,
            mode=mode,
            sources=sources,
            targets=targets,
            date=date,
            location=location,
            sentence=sent.text.strip(),
            sentence_start=sent.start_char + (len(sent.text) - len(sent.text.lstrip())),
            trigger=span.text,
            trigger_start=span.start_char,
            trigger_end=span.end_char,
            context=event_context(head),
            confidence=round(min(confidence, 0.95), 2),
            date_from_text=from_text,
            sentence_index=index,
        )


LIST_MARKER = re.compile(r"\s*(?:\d{1,2}\s*[.)°-]|[-–—•*·▪])\s")


def _list_end(text: str, start: int) -> int:
    """Where the list a sentence ending with ':' introduces stops: its first line, then every
    line that opens with a list marker ('1.', '-', '•'); not a quotation."""
    end = start
    first = True
    for line in text[start:].splitlines(keepends=True):
        if not line.strip():
            end += len(line)
            continue
        if not LIST_MARKER.match(line) and (not first or line.lstrip()[:1] in {"«", '"', "“"}):
            break
        first = False
        end += len(line)
    return end


DATELINE_AFTER = re.compile(r"\s*\((?:[^()]{1,40})\)\s*[–—-]")


def _is_dateline(sent: Span, mention: DateMention) -> bool:
    """A date in the article's opening dateline, before '(AGENCY) –': when it was reported."""
    return sent.start_char < DATELINE_CHARS and bool(DATELINE_AFTER.match(sent.text, mention.end))


def _clause_verb(token: Token) -> Token | None:
    """The verb heading the clause a token belongs to."""
    current = token
    for _ in range(6):
        if _is_verb(current):
            return current
        if current.head.i == current.i:
            return None
        current = current.head
    return None


def _dates_clause(token: Token | None, trigger: Trigger, finder: EventFinder) -> bool:
    """A date dates the trigger when it sits in the trigger's clause or a clause above it, not in
    a side clause ('la création ... mise en place le 6 juillet', 'le sommet qui se tient en juillet')."""
    if token is None:
        return True
    doc = token.doc
    head = doc[trigger.head]
    date_verb = _clause_verb(token)
    trigger_verb = head if _is_verb(head) else finder._governing_verb(head)
    if date_verb is None or trigger_verb is None:
        return True
    if date_verb.i == trigger_verb.i or date_verb in trigger_verb.ancestors:
        return True
    side_clause = date_verb.dep_ in {"acl", "acl:relcl"} and date_verb.head.i != head.i
    return not side_clause


class _ArticleContext:
    """What the event finder remembers while reading one article."""

    def __init__(
        self,
        doc: Doc,
        entities: dict[str, CanonicalEntity],
        gazetteer: Gazetteer,
        lexicon: TriggerLexicon,
        reference: ResolvedDate | None,
    ) -> None:
        self.doc = doc
        self.entities = entities
        self.gazetteer = gazetteer
        self.lexicon = lexicon
        self.reference = reference
        self.today = dt.date.today()
        self.events: list[EventRecord] = []
        self._leaders: dict[str, ActorRef] | None = None

    def add(self, event: EventRecord) -> None:
        self.events.append(event)

    def last_event(self, event_type: str | None, word: str | None = None) -> EventRecord | None:
        """The latest event of a type, preferring one told with the same word ('cet entretien')."""
        recent = self.events[-LOOKBACK_EVENTS:]
        of_type = [e for e in reversed(recent) if event_type is None or e.type == event_type]
        same_word = [
            e for e in of_type if word and fold(e.trigger).split()[0].rstrip("s") == word.rstrip("s")
        ]
        candidates = same_word or of_type
        return candidates[0] if candidates else None

    def last_dated_event(self) -> EventRecord | None:
        return next((e for e in reversed(self.events[-LOOKBACK_EVENTS:]) if e.date_from_text), None)

    def roles_of(self, key: str) -> set[str]:
        entity = self.entities.get(key)
        roles = set(entity.roles) if entity else set()
        entry = self.gazetteer.get(key)
        day = self.reference.value if self.reference else None
        if entry:
            roles |= {r.role for r in entry.roles if r.held_on(day)}
        return roles

    def office_holder(self, role: str, country: str) -> ActorRef | None:
        """The one person of `country` holding `role` whom the article names."""
        holders = [
            e
            for e in self.entities.values()
            if e.label == "PER" and e.country == country and role in self.roles_of(e.key)
        ]
        if len(holders) != 1:
            return None
        person = holders[0]
        return ActorRef(person.key, person.name, person.country, "PER")

    def person_for(self, actor: ActorRef) -> ActorRef | None:
        """Who a country in talks stands for: its delegation's leader, else its one named person."""
        if actor.label != "LOC" or not actor.country:
            return None
        if self._leaders is None:
            self._leaders = self._delegation_leaders()
        return self._leaders.get(actor.country) or self.sole_person_of(actor)

    def _person_after(self, start: int, end: int) -> tuple[ActorRef, int] | None:
        """The first named person in doc[start:end] before a new clause ('celle', ';')."""
        for i in range(start, min(end, len(self.doc))):
            token = self.doc[i]
            if token.lower_ in {"celle", "celui", ";"} or (token.is_sent_start and i > start):
                return None
            if token.ent_type_ == "PER" and (entity := self.entities.get(token.ent_kb_id_)):
                return ActorRef(entity.key, entity.name, entity.country, "PER"), i
        return None

    def _country_of_token(self, token: Token) -> str | None:
        if token.ent_type_ == "LOC" and (entity := self.entities.get(token.ent_kb_id_)):
            return entity.country if entity.key == self.gazetteer.country_key.get(entity.country or "") else None
        return self.gazetteer.country_of_adjective(token.text) if token.pos_ == "ADJ" else None

    def _delegation_leaders(self) -> dict[str, ActorRef]:
        """'la délégation russe, conduite par X', 'la délégation russe est conduite par X, celle de
        l'Ukraine par Y': country → the person leading its delegation."""
        leaders: dict[str, ActorRef] = {}
        for token in self.doc:
            if fold(token.lemma_) not in self.lexicon.delegation_nouns:
                continue
            countries = (self._country_of_token(c) for c in token.children if c.dep_ in {"amod", "nmod"})
            country = next((c for c in countries if c), None)
            verbs = [c for c in token.children if c.dep_ == "acl"] + (
                [token.head] if token.dep_ == "nsubj:pass" else []
            )
            verb = next((v for v in verbs if fold(v.lemma_) in self.lexicon.leading_verbs), None)
            if country is None or verb is None:
                continue
            found = self._person_after(verb.i + 1, verb.i + 16)
            if found is None:
                continue
            leaders.setdefault(country, found[0])
            sent_end = token.sent.end
            i = found[1] + 1
            while i < sent_end - 3:  # "..., celle de l'Ukraine par Y"
                if self.doc[i].lower_ in {"celle", "celui"} and fold(self.doc[i + 1].text) in {"de", "du", "d'"}:
                    j = i + 2 + (self.doc[i + 2].pos_ == "DET")
                    other = self._country_of_token(self.doc[j]) if j < sent_end else None
                    par = next((k for k in range(j + 1, min(j + 4, sent_end)) if self.doc[k].lower_ == "par"), None)
                    nxt = self._person_after(par + 1, par + 16) if other and par else None
                    if other and nxt:
                        leaders.setdefault(other, nxt[0])
                        i = nxt[1]
                i += 1
        return leaders

    def sole_person_of(self, actor: ActorRef) -> ActorRef | None:
        """A country taking part in talks or a deal stands for the one person of that country the
        article names ('le Qatar a annoncé l'accord' ... 'le Premier ministre qatari X')."""
        if actor.label != "LOC" or not actor.country or actor.key != self.gazetteer.country_key.get(actor.country):
            return None
        people = [e for e in self.entities.values() if e.label == "PER" and e.country == actor.country]
        if len(people) != 1:
            return None
        return ActorRef(people[0].key, people[0].name, people[0].country, "PER")

    def plural_anaphor(self, tokens: list[Token]) -> list[ActorRef] | None:
        """'ils', 'les deux hommes': the participants of the last meeting or call."""
        words = tuple(fold(t.text) for t in tokens)
        for phrase in self.lexicon.plural_anaphors:
            n = len(phrase)
            if any(words[i : i + n] == phrase for i in range(len(words) - n + 1)):
                last = self.last_event("CONSULT")
                return list(last.sources + last.targets) if last else []
        return None

    def last_person_before(self, token: Token) -> ActorRef | None:
        for i in range(token.i - 1, max(-1, token.i - LOOKBACK_TOKENS), -1):
            previous = self.doc[i]
            if previous.ent_type_ == "PER" and (entity := self.entities.get(previous.ent_kb_id_)):
                return ActorRef(entity.key, entity.name, entity.country, "PER")
        return None


def _unique(actors: list[ActorRef]) -> list[ActorRef]:
    seen: set[str] = set()
    out = []
    for actor in actors:
        if actor.key not in seen:
            seen.add(actor.key)
            out.append(actor)
    return out


def _drop_represented_countries(
    sources: list[ActorRef], targets: list[ActorRef], consult: bool = True
) -> list[ActorRef]:
    """A country actor adds nothing when a person or body of that country already takes part
    (on either side for a meeting, on the same side otherwise)."""
    side = sources + targets if consult else targets
    represented = {a.country for a in side if a.label != "LOC" and a.country}
    source_keys = {a.key for a in sources}
    return [
        a for a in targets if not (a.label == "LOC" and a.country in represented) and a.key not in source_keys
    ]


def _dedupe_actors(sources: list[ActorRef], targets: list[ActorRef]) -> list[ActorRef]:
    """Sources once each, without a country its own person or body already stands for."""
    sources = _unique(sources)
    represented = {a.country for a in sources if a.label != "LOC" and a.country}
    return [a for a in sources if not (a.label == "LOC" and a.country in represented)]


def _same_event(a: EventRecord, b: EventRecord) -> bool:
    if a.type != b.type or a.context != b.context:
        return False
    if a.mode and b.mode and a.mode != b.mode:
        return False
    if a.type == "CONSULT":
        if a.actor_keys != b.actor_keys:
            return False
    elif ({x.key for x in a.sources}, {x.key for x in a.targets}) != (
        {x.key for x in b.sources},
        {x.key for x in b.targets},
    ):
        return False
    if a.date is None or b.date is None or not (a.date_from_text and b.date_from_text):
        return True  # an undated mention of the same actors repeats the dated one
    return a.date.value == b.date.value


def merge_mentions(events: list[EventRecord]) -> list[EventRecord]:
    """One event per (type, participants, date) within an article; the best-dated mention wins."""
    merged: list[EventRecord] = []
    buckets: dict[tuple[str, frozenset[str]], list[int]] = {}
    for event in events:
        bucket = buckets.setdefault((event.type, event.actor_keys), [])
        twin = next((merged[i] for i in bucket if _same_event(merged[i], event)), None)
        if twin is None:
            bucket.append(len(merged))
            merged.append(event)
            continue
        better = event if (event.date_from_text and not twin.date_from_text) else twin
        other = twin if better is event else event
        better.mode = better.mode or other.mode
        better.location = better.location or other.location
        better.merged = twin.merged + 1
        better.confidence = round(min(0.95, max(better.confidence, other.confidence) + 0.05), 2)
        merged[merged.index(twin)] = better
    return merged
