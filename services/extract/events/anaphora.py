"""What a pronoun or a demonstrative points back at: the last person named, the participants of
the last meeting ('ils', 'les deux hommes'), the earlier event ('cet appel', 'cette occasion')."""

from __future__ import annotations

from spacy.tokens import Span, Token

from services.common.folding import fold
from services.extract.events.memory import ArticleMemory
from services.extract.events.records import ActorRef, EventRecord
from services.extract.triggers import Trigger

LOOKBACK_TOKENS = 400  # how far back a pronoun looks for its person


def last_person_before(token: Token, memory: ArticleMemory) -> ActorRef | None:
    """The nearest person named before the token ('il', 'elle')."""
    doc = memory.doc
    for i in range(token.i - 1, max(-1, token.i - LOOKBACK_TOKENS), -1):
        previous = doc[i]
        if previous.ent_type_ == "PER" and (entity := memory.entities.get(previous.ent_kb_id_)):
            return ActorRef(entity.key, entity.name, entity.country, "PER")
    return None


def plural_anaphor(tokens: list[Token], memory: ArticleMemory) -> list[ActorRef] | None:
    """'ils', 'les deux hommes': the participants of the last meeting or call; None if no such words."""
    words = tuple(fold(t.text) for t in tokens)
    for phrase in memory.lexicon.plural_anaphors:
        n = len(phrase)
        if any(words[i : i + n] == phrase for i in range(len(words) - n + 1)):
            last = memory.last_event("CONSULT")
            return list(last.sources + last.targets) if last else []
    return None


def event_anaphor(sent: Span, triggers: list[Trigger], memory: ArticleMemory) -> tuple[EventRecord | None, set[int]]:
    """The earlier event a demonstrative points at ('cet appel', 'cette occasion') and the
    trigger heads that are such back-references (they make no new event)."""
    lexicon = memory.lexicon
    referenced: EventRecord | None = None
    anaphoric_heads: set[int] = set()
    by_head = {t.head: t for t in triggers}
    for token in sent:
        if token.pos_ not in {"NOUN", "PROPN"}:
            continue
        determiners = {fold(c.text) for c in token.children if c.dep_ == "det"}
        if not determiners & lexicon.anaphoric_determiners:
            continue
        trigger = by_head.get(token.i)
        if trigger is None and fold(token.text) not in lexicon.anaphoric_nouns:
            continue
        wanted = trigger.type if trigger else None
        candidate = memory.last_event(wanted, word=fold(token.text))
        if candidate is not None:
            referenced = referenced or candidate
            if trigger is not None:
                anaphoric_heads.add(token.i)
    return referenced, anaphoric_heads
