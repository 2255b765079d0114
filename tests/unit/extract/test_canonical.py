"""Canonical entities on hand-built Docs: titles stripped, noise dropped, partial names linked."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc, Span

from services.extract.canonical import canonicalize, is_model_noise, load_name_lexicon, strip_titles
from services.extract.gazetteer import default_gazetteer


@pytest.fixture(scope="module")
def vocab():
    return spacy.blank("fr").vocab


def doc_with(vocab, words: list[str], ents: list[tuple[int, int, str]], pos: list[str] | None = None) -> Doc:
    """A Doc with given words, entity spans (token offsets) and optional POS tags."""
    doc = Doc(vocab, words=words, pos=pos or ["PROPN" if w[:1].isupper() else "NOUN" for w in words])
    doc.ents = [Span(doc, start, end, label=label) for start, end, label in ents]
    return doc


def canonical(doc: Doc):
    spans, entities = canonicalize(doc, default_gazetteer(), load_name_lexicon())
    return spans, entities


def test_strip_titles_removes_rank_and_determiner(vocab) -> None:
    """'le Colonel Assimi Goïta' is 'Assimi Goïta'."""
    doc = doc_with(vocab, ["le", "Colonel", "Assimi", "Goïta"], [])
    assert strip_titles(doc[0:4], load_name_lexicon()).text == "Assimi Goïta"


def test_strip_titles_rejects_office_descriptions(vocab) -> None:
    """'ministre des Affaires étrangères' names an office: no entity."""
    doc = doc_with(vocab, ["ministre", "des", "Affaires", "étrangères"], [])
    assert strip_titles(doc[0:4], load_name_lexicon()) is None


def test_is_model_noise_drops_lowercase_words(vocab) -> None:
    """A lowercase verb tagged PER ('raffermir') is a model error."""
    doc = doc_with(vocab, ["visant", "à", "raffermir"], [], pos=["VERB", "ADP", "VERB"])
    assert is_model_noise(doc[2:3], "PER")


def test_canonicalize_links_surname_to_full_name(vocab) -> None:
    """'Diop' after 'Abdoulaye Diop' in the same article is the same person (not in the gazetteer alone)."""
    words = ["Abdoulaye", "Diop", "a", "parlé", ".", "Diop", "a", "ajouté"]
    doc = doc_with(vocab, words, [(0, 2, "PER"), (5, 6, "PER")])
    _, entities = canonical(doc)
    assert list(entities) == ["per:abdoulaye-diop"]
    assert entities["per:abdoulaye-diop"].count == 2


def test_canonicalize_links_initials_to_full_name(vocab) -> None:
    """'A. Goita' is 'Assimi Goïta' when the article names him."""
    words = ["Assimi", "Goïta", "a", "dit", ".", "A.", "Goita", "affirme"]
    doc = doc_with(vocab, words, [(0, 2, "PER"), (5, 7, "PER")])
    _, entities = canonical(doc)
    assert set(entities) == {"per:assimi-goita"}
    assert set(entities["per:assimi-goita"].aliases) == {"Assimi Goïta", "A. Goita"}


def test_canonicalize_relabels_known_person_tagged_org(vocab) -> None:
    """'Lavrov' tagged ORG is the person Sergueï Lavrov."""
    doc = doc_with(vocab, ["Le", "ministre", "Lavrov", "a", "dit"], [(2, 3, "ORG")])
    spans, entities = canonical(doc)
    assert entities["per:serguei-lavrov"].label == "PER"
    assert spans[0].label_ == "PER" and spans[0].kb_id_ == "per:serguei-lavrov"


def test_canonicalize_keeps_gazetteer_place_out_of_people(vocab) -> None:
    """'Tinzaouatène' tagged PER is the Malian town."""
    doc = doc_with(vocab, ["secteur", "de", "Tinzaouatène"], [(2, 3, "PER")])
    _, entities = canonical(doc)
    assert entities["loc:tinzaouatene"].label == "LOC"
    assert entities["loc:tinzaouatene"].country == "MLI"


def test_canonicalize_gives_unknown_person_country_from_adjective(vocab) -> None:
    """'le ministre nigérien Bakary Doumbia' (unknown) is from Niger."""
    words = ["le", "ministre", "nigérien", "Moussa", "Doumbia", "a", "dit"]
    doc = doc_with(vocab, words, [(3, 5, "PER")], pos=["DET", "NOUN", "ADJ", "PROPN", "PROPN", "AUX", "VERB"])
    _, entities = canonical(doc)
    assert entities["per:moussa-doumbia"].country == "NER"


def test_canonicalize_country_from_title_across_office_name(vocab) -> None:
    """'le ministre italien des Affaires étrangères, Paolo Rossi': a title the NER tagged ORG still counts."""
    words = ["le", "ministre", "italien", "des", "Affaires", "étrangères", ",", "Paolo", "Rossi", "a", "dit"]
    pos = ["DET", "NOUN", "ADJ", "ADP", "NOUN", "ADJ", "PUNCT", "PROPN", "PROPN", "AUX", "VERB"]
    doc = doc_with(vocab, words, [(1, 6, "ORG"), (7, 9, "PER")], pos=pos)
    _, entities = canonical(doc)
    assert entities["per:paolo-rossi"].country == "ITA"


def test_canonicalize_country_from_apposition_after_name(vocab) -> None:
    """'Olga Petrova, porte-parole de la diplomatie russe,': the apposition gives the country."""
    words = ["Olga", "Petrova", ",", "porte-parole", "de", "la", "diplomatie", "russe", ",", "a", "dit"]
    pos = ["PROPN", "PROPN", "PUNCT", "NOUN", "ADP", "DET", "NOUN", "ADJ", "PUNCT", "AUX", "VERB"]
    doc = doc_with(vocab, words, [(0, 2, "PER")], pos=pos)
    _, entities = canonical(doc)
    assert entities["per:olga-petrova"].country == "RUS"


def test_canonicalize_country_from_a_later_mention(vocab) -> None:
    """A person first named bare gets the country a later title gives: '... le ministre tchadien Ali Saleh'."""
    words = ["Ali", "Saleh", "est", "arrivé", ".", "le", "ministre", "tchadien", "Ali", "Saleh", "a", "dit"]
    pos = ["PROPN", "PROPN", "AUX", "VERB", "PUNCT", "DET", "NOUN", "ADJ", "PROPN", "PROPN", "AUX", "VERB"]
    doc = doc_with(vocab, words, [(0, 2, "PER"), (8, 10, "PER")], pos=pos)
    _, entities = canonical(doc)
    assert entities["per:ali-saleh"].country == "TCD"


def test_canonicalize_country_stops_at_a_verb(vocab) -> None:
    """'le président malien a reçu Paolo Rossi': the adjective before the verb is someone else's."""
    words = ["le", "président", "malien", "a", "reçu", "Paolo", "Rossi"]
    pos = ["DET", "NOUN", "ADJ", "AUX", "VERB", "PROPN", "PROPN"]
    doc = doc_with(vocab, words, [(5, 7, "PER")], pos=pos)
    _, entities = canonical(doc)
    assert entities["per:paolo-rossi"].country is None


def test_canonicalize_maps_formal_state_name_to_country(vocab) -> None:
    """'République du Niger' and 'Niger' are one entity."""
    words = ["la", "République", "du", "Niger", "et", "le", "Niger"]
    doc = doc_with(vocab, words, [(1, 4, "LOC"), (6, 7, "LOC")])
    _, entities = canonical(doc)
    assert list(entities) == ["loc:ner"] and entities["loc:ner"].count == 2


def test_canonicalize_turns_demonyms_into_peoples(vocab) -> None:
    """'les Maliens' tagged LOC is the Malian people, not a place."""
    doc = doc_with(vocab, ["les", "Maliens", "votent"], [(1, 2, "LOC")])
    _, entities = canonical(doc)
    assert entities["misc:people-mli"].label == "MISC" and entities["misc:people-mli"].country == "MLI"


def test_strip_titles_drops_a_span_of_titles_alone(vocab) -> None:
    """'Excellence Monsieur', tagged as a person by the NER in 'Son Excellence Monsieur X', names nobody."""
    doc = doc_with(vocab, ["Excellence", "Monsieur"], [])
    assert strip_titles(doc[0:2], load_name_lexicon()) is None


def test_canonicalize_titled_name_tagged_org_is_a_person(vocab) -> None:
    """'Excellence Monsieur Abdoulaye DIOP' tagged ORG: the title says a person, the key is per:."""
    doc = doc_with(vocab, ["Son", "Excellence", "Monsieur", "Abdoulaye", "DIOP", "a", "reçu"], [(1, 5, "ORG")])
    _, entities = canonical(doc)
    assert "per:abdoulaye-diop" in entities
    assert entities["per:abdoulaye-diop"].label == "PER"
