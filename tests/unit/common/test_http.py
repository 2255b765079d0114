"""The ops endpoints: a failing /readyz says what failed without giving strangers internal addresses."""

from __future__ import annotations

import httpx
from pydantic import SecretStr
from redis.exceptions import ConnectionError as RedisConnectionError

from services.common.http import ops_app


async def _redis_down() -> None:
    raise RedisConnectionError("Error 111 connecting to 10.0.0.7:6379. Connection refused.")


async def _database_up() -> None:
    return None


async def _readyz(headers: dict[str, str] | None = None, token: str | None = "s3cret") -> httpx.Response:
    api = ops_app("t", {"redis": _redis_down, "database": _database_up}, token=SecretStr(token) if token else None)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=api), base_url="http://svc") as client:
        return await client.get("/readyz", headers=headers or {})


async def test_readyz_names_the_failing_check_without_host_or_port():
    """An unauthenticated caller learns which dependency failed and how, not where it lives."""
    answer = await _readyz()
    assert answer.status_code == 503
    assert answer.json() == {"status": "unavailable", "failures": {"redis": "ConnectionError"}}
    assert "10.0.0.7" not in answer.text and "6379" not in answer.text


async def test_readyz_gives_the_detail_to_a_caller_with_the_token():
    """With the service's bearer token, the failure's message is shown (passwords redacted)."""
    answer = await _readyz({"Authorization": "Bearer s3cret"})
    assert "10.0.0.7:6379" in answer.json()["failures"]["redis"]


async def test_readyz_gives_no_detail_when_the_service_has_no_token():
    """A service without a token never shows the detail, whatever the caller sends."""
    answer = await _readyz({"Authorization": "Bearer "}, token=None)
    assert "10.0.0.7" not in answer.text
