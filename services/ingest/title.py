"""Title: the producer's, else the page's, else the first line when it reads as a headline.

The title line stays in the text, once: a later exact repeat of it (pages often print the
headline twice) is dropped without being reported, since it is the title and not boilerplate.
Keeping it makes the text hash the same whether or not a copy carries its headline on top, and
keeps normalization idempotent: feeding a normalized text back in changes nothing.
"""

from __future__ import annotations

import re

from services.ingest.publication_date import is_date_line

MAX_TITLE_CHARS = 200
MAX_TITLE_WORDS = 30
_OPEN_ENDINGS = frozenset(".,;:")
_WORD = re.compile(r"[^\W\d_]{2,}")


def looks_like_headline(line: str, lang: str | None) -> bool:
    """Short, at least two words, not closed by a period or a colon, and not a bare date."""
    if len(line) > MAX_TITLE_CHARS or line[-1] in _OPEN_ENDINGS or line.endswith("..."):
        return False
    words = len(line.split())
    if words > MAX_TITLE_WORDS or len(_WORD.findall(line)) < 2:
        return False
    return not is_date_line(line, lang)


def title_from_text(paragraphs: list[str], lang: str | None) -> str | None:
    """The first paragraph when it reads as a headline and a body follows it."""
    if len(paragraphs) < 2 or not looks_like_headline(paragraphs[0], lang):
        return None
    return paragraphs[0]


def drop_title_repeats(paragraphs: list[str], title: str | None) -> list[str]:
    """The paragraphs with every repeat of the title after its first occurrence taken out."""
    if not title:
        return paragraphs
    key = title.casefold()
    seen = False
    kept = []
    for paragraph in paragraphs:
        if paragraph.casefold() == key:
            if seen:
                continue
            seen = True
        kept.append(paragraph)
    return kept
