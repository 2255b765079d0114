"""Context flags on hand-built parses: negation, announcement (future), hypothesis."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from services.extract.context import event_context


@pytest.fixture(scope="module")
def vocab():
    return spacy.blank("fr").vocab


def parsed(vocab, rows: list[tuple[str, str, str, int, str, str]]) -> Doc:
    """rows: (word, lemma, pos, head index, dep, morph)."""
    words, lemmas, pos, heads, deps, morphs = zip(*rows, strict=True)
    return Doc(
        vocab,
        words=list(words),
        lemmas=list(lemmas),
        pos=list(pos),
        heads=list(heads),
        deps=list(deps),
        morphs=list(morphs),
    )


def test_event_context_marks_ne_pas_as_negated(vocab) -> None:
    """'Goïta n'a pas rencontré Tiani' is a denied meeting."""
    doc = parsed(
        vocab,
        [
            ("Goïta", "Goïta", "PROPN", 4, "nsubj", ""),
            ("n'", "ne", "ADV", 4, "advmod", "Polarity=Neg"),
            ("a", "avoir", "AUX", 4, "aux:tense", "Tense=Pres"),
            ("pas", "pas", "ADV", 4, "advmod", "Polarity=Neg"),
            ("rencontré", "rencontrer", "VERB", 4, "ROOT", "VerbForm=Part"),
            ("Tiani", "Tiani", "PROPN", 4, "obj", ""),
        ],
    )
    assert event_context(doc[4]).negated


def test_event_context_reads_litotes_as_affirmation(vocab) -> None:
    """'n'a cessé d'accuser' affirms the accusation."""
    doc = parsed(
        vocab,
        [
            ("Paris", "Paris", "PROPN", 3, "nsubj", ""),
            ("n'", "ne", "ADV", 3, "advmod", "Polarity=Neg"),
            ("a", "avoir", "AUX", 3, "aux:tense", "Tense=Pres"),
            ("cessé", "cesser", "VERB", 3, "ROOT", "VerbForm=Part"),
            ("d'", "de", "ADP", 5, "mark", ""),
            ("accuser", "accuser", "VERB", 3, "xcomp", "VerbForm=Inf"),
            ("Bamako", "Bamako", "PROPN", 5, "obj", ""),
        ],
    )
    assert not event_context(doc[5]).negated


def test_event_context_marks_future_tense(vocab) -> None:
    """'Lavrov se rendra à Moscou' is announced, not done."""
    doc = parsed(
        vocab,
        [
            ("Lavrov", "Lavrov", "PROPN", 2, "nsubj", ""),
            ("se", "se", "PRON", 2, "expl:comp", ""),
            ("rendra", "rendre", "VERB", 2, "ROOT", "Tense=Fut|VerbForm=Fin"),
            ("à", "à", "ADP", 4, "case", ""),
            ("Moscou", "Moscou", "PROPN", 2, "obl:arg", ""),
        ],
    )
    assert event_context(doc[2]).future


def test_event_context_marks_aller_infinitive_as_future(vocab) -> None:
    """'va signer' is announced."""
    doc = parsed(
        vocab,
        [
            ("Niamey", "Niamey", "PROPN", 2, "nsubj", ""),
            ("va", "aller", "AUX", 2, "aux:tense", "Tense=Pres|VerbForm=Fin"),
            ("signer", "signer", "VERB", 2, "ROOT", "VerbForm=Inf"),
            ("un", "un", "DET", 4, "det", ""),
            ("accord", "accord", "NOUN", 2, "obj", ""),
        ],
    )
    assert event_context(doc[2]).future


def test_event_context_marks_conditional_as_hypothetical(vocab) -> None:
    """'la CEDEAO pourrait sanctionner' is a possibility."""
    doc = parsed(
        vocab,
        [
            ("la", "le", "DET", 1, "det", ""),
            ("CEDEAO", "CEDEAO", "PROPN", 3, "nsubj", ""),
            ("pourrait", "pouvoir", "AUX", 3, "aux", "Mood=Cnd|VerbForm=Fin"),
            ("sanctionner", "sanctionner", "VERB", 3, "ROOT", "VerbForm=Inf"),
            ("Niamey", "Niamey", "PROPN", 3, "obj", ""),
        ],
    )
    context = event_context(doc[3])
    assert context.hypothetical and not context.negated


def test_event_context_plain_past_has_no_flags(vocab) -> None:
    """'Tiani a reçu Goïta' is a plain fact."""
    doc = parsed(
        vocab,
        [
            ("Tiani", "Tiani", "PROPN", 2, "nsubj", ""),
            ("a", "avoir", "AUX", 2, "aux:tense", "Tense=Pres|VerbForm=Fin"),
            ("reçu", "recevoir", "VERB", 2, "ROOT", "Tense=Past|VerbForm=Part"),
            ("Goïta", "Goïta", "PROPN", 2, "obj", ""),
        ],
    )
    context = event_context(doc[2])
    assert not (context.negated or context.future or context.hypothetical)
