"""What the event finder remembers while reading one article: its entities, its reference date,
the events told so far, and who holds which office in it."""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from spacy.tokens import Doc, Span

from services.common.folding import fold, word_position
from services.extract.canonical import CanonicalEntity, NameLexicon
from services.extract.context import ContextWords
from services.extract.event_dates import ResolvedDate
from services.extract.events.delegations import delegation_leaders
from services.extract.events.records import ActorRef, EventRecord
from services.extract.events.words import FunctionWords
from services.extract.gazetteer import Gazetteer
from services.extract.triggers import TriggerLexicon

LOOKBACK_EVENTS = 30  # how far back "cet entretien" looks for its event


class ArticleMemory:
    """One article's state for the event rules; the lexicons ride along so rules take one argument."""

    def __init__(
        self,
        doc: Doc,
        entities: dict[str, CanonicalEntity],
        gazetteer: Gazetteer,
        lexicon: TriggerLexicon,
        names: NameLexicon,
        words: FunctionWords,
        prefixes: dict[str, str],
        context_words: ContextWords,
        reference: ResolvedDate | None,
    ) -> None:
        self.doc = doc
        self.entities = entities
        self.gazetteer = gazetteer
        self.lexicon = lexicon
        self.names = names
        self.words = words
        self.prefixes = prefixes  # nationality prefixes: 'russo' → RUS
        self.context_words = context_words  # negation, announcement, hypothesis
        self.reference = reference
        self.today = dt.date.today()
        self.events: list[EventRecord] = []
        self._leaders: dict[str, ActorRef] | None = None

    @cached_property
    def lead_place(self) -> ActorRef | None:
        """The first place the article's opening sentence names: where an event it then tells
        without naming anyone or anywhere happened (types in the lexicon's lead_place_types)."""
        opening = next(iter(self.doc.sents), None) if self.doc.has_annotation("SENT_START") else None
        places = [e for e in (opening.ents if opening is not None else []) if e.label_ == "LOC"]
        places = [e for e in places if not self._seen_from(e, places)]
        entity = next(
            (self.entities[e.kb_id_] for e in places if e.kb_id_ in self.entities and not self.is_region(e.kb_id_)),
            None,
        )
        entity = entity or self._title_place()
        return ActorRef(entity.key, entity.name, entity.country, "LOC") if entity is not None else None

    def _title_place(self) -> CanonicalEntity | None:
        """The first of the article's places its headline names ('Manifestations au Sénégal : la
        diaspora de Paris solidaire'): where the news is, when the opening sentence names none."""
        title = fold(self.doc._.newsflow_title or "")
        found = [
            (position, entity.key, entity)
            for entity in self.entities.values()
            if entity.label == "LOC" and not self.is_region(entity.key)
            for form in {fold(f) for f in (entity.name, entity.text, *entity.aliases)}
            if (position := word_position(title, form)) is not None
        ]
        return min(found, key=lambda item: item[:2])[2] if found else None

    def is_region(self, key: str) -> bool:
        """A place the gazetteer knows in no country ('Afrique', 'Sahel', 'Afrique de l'Ouest'):
        too wide to say where an event happened; towns and countries all have one."""
        entry = self.gazetteer.get(key)
        return entry is not None and entry.label == "LOC" and entry.country is None

    def _seen_from(self, place: Span, places: list[Span]) -> bool:
        """'Depuis Paris, Lyon ou Milan, la diaspora a suivi les manifestations': where it was
        watched from (a place of the list 'depuis' opens, too)."""
        if any(c.dep_ == "case" and fold(c.text) in self.words.origin_cases for c in place.root.children):
            return True
        before = place.start - 1
        while before >= 0 and self.doc[before].pos_ in {"PUNCT", "CCONJ"}:
            before -= 1
        previous = next((p for p in places if p.end - 1 == before), None)
        return previous is not None and before < place.start - 1 and self._seen_from(previous, places)

    def add(self, event: EventRecord) -> None:
        self.events.append(event)

    def replace(self, old: EventRecord, new: EventRecord) -> None:
        """Put `new` where `old` was (an earlier event the article tells more about)."""
        self.events = [new if e is old else e for e in self.events]

    def last_event(self, event_type: str | None, word: str | None = None) -> EventRecord | None:
        """The latest event of a type, preferring one told with the same word ('cet entretien')."""
        recent = self.events[-LOOKBACK_EVENTS:]
        of_type = [e for e in reversed(recent) if event_type is None or e.type == event_type]
        same_word = [e for e in of_type if word and fold(e.trigger).split()[0].rstrip("s") == word.rstrip("s")]
        candidates = same_word or of_type
        return candidates[0] if candidates else None

    def last_dated_event(self) -> EventRecord | None:
        return next((e for e in reversed(self.events[-LOOKBACK_EVENTS:]) if e.date_from_text), None)

    def roles_of(self, key: str) -> set[str]:
        """The offices an entity holds: those the article gives it, and the gazetteer's on the day."""
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
            self._leaders = delegation_leaders(self.doc, self.entities, self.gazetteer, self.lexicon, self.words)
        return self._leaders.get(actor.country) or self.sole_person_of(actor)

    def sole_person_of(self, actor: ActorRef) -> ActorRef | None:
        """A country taking part in talks or a deal stands for the one person of that country the
        article names ('le Qatar a annoncé l'accord' ... 'le Premier ministre qatari X')."""
        if actor.label != "LOC" or not actor.country or actor.key != self.gazetteer.country_key.get(actor.country):
            return None
        people = [e for e in self.entities.values() if e.label == "PER" and e.country == actor.country]
        if len(people) != 1:
            return None
        return ActorRef(people[0].key, people[0].name, people[0].country, "PER")
