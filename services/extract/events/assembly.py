"""One trigger in its sentence → an EventRecord: roles, mode, date, context and a confidence.

A CONSULT needs two sides (or one multilateral body, or a visitor and a place); for the types
where a country stands for its people (represented_types) the country's delegation leader or
sole named person joins it.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Span, Token

from services.common.contracts import EventContext
from services.extract.context import event_context
from services.extract.event_dates import ResolvedDate
from services.extract.events.actors import country_actor, subject_of
from services.extract.events.dating import SentenceDate, date_for
from services.extract.events.memory import ArticleMemory
from services.extract.events.records import ActorRef, EventRecord, drop_represented_countries, unique
from services.extract.events.roles import trigger_roles
from services.extract.events.syntax import governing_verb, is_verb
from services.extract.triggers import Trigger

MAX_CONFIDENCE = 0.95


def confidence(
    has_sources: bool, has_targets: bool, has_location: bool, date: ResolvedDate | None, date_from_text: bool
) -> float:
    """How sure the rules are: each filled slot adds, a date from the sentence most."""
    score = 0.4 + 0.15 * has_sources + 0.1 * has_targets + 0.1 * has_location
    score += 0.2 if date_from_text else (0.1 if date else 0.0)
    return round(min(score, MAX_CONFIDENCE), 2)


def build_event(
    trigger: Trigger,
    sent: Span,
    index: int,
    mentions: list[SentenceDate],
    anaphor: EventRecord | None,
    memory: ArticleMemory,
    heads: dict[int, Trigger] | None = None,
) -> EventRecord | None:
    """The event a trigger tells, or None when it names too few parties to be one."""
    doc = sent.doc
    head = doc[trigger.head]
    roles = trigger_roles(trigger, head, memory, trigger.type in memory.lexicon.place_types)
    sources, targets, location = roles.sources, roles.targets, roles.place
    mode = trigger.mode
    if trigger.type == "CONSULT":
        if mode == "visit" and location is not None and not targets:
            targets = [
                a
                for a in [country_actor(location.country, memory.gazetteer)]
                if a and a.key not in {s.key for s in sources}
            ]
        if mode is None and location is not None:
            mode = "meeting"
        targets = drop_represented_countries(sources, targets)
    if trigger.type in memory.lexicon.represented_types:
        sources = _with_people(sources, memory)
        targets = [a for a in _with_people(targets, memory) if a not in sources]
    context = event_context(head, memory.context_words)
    if not (sources or targets or location) and _told_as_fact(context, trigger, memory) and not recalled(head):
        location = memory.lead_place
    if not _enough_parties(trigger.type, mode, sources + targets, location):
        return None
    date, from_text, undated = date_for(trigger, mentions, anaphor, memory, heads)
    context = past_not_announced(context, date, from_text, memory)
    span = doc[trigger.start : trigger.end]
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
        context=context,
        confidence=confidence(bool(sources), bool(targets), bool(location), date, from_text),
        date_from_text=from_text,
        undated=undated,
        sentence_index=index,
    )


def past_not_announced(
    context: EventContext, date: ResolvedDate | None, from_text: bool, memory: ArticleMemory
) -> EventContext:
    """An event its own text dates to a day before the article's is not announced, whatever the
    tense: "la marche du samedi 9 août n'aura duré que quelques minutes" (a past told in the
    future perfect) is the march itself."""
    reference = memory.reference
    if not context.future or date is None or not from_text or reference is None or reference.precision != "day":
        return context
    if date.precision == "day" and date.value < reference.value:
        return context.model_copy(update={"future": False})
    return context


def recalled(head: Token) -> bool:
    """Told in the pluperfect ("une attaque avait fait cinq morts", "avaient été tués"): an earlier
    event the article recalls, not the one it reports."""
    verb = head if is_verb(head) else governing_verb(head)
    return verb is not None and any(
        c.dep_.startswith("aux") and "Imp" in c.morph.get("Tense", []) for c in verb.children
    )


def _told_as_fact(context: EventContext, trigger: Trigger, memory: ArticleMemory) -> bool:
    """An event of a lead-place type told as what happened (not denied, announced or supposed):
    the one an article names nobody for but its place ("des hommes armés ont frappé la ville")."""
    return trigger.type in memory.lexicon.lead_place_types and not (
        context.negated or context.future or context.hypothetical
    )


def _with_people(actors: list[ActorRef], memory: ArticleMemory) -> list[ActorRef]:
    """Each actor followed by the person a country stands for in talks, once each."""
    return unique([b for a in actors for b in (a, memory.person_for(a)) if b])


def _enough_parties(event_type: str, mode: str | None, parties: list[ActorRef], location: ActorRef | None) -> bool:
    """A meeting needs two sides, a body meeting alone ('le sommet de l'AES'), or a visitor and a
    place; any other event one party or a place."""
    multilateral = len(parties) == 1 and parties[0].label == "ORG"
    if event_type == "CONSULT" and len(parties) < 2 and not multilateral and not (mode == "visit" and location):
        return False
    return bool(parties) or location is not None


def with_participants(event: EventRecord, sent: Span, memory: ArticleMemory) -> EventRecord:
    """'Au cours de cette visite, le chef de la diplomatie russe et celui du Mali ont ...': the
    subjects of a sentence about an earlier meeting took part in it."""
    root = sent.root
    if not is_verb(root):
        return event
    targets = list(event.targets)
    taking_part = set(event.actor_keys)
    for actor in subject_of(root, memory, depth=1) or []:
        if actor.key not in taking_part:
            targets.append(actor)
            taking_part.add(actor.key)
    return replace(event, targets=drop_represented_countries(event.sources, targets))
