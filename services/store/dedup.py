"""Near-duplicate articles: MinHash over word shingles, LSH bands as database rows. Pure functions.

A copy republished with other boilerplate, other whitespace or a sentence changed keeps most of
its 5-word shingles, so the estimated Jaccard similarity of the two signatures stays high; two
articles that report the same facts in their own words share few shingles.

The banding (BANDS x ROWS) is fixed, not derived from the configured threshold: the bands are a
durable index shared by every replica, and a setting change must not silently invalidate it.
20 bands of 6 rows find a pair with Jaccard 0.8 with probability 0.998 and 0.7 with 0.94,
so any threshold from ~0.65 up works; the configured threshold is applied when verifying
candidates against their stored signatures. Changing NUM_PERM, SEED, SCHEME, SHINGLE_WORDS or the
banding, or shingle_hash, changes every signature: that needs a migration that recomputes them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
SEED = 1
SCHEME = "affine32"  # datasketch >= 2.0; explicit so an upgrade cannot change stored signatures
SHINGLE_WORDS = 5
BANDS = 20
ROWS = 6
SIGNATURE_DTYPE = np.dtype("<u4")

_WORD = re.compile(r"\w+")
_COMBINING_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Casefold and strip accents, so "Goïta" and "GOITA" are the same word."""
    return _COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", text.casefold()))


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


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
    minhash = MinHash(
        num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashfunc=shingle_hash, permutations=_permutations()
    )
    minhash.update_batch([shingle.encode("utf-8") for shingle in shingles(text)])
    return np.asarray(minhash.hashvalues, dtype=SIGNATURE_DTYPE)


def signature_bytes(values: np.ndarray) -> bytes:
    return np.asarray(values, dtype=SIGNATURE_DTYPE).tobytes()


def signature_from_bytes(raw: bytes) -> np.ndarray:
    return np.frombuffer(raw, dtype=SIGNATURE_DTYPE)


def band_hashes(values: np.ndarray) -> list[tuple[int, int]]:
    """(band, signed 64-bit hash of that band's rows) for each band: the article's LSH index rows.

    The band number is hashed in too, so equal rows in different bands never collide and a
    hash alone is a usable advisory-lock key.
    """
    raw = np.asarray(values, dtype=SIGNATURE_DTYPE)
    rows = []
    for band in range(BANDS):
        chunk = raw[band * ROWS : (band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(band.to_bytes(2, "little") + chunk, digest_size=8).digest()
        rows.append((band, int.from_bytes(digest, "little", signed=True)))
    return rows


def jaccard(first: np.ndarray, second: np.ndarray) -> float:
    """Estimated Jaccard similarity: the share of equal MinHash values."""
    return float(np.count_nonzero(np.asarray(first) == np.asarray(second))) / len(first)


def candidate_probability(similarity: float, bands: int = BANDS, rows: int = ROWS) -> float:
    """The chance that two texts with this Jaccard similarity share at least one band."""
    return 1.0 - (1.0 - similarity**rows) ** bands


@dataclass(frozen=True)
class Fingerprint:
    """What dedup needs of one article: its signature and its band rows."""

    signature: np.ndarray
    bands: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, text: str) -> Fingerprint:
        values = signature(text)
        return cls(values, tuple(band_hashes(values)))


@dataclass(frozen=True)
class NearDuplicate:
    original_id: str
    similarity: float

    @property
    def reason(self) -> str:
        return f"near-duplicate: jaccard {self.similarity:.2f} with {self.original_id}"


def best_match(
    fingerprint: Fingerprint, candidates: Iterable[tuple[str, np.ndarray]], threshold: float
) -> NearDuplicate | None:
    """The most similar candidate at or above the threshold (ties: the smallest id), or None."""
    ranked = sorted(
        (-similarity, article_id)
        for article_id, values in candidates
        if (similarity := jaccard(fingerprint.signature, values)) >= threshold
    )
    if not ranked:
        return None
    negative_similarity, article_id = ranked[0]
    return NearDuplicate(article_id, -negative_similarity)


def shared_bands(first: Sequence[tuple[int, int]], second: Sequence[tuple[int, int]]) -> bool:
    return not set(first).isdisjoint(second)
