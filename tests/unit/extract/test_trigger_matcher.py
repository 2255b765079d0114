"""TriggerMatcher finds what spaCy's Matcher finds, on hand-built Docs (no model)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
import spacy
from spacy.matcher import Matcher
from spacy.tokens import Doc

from services.extract.trigger_matcher import TriggerMatcher
from services.extract.triggers import load_trigger_lexicon

PATTERNS: dict[str, list[list[dict[str, Any]]]] = {
    "verb-lemma": [[{"LEMMA": {"IN": ["rencontrer", "recevoir"]}, "POS": "VERB"}]],
    "noun-word": [[{"LOWER": {"IN": ["attaque", "entretien"]}, "POS": {"NOT_IN": ["VERB", "AUX"]}}]],
    "plain-word": [[{"LOWER": "attaque"}]],
    "lemma-and-word": [[{"LEMMA": "recevoir", "LOWER": "reçu"}]],
    "phrase": [[{"LEMMA": "recevoir"}, {"LOWER": "en"}, {"LOWER": "audience"}]],
    "optional-tail": [[{"LOWER": "attaque"}, {"LOWER": "armée", "OP": "?"}]],
    "other-attribute": [[{"IS_PUNCT": True}]],
}

WORDS = ["Goïta", "a", "reçu", "en", "audience", "l'", "attaque", "armée", "et", "l'", "entretien", "."]
LEMMAS = ["Goïta", "avoir", "recevoir", "en", "audience", "le", "attaque", "armé", "et", "le", "entretien", "."]
POS = ["PROPN", "AUX", "VERB", "ADP", "NOUN", "DET", "NOUN", "ADJ", "CCONJ", "DET", "NOUN", "PUNCT"]


def doc() -> Doc:
    vocab = spacy.blank("fr").vocab
    return Doc(vocab, words=WORDS, lemmas=LEMMAS, pos=POS)


def spacy_matcher(vocab: Any, patterns: dict[str, list[list[dict[str, Any]]]]) -> Matcher:
    matcher = Matcher(vocab)
    for rule_id, rule_patterns in patterns.items():
        matcher.add(rule_id, rule_patterns)
    return matcher


def ties(matches: list[tuple[int, int, int]]) -> dict[tuple[int, int], list[int]]:
    """The match ids of each span, in the order they were returned (filter_spans keeps the first)."""
    by_span: dict[tuple[int, int], list[int]] = defaultdict(list)
    for key, start, end in matches:
        by_span[(start, end)].append(key)
    return dict(by_span)


def test_trigger_matcher_same_matches_as_spacy() -> None:
    """Every pattern kind gives the Matcher's (id, start, end) triples, in its order within a span."""
    d = doc()
    expected = spacy_matcher(d.vocab, PATTERNS)(d)
    found = TriggerMatcher(d.vocab, PATTERNS)(d)
    assert sorted(found) == sorted(expected)
    assert ties(found) == ties(expected)
    assert len(ties(found)[(6, 7)]) == 3  # noun-word, plain-word, optional-tail on 'attaque'


def test_trigger_matcher_checks_part_of_speech() -> None:
    """A word of a one-token pattern with the wrong POS is not matched."""
    d = doc()
    d[10].pos_ = "VERB"  # 'entretien' taken for a verb: noun-word must not match it
    names = {d.vocab.strings[k] for k, start, _ in TriggerMatcher(d.vocab, PATTERNS)(d) if start == 10}
    assert names == set()


def test_trigger_matcher_keeps_other_patterns_in_spacy() -> None:
    """Only one-token patterns of plain words are indexed; the rest go to spaCy's Matcher."""
    matcher = TriggerMatcher(doc().vocab, PATTERNS)
    assert len(matcher.matcher) == 3  # phrase, optional-tail, other-attribute


@pytest.mark.parametrize("text_index", range(3))
def test_trigger_matcher_lexicon_agrees_with_spacy(text_index: int) -> None:
    """The real trigger lexicon over hand-built sentences: the same matches as the Matcher."""
    sentences = [
        (["Le", "président", "a", "rencontré", "son", "homologue"], ["le", "président", "avoir", "rencontrer",
                                                                      "son", "homologue"],
         ["DET", "NOUN", "AUX", "VERB", "DET", "NOUN"]),
        (["Une", "attaque", "a", "visé", "Djibo"], ["un", "attaque", "avoir", "viser", "Djibo"],
         ["DET", "NOUN", "AUX", "VERB", "PROPN"]),
        (["Ils", "ont", "pris", "d'", "assaut", "le", "camp"], ["il", "avoir", "prendre", "de", "assaut", "le", "camp"],
         ["PRON", "AUX", "VERB", "ADP", "NOUN", "DET", "NOUN"]),
    ]
    words, lemmas, pos = sentences[text_index]
    d = Doc(spacy.blank("fr").vocab, words=words, lemmas=lemmas, pos=pos)
    patterns = load_trigger_lexicon().patterns
    expected = spacy_matcher(d.vocab, patterns)(d)
    found = TriggerMatcher(d.vocab, patterns)(d)
    assert expected  # each sentence holds a trigger
    assert sorted(found) == sorted(expected)
    assert ties(found) == ties(expected)
