"""Database URLs as people type them: each form maps to an async driver, others get one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.common import database_url
from services.common.database_url import DatabaseUrlError, async_database_url


@pytest.mark.parametrize(("typed", "expected"), [
    ("postgresql://u:pw@db:5432/news", "postgresql+asyncpg://u:pw@db:5432/news"),
    ("postgres://u:pw@db/news", "postgresql+asyncpg://u:pw@db/news"),
    ("postgresql+psycopg2://u@db/news", "postgresql+asyncpg://u@db/news"),
    ("postgresql+asyncpg://u@db/news?ssl=require", "postgresql+asyncpg://u@db/news?ssl=require"),
    ("sqlite:////var/lib/newsflow.db", "sqlite+aiosqlite:////var/lib/newsflow.db"),
    ("sqlite+aiosqlite:////tmp/x.db", "sqlite+aiosqlite:////tmp/x.db"),
    ("sqlite://", "sqlite+aiosqlite://"),
    ("sqlite:///:memory:", "sqlite+aiosqlite:///:memory:"),
])
def test_database_url_maps_typed_forms_to_async_drivers(typed, expected):
    """postgresql://, postgres://, sync drivers and sqlite:/// become the async drivers."""
    assert async_database_url(typed) == expected


def test_database_url_psycopg_maps_to_asyncpg_unless_psycopg_is_installed(monkeypatch):
    """postgresql+psycopg:// is kept where psycopg 3 (async itself) is installed, else asyncpg."""
    monkeypatch.setattr(database_url, "_has_psycopg", lambda: False)
    assert async_database_url("postgresql+psycopg://u@db/n") == "postgresql+asyncpg://u@db/n"
    monkeypatch.setattr(database_url, "_has_psycopg", lambda: True)
    assert async_database_url("postgresql+psycopg://u@db/n") == "postgresql+psycopg://u@db/n"


def test_database_url_relative_sqlite_paths_resolve_against_the_working_directory(tmp_path, monkeypatch):
    """sqlite:///rel.db and a bare relative path name the same file, made absolute once."""
    monkeypatch.chdir(tmp_path)
    expected = f"sqlite+aiosqlite:///{tmp_path / 'data' / 'n.db'}"
    assert async_database_url("sqlite:///data/n.db") == expected
    assert async_database_url("data/n.db") == expected
    assert async_database_url("./data/n.db") == expected
    assert async_database_url(str(tmp_path / "data" / "n.db")) == expected
    assert Path(expected.split(":///", 1)[1]).is_absolute()


@pytest.mark.parametrize("typed", ["mysql://u:secret@db/news", "mongodb://db", ""])
def test_database_url_refuses_what_cannot_work_in_one_line(typed):
    """An unsupported URL gets one line saying what to type, without echoing a password."""
    with pytest.raises(DatabaseUrlError) as caught:
        async_database_url(typed)
    message = str(caught.value)
    assert "postgresql://" in message and "sqlite:///" in message
    assert "\n" not in message and "secret" not in message
