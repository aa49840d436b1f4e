"""The record of every background task run, written by the task queue and the worker middleware.

Plain SQL on ``core_task_runs`` (one short transaction per step): this sits on the hot path of
every task, so it avoids the ORM.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Engine, and_, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from adapters.sql.engine import writer
from adapters.sql.plumbing import task_runs as t
from application.shared.ports import Clock
from domain.core.model import FINISHED_STATES, TaskState

MAX_ERROR_CHARS = 4000


class TaskRunStore:
    def __init__(self, engine: Engine, clock: Clock) -> None:
        self._engine = writer(engine)
        self._clock = clock

    def create(
        self,
        *,
        run_id: UUID,
        task: str,
        module: str,
        queue: str,
        args: dict[str, Any],
        max_retries: int,
        message_id: str | None,
        idempotency_key: str | None = None,
        platform_id: int | None = None,
        vendor_id: int | None = None,
    ) -> tuple[UUID, bool]:
        """Insert a queued run; with a key already used, return that run's id and False."""
        if idempotency_key is not None:
            existing = self._by_key(idempotency_key)
            if existing is not None:
                return existing, False
        try:
            with self._engine.begin() as connection:
                connection.execute(
                    insert(t).values(
                        id=run_id,
                        task=task,
                        module=module,
                        queue=queue,
                        args=args,
                        idempotency_key=idempotency_key,
                        platform_id=platform_id,
                        vendor_id=vendor_id,
                        state=TaskState.QUEUED,
                        attempt=0,
                        max_retries=max_retries,
                        message_id=message_id,
                        enqueued_at=self._clock.now(),
                        progress=0,
                        cancel_requested=False,
                    )
                )
        except IntegrityError:
            existing = self._by_key(idempotency_key) if idempotency_key else None
            if existing is None:
                raise
            return existing, False
        return run_id, True

    def _by_key(self, key: str) -> UUID | None:
        with self._engine.connect() as connection:
            return connection.scalar(select(t.c.id).where(t.c.idempotency_key == key))

    def get(self, run_id: UUID) -> dict[str, Any] | None:
        with self._engine.connect() as connection:
            row = connection.execute(select(t).where(t.c.id == run_id)).mappings().first()
        return dict(row) if row else None

    def requeued(self, run_id: UUID, message_id: str) -> None:
        with self._engine.begin() as connection:
            connection.execute(update(t).where(t.c.id == run_id).values(message_id=message_id))

    def claim(self, run_id: UUID, *, heartbeat_timeout: timedelta) -> bool:
        """Mark the run running for this delivery. False when it must not run: finished,
        cancelled, or running elsewhere with a fresh heartbeat (a duplicate delivery)."""
        now = self._clock.now()
        with self._engine.begin() as connection:
            result = connection.execute(
                update(t)
                .where(
                    t.c.id == run_id,
                    t.c.cancel_requested.is_(False),
                    or_(
                        t.c.state.in_([TaskState.QUEUED, TaskState.DEAD]),
                        and_(
                            t.c.state == TaskState.RUNNING,
                            t.c.heartbeat_at < now - heartbeat_timeout,
                        ),
                    ),
                )
                .values(
                    state=TaskState.RUNNING,
                    attempt=t.c.attempt + 1,
                    started_at=now,
                    heartbeat_at=now,
                    finished_at=None,
                )
            )
        return result.rowcount == 1

    def finish(
        self, run_id: UUID, state: TaskState, *, result: Any = None, error: str | None = None
    ) -> None:
        values: dict[str, Any] = {"state": state, "finished_at": self._clock.now()}
        if state == TaskState.SUCCEEDED:
            values |= {"progress": 100, "result": _jsonable(result), "error": None}
        if error is not None:
            values["error"] = error[-MAX_ERROR_CHARS:]
        with self._engine.begin() as connection:
            connection.execute(update(t).where(t.c.id == run_id).values(**values))

    def will_retry(self, run_id: UUID, error: str) -> None:
        """The attempt failed and the broker will deliver the message again."""
        with self._engine.begin() as connection:
            connection.execute(
                update(t)
                .where(t.c.id == run_id, t.c.state == TaskState.RUNNING)
                .values(state=TaskState.QUEUED, error=error[-MAX_ERROR_CHARS:])
            )

    def heartbeat(self, run_ids: list[UUID]) -> None:
        if not run_ids:
            return
        with self._engine.begin() as connection:
            connection.execute(
                update(t)
                .where(t.c.id.in_(run_ids), t.c.state == TaskState.RUNNING)
                .values(heartbeat_at=self._clock.now())
            )

    def progress(self, run_id: UUID, percent: int, message: str | None) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                update(t)
                .where(t.c.id == run_id)
                .values(progress=percent, progress_message=(message or None) and message[:500])
            )

    def cancel_requested(self, run_id: UUID) -> bool:
        with self._engine.connect() as connection:
            return bool(connection.scalar(select(t.c.cancel_requested).where(t.c.id == run_id)))

    def reap(self, *, heartbeat_timeout: timedelta) -> list[dict[str, Any]]:
        """Mark running runs whose worker stopped heartbeating as dead. Returns them, each with
        ``retry``: True when its spec allows another attempt (the caller re-sends those)."""
        now = self._clock.now()
        stale = and_(t.c.state == TaskState.RUNNING, t.c.heartbeat_at < now - heartbeat_timeout)
        with self._engine.begin() as connection:
            rows = connection.execute(
                select(t.c.id, t.c.task, t.c.attempt, t.c.max_retries).where(stale)
            ).all()
            if not rows:
                return []
            connection.execute(
                update(t)
                .where(t.c.id.in_([r.id for r in rows]), stale)
                .values(
                    state=TaskState.DEAD,
                    finished_at=now,
                    error="worker stopped heartbeating (killed or lost)",
                )
            )
        return [
            {"id": r.id, "task": r.task, "retry": r.attempt <= r.max_retries} for r in rows
        ]

    def queued_ids(self) -> list[UUID]:
        with self._engine.connect() as connection:
            return list(
                connection.scalars(
                    select(t.c.id).where(t.c.state == TaskState.QUEUED).order_by(t.c.enqueued_at)
                )
            )

    def prune(self, *, finished_before: datetime) -> int:
        with self._engine.begin() as connection:
            result = connection.execute(
                delete(t).where(t.c.state.in_(FINISHED_STATES), t.c.finished_at < finished_before)
            )
        return result.rowcount


def _jsonable(value: Any) -> Any:
    if value is None:
        return None
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return {"repr": repr(value)[:1000]}
    return value if isinstance(value, dict) else {"value": value}
