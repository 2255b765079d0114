"""EventFinder: reads an article sentence by sentence and keeps the events its triggers tell."""

from __future__ import annotations

from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from services.common.folding import fold
from services.extract.canonical import CanonicalEntity, NameLexicon
from services.extract.context import ContextWords, load_context_words
from services.extract.event_dates import DateMention, find_date_mentions, infer_reference, publication_reference
from services.extract.events.anaphora import event_anaphor
from services.extract.events.assembly import build_event, with_participants
from services.extract.events.countries import nationality_prefixes
from services.extract.events.dating import SentenceDate, is_dateline, list_end, sentence_dates
from services.extract.events.memory import ArticleMemory
from services.extract.events.merging import merge_mentions
from services.extract.events.records import EventRecord
from services.extract.events.words import FunctionWords, load_function_words
from services.extract.gazetteer import Gazetteer
from services.extract.triggers import Trigger, TriggerLexicon, find_triggers


class EventFinder:
    """Callable over a Doc: the article's events (used by the newsflow_events component)."""

    def __init__(
        self,
        vocab: Vocab,
        lexicon: TriggerLexicon,
        gazetteer: Gazetteer,
        names: NameLexicon,
        words: FunctionWords | None = None,
        prefixes: dict[str, str] | None = None,
        context_words: ContextWords | None = None,
    ) -> None:
        """The language data: triggers, gazetteer, offices; function words, nationality
        prefixes and context words default to the committed files."""
        self.lexicon = lexicon
        self.gazetteer = gazetteer
        self.names = names
        self.words = words or load_function_words()
        self.prefixes = nationality_prefixes() if prefixes is None else prefixes
        self.context_words = context_words or load_context_words()
        self.matcher = lexicon.matcher(vocab)

    def __call__(self, doc: Doc) -> list[EventRecord]:
        entities: dict[str, CanonicalEntity] = doc._.newsflow_entities or {}
        published = publication_reference(doc._.newsflow_published, doc._.newsflow_published_precision)
        sentences = list(doc.sents)
        reference = infer_reference([s.text for s in sentences], published)
        doc._.newsflow_reference = reference
        memory = ArticleMemory(
            doc,
            entities,
            self.gazetteer,
            self.lexicon,
            self.names,
            self.words,
            self.prefixes,
            self.context_words,
            reference,
        )
        by_sentence: dict[int, list[Trigger]] = {}
        for trigger in find_triggers(doc, self.matcher, self.lexicon):
            by_sentence.setdefault(doc[trigger.head].sent.start, []).append(trigger)
        listed: tuple[int, list[DateMention]] = (-1, [])  # (end of a list, its intro's dates)
        for index, sent in enumerate(sentences):
            in_sentence = by_sentence.get(sent.start, [])
            if sent.start_char >= listed[0] and sent.text.rstrip().endswith(":"):
                own = [m for m in find_date_mentions(sent.text) if not is_dateline(sent, m)]
                listed = (list_end(doc.text, sent.end_char), own) if own else (-1, [])
            if not in_sentence and not any(fold(t.text) in self.lexicon.anaphoric_nouns for t in sent):
                continue
            self._read_sentence(sent, index, in_sentence, listed, memory)
        return merge_mentions(memory.events)

    def _read_sentence(
        self,
        sent: Span,
        index: int,
        in_sentence: list[Trigger],
        listed: tuple[int, list[DateMention]],
        memory: ArticleMemory,
    ) -> None:
        """Add the sentence's events to the article's memory (or its participants to the earlier
        meeting it tells more about)."""
        anaphor, anaphoric_heads = event_anaphor(sent, in_sentence, memory)
        heads = {t.head: t for t in in_sentence if t.head not in anaphoric_heads}
        mentions = sentence_dates(sent, find_date_mentions(sent.text), heads)
        if not mentions and sent.start_char < listed[0] and not sent.text.rstrip().endswith(":"):
            # "ont arrêté le 16 septembre les mesures suivantes : 1. Gel des avoirs ...": an item
            # of a list is dated by the sentence that introduces it
            mentions = [SentenceDate(mention, None, None) for mention in listed[1]]
        made = 0
        for trigger in in_sentence:
            if trigger.head in anaphoric_heads:
                continue
            event = build_event(trigger, sent, index, mentions, anaphor, memory, heads)
            if event is not None:
                memory.add(event)
                made += 1
        if anaphor is not None and anaphor.type == "CONSULT" and not made:
            memory.replace(anaphor, with_participants(anaphor, sent, memory))
