"""Short errors for ordinary problems: one line and exit 1, the traceback only when debugging.

An operator who typed a wrong URL, started a service twice or forgot to start Redis needs one
line saying what is wrong and what to do, not 400 lines of stack. `one_line` recognises those
ordinary problems (and returns None for a bug, whose traceback is shown as usual); `--debug` or
NEWSFLOW_LOG_LEVEL=DEBUG shows every traceback.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterator
from typing import Any

from pydantic import ValidationError
from redis.exceptions import AuthenticationError as RedisAuthenticationError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeout

from services.common.database_url import DatabaseUrlError
from services.common.errors import NewsflowError
from services.common.logging import redact

DATABASE_MODULES = ("asyncpg", "sqlalchemy", "aiosqlite", "sqlite3")
_DATABASE_FAULTS = ("OperationalError", "InterfaceError", "InvalidPasswordError", "InvalidCatalogNameError",
                    "InvalidAuthorizationSpecificationError", "CannotConnectNowError", "TooManyConnectionsError")


def debugging(flag: bool = False) -> bool:
    """Tracebacks wanted: --debug, or NEWSFLOW_LOG_LEVEL=DEBUG."""
    return flag or os.environ.get("NEWSFLOW_LOG_LEVEL", "").strip().upper() == "DEBUG"


def _leaves(exc: BaseException) -> Iterator[BaseException]:
    if isinstance(exc, BaseExceptionGroup):
        for inner in exc.exceptions:
            yield from _leaves(inner)
    else:
        yield exc


def _raised_in(exc: BaseException, modules: tuple[str, ...]) -> bool:
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_globals.get("__name__", "")
        if name.split(".")[0] in modules:
            return True
        tb = tb.tb_next
    return False


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return redact(text)[:300]


def _settings_line(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else "?"
        message = str(error["msg"]).removeprefix("Value error, ")
        parts.append(f"NEWSFLOW_{field.upper()}: {message}")
    return "bad setting: " + "; ".join(parts)


def _describe(exc: BaseException) -> str | None:
    if isinstance(exc, DatabaseUrlError):
        return f"NEWSFLOW_DATABASE_URL: {exc}"
    if isinstance(exc, NewsflowError):
        return str(exc)
    if isinstance(exc, ValidationError) and exc.title.endswith("Settings"):
        return _settings_line(exc)
    if isinstance(exc, RedisAuthenticationError):
        return f"Redis refused the credentials ({_reason(exc)}): check NEWSFLOW_REDIS_URL"
    if isinstance(exc, RedisConnectionError | RedisTimeout):
        return f"Redis unreachable ({_reason(exc)}): start it, or set NEWSFLOW_REDIS_URL"
    database = _raised_in(exc, DATABASE_MODULES)
    if database and (isinstance(exc, OSError) or type(exc).__name__ in _DATABASE_FAULTS):
        if "does not exist" in str(exc):
            return f"database missing ({_reason(exc)}): create it (createdb NAME), or check NEWSFLOW_DATABASE_URL"
        return f"database unreachable ({_reason(exc)}): start it, or check NEWSFLOW_DATABASE_URL"
    if isinstance(exc, OSError) and exc.errno == errno.EADDRINUSE:
        return f"address in use ({_reason(exc)}): set another NEWSFLOW_HTTP_PORT"
    return None


def one_line(exc: BaseException) -> str | None:
    """The one line an operator needs for an ordinary problem, or None for a bug."""
    for leaf in _leaves(exc):
        seen: set[int] = set()
        current: BaseException | None = leaf
        while current is not None and id(current) not in seen:  # a wrapped cause counts too
            seen.add(id(current))
            if (line := _describe(current)) is not None:
                return line
            current = current.__cause__ or current.__context__
    return None


def run_reporting_errors(command: Callable[[], Any], *, debug: Callable[[], bool],
                         report: Callable[[str], None]) -> int | None:
    """Run `command`; an ordinary problem is reported in one line and gives exit code 1."""
    try:
        command()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:
        line = one_line(exc)
        if line is None or debug():
            raise
        report(line)
        return 1
    return None
