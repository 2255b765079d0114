"""Folding text so that spellings of one word compare equal. Two forms, for two jobs:

- `fold`: the form names and words are matched on (gazetteer, canonical names, trigger and
  function words): "Goïta", "Goita" and "GOÏTA", or "l'AES" and "l’AES", are one string, and
  hyphens, punctuation and runs of spaces become one space.
- `fold_case_and_accents`: casefold and strip accents, keeping punctuation and spacing: the words
  of article shingles (store/dedup.py) and of event texts. Changing it changes every stored
  MinHash signature, so it stays as it was.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = str.maketrans({"’": "'", "`": "'", "ʼ": "'", "‘": "'", "\u00a0": " ", "\u202f": " "})
_NON_WORD = re.compile(r"[^a-z0-9']+")
_COMBINING_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


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


def fold_case_and_accents(text: str) -> str:
    """Casefold and strip accents, so "Goïta" and "GOITA" are the same word; nothing else changes."""
    return _COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", text.casefold()))


def word_position(folded_text: str, form: str) -> int | None:
    """Where `form` first stands as a whole word in `folded_text` (both folded the same way), or
    None; forms under three letters are never found (they name too many things)."""
    if len(form) < 3:
        return None
    found = re.search(rf"(?<!\w){re.escape(form)}(?!\w)", folded_text)
    return found.start() if found else None


def slug(text: str) -> str:
    """Key-safe form of a folded name: 'Assimi Goïta' -> 'assimi-goita' (entity keys)."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
