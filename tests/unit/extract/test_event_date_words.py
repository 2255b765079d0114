"""The words around an event's date come from dates_fr.yaml, not from Python literals."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import yaml

import services.common.date_grammar as date_grammar
import services.extract.event_date_mentions as event_date_mentions
import services.extract.event_dates as event_dates
from services.common.date_grammar import build_event_words, literal_alternation
from services.extract.event_dates import ResolvedDate, find_date_mentions, resolve_mention

FRENCH = {"semaine", "il y a", "heure", "après", "avant", "auparavant", "nuit", "depuis", "dès", "mois", "début"}


def _string_constants(path: Path) -> list[str]:
    """String literals of a module, docstrings left out (they may quote examples)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_event_dates_code_holds_no_french_words() -> None:
    """Regression: "la semaine", "il y a", "heures", "après", "nuit de" were regex literals in the code."""
    modules = (event_dates, event_date_mentions)
    literals = " ".join(text for module in modules for text in _string_constants(Path(module.__file__))).lower()
    assert [word for word in FRENCH if word in literals] == []


def test_event_date_words_match_as_written_with_either_apostrophe() -> None:
    """Event words get no accentless variant ("dès" is not "des") but take both apostrophes."""
    assert literal_alternation(["dès", "l'an"]) == "l'an|l’an|dès"
    assert literal_alternation(["nuit de"], loose_spaces=True) == r"nuit\s+de"


def test_event_date_words_lookups_fold_case_accents_and_apostrophes() -> None:
    """A matched "L’année" or "HEURES" finds its kind in the grammar's tables."""
    data = yaml.safe_load((date_grammar.DATA_DIR / "dates_fr.yaml").read_text(encoding="utf-8"))
    words = build_event_words(data["event_dates"])
    assert words.period_of("L’année") == "year" and words.period_of("la semaine") == "week"
    assert words.unit_of("HEURES") == "hour" and words.unit_of("ans") == "year"
    assert words.is_before("Auparavant") and not words.is_before("après")
    assert words.is_since("depuis ") and words.is_detailed("Début") and not words.is_detailed("en")


def test_event_dates_year_cue_is_not_an_article() -> None:
    """"dès 2021" dates an event to its year; "des 2021 ..." (no accent) is not read as one."""
    reference = ResolvedDate(dt.date(2024, 7, 31), "day", "article date")
    [mention] = find_date_mentions("dès 2021")
    resolved = resolve_mention(mention, reference)
    assert resolved is not None and (resolved.value, resolved.precision) == (dt.date(2021, 1, 1), "year")
    assert [m.kind for m in find_date_mentions("des 2021 soldats")] == []
