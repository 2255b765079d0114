"""structlog, configured once: JSON when not on a terminal, key=value colours on one.

Handlers bind `service`, `article_id` and `trace_id` with `bind_message` and write one summary
line per handled message.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

# The password of a URL runs to the last `@` of its line: people type passwords with `/`, `@`,
# `:` or spaces in them, unencoded, and drivers accept them. Hiding too much beats showing half.
_CREDENTIALS = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)(?P<user>[^:/@\s]*):(?P<secret>[^\n]*)@", re.I)
_QUERY_SECRET = re.compile(r"(?P<key>[?&;](?:password|passwd|pwd|token|secret)=)[^&#\s]*", re.I)


def redact(text: str) -> str:
    """Hide the password of every URL in `text` (redis://u:secret@h → redis://u:***@h), and
    `password=` in query strings."""
    if "://" not in text and "=" not in text:
        return text
    text = _CREDENTIALS.sub(lambda m: f"{m['scheme']}{m['user']}:***@", text)
    return _QUERY_SECRET.sub(lambda m: f"{m['key']}***", text)


def redact_value(value: Any) -> Any:
    """`value` with every string in it redacted (lists, tuples and dicts walked)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list | tuple):
        return type(value)(redact_value(item) for item in value)
    if isinstance(value, dict):
        return {key: redact_value(item) for key, item in value.items()}
    return value


def _redact_processor(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    for key, value in event.items():
        event[key] = redact_value(value)
    return event


class RedactingFilter(logging.Filter):
    """Redacts the stdlib log records (FastStream, uvicorn, alembic) the way structlog's are."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg, record.args = redact(message), None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def configure_logging(level: str = "INFO", fmt: str = "auto") -> None:
    """Set up structlog and the stdlib root logger (FastStream logs through it)."""
    use_json = fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())
    renderer: Any = structlog.processors.JSONRenderer() if use_json else structlog.dev.ConsoleRenderer()
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            _redact_processor,  # after format_exc_info: tracebacks quote URLs too
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )
    logging.basicConfig(level=level.upper(), stream=sys.stderr, format="%(levelname)s %(name)s %(message)s")
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())


def get_logger(service: str) -> Any:
    return structlog.get_logger(service=service)


def bind_message(**fields: Any) -> None:
    """Bind per-message fields (article_id, trace_id) for every log line of this handling."""
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(**{k: v for k, v in fields.items() if v is not None})
