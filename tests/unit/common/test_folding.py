"""The two folded forms: the matching form of names and words, and the shingles' form."""

from __future__ import annotations

from services.common.folding import fold, fold_case_and_accents, slug, word_position
from services.store import dedup


def test_fold_makes_spellings_of_one_name_equal() -> None:
    """Case, accents, typographic apostrophes, hyphens and spacing do not matter for matching."""
    assert fold("GOÏTA") == fold("Goita") == "goita"
    assert fold("l’AES") == fold("l'AES") == "l'aes"
    assert fold("russo-ukrainiens,  demain") == "russo ukrainiens demain"
    assert fold(";") == ""


def test_fold_case_and_accents_keeps_punctuation_and_spacing() -> None:
    """The shingles' form only casefolds and strips accents ('ß' casefolds to 'ss')."""
    assert fold_case_and_accents("Goïta, à  Bamako.") == "goita, a  bamako."
    assert fold_case_and_accents("Straße") == "strasse"
    assert fold_case_and_accents("l’AES") == "l’aes"


def test_fold_case_and_accents_is_what_dedup_shingles_use() -> None:
    """store/dedup's words come from the shingles' form, so stored signatures do not change."""
    assert dedup.fold is fold_case_and_accents
    assert dedup.words("L’Élysée a reçu Goïta.") == ["l", "elysee", "a", "recu", "goita"]


def test_slug_is_a_key_safe_folded_name() -> None:
    """'Assimi Goïta' → 'assimi-goita'."""
    assert slug("Assimi Goïta") == "assimi-goita"
    assert slug("  l'AES ") == "l-aes"


def test_word_position_finds_whole_words_only():
    assert word_position("manifestations au senegal : la diaspora de paris", "paris") == 43
    assert word_position("manifestations au senegal", "senegal") == 18
    assert word_position("parisiens en colere", "paris") is None  # part of a word
    assert word_position("au mali", "ml") is None  # two letters name too many things
