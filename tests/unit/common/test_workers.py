"""The worker supervisor (services/workers.py) on a stand-in worker: forks, restarts, stops (no model)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from services.common.settings import ExtractSettings
from services.workers import Supervisor, worker_settings

# A supervisor of two workers that each append "<index> <pid>" to a file, then wait to be stopped.
SUPERVISED = textwrap.dedent(
    """
    import os, sys, time
    from services.workers import Supervisor

    def work(index):
        with open(sys.argv[1], "a") as out:
            out.write(f"{index} {os.getpid()}\\n")
        while True:
            time.sleep(0.05)

    sys.exit(Supervisor(2, work, restart_pause_s=0).run())
    """
)


def started(path: Path) -> list[tuple[int, int]]:
    """(worker index, pid) of each worker started so far, in order."""
    if not path.exists():
        return []
    return [(int(i), int(p)) for i, p in (line.split() for line in path.read_text().splitlines() if line)]


def wait_until(condition, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not seen within {timeout}s: {what}")
        time.sleep(0.05)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def supervised(tmp_path: Path):
    log = tmp_path / "workers.txt"
    process = subprocess.Popen([sys.executable, "-c", SUPERVISED, str(log)], cwd=Path(__file__).parents[3])
    try:
        yield process, log
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for _, pid in started(log):
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_supervisor_forks_each_worker_once(supervised):
    """Two workers start, with indices 0 and 1, each a child of the supervisor."""
    process, log = supervised
    wait_until(lambda: len(started(log)) == 2, "two workers started")
    workers = started(log)
    assert sorted(index for index, _ in workers) == [0, 1]
    for _, pid in workers:
        assert Path(f"/proc/{pid}/stat").read_text().split(") ")[1].split()[1] == str(process.pid)


def test_supervisor_replaces_a_killed_worker(supervised):
    """A worker killed with SIGKILL is forked again with the same index and a new pid."""
    _, log = supervised
    wait_until(lambda: len(started(log)) == 2, "two workers started")
    index, pid = started(log)[0]
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: len(started(log)) == 3, "a replacement worker")
    replacement = started(log)[2]
    assert replacement[0] == index
    assert replacement[1] != pid
    assert alive(replacement[1])


def test_supervisor_stops_its_workers_on_sigterm(supervised):
    """SIGTERM on the supervisor stops every worker and exits 0."""
    process, log = supervised
    wait_until(lambda: len(started(log)) == 2, "two workers started")
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    wait_until(lambda: not any(alive(pid) for _, pid in started(log)), "workers gone")


def test_supervisor_needs_a_worker():
    """Zero workers is refused."""
    with pytest.raises(ValueError):
        Supervisor(0, lambda index: None)


def test_worker_settings_distinct_consumers_and_ports():
    """Each worker is its own consumer in the group and serves HTTP on its own port."""
    settings = ExtractSettings(consumer_name="host-1", http_port=8001)
    workers = [worker_settings(settings, index) for index in range(3)]
    assert [w.consumer_name for w in workers] == ["host-1-w0", "host-1-w1", "host-1-w2"]
    assert [w.http_port for w in workers] == [8001, 8002, 8003]
    assert worker_settings(ExtractSettings(http_port=0), 1).http_port == 0  # 0: any free port, for each
