"""Which database errors make the repository retry a batch: races yes, refused data no."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError

from services.store.repository import is_retryable


def _error(kind: type, sqlstate: str | None, message: str) -> DBAPIError:
    orig = type("DriverError", (Exception,), {"sqlstate": sqlstate})(message)
    return kind("INSERT ...", {}, orig)


@pytest.mark.parametrize(
    ("error", "retryable"),
    [
        (_error(IntegrityError, "23505", "duplicate key value violates unique constraint"), True),
        (_error(IntegrityError, "23503", "violates foreign key constraint"), True),
        (_error(IntegrityError, None, "UNIQUE constraint failed: articles.content_sha256"), True),
        (_error(DBAPIError, "40P01", "deadlock detected"), True),
        (_error(OperationalError, None, "database is locked"), True),
        (_error(IntegrityError, "23502", "null value in column violates not-null constraint"), False),
        (_error(IntegrityError, None, "NOT NULL constraint failed: articles.text"), False),
        (_error(DataError, "22021", 'invalid byte sequence for encoding "UTF8": 0x00'), False),
    ],
)
def test_repository_retries_races_not_refused_data(error, retryable):
    """Insert races, deadlocks and busy databases are retried; NOT NULL violations and bad bytes are not."""
    assert is_retryable(error) is retryable
