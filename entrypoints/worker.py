"""Background processes: the embedded runtime (worker threads and the scheduler thread inside the
API process) and the production worker (Dramatiq's own CLI loading ``entrypoints.worker_app``)."""

from __future__ import annotations

import fcntl
import logging
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

import dramatiq
from sqlalchemy.engine import make_url

from entrypoints.bootstrap import Container

log = logging.getLogger("wizamart.worker")

QUEUES = ("default", "long_running", "scheduled")


class EmbeddedAlreadyRunning(RuntimeError):
    """Another embedded process holds the lock of this database."""


def _lock_path(container: Container) -> Path:
    """Next to the SQLite file; under var/ for other databases (one host only)."""
    url = make_url(container.settings.database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return Path(f"{url.database}.lock")
    return Path("var") / f"embedded-{url.database or 'memory'}.lock"


def take_process_lock(container: Container) -> IO[str]:
    """Refuse a second embedded process on the same database (raises EmbeddedAlreadyRunning)."""
    path = _lock_path(container)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise EmbeddedAlreadyRunning(
            f"another embedded Wizamart process holds {path}; embedded mode runs one process "
            "(set WIZAMART_REDIS_URL and run `wizamart worker` to scale out)"
        ) from None
    handle.write(str(os.getpid()))
    handle.flush()
    return handle


class EmbeddedRuntime:
    """Worker threads on the in-memory StubBroker plus the scheduler thread, in this process.

    Queued work lives in memory and does not survive a restart; runs the database still shows
    as ``queued`` are sent again at start, and runs left ``running`` are reaped as dead and
    retried. One process only: a lock file next to the SQLite database refuses a second one.
    """

    def __init__(self, container: Container, lock: IO[str] | None = None) -> None:
        self.container = container
        self._stop = threading.Event()
        self._worker: dramatiq.Worker | None = None
        self._scheduler: threading.Thread | None = None
        self._lock_file = lock  # taken earlier by `wizamart serve`, or at start

    def start(self) -> None:
        if self._lock_file is None:
            self._lock_file = take_process_lock(self.container)
        broker = self.container.broker
        broker.emit_after("process_boot")  # or time limits silently do nothing
        self.adopt_queued_runs()
        self._worker = dramatiq.Worker(
            broker, worker_threads=self.container.settings.worker_threads, worker_timeout=100
        )
        self._worker.start()
        # The scheduler loop, then adoption of runs queued by other processes (the CLI's
        # `wizamart tasks run`/`retry` write the run; only this process has the in-memory queue).
        self._scheduler = threading.Thread(
            target=self.container.scheduler.run,
            args=(self._stop, self.container.core_config.scheduler_tick_seconds, self.adopt_queued_runs),
            name="scheduler",
            daemon=True,
        )
        self._scheduler.start()
        log.info("embedded worker and scheduler started",
                 extra={"worker_threads": self.container.settings.worker_threads})

    def adopt_queued_runs(self) -> int:
        queue = self.container.task_queue
        adopted = [run for run, message in self.container.task_runs.queued() if not queue.has_sent(message)]
        for run_id in adopted:
            queue.resend(run_id)
        return len(adopted)

    def stop(self) -> None:
        self._stop.set()
        if self._scheduler is not None:
            self._scheduler.join(timeout=10)
        if self._worker is not None:
            self._worker.stop(timeout=10_000)
        self.container.broker.emit_before("process_stop")
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None


def run_worker(queues: list[str], processes: int, threads: int) -> int:
    """Run Dramatiq's worker CLI on our broker; returns its exit code."""
    command = [
        sys.executable, "-m", "dramatiq", "entrypoints.worker_app",
        "--processes", str(processes), "--threads", str(threads), "--queues", *queues,
    ]
    return subprocess.call(command)
