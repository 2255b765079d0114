"""Text normalization: one spelling for the same text, so hashes and rules see the same characters.

What it does, in order: repairs encoding damage (mojibake, HTML entities, C1 controls), NFC, one
form for apostrophes/quotes/dashes/spaces (a NUL is a space: "Le<NUL>ministre" is two words), drops
invisible and control characters, strips and collapses spaces in each line, rejoins hard-wrapped
lines, and lays the text out as paragraphs separated by exactly one blank line. French guillemets
« » are kept as they are.

Every non-empty line of the input is a paragraph unless it is the continuation of a hard-wrapped
line (the previous line has no closing punctuation and this one starts in lower case). So the
same article gives the same text whether its source put one or two line breaks between paragraphs.
"""

from __future__ import annotations

import html
import re
import unicodedata

import ftfy
from ftfy.fixes import fix_c1_controls

PARAGRAPH_BREAK = "\n\n"

_SPACES = "\x00\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_INVISIBLE = (
    "\u00ad\u180e\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff"
)
_LINE_BREAKS = "\r\x0b\x0c\x85\u2028\u2029"
_CONTROLS = "".join(chr(c) for c in [*range(0x01, 0x09), *range(0x0E, 0x20), *range(0x7F, 0xA0)] if c != 0x85)

_TYPOGRAPHY: dict[str, str] = {
    **dict.fromkeys(_SPACES, " "),
    **dict.fromkeys(_INVISIBLE, ""),
    **dict.fromkeys(_LINE_BREAKS, "\n"),
    **dict.fromkeys(_CONTROLS, ""),
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"'),
    **dict.fromkeys("\u2012\u2014\u2015\u2e3a\u2e3b\ufe58\ufe63", "\u2013"),  # and \u2013 stays
    **dict.fromkeys("\u2010\u2011", "-"),
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}
# A regex over the few characters to change is ~10x faster than str.translate on non-ASCII text.
_TYPOGRAPHY_CHARS = re.compile("[" + re.escape("".join(sorted(_TYPOGRAPHY))) + "]")

_SURROGATE = re.compile("[\ud800-\udfff]")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# UTF-8 read as Latin-1/cp1252: a lead byte followed by a continuation byte (U+0080..U+00BF or its
# cp1252 spelling). Lead bytes of Latin, Greek, Cyrillic, Arabic (Â..ß) and of punctuation (â, ã,
# ï: ’ “ – …); not é è à ç..., the leads of CJK, which legitimately stand before « or ».
# Cheap to test; ftfy (about 1 ms an article) runs only when this matches.
_MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00df\u00e2\u00e3\u00ef][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
_C1 = re.compile("[\u0080-\u009f]")
_SURROGATE_OR_C1 = re.compile("[\ud800-\udfff\u0080-\u009f]")
_SPACE_RUN = re.compile(" {2,}")
_CLOSING = frozenset('.!?…:;»")]')
_MAX_PASSES = 4


def normalize_text(text: str) -> str:
    """The normalized form of `text`: repaired, one typography, paragraphs one blank line apart.

    Idempotent. The repairs can feed each other (an entity that decodes to an invisible character
    that hides another entity...), so while a result still looks damaged the pass is repeated.
    """
    for _ in range(_MAX_PASSES):
        normalized = _layout(_repair(text) if _needs_repair(text) else text)
        if normalized == text or not _looks_damaged(normalized):
            return normalized
        text = normalized
    return text


def normalize_line(line: str) -> str:
    """One line normalized (a title, a name): same characters as the text, on one line."""
    return " ".join(normalize_text(line).split())


def split_paragraphs(text: str) -> list[str]:
    """The paragraphs of a normalized text."""
    return [paragraph for paragraph in text.split(PARAGRAPH_BREAK) if paragraph]


def join_paragraphs(paragraphs: list[str]) -> str:
    return PARAGRAPH_BREAK.join(paragraphs)


def _layout(text: str) -> str:
    """NFC, one typography, clean lines grouped into paragraphs. Idempotent on its own output."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n")
    text = _TYPOGRAPHY_CHARS.sub(lambda match: _TYPOGRAPHY[match.group()], text)
    text = unicodedata.normalize("NFC", text)
    return join_paragraphs(_paragraphs_of(text.split("\n")))


def _needs_repair(text: str) -> bool:
    return bool(_SURROGATE_OR_C1.search(text)) or _looks_damaged(text)


def _looks_damaged(text: str) -> bool:
    """Mojibake or entities: what a laid-out text (no surrogates, no controls left) may still hold."""
    return bool(("&" in text and _ENTITY.search(text)) or _MOJIBAKE_HINT.search(text))


def _repair(text: str) -> str:
    """Undo the usual damage: lone surrogates, HTML entities, mojibake, C1 control characters."""
    text = _SURROGATE.sub("\ufffd", text)
    if "&" in text:
        text = _unescape_entities(text)
    if _MOJIBAKE_HINT.search(text):
        text = ftfy.fix_encoding(text)
    if _C1.search(text):
        text = fix_c1_controls(text.replace("\x85", "\n"))
    return text


def _unescape_entities(text: str) -> str:
    """Decode well-formed entities (`&amp;`, `&#8217;`) until none is left; bare `&` stays."""
    while True:
        decoded = _ENTITY.sub(lambda match: html.unescape(match.group()), text)
        if decoded == text:
            return text
        text = decoded


def _paragraphs_of(lines: list[str]) -> list[str]:
    """Clean lines grouped into paragraphs: a blank line or a new line ends a paragraph,
    except a hard-wrap continuation, which is joined to the line before."""
    paragraphs: list[str] = []
    previous_blank = True
    for raw_line in lines:
        line = raw_line.strip()
        if "  " in line:
            line = _SPACE_RUN.sub(" ", line)
        if not line:
            previous_blank = True
            continue
        if not previous_blank and paragraphs and _continues(paragraphs[-1], line):
            paragraphs[-1] = f"{paragraphs[-1]} {line}"
        else:
            paragraphs.append(line)
        previous_blank = False
    return paragraphs


def _continues(previous: str, line: str) -> bool:
    """A hard-wrapped line: the previous line is not closed and this one starts in lower case."""
    return previous[-1] not in _CLOSING and line[0].islower()
