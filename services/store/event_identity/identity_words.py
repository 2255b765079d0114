"""The words event identity reads (identity_stopwords.yaml beside the store): stopwords of the
text agreement, regions that are no towns, function words acronyms skip."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

_STOPWORDS_FILE = Path(__file__).resolve().parent.parent / "identity_stopwords.yaml"


@cache
def identity_words() -> dict:  # type: ignore[type-arg]
    """identity_stopwords.yaml, read once: stopwords, regions that are no towns, acronym skips."""
    return yaml.safe_load(_STOPWORDS_FILE.read_text(encoding="utf-8")) or {}
