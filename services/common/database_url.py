"""Database URLs as people type them, mapped to the async drivers the store runs on.

`postgresql://`, `postgres://` and the sync driver names (`+psycopg2`, `+psycopg` when psycopg 3
is not installed) become `postgresql+asyncpg://`; `sqlite:///file.db` becomes
`sqlite+aiosqlite:///file.db`; a bare path (`data/newsflow.db`) is a SQLite file. A relative SQLite
path is resolved against the working directory once, here, so every process agrees on the file.
Anything else is refused with one line saying what to type. Pure: no connection is made.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

WHAT_TO_TYPE = "use postgresql://user:password@host:5432/dbname or sqlite:///path/to/newsflow.db"
ASYNC_POSTGRES = "postgresql+asyncpg"
ASYNC_SQLITE = "sqlite+aiosqlite"
_POSTGRES_ASYNC_DRIVERS = {"asyncpg", "psycopg_async"}


class DatabaseUrlError(ValueError):
    """A database URL the store cannot use; the message says what to type instead."""


def _has_psycopg() -> bool:
    return importlib.util.find_spec("psycopg") is not None


def async_database_url(url: str) -> str:
    """The async SQLAlchemy URL the store connects with (see the module docstring)."""
    url = url.strip()
    if "://" not in url and not url.startswith("sqlite:"):
        if not url:
            raise DatabaseUrlError(f"the database URL is empty: {WHAT_TO_TYPE}")
        return f"{ASYNC_SQLITE}:///{Path(url).expanduser().resolve()}"
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        # a raw '@' or ':' in the password moves the host and port ("port '@db'"): say so, and
        # never echo a piece of the URL, which may be a piece of the password
        raise DatabaseUrlError(
            f"the database URL cannot be parsed (percent-encode @ : / # in a password): {WHAT_TO_TYPE}"
        ) from None
    backend, _, driver = parsed.drivername.partition("+")  # no dialect loaded: postgres:// has none
    if backend in ("postgresql", "postgres"):
        return _render(_postgres(parsed, driver))
    if backend == "sqlite":
        return _render(_sqlite(parsed))
    raise DatabaseUrlError(f"unsupported database {backend!r}: {WHAT_TO_TYPE}")


def _postgres(parsed: URL, driver: str) -> URL:
    if driver in _POSTGRES_ASYNC_DRIVERS:
        return parsed
    if parsed.drivername == "postgresql+psycopg" and _has_psycopg():
        return parsed  # psycopg 3 is async itself
    return parsed.set(drivername=ASYNC_POSTGRES)


def _sqlite(parsed: URL) -> URL:
    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        database = str(Path(database).expanduser().resolve())
    return parsed.set(drivername=ASYNC_SQLITE, database=database)


def _render(url: URL) -> str:
    return url.render_as_string(hide_password=False)
