"""CSV export: text a spreadsheet would run as a formula comes out as text (CSV injection)."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.store.export import FORMULA_STARTS, neutralise_formula, write_csv


def _written(rows: list[dict]) -> list[dict]:
    out = io.StringIO()
    write_csv(rows, out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


@pytest.mark.parametrize("value", ['=HYPERLINK("http://evil.example","clic")', "+1+cmd|' /C calc'!A0", "-2+3",
                                   "@SUM(A1:A2)", "\t=1", "\r=1"])
def test_write_csv_neutralises_formulas_in_text_cells(value):
    """A cell starting with =, +, -, @, tab or CR gets a leading quote; the text is kept after it."""
    [row] = _written([{"article_id": "a1", "external_id": value, "sources": 2}])
    assert row["external_id"] == f"'{value}" and row["article_id"] == "a1" and row["sources"] == "2"


def test_write_csv_leaves_numbers_and_nested_fields_alone():
    """Negative numbers stay numbers, JSON cells stay JSON."""
    [row] = _written([{"confidence": -0.5, "actors": [{"name": "=x"}]}])
    assert row["confidence"] == "-0.5" and row["actors"] == '[{"name": "=x"}]'


@given(st.text(max_size=30))
def test_neutralise_formula_only_touches_formula_starts(text):
    """Exactly the texts starting with a formula character change, and only by a leading quote."""
    result = neutralise_formula(text)
    if text.startswith(FORMULA_STARTS):
        assert result == "'" + text
    else:
        assert result == text
