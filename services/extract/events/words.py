"""French function words the event rules read (data/function_words.yaml): prepositions that mark
a role, pronouns, clause stops. The rules name what a word does; the data file says which words."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from services.common.folding import fold

FUNCTION_WORDS_FILE = Path(__file__).resolve().parent.parent / "data" / "function_words.yaml"


@dataclass(frozen=True)
class FunctionWords:
    """One language's function words, as data/function_words.yaml documents them."""

    target_cases: frozenset[str]
    place_cases: frozenset[str]
    inner_place_cases: frozenset[str]
    place_phrase_cases: frozenset[str]
    owner_cases: frozenset[str]
    dative_cases: frozenset[str]
    agent_cases: frozenset[str]
    participation_cases: frozenset[str]
    before_trigger_not_source: frozenset[str]
    delegation_owner_cases: frozenset[str]
    origin_cases: frozenset[str]
    clause_stops: frozenset[str]
    possessives: frozenset[str]
    country_noun: str
    counterpart_noun: str
    personal_pronouns: frozenset[str]
    office_pronoun: str
    delegation_pronouns: frozenset[str]
    coordinators: frozenset[str]
    time_frames: frozenset[str]
    time_frame_words: frozenset[str]
    statement_nouns: frozenset[str]


def _words(raw: Any) -> frozenset[str]:
    return frozenset(str(word) for word in raw)


@cache
def load_function_words(path: Path = FUNCTION_WORDS_FILE) -> FunctionWords:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases = raw["cases"]
    return FunctionWords(
        target_cases=_words(cases["target"]),
        place_cases=_words(cases["place"]),
        inner_place_cases=_words(cases["inner_place"]),
        place_phrase_cases=_words(cases["place_phrase"]),
        owner_cases=_words(cases["owner"]),
        dative_cases=_words(cases["dative"]),
        agent_cases=_words(cases["agent"]),
        participation_cases=_words(cases["participation"]),
        before_trigger_not_source=_words(cases["before_trigger_not_source"]),
        delegation_owner_cases=_words(cases["delegation_owner"]),
        origin_cases=_words(cases["origin"]),
        clause_stops=_words(raw["clause_stops"]),
        possessives=_words(raw["possessives"]),
        country_noun=str(raw["country_noun"]),
        counterpart_noun=str(raw["counterpart_noun"]),
        personal_pronouns=_words(raw["personal_pronouns"]),
        office_pronoun=str(raw["office_pronoun"]),
        delegation_pronouns=_words(raw["delegation_pronouns"]),
        coordinators=_words(raw["coordinators"]),
        time_frames=_words(raw["time_frames"]),
        time_frame_words=_words(raw["time_frame_words"]),
        statement_nouns=frozenset(fold(word) for word in raw["statement_nouns"]),
    )
