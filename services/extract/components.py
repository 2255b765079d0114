"""newsflow's spaCy components, registered with @Language.factory.

Each component is a thin shell around pure functions (canonical.py, the events package) so the logic is
testable on hand-built Docs. Per-article context (publication date) travels in Doc extensions
set before `nlp.pipe` (see pipeline.py). Components name their language data files in their
config (a file of services/extract/data/, or any path): `nlp.add_pipe("newsflow_events",
config={"triggers": "/elsewhere/triggers.yaml"})`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.pipeline.entityruler import PatternType
from spacy.tokens import Doc
from thinc.types import Ints2d

from services.extract.canonical import NameLexicon, canonicalize, load_name_lexicon
from services.extract.data import data_file
from services.extract.gazetteer import Gazetteer, gazetteer_at
from services.extract.triggers import load_trigger_lexicon

if TYPE_CHECKING:
    from services.extract.events import EventFinder

DOC_EXTENSIONS: dict[str, Any] = {
    "newsflow_published": None,  # datetime.date | None: the article's publication date
    "newsflow_published_precision": "unknown",  # day, month, year, unknown
    "newsflow_title": None,  # str | None: the article's headline (not part of the parsed text)
    "newsflow_entities": None,  # dict[str, CanonicalEntity], set by newsflow_canonical
    "newsflow_events": None,  # list[EventRecord], set by newsflow_events
    "newsflow_reference": None,  # ResolvedDate: the date sentences without one fall back to
}


def register_extensions() -> None:
    """Declare the Doc extensions once (idempotent)."""
    for name, default in DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register_extensions()


@Language.factory("newsflow_gazetteer", default_config={"overwrite_ents": False, "gazetteer": "gazetteer.yaml"})
def make_gazetteer_ruler(nlp: Language, name: str, overwrite_ents: bool, gazetteer: str) -> EntityRuler:
    """An EntityRuler fed from the gazetteer (data/gazetteer.yaml): known actors are right every time."""
    ruler = EntityRuler(nlp, name=name, overwrite_ents=overwrite_ents, phrase_matcher_attr="ORTH")
    with nlp.select_pipes(enable=[]):
        # Phrase patterns ({label, pattern, id} strings) are PatternTypes; list invariance hides it.
        ruler.add_patterns(cast(list[PatternType], gazetteer_at(data_file(gazetteer)).ruler_patterns()))
    return ruler


SENTENCE_FINAL = {".", "!", "?", "…", "...", "?!", "!?"}
CLOSING = {"»", "”", '"', ")", "’"}


def _ends_sentence(doc: Doc, i: int) -> bool:
    """Whether a sentence may start after token i: final punctuation (maybe inside closing quotes)."""
    token = doc[i]
    if token.text in SENTENCE_FINAL:
        return True
    return token.text in CLOSING and i > 0 and doc[i - 1].text in SENTENCE_FINAL


class SentenceBoundaries:
    """Sentence and entity boundaries the model must not cross.

    A paragraph break starts a sentence and can sit inside no entity (no 'Goïta\\n\\nNouvel'
    person); a sentence starts nowhere but after final punctuation or a paragraph break: the
    parser alone splits 'Niamey et Moscou ont décidé...' after 'Niamey'. Runs before the parser
    (which keeps preset sentence starts) and the NER (which puts no blocked token in an entity).
    """

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        starts = numpy.full((len(doc), 1), -1, dtype="int32")  # set in one go: the per-token setter is O(n)
        starts[0, 0] = 1
        blocked = []
        for token in doc[1:]:
            previous = doc[token.i - 1]
            breaks_paragraph = previous.is_space and "\n" in previous.text
            if (breaks_paragraph or _ends_sentence(doc, token.i - 1)) and not token.is_space:
                starts[token.i, 0] = 1
            if token.is_space and "\n" in token.text:
                blocked.append(doc[token.i : token.i + 1])
        # -1 wraps; spaCy reads it back as -1. Ints2d is thinc's typed view of a 2-D int array.
        doc.from_array([SENT_START], cast(Ints2d, starts.astype("uint64")))
        if blocked:
            doc.set_ents([], blocked=blocked, default="unmodified")
        return doc


@Language.factory("newsflow_boundaries")
def make_sentence_boundaries(nlp: Language, name: str) -> SentenceBoundaries:
    return SentenceBoundaries()


class Canonicalizer:
    """Rewrites doc.ents to cleaned, linked spans (kb_id_ = entity key) and stores the entities."""

    def __init__(self, gazetteer: Gazetteer, lexicon: NameLexicon) -> None:
        self.gazetteer = gazetteer
        self.lexicon = lexicon

    def __call__(self, doc: Doc) -> Doc:
        spans, entities = canonicalize(doc, self.gazetteer, self.lexicon)
        doc.set_ents(spans, default="outside")
        doc._.newsflow_entities = entities
        return doc


@Language.factory("newsflow_canonical", default_config={"gazetteer": "gazetteer.yaml", "names": "names.yaml"})
def make_canonicalizer(nlp: Language, name: str, gazetteer: str, names: str) -> Canonicalizer:
    return Canonicalizer(gazetteer_at(data_file(gazetteer)), load_name_lexicon(data_file(names)))


class EventExtractor:
    """Finds PLOVER events (trigger lexicon), their actors, place, context and date."""

    def __init__(self, finder: EventFinder) -> None:
        self.finder = finder

    def __call__(self, doc: Doc) -> Doc:
        doc._.newsflow_events = self.finder(doc)
        return doc


@Language.factory(
    "newsflow_events",
    default_config={
        "triggers": "triggers.yaml",
        "gazetteer": "gazetteer.yaml",
        "names": "names.yaml",
        "function_words": "function_words.yaml",
        "nationality_prefixes": "nationality_prefixes.yaml",
        "event_context": "event_context.yaml",
    },
)
def make_event_extractor(
    nlp: Language,
    name: str,
    triggers: str,
    gazetteer: str,
    names: str,
    function_words: str,
    nationality_prefixes: str,
    event_context: str,
) -> EventExtractor:
    from services.extract.context import load_context_words
    from services.extract.events import EventFinder  # events imports dates; keep import light
    from services.extract.events.countries import nationality_prefixes as load_prefixes
    from services.extract.events.words import load_function_words

    finder = EventFinder(
        nlp.vocab,
        load_trigger_lexicon(data_file(triggers)),
        gazetteer_at(data_file(gazetteer)),
        load_name_lexicon(data_file(names)),
        load_function_words(data_file(function_words)),
        load_prefixes(data_file(nationality_prefixes)),
        load_context_words(data_file(event_context)),
    )
    return EventExtractor(finder)
