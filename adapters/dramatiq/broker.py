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
    """Claims the run before a delivery is processed, records its outcome, and heartbeats the
    runs in progress so the reaper can tell a dead worker from a slow task.

    The claim is synchronous (it decides whether the delivery runs). Outcomes are written
    behind, in batches, by the same background thread that heartbeats: a worker that dies
    before flushing leaves its runs 'running', which the reaper turns into a retry; tasks are
    idempotent by contract, so the price is a repeated run, never a lost one."""

    FLUSH_SECONDS = 0.05

    def __init__(
        self, store: TaskRunStore, *, heartbeat_interval: timedelta, heartbeat_timeout: timedelta
    ) -> None:
        self.store = store
        self.heartbeat_interval = heartbeat_interval
        self.heartbeat_timeout = heartbeat_timeout
        self._running: set[UUID] = set()
        self._lock = threading.Lock()
        self._outcomes: queue.SimpleQueue[dict[str, Any]] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @staticmethod
    def run_id(message: Any) -> UUID | None:
        raw = message.options.get("task_run_id")
        return UUID(raw) if raw else None

    def before_process_message(self, broker: Any, message: Any) -> None:
        run_id = self.run_id(message)
        if run_id is None:
            return
        if not self.store.claim(run_id, heartbeat_timeout=self.heartbeat_timeout):
            log.info("skipping delivery of a finished, cancelled or running task run",
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
            self._record(self.store.outcome(run_id, TaskState.SUCCEEDED, result=result))
        elif isinstance(exception, TaskCancelled):
            self._record(self.store.outcome(run_id, TaskState.CANCELLED, error=str(exception)))
        else:
            error = "".join(traceback.format_exception(exception, limit=8))
            if message.failed:  # Retries gave up (or the error is one the actor throws)
                self._record(self.store.outcome(run_id, TaskState.FAILED, error=error))
            else:
                self.store.will_retry(run_id, error)

    def _record(self, outcome: dict[str, Any]) -> None:
        if self._thread is None or not self._thread.is_alive():
            self.store.finish_many([outcome])  # no background writer (not booted): write now
        else:
            self._outcomes.put(outcome)

    def flush(self) -> None:
        """Write every pending outcome now."""
        pending: list[dict[str, Any]] = []
        while True:
            try:
                pending.append(self._outcomes.get_nowait())
            except queue.Empty:
                break
        if pending:
            self.store.finish_many(pending)

    def after_skip_message(self, broker: Any, message: Any) -> None:
        return None

    def after_worker_boot(self, broker: Any, worker: Any) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._beat, name="task-heartbeat", daemon=True)
        self._thread.start()

    def after_worker_shutdown(self, broker: Any, worker: Any) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.flush()

    def _beat(self) -> None:
        """Flush outcomes every FLUSH_SECONDS; heartbeat running runs every interval."""
        next_beat = time.monotonic()
        while not self._stop.wait(self.FLUSH_SECONDS):
            try:
                self.flush()
                if time.monotonic() >= next_beat:
                    next_beat = time.monotonic() + self.heartbeat_interval.total_seconds()
                    with self._lock:
                        running = list(self._running)
                    self.store.heartbeat(running)
            except Exception:  # the next round tries again; a dead database is reported elsewhere
                log.exception("task bookkeeping failed")


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
