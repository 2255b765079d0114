"""Language of an article: the producer's code when given, else lingua on a sample of the text."""

from __future__ import annotations

import re
from functools import lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

# The languages a Sahel news feed carries. Fewer candidates: faster and fewer confusions.
CANDIDATES = (
    Language.FRENCH,
    Language.ENGLISH,
    Language.ARABIC,
    Language.SPANISH,
    Language.PORTUGUESE,
    Language.GERMAN,
    Language.ITALIAN,
    Language.RUSSIAN,
)
# lingua costs about 1 ms per 1,000 characters; a few hundred characters of prose are plenty.
SAMPLE_CHARS = 200
_MIN_PROSE_CHARS = 40
_LANG_CODE = re.compile(r"([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*")


@lru_cache(maxsize=1)
def detector() -> LanguageDetector:
    """The detector, built once per process on first use (not at import)."""
    return LanguageDetectorBuilder.from_languages(*CANDIDATES).build()


def producer_language(code: str | None) -> str | None:
    """A producer's language tag as a bare lower-case code ("fr-FR" -> "fr"); None if not a tag."""
    if not code:
        return None
    match = _LANG_CODE.fullmatch(code.strip())
    return match.group(1).lower() if match else None


def detect_language(paragraphs: list[str]) -> str | None:
    """ISO 639-1 code of the text's language, or None when lingua cannot tell."""
    sample = language_sample(paragraphs)
    if not sample:
        return None
    language = detector().detect_language_of(sample)
    return language.iso_code_639_1.name.lower() if language else None


def language_sample(paragraphs: list[str]) -> str:
    """Up to SAMPLE_CHARS of prose: long paragraphs first in reading order (menus and bylines
    say little about the language), whole text when nothing is long."""
    prose = [p for p in paragraphs if len(p) >= _MIN_PROSE_CHARS] or paragraphs
    taken: list[str] = []
    size = 0
    for paragraph in prose:
        taken.append(paragraph)
        size += len(paragraph) + 1
        if size >= SAMPLE_CHARS:
            break
    sample = " ".join(taken)[:SAMPLE_CHARS]
    return sample.rsplit(" ", 1)[0] if len(sample) == SAMPLE_CHARS and " " in sample else sample
