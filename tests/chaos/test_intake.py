"""Attacks on POST /articles over a real socket, against the intake served by uvicorn as ingest
serves it: a chunked body with no token, a chunked body past the limit, a body that never ends.
No Redis: what the intake enqueues goes to a list."""

from __future__ import annotations

import asyncio
import socket
import time

import pytest
from fastapi import FastAPI

from services.common.contracts import RawArticle
from services.common.http import HttpServer, bind_port
from services.common.settings import IngestSettings
from services.ingest.intake_api import add_intake
from tests.e2e.processes import free_port

pytestmark = pytest.mark.slow


async def _enqueue(articles: list[RawArticle]) -> list[str]:
    return [f"0-{i}" for i in range(len(articles))]


def _post_head(port: int, headers: str) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(f"POST /articles HTTP/1.1\r\nHost: ingest\r\nContent-Type: application/json\r\n{headers}\r\n".encode())
    return sock


def _push_chunks(sock: socket.socket, total: int) -> int:
    """Send chunked body data until `total` bytes or the server stops taking them; bytes sent."""
    sent = 0
    chunk = b"x" * 65536
    try:
        while sent < total:
            sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sent += len(chunk)
    except OSError:  # the server answered and closed the connection
        pass
    return sent


def _answer(sock: socket.socket) -> bytes:
    """What the server wrote before closing (or within the socket's timeout)."""
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except OSError:
        pass
    return data


@pytest.fixture
async def intake_port():
    port = free_port()
    config = IngestSettings(api_token="s3cret", max_body_bytes=1_000_000, body_timeout_s=1.0)
    server = HttpServer(add_intake(FastAPI(), config, _enqueue), bind_port("127.0.0.1", port, "ingest"))
    await server.start()
    try:
        yield port
    finally:
        await server.stop()


async def test_chaos_intake_chunked_body_without_token_is_refused_unread(intake_port):
    """A chunked 200 MB body with no token: 401 on the headers, the connection closed, the body not taken."""

    def attack() -> tuple[bytes, int]:
        sock = _post_head(intake_port, "Transfer-Encoding: chunked\r\n")
        sent = _push_chunks(sock, 200_000_000)
        return _answer(sock), sent

    answer, sent = await asyncio.to_thread(attack)
    assert answer.startswith(b"HTTP/1.1 401") and sent < 50_000_000


async def test_chaos_intake_chunked_body_past_the_limit_is_cut_at_the_limit(intake_port):
    """With the token, a chunked body past 1 MB: 413 and the connection closed, long before 200 MB."""

    def attack() -> tuple[bytes, int]:
        sock = _post_head(intake_port, "Authorization: Bearer s3cret\r\nTransfer-Encoding: chunked\r\n")
        sent = _push_chunks(sock, 200_000_000)
        return _answer(sock), sent

    answer, sent = await asyncio.to_thread(attack)
    assert answer.startswith(b"HTTP/1.1 413") and sent < 50_000_000


async def test_chaos_intake_slow_loris_body_gets_a_timeout(intake_port):
    """A body declared as 1000 bytes of which 10 come: 408 after the body timeout, and the socket closes."""

    def attack() -> tuple[bytes, float]:
        started = time.monotonic()
        sock = _post_head(intake_port, "Authorization: Bearer s3cret\r\nContent-Length: 1000\r\n")
        sock.sendall(b'{"text": "')
        return _answer(sock), time.monotonic() - started

    answer, elapsed = await asyncio.to_thread(attack)
    assert answer.startswith(b"HTTP/1.1 408") and elapsed < 10
