"""Dramatiq behind the TaskQueue port: the broker, one actor per TaskSpec, and the middleware
that records every run in ``core_task_runs``."""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
import traceback
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import dramatiq
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import CurrentMessage, Middleware, SkipMessage, default_middleware

from adapters.sql.task_runs import TaskRunStore
from application.shared.context import TaskContext
from application.shared.modules import ModuleRegistry, TaskSpec
from application.shared.tasks import TaskCancelled
from domain.core.model import TaskState
from domain.shared.errors import NotFound, ValidationFailed

log = logging.getLogger("wizamart.tasks")

MIN_BACKOFF_MS = 1_000
MAX_BACKOFF_MS = 5 * 60_000


def build_broker(
    redis_url: str | None, *, namespace: str = "wizamart", middleware: list[Middleware] = ()
) -> dramatiq.Broker:
    """Redis when a URL is given, else the in-memory StubBroker (embedded mode). Our middleware
    comes first, so its ``after_*`` hooks run last and see the Retries middleware's decision."""
    stack = [*middleware, *(m() for m in default_middleware), CurrentMessage()]
    if redis_url:
        from dramatiq.brokers.redis import RedisBroker

        return RedisBroker(url=redis_url, namespace=namespace, middleware=stack)
    return StubBroker(middleware=stack)


class TaskRunMiddleware(Middleware):
    """Records every delivery in ``core_task_runs``: claimed ('running', attempt + 1), then its
    outcome, with heartbeats for the runs in progress so the reaper can tell a dead worker from
    a slow task.

    Bookkeeping is written behind, in order and in batches, by one background thread per worker
    (ADR 0006): a delivery costs no database round trip of its own. What is decided on the hot
    path is decided in memory: a run cancelled while queued (refreshed from the database every
    second) or already finished in this process is skipped. Duplicate deliveries elsewhere are
    possible, as with any at-least-once broker: tasks are idempotent by contract, the claim is
    conditional (a finished or cancelled run is never set running again) and an outcome only
    lands on a run that is running. A worker that dies before flushing leaves its runs as they
    were; the reaper and the broker's own redelivery recover them."""

    FLUSH_SECONDS = 0.05
    CANCELLED_REFRESH_SECONDS = 1.0  # an idle worker reads the database once a second, not 20x
    REMEMBER_FINISHED = 10_000

    def __init__(
        self, store: TaskRunStore, *, heartbeat_interval: timedelta, heartbeat_timeout: timedelta
    ) -> None:
        self.store = store
        self.heartbeat_interval = heartbeat_interval
        self.heartbeat_timeout = heartbeat_timeout
        self._running: set[UUID] = set()
        self._finished: dict[str, None] = {}  # message ids that ran to the end; ordered, bounded
        self._cancelled: frozenset[UUID] = frozenset()
        self._lock = threading.Lock()
        self._pending: queue.SimpleQueue[tuple[str, dict[str, Any]]] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @staticmethod
    def run_id(message: Any) -> UUID | None:
        raw = message.options.get("task_run_id")
        return UUID(raw) if raw else None

    @property
    def writing_behind(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def before_process_message(self, broker: Any, message: Any) -> None:
        run_id = self.run_id(message)
        if run_id is None:
            return
        if self.writing_behind:
            runnable = run_id not in self._cancelled and message.message_id not in self._finished
            if runnable:
                self._pending.put(("claim", self.store.claim_params(run_id, self.heartbeat_timeout)))
        else:  # no background writer (not booted as a worker): decide against the database
            runnable = self.store.claim(run_id, heartbeat_timeout=self.heartbeat_timeout)
        if not runnable:
            log.info("skipping delivery of a finished or cancelled task run",
                     extra={"task_run_id": str(run_id), "task": message.actor_name})
            raise SkipMessage(f"task run {run_id} is not runnable")
        with self._lock:
            self._running.add(run_id)

    def after_process_message(
        self, broker: Any, message: Any, *, result: Any = None, exception: BaseException | None = None
    ) -> None:
        run_id = self.run_id(message)
        if run_id is None:
            return
        with self._lock:
            self._running.discard(run_id)
        if exception is None:
            outcome = self.store.outcome(run_id, TaskState.SUCCEEDED, result=result)
        elif isinstance(exception, TaskCancelled):
            outcome = self.store.outcome(run_id, TaskState.CANCELLED, error=str(exception))
        else:
            error = "".join(traceback.format_exception(exception, limit=8))
            if message.failed:  # Retries gave up (or the error is one the actor throws)
                outcome = self.store.outcome(run_id, TaskState.FAILED, error=error)
            else:  # the broker delivers this same message again
                outcome = self.store.retry_params(run_id, error)
        if outcome["state"] != TaskState.QUEUED:
            # A redelivery of this message is a duplicate; a new message (retry, reaper) is not.
            self._finished[message.message_id] = None
            if len(self._finished) > self.REMEMBER_FINISHED:
                self._finished.pop(next(iter(self._finished)))
        self._record(outcome)

    def _record(self, outcome: dict[str, Any]) -> None:
        if self.writing_behind:
            self._pending.put(("outcome", outcome))
        else:
            self.store.write([("outcome", outcome)])

    def flush(self) -> None:
        """Write every pending claim and outcome now, in the order they happened."""
        pending: list[tuple[str, dict[str, Any]]] = []
        while True:
            try:
                pending.append(self._pending.get_nowait())
            except queue.Empty:
                break
        if pending:
            self.store.write(pending)

    def before_worker_boot(self, broker: Any, worker: Any) -> None:
        _WORKER_LOG.addFilter(_RESULTS_ARE_RECORDED)  # once: a logger keeps a filter once
        self._cancelled = self.store.cancelled_before_start()
        self._stop.clear()
        self._thread = threading.Thread(target=self._beat, name="task-bookkeeping", daemon=True)
        self._thread.start()

    def after_worker_shutdown(self, broker: Any, worker: Any) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.flush()

    def _beat(self) -> None:
        """Every FLUSH_SECONDS: write what is pending; every CANCELLED_REFRESH_SECONDS: refresh
        the runs cancelled while queued; every heartbeat interval: mark the running runs alive."""
        next_beat = next_refresh = time.monotonic()
        while not self._stop.wait(self.FLUSH_SECONDS):
            try:
                self.flush()
                if time.monotonic() >= next_refresh:
                    next_refresh = time.monotonic() + self.CANCELLED_REFRESH_SECONDS
                    self._cancelled = self.store.cancelled_before_start()
                if time.monotonic() >= next_beat:
                    next_beat = time.monotonic() + self.heartbeat_interval.total_seconds()
                    with self._lock:
                        running = list(self._running)
                    self.store.heartbeat(running)
            except Exception:  # the next round tries again; a dead database is reported elsewhere
                log.exception("task bookkeeping failed")


class _ResultsAreRecorded(logging.Filter):
    """Drops Dramatiq's warning that an actor's return value is discarded for want of its
    Results middleware: TaskRunMiddleware records it (``core_task_runs.result``). Without this
    filter every task that returns a summary logged a false warning."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "returned a value that is not None" not in str(record.msg)


_WORKER_LOG = logging.getLogger("dramatiq.worker.WorkerThread")  # the logger Dramatiq warns on
_RESULTS_ARE_RECORDED = _ResultsAreRecorded()


def declare_actors(
    broker: dramatiq.Broker,
    registry: ModuleRegistry,
    task_context: Callable[[str, UUID], TaskContext],
) -> None:
    """One actor ``<module>.<task>`` per TaskSpec, on its queue, with its limits. Actors are thin:
    they build the task context and call the handler."""
    for definition in registry:
        for spec in definition.tasks:
            _declare(broker, definition.code, spec, task_context)


def _declare(
    broker: dramatiq.Broker,
    module: str,
    spec: TaskSpec,
    task_context: Callable[[str, UUID], TaskContext],
) -> None:
    name = f"{module}.{spec.name}"
    if name in broker.actors:
        return

    def run(**kwargs: Any) -> Any:
        message = CurrentMessage.get_current_message()
        run_id = UUID(message.options["task_run_id"])
        return spec.handler(task_context(module, run_id), **kwargs)

    run.__name__ = run.__qualname__ = name
    dramatiq.actor(
        run,
        actor_name=name,
        queue_name=str(spec.queue),
        broker=broker,
        time_limit=int(spec.time_limit.total_seconds() * 1000),
        max_retries=spec.max_retries,
        min_backoff=MIN_BACKOFF_MS,
        max_backoff=MAX_BACKOFF_MS,
        throws=(TaskCancelled,),
    )


class DramatiqTaskQueue:
    """The TaskQueue port: record the run, then send the message."""

    def __init__(self, broker: dramatiq.Broker, registry: ModuleRegistry, store: TaskRunStore):
        self.broker = broker
        self.registry = registry
        self.store = store
        self._sent: set[str] = set()  # message ids this process sent (embedded mode adopts others)

    def spec(self, task: str) -> TaskSpec:
        module, _, name = task.partition(".")
        try:
            return self.registry.get(module).task(name)
        except KeyError:
            raise NotFound(f"unknown task '{task}'", task=task) from None

    def enqueue(
        self,
        task: str,
        *,
        idempotency_key: str | None = None,
        platform_id: int | None = None,
        vendor_id: int | None = None,
        **kwargs: Any,
    ) -> UUID:
        spec = self.spec(task)
        try:
            args = json.loads(json.dumps(kwargs))
        except (TypeError, ValueError) as exc:
            raise ValidationFailed.for_field("args", f"must be JSON values: {exc}") from exc
        run_id = uuid4()
        message = self._message(task, run_id, args)
        run_id, created = self.store.create(
            run_id=run_id,
            task=task,
            module=task.partition(".")[0],
            queue=str(spec.queue),
            args=args,
            max_retries=spec.max_retries,
            message_id=message.message_id,
            idempotency_key=idempotency_key,
            platform_id=platform_id,
            vendor_id=vendor_id,
        )
        if created:
            self._send(message)
        return run_id

    def resend(self, run_id: UUID) -> None:
        run = self.store.get(run_id)
        if run is None:
            raise NotFound(f"task run {run_id} not found")
        self.spec(run["task"])
        message = self._message(run["task"], run_id, run["args"])
        self.store.requeued(run_id, message.message_id)
        self._send(message)

    def has_sent(self, message_id: str | None) -> bool:
        """Whether this process sent the message (a queued run whose current message another
        process sent, such as the CLI, is not in this process's in-memory queue)."""
        return message_id in self._sent

    def _send(self, message: Any) -> None:
        self.broker.enqueue(message)
        if len(self._sent) > 100_000:
            self._sent.clear()  # only an optimisation for adoption; the claim guards duplicates
        self._sent.add(message.message_id)

    def _message(self, task: str, run_id: UUID, args: dict[str, Any]) -> Any:
        actor = self.broker.get_actor(task)
        return actor.message_with_options(kwargs=args, task_run_id=str(run_id))
