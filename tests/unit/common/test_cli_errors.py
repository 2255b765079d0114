"""Short errors: each ordinary problem is one line saying what to do; a bug keeps its traceback."""

from __future__ import annotations

import errno

import pytest
from pydantic import ValidationError
from redis.exceptions import AuthenticationError
from redis.exceptions import ConnectionError as RedisConnectionError

from services.cli_errors import debugging, one_line, run_reporting_errors
from services.common.database_url import DatabaseUrlError
from services.common.errors import PortInUse
from services.common.settings import NewsflowSettings
from services.dlq import MalformedEntryId


def _raised(exc: BaseException) -> BaseException:
    try:
        raise exc
    except BaseException as caught:
        return caught


def test_one_line_redis_unreachable_says_what_to_set():
    """A refused Redis connection names NEWSFLOW_REDIS_URL and hides the URL's password."""
    line = one_line(RedisConnectionError("Error 111 connecting to redis://u:secret@h:6379. refused"))
    assert line is not None and "NEWSFLOW_REDIS_URL" in line and "secret" not in line
    assert "credentials" in (one_line(AuthenticationError("invalid password")) or "")


def _raised_in_module(module: str, exc: BaseException) -> BaseException:
    """`exc` raised from a function of `module` (as the database driver would)."""
    namespace = {"__name__": module, "exc": exc}
    exec(compile("def connect():\n    raise exc\n", f"{module}.py", "exec"), namespace)
    try:
        namespace["connect"]()
    except BaseException as caught:
        return caught
    raise AssertionError("unreachable")


def test_one_line_database_unreachable_when_raised_by_the_driver():
    """A refused connection raised inside the database driver is the database; elsewhere it is not claimed."""
    refused = ConnectionRefusedError(errno.ECONNREFUSED, "Connect call failed ('127.0.0.1', 5432)")
    line = one_line(_raised_in_module("asyncpg.connect_utils", refused))
    assert line is not None and line.startswith("database unreachable") and "NEWSFLOW_DATABASE_URL" in line
    assert one_line(_raised(ConnectionRefusedError(errno.ECONNREFUSED, "refused"))) is None
    missing = type("InvalidCatalogNameError", (Exception,), {})('database "news" does not exist')
    assert (one_line(_raised_in_module("asyncpg.connection", missing)) or "").startswith("database missing")
    wrong = DatabaseUrlError("unsupported database 'mysql': use postgresql://...")
    assert one_line(wrong) == "NEWSFLOW_DATABASE_URL: unsupported database 'mysql': use postgresql://..."


def test_one_line_bad_setting_names_the_variable(monkeypatch):
    """A setting that does not validate names its NEWSFLOW_ variable and the problem."""
    monkeypatch.setenv("NEWSFLOW_MAX_DELIVERIES", "many")
    with pytest.raises(ValidationError) as caught:
        NewsflowSettings()
    line = one_line(caught.value)
    assert line is not None and line.startswith("bad setting: NEWSFLOW_MAX_DELIVERIES")


def test_one_line_own_errors_and_groups():
    """newsflow's own errors are their message, also inside an exception group or as a cause."""
    assert one_line(PortInUse("ingest: HTTP port 8000 is in use")) == "ingest: HTTP port 8000 is in use"
    group = ExceptionGroup("startup", [ValueError("x"), MalformedEntryId("'abc' is not a stream entry id")])
    assert one_line(group) == "'abc' is not a stream entry id"
    try:
        try:
            raise PortInUse("port taken")
        except PortInUse as inner:
            raise RuntimeError("start-up failed") from inner
    except RuntimeError as outer:
        assert one_line(outer) == "port taken"


def test_one_line_leaves_bugs_alone():
    """A programming error is not an ordinary problem: its traceback is shown."""
    assert one_line(KeyError("article_id")) is None
    assert one_line(OSError(errno.EADDRINUSE, "Address already in use")) is not None


def test_run_reporting_errors_reports_or_reraises(monkeypatch):
    """An ordinary problem is reported and gives 1; with debugging on, or for a bug, it is raised."""
    reported: list[str] = []

    def redis_down() -> None:
        raise RedisConnectionError("refused")

    assert run_reporting_errors(redis_down, debug=lambda: False, report=reported.append) == 1
    assert len(reported) == 1
    with pytest.raises(RedisConnectionError):
        run_reporting_errors(redis_down, debug=lambda: True, report=reported.append)
    with pytest.raises(KeyError):
        run_reporting_errors(lambda: {}["x"], debug=lambda: False, report=reported.append)
    monkeypatch.setenv("NEWSFLOW_LOG_LEVEL", "debug")
    assert debugging() and not debugging.__defaults__[0]


def test_one_line_unparsable_database_url_shows_no_piece_of_it():
    """A raw '@' and ':' in a password ('0000@:9secret') move the port: the refusal says to
    percent-encode and echoes nothing of the URL (the port's text would be part of the password)."""
    with pytest.raises(ValidationError) as caught:
        NewsflowSettings(database_url="postgresql+asyncpg://news:0000@:9secret@db.example/newsflow")
    line = one_line(caught.value) or ""
    assert "NEWSFLOW_DATABASE_URL" in line and "percent-encode" in line
    assert "9secret" not in line and "db.example" not in line
