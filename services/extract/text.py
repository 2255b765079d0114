"""Text folding shared by the gazetteer, the canonicalizer and the evaluator.

Entities are compared on a folded form so that "Goïta", "Goita" and "GOÏTA", or "l'AES" and
"l’AES", are the same string.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = str.maketrans({"’": "'", "`": "'", "ʼ": "'", "‘": "'", "\u00a0": " ", "\u202f": " "})
_NON_WORD = re.compile(r"[^a-z0-9']+")


def strip_accents(text: str) -> str:
    """'Goïta' -> 'Goita', keeping case and everything else."""
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def normalize_apostrophes(text: str) -> str:
    """Typographic apostrophes and no-break spaces to their plain ASCII forms."""
    return text.translate(_APOSTROPHES)


@lru_cache(maxsize=50_000)  # called on the same words over and over (a third of the event rules' time)
def fold(text: str) -> str:
    """Case-, accent-, apostrophe-, hyphen- and space-insensitive form used for matching."""
    folded = strip_accents(normalize_apostrophes(text)).lower()
    return _NON_WORD.sub(" ", folded).strip()


def slug(text: str) -> str:
    """Key-safe form: 'Assimi Goïta' -> 'assimi-goita'."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
