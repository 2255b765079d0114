"""The door of POST /articles, before FastAPI reads anything: the bearer token, then the body as
it streams in.

FastAPI reads the whole body before it runs a dependency, so a token check there comes after a
stranger's 300 MiB are in memory. This ASGI middleware checks the token on the headers alone,
counts the body's bytes as they arrive (413 at the limit, Content-Length or not) and gives the
body `timeout_s` to arrive in full (408: a body that never finishes no longer holds a connection).
The body it read is then handed to the app unchanged.
"""

from __future__ import annotations

import asyncio
import json

from pydantic import SecretStr
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.common.http import is_authorized


class BodyTooLarge(Exception):
    """The body went over the limit while it was arriving."""


class ClientGone(Exception):
    """The client disconnected before its body was complete."""


def token_matches(authorization: str | None, token: SecretStr | None) -> bool:
    """Does the Authorization header carry `Bearer <token>`? Always true when no token is set."""
    return token is None or is_authorized(authorization, token)


async def read_body(receive: Receive, max_bytes: int) -> bytes:
    """The request body, counted chunk by chunk: BodyTooLarge as soon as it passes `max_bytes`."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientGone
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > max_bytes:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


class IntakeGuard:
    """ASGI middleware guarding POST requests to `path` (see the module docstring)."""

    def __init__(self, app: ASGIApp, *, path: str, max_bytes: int, timeout_s: float, token: SecretStr | None) -> None:
        self.app = app
        self.path = path
        self.max_bytes = max_bytes
        self.timeout_s = timeout_s
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if not token_matches(headers.get("authorization"), self.token):
            await _answer(send, 401, "missing or wrong bearer token", [(b"www-authenticate", b"Bearer")])
            return
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await _answer(send, 413, f"body of {int(declared)} bytes is over the {self.max_bytes}-byte limit")
            return
        try:
            body = await asyncio.wait_for(read_body(receive, self.max_bytes), self.timeout_s)
        except BodyTooLarge:
            await _answer(send, 413, f"body is over the {self.max_bytes}-byte limit")
            return
        except TimeoutError:
            await _answer(send, 408, f"body not received within {self.timeout_s:g} s")
            return
        except ClientGone:
            return
        await self.app(scope, _replay(body, receive), send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that gives the app the body read, then whatever the client sends next (disconnect)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


async def _answer(send: Send, status: int, detail: str, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    """A JSON error, and the connection closed: the rest of an unread body is not waited for."""
    content = json.dumps({"detail": detail}).encode()
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(content)).encode()),
                    (b"connection", b"close"), *(headers or [])],
    })
    await send({"type": "http.response.body", "body": content})
