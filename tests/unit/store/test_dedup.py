"""Near-duplicate detection: shingles, MinHash signatures, LSH bands, verification."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from services.store.dedup import (
    BANDS,
    NUM_PERM,
    Candidate,
    Fingerprint,
    best_match,
    candidate_probability,
    containment,
    fold,
    jaccard,
    shared_bands,
    shingles,
    signature_bytes,
    signature_from_bytes,
)
from tests.integration.store.seed_articles import republished, seed_000, seed_001, seed_articles


def test_fold_ignores_case_and_accents():
    """ "Goïta", "GOITA" and "goita" fold to the same word."""
    assert fold("Goïta") == fold("GOITA") == "goita"


def test_shingles_ignore_whitespace_and_punctuation():
    """Other spacing, line breaks and punctuation give the same shingles."""
    assert shingles("Le  ministre,\n a  parlé avec   son homologue.") == shingles(
        "le ministre a parlé avec son homologue"
    )


def test_shingles_short_text_is_one_shingle():
    """A text shorter than a shingle still has a signature."""
    assert shingles("Deux mots") == {"deux mots"}


def test_dedup_republished_seed_is_near_duplicate():
    """A seed republished with other boilerplate, whitespace and one sentence changed matches the original."""
    original, copy = Fingerprint.of(seed_000().text), Fingerprint.of(republished(seed_000()).text)
    assert jaccard(original.signature, copy.signature) >= 0.8
    assert shared_bands(original.bands, copy.bands)
    match = best_match(copy, [Candidate("orig", original.signature)], threshold=0.8)
    assert match is not None and match.original_id == "orig"
    assert match.reason.startswith("near-duplicate: jaccard 0.")


def test_dedup_seeds_000_and_001_are_not_duplicates():
    """Two articles reporting the same call in their own words are not copies of each other."""
    first, second = Fingerprint.of(seed_000().text), Fingerprint.of(seed_001().text)
    assert jaccard(first.signature, second.signature) < 0.3
    assert best_match(second, [Candidate("000", first.signature)], threshold=0.8) is None


def test_dedup_no_two_seeds_are_duplicates():
    """None of the five seeds is a near copy of another (gold: article_duplicates)."""
    prints = [Fingerprint.of(article.text) for article in seed_articles()]
    for i, first in enumerate(prints):
        for second in prints[i + 1 :]:
            assert jaccard(first.signature, second.signature) < 0.5


def test_dedup_best_match_prefers_most_similar_then_smallest_id():
    """Among several candidates above the threshold the most similar wins; ties go to the smallest id."""
    probe = Fingerprint.of(seed_000().text)
    closer = probe.signature.copy()
    farther = probe.signature.copy()
    farther[:10] += 1
    candidates = [Candidate("b", farther), Candidate("c", closer), Candidate("a", closer)]
    assert best_match(probe, candidates, threshold=0.8).original_id == "a"


def _paragraphs(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def test_dedup_shortened_wire_copy_is_found_by_containment():
    """An outlet republishes a wire story without its last third, under its own dateline: Jaccard
    falls under 0.8, but nearly all of the copy is inside the original, so it is a duplicate."""
    for article in seed_articles():
        paragraphs = _paragraphs(article.text)
        kept = paragraphs[: max(2, round(len(paragraphs) * 0.65))]
        copy = "BAMAKO (Agence) - " + "\n".join(kept) + "\n© Tous droits réservés."
        original, shortened = Fingerprint.of(article.text), Fingerprint.of(copy)
        candidate = Candidate("orig", original.signature, original.shingle_count)
        similarity = jaccard(original.signature, shortened.signature)
        match = best_match(shortened, [candidate], threshold=0.8, containment_threshold=0.9)
        assert match is not None, (article.article_id, similarity)
        if similarity < 0.8:
            assert match.contained is not None and "of the shorter text" in match.reason


def test_dedup_containment_needs_both_counts_and_enough_overlap():
    """Rows stored before counts were kept never match by containment; a Jaccard under 0.5 never
    does (the texts differ in size too much for the estimate); own-words reports stay apart."""
    first, second = Fingerprint.of(seed_000().text), Fingerprint.of(seed_001().text)
    assert best_match(second, [Candidate("000", first.signature, first.shingle_count)], 0.8, 0.9) is None
    assert containment(0.7, None, 120) is None
    assert containment(0.6, 100, 60) == 1.0  # 0.6 * 160 / 1.6 = 60 shared: all of the 60
    assert round(containment(0.5, 100, 100), 2) == 0.67


def test_dedup_other_story_from_the_same_outlet_is_not_contained():
    """Two articles of one outlet sharing its long boilerplate are not copies of each other."""
    boilerplate = (
        "Abonnez-vous à notre lettre d'information pour recevoir chaque matin l'essentiel de l'actualité "
        "africaine. Suivez-nous sur les réseaux sociaux. Tous droits de reproduction réservés. "
    )
    first = boilerplate + seed_000().text
    second = boilerplate + seed_articles()[3].text
    a, b = Fingerprint.of(first), Fingerprint.of(second)
    assert best_match(b, [Candidate("a", a.signature, a.shingle_count)], 0.8, 0.9) is None


def test_dedup_signature_bytes_round_trip():
    """A signature stored as bytes reads back identical."""
    values = Fingerprint.of("un texte quelconque pour la signature").signature
    assert np.array_equal(signature_from_bytes(signature_bytes(values)), values)
    assert len(signature_bytes(values)) == 4 * NUM_PERM


def test_dedup_banding_finds_threshold_pairs():
    """The fixed banding finds pairs at the default threshold always, shortened copies (Jaccard
    0.5 to 0.7) almost always, and unrelated texts of one subject (0.2) seldom."""
    assert candidate_probability(0.7) > 0.999
    assert candidate_probability(0.5) > 0.85
    assert candidate_probability(0.2) < 0.06


def test_dedup_band_rows_are_distinct_per_band():
    """Each band yields one (band, hash) row and bands never share a hash value."""
    bands = Fingerprint.of(seed_001().text).bands
    assert [band for band, _ in bands] == list(range(BANDS))
    assert len({value for _, value in bands}) == BANDS


@settings(max_examples=50, deadline=None)
@given(st.text(min_size=1, max_size=400))
def test_dedup_identical_texts_always_match(text):
    """Any text matches itself: same signature, same bands, similarity 1."""
    first, second = Fingerprint.of(text), Fingerprint.of(text)
    assert first.bands == second.bands
    assert best_match(first, [Candidate("same", second.signature)], threshold=1.0) is not None
