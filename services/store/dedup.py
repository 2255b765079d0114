"""Near-duplicate articles: MinHash over word shingles, LSH bands as database rows. Pure functions.

A copy republished with other boilerplate, other whitespace or a sentence changed keeps most of
its 5-word shingles, so the estimated Jaccard similarity of the two signatures stays high; two
articles that report the same facts in their own words share few shingles.

A wire story republished shorter (the last paragraphs cut, as outlets often do) keeps all its
shingles inside the original but falls under the Jaccard threshold (keeping two thirds gives
about 0.7). With the two texts' shingle counts, the Jaccard estimate J gives the overlap
|A∩B| = J·(|A|+|B|)/(1+J), hence the share of the shorter text found in the longer one; a high
share with a Jaccard of at least MIN_JACCARD_FOR_CONTAINMENT (the shorter text is at least about
half the longer) is a duplicate too.

The banding (BANDS x ROWS) is fixed, not derived from the configured threshold: the bands are a
durable index shared by every replica, and a setting change must not silently invalidate it.
32 bands of 4 rows find a pair with Jaccard 0.7 with probability 0.9998, 0.6 with 0.99 and 0.5
(a copy cut to about half) with 0.87, and a pair at 0.2 only with 0.05; the thresholds are
applied when verifying candidates against their stored signatures, which costs microseconds.
(Until migration 0002 it was 20 x 6, which missed one pair in 17 at 0.7: shortened copies.)
Changing NUM_PERM, SEED, SCHEME, SHINGLE_WORDS or the
banding, or shingle_hash, changes every signature: that needs a migration that recomputes them.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
from datasketch import MinHash

from services.common.folding import fold_case_and_accents

NUM_PERM = 128
SEED = 1
SCHEME = "affine32"  # datasketch >= 2.0; explicit so an upgrade cannot change stored signatures
SHINGLE_WORDS = 5
BANDS = 32
ROWS = 4
SIGNATURE_DTYPE = np.dtype("<u4")
MIN_JACCARD_FOR_CONTAINMENT = 0.5  # below this the estimate is too noisy, and the LSH seldom finds the pair

_WORD = re.compile(r"\w+")

# services/store/event_identity imports the shingles' folding under this name.
fold = fold_case_and_accents


def words(text: str) -> list[str]:
    return _WORD.findall(fold_case_and_accents(text))


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """Overlapping runs of `size` words; a text shorter than that is one shingle."""
    tokens = words(text)
    if len(tokens) <= size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


@cache
def _permutations() -> np.ndarray:
    """The hash permutations depend only on NUM_PERM and SEED: drawn once, not per article."""
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


def shingle_hash(shingle: bytes) -> int:
    """CRC-32 of a shingle: stable across processes, and a third of the cost of datasketch's SHA-1."""
    return zlib.crc32(shingle)


def signature(text: str) -> np.ndarray:
    """The MinHash signature of a text's shingles (NUM_PERM uint32 values)."""
    return signature_of(shingles(text))


def signature_of(text_shingles: set[str]) -> np.ndarray:
    minhash = MinHash(
        num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashfunc=shingle_hash, permutations=_permutations()
    )
    minhash.update_batch([shingle.encode("utf-8") for shingle in text_shingles])
    return np.asarray(minhash.hashvalues, dtype=SIGNATURE_DTYPE)


def signature_bytes(values: np.ndarray) -> bytes:
    return np.asarray(values, dtype=SIGNATURE_DTYPE).tobytes()


def signature_from_bytes(raw: bytes) -> np.ndarray:
    return np.frombuffer(raw, dtype=SIGNATURE_DTYPE)


def band_hashes(values: np.ndarray, bands: int = BANDS, rows_per_band: int = ROWS) -> list[tuple[int, int]]:
    """(band, signed 64-bit hash of that band's rows) for each band: the article's LSH index rows.

    The band number is hashed in too, so equal rows in different bands never collide and a
    hash alone is a usable advisory-lock key. Migrations pass their own banding.
    """
    raw = np.asarray(values, dtype=SIGNATURE_DTYPE)
    rows = []
    for band in range(bands):
        chunk = raw[band * rows_per_band : (band + 1) * rows_per_band].tobytes()
        digest = hashlib.blake2b(band.to_bytes(2, "little") + chunk, digest_size=8).digest()
        rows.append((band, int.from_bytes(digest, "little", signed=True)))
    return rows


def jaccard(first: np.ndarray, second: np.ndarray) -> float:
    """Estimated Jaccard similarity: the share of equal MinHash values."""
    return float(np.count_nonzero(np.asarray(first) == np.asarray(second))) / len(first)


def containment(similarity: float, first_count: int | None, second_count: int | None) -> float | None:
    """The estimated share of the shorter text's shingles found in the longer one (None: a count
    is unknown, as for articles stored before counts were kept)."""
    if not first_count or not second_count:
        return None
    overlap = similarity * (first_count + second_count) / (1.0 + similarity)
    return min(1.0, overlap / min(first_count, second_count))


def candidate_probability(similarity: float, bands: int = BANDS, rows: int = ROWS) -> float:
    """The chance that two texts with this Jaccard similarity share at least one band."""
    return 1.0 - (1.0 - similarity**rows) ** bands


@dataclass(frozen=True)
class Fingerprint:
    """What dedup needs of one article: its signature and its band rows."""

    signature: np.ndarray
    bands: tuple[tuple[int, int], ...]
    shingle_count: int

    @classmethod
    def of(cls, text: str) -> Fingerprint:
        text_shingles = shingles(text)
        values = signature_of(text_shingles)
        return cls(values, tuple(band_hashes(values)), len(text_shingles))


@dataclass(frozen=True)
class Candidate:
    """A stored original the LSH found: its signature and shingle count (None if stored without)."""

    article_id: str
    signature: np.ndarray
    shingle_count: int | None = None


@dataclass(frozen=True)
class NearDuplicate:
    original_id: str
    similarity: float
    contained: float | None = None

    @property
    def reason(self) -> str:
        if self.contained is None:
            return f"near-duplicate: jaccard {self.similarity:.2f} with {self.original_id}"
        return (
            f"near-duplicate: jaccard {self.similarity:.2f}, {self.contained:.0%} of the shorter text "
            f"in the other, with {self.original_id}"
        )


def near_duplicate(
    fingerprint: Fingerprint, candidate: Candidate, threshold: float, containment_threshold: float | None
) -> NearDuplicate | None:
    """The candidate as this article's original, or None: Jaccard at the threshold, or the shorter
    text contained in the longer at the containment threshold (None: Jaccard only)."""
    similarity = jaccard(fingerprint.signature, candidate.signature)
    if similarity >= threshold:
        return NearDuplicate(candidate.article_id, similarity)
    if containment_threshold is None or similarity < MIN_JACCARD_FOR_CONTAINMENT:
        return None
    contained = containment(similarity, fingerprint.shingle_count, candidate.shingle_count)
    if contained is not None and contained >= containment_threshold:
        return NearDuplicate(candidate.article_id, similarity, contained)
    return None


def best_match(
    fingerprint: Fingerprint,
    candidates: Iterable[Candidate],
    threshold: float,
    containment_threshold: float | None = None,
) -> NearDuplicate | None:
    """The most similar original (ties: the smallest id), or None when none is a duplicate."""
    matches = [
        match
        for candidate in candidates
        if (match := near_duplicate(fingerprint, candidate, threshold, containment_threshold))
    ]
    return min(matches, key=lambda m: (-m.similarity, m.original_id), default=None)


def shared_bands(first: Sequence[tuple[int, int]], second: Sequence[tuple[int, int]]) -> bool:
    return not set(first).isdisjoint(second)
