"""Start newsflow services as separate OS processes, the way an operator runs them."""

from __future__ import annotations

import contextlib
import json
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import redis

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Pipeline:
    """A set of running service processes sharing one Redis prefix and one database."""

    env: dict[str, str]
    workdir: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)

    @property
    def prefix(self) -> str:
        return self.env["NEWSFLOW_STREAM_PREFIX"]

    def start(self, name: str, command: list[str] | None = None, *, key: str | None = None) -> None:
        """Start `newsflow run <name>` (or `command`) with its own HTTP port and log file."""
        key = key or name
        port = free_port()
        env = {**self.env, "NEWSFLOW_HTTP_PORT": str(port), "NEWSFLOW_CONSUMER_NAME": f"{key}-{uuid.uuid4().hex[:6]}"}
        log = (self.workdir / f"{key}.log").open("ab")
        self.processes[key] = subprocess.Popen(
            command or [str(BIN / "newsflow"), "run", name], env=env, cwd=self.workdir, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.ports[key] = port

    def wait_ready(self, timeout: float = 180.0) -> None:
        """Poll each service's /readyz until it answers 200."""
        deadline = time.monotonic() + timeout
        for key, port in self.ports.items():
            while True:
                process = self.processes[key]
                if process.poll() is not None:
                    raise AssertionError(f"{key} exited with {process.returncode}:\n{self.log(key)[-3000:]}")
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                        break
                if time.monotonic() > deadline:
                    raise AssertionError(f"{key} not ready in {timeout}s:\n{self.log(key)[-3000:]}")
                time.sleep(0.2)

    def log(self, key: str) -> str:
        return (self.workdir / f"{key}.log").read_text(errors="replace")

    def stop(self, key: str, sig: int = signal.SIGTERM, timeout: float = 30.0) -> int:
        process = self.processes.pop(key)
        process.send_signal(sig)
        try:
            return process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise AssertionError(f"{key} did not stop within {timeout}s after signal {sig}") from None

    def stop_all(self) -> None:
        for key in list(self.processes):
            with contextlib.suppress(AssertionError):
                self.stop(key)

    def cli(self, *args: str, stdin: bytes | None = None, timeout: float = 120.0) -> subprocess.CompletedProcess:
        return subprocess.run([str(BIN / "newsflow"), *args], env=self.env, cwd=self.workdir, input=stdin,
                              capture_output=True, timeout=timeout)

    def export(self, kind: str) -> list[dict]:
        result = self.cli("export", kind, "--format", "jsonl")
        assert result.returncode == 0, result.stderr.decode()
        return [json.loads(line) for line in result.stdout.decode().splitlines() if line.strip()]


def stream_records(client: redis.Redis, stream: str) -> list[dict]:
    """Every JSON document on `stream`, read with plain redis-py."""
    return [json.loads(fields[b"__data__"]) for _, fields in client.xrange(stream)]


def wait_for_entries(client: redis.Redis, stream: str, count: int, timeout: float = 120.0) -> list[dict]:
    deadline = time.monotonic() + timeout
    while client.xlen(stream) < count:
        if time.monotonic() > deadline:
            raise AssertionError(f"{stream}: {client.xlen(stream)} entries after {timeout}s, expected {count}")
        time.sleep(0.1)
    return stream_records(client, stream)


def delete_prefix(client: redis.Redis, prefix: str) -> None:
    """Remove every key of a test run."""
    for key in client.scan_iter(match=f"{prefix}*", count=1000):
        client.delete(key)
