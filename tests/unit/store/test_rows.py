"""The row types and the tables they are written to agree column for column."""

from __future__ import annotations

import pytest
from sqlalchemy import Table

from services.store.rows import TABLES, columns
from services.store.schema import metadata


def _written_columns(table: Table) -> set[str]:
    """The columns an insert gives: all but an autoincrement key (merges.id)."""
    return {c.name for c in table.columns if not (c.primary_key and c.autoincrement is True)}


@pytest.mark.parametrize("row_type", list(TABLES), ids=lambda row_type: row_type.__name__)
def test_rows_type_fields_are_its_table_columns(row_type):
    """Each row type has exactly its table's columns: a misspelt, missing or extra field fails here."""
    assert set(columns(row_type)) == _written_columns(TABLES[row_type])


def test_rows_every_table_has_a_row_type():
    """No table of schema.py is written without a row type."""
    assert {table.name for table in TABLES.values()} == set(metadata.tables)
