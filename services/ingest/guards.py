"""Refuse input that can never become an article: too large, or not readable text.

Each guard raises PoisonMessage with a message a person can act on; the edge dead-letters it.
"""

from __future__ import annotations

import re
import string

from services.common.errors import PoisonMessage

# Characters that say "this was not text": controls other than tab/newline/CR, the replacement
# character left by a failed decode, private use, lone surrogates and unassigned noncharacters.
_UNREADABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\ue000-\uf8ff\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
)
# Visible characters that are not letters (digits, punctuation, symbols): few in a real text, so
# counting them is much faster than counting the letters.
_VISIBLE_NON_LETTER = re.compile(r"[^\w\s]|[\d_]")

_ASCII_LETTERS = string.ascii_letters.encode()

MAX_UNREADABLE_SHARE = 0.10
MIN_LETTER_SHARE = 0.30


def check_size(body: str, max_bytes: int, what: str) -> None:
    """The body must fit in `max_bytes` bytes of UTF-8."""
    if len(body) <= max_bytes // 4:  # at most 4 bytes a character: no need to encode
        return
    size = len(body.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise PoisonMessage(f"{what} is {size:,} bytes of UTF-8, over the limit of {max_bytes:,} bytes")


def check_decodable(body: str, what: str) -> None:
    """The raw body must not be mostly bytes that never were text (binary, a failed decode)."""
    if not _UNREADABLE.search(body):
        return
    visible = _visible_chars(body)
    unreadable = len(_UNREADABLE.findall(body))
    if visible and unreadable / visible > MAX_UNREADABLE_SHARE:
        raise PoisonMessage(
            f"{what} is mostly undecodable: {unreadable} of {visible} visible characters are control "
            "or replacement characters (binary data or a wrong encoding?)"
        )


def check_readable(text: str, what: str) -> None:
    """The final text must have words: not empty, and mostly letters rather than symbols.

    Checked on the text as it goes out, so that a text re-fed to ingest is never refused.
    """
    visible = len(text) - text.count(" ") - text.count("\n")  # a normalized text has no other space
    if not visible:
        raise PoisonMessage(f"{what} is empty after normalization")
    if _ascii_letters(text) >= MIN_LETTER_SHARE * visible:  # fast path for Latin-script text
        return
    letters = visible - len(_VISIBLE_NON_LETTER.findall(text))
    if letters / visible < MIN_LETTER_SHARE:
        raise PoisonMessage(
            f"{what} has no readable words: only {letters} of {visible} visible characters are letters"
        )


def _ascii_letters(text: str) -> int:
    encoded = text.encode("utf-8", "surrogatepass")
    return len(encoded) - len(encoded.translate(None, _ASCII_LETTERS))


def _visible_chars(text: str) -> int:
    return len("".join(text.split()))
