"""The HTTP side of every service: /healthz (alive), /readyz (Redis and database reachable),
/metrics (Prometheus). Served by uvicorn inside the service's own event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import secrets
import socket
from collections.abc import Awaitable, Callable, Iterator

import structlog
import uvicorn
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import SecretStr

from services.common.errors import PortInUse
from services.common.logging import redact

ReadinessCheck = Callable[[], Awaitable[None]]
log = structlog.get_logger("http")


def is_authorized(authorization: str | None, token: SecretStr | None) -> bool:
    """Does the request carry the service's bearer token? Never, when it has none."""
    if token is None or authorization is None:
        return False
    return secrets.compare_digest(authorization.encode(), f"Bearer {token.get_secret_value()}".encode())


def ops_app(
    title: str, checks: dict[str, ReadinessCheck], refresh: Callable[[], Awaitable[None]] | None = None,
    token: SecretStr | None = None,
) -> FastAPI:
    """A FastAPI app with the operational endpoints; services add their own routes to it.

    A failing /readyz names the failing checks and the error's type; the error itself (which
    holds internal hosts and ports) is logged, and shown only to a caller with `token`."""
    api = FastAPI(title=title)

    @api.get("/healthz", tags=["ops"])
    async def healthz() -> dict[str, str]:
        """The process is alive."""
        return {"status": "ok"}

    @api.get("/readyz", tags=["ops"])
    async def readyz(request: Request) -> JSONResponse:
        """Every dependency answers; 503 names the ones that do not."""
        failures: dict[str, str] = {}
        details: dict[str, str] = {}
        for name, check in checks.items():
            try:
                await asyncio.wait_for(check(), timeout=2.0)
            except Exception as exc:
                failures[name] = type(exc).__name__
                details[name] = redact(f"{type(exc).__name__}: {exc}")[:300]
        if failures:
            log.warning("not ready", failures=details)
            shown = details if is_authorized(request.headers.get("authorization"), token) else failures
            return JSONResponse({"status": "unavailable", "failures": shown}, status_code=503)
        return JSONResponse({"status": "ready", "checks": sorted(checks)})

    @api.get("/metrics", tags=["ops"])
    async def metrics() -> Response:
        """Prometheus text format."""
        if refresh is not None:
            with contextlib.suppress(Exception):
                await refresh()
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return api


class _EmbeddedServer(uvicorn.Server):
    """uvicorn inside the service's loop: FastStream, not uvicorn, owns SIGINT and SIGTERM."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def bind_port(host: str, port: int, service: str) -> socket.socket:
    """Take the HTTP port now, before the service reads a single entry: a port already in use must
    fail the start-up, not kill a replica that has entries pending. Port 0 takes any free port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise PortInUse(
                f"{service}: HTTP port {port} on {host} is in use; give each replica on this host its own "
                f"NEWSFLOW_HTTP_PORT (or 0 for any free port), or NEWSFLOW_HTTP_ENABLED=false"
            ) from None
        raise
    sock.set_inheritable(True)
    return sock


class HttpServer:
    """uvicorn running an ASGI app as a task of the current event loop, on a socket bound beforehand."""

    def __init__(self, api: FastAPI, sock: socket.socket) -> None:
        host, port = sock.getsockname()[:2]
        config = uvicorn.Config(api, host=host, port=port, log_config=None, access_log=False, lifespan="off")
        self.server = _EmbeddedServer(config)
        self.socket = sock
        self.task: asyncio.Task[None] | None = None

    @property
    def port(self) -> int:
        return int(self.socket.getsockname()[1])

    async def start(self) -> None:
        self.task = asyncio.create_task(self.server.serve(sockets=[self.socket]))
        while not self.server.started and not self.task.done():
            await asyncio.sleep(0.02)
        if self.task.done():
            self.task.result()  # raises the bind error, if any

    async def stop(self) -> None:
        if self.task is None:
            return
        self.server.should_exit = True
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.task, timeout=5)
