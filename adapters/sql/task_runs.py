"""The record of every background task run, written by the task queue and the worker middleware.

Plain SQL on ``core_task_runs`` (one short transaction per step): this sits on the hot path of
every task, so it avoids the ORM.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from itertools import groupby
from typing import Any
from uuid import UUID

from sqlalchemy import (
    JSON,
    Connection,
    Engine,
    String,
    Text,
    Uuid,
    and_,
    bindparam,
    case,
    cast,
    create_engine,
    delete,
    false,
    func,
    insert,
    select,
    true,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

from adapters.sql.bulk import bind_processor
from adapters.sql.engine import writer
from adapters.sql.plumbing import Timestamp
from adapters.sql.plumbing import task_runs as t
from application.shared.ports import Clock
from domain.core.model import FINISHED_STATES, TaskState

MAX_ERROR_CHARS = 4000

class TaskRunStore:
    def __init__(self, engine: Engine, clock: Clock) -> None:
        self._engine = writer(engine)
        self._clock = clock
        self._autocommit: Engine | None = None
        if engine.dialect.name == "postgresql":
            # One round trip per step: every bookkeeping step is a single statement, atomic on
            # its own. No wait for the WAL flush (synchronous_commit=off): a crash may forget
            # the last fraction of a second of state changes, never corrupt them, and a
            # forgotten change is what the claim and the reaper already recover from.
            self._autocommit = create_engine(
                engine.url,
                isolation_level="AUTOCOMMIT",
                connect_args={"options": "-c synchronous_commit=off"},
                pool_size=10,
            )

    @contextmanager
    def _bookkeeping(self) -> Iterator[Connection]:
        """A connection for one bookkeeping statement (see __init__ for PostgreSQL)."""
        if self._autocommit is not None:
            with self._autocommit.connect() as connection:
                yield connection
        else:
            with self._engine.begin() as connection:
                yield connection

    def close(self) -> None:
        if self._autocommit is not None:
            self._autocommit.dispose()

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
        with self._bookkeeping() as connection:
            result = connection.execute(_CLAIM, self.claim_params(run_id, heartbeat_timeout))
        return result.rowcount == 1

    def claim_params(self, run_id: UUID, heartbeat_timeout: timedelta) -> dict[str, Any]:
        now = self._clock.now()
        return {"run_id": run_id, "now": now, "stale_before": now - heartbeat_timeout}

    def retry_params(self, run_id: UUID, error: str) -> dict[str, Any]:
        """The outcome of an attempt the broker will deliver again."""
        return {"run_id": run_id, "state": TaskState.QUEUED, "error": error[-MAX_ERROR_CHARS:]}

    def write(self, steps: list[tuple[str, dict[str, Any]]]) -> None:
        """Apply claims and outcomes in the order given, in one transaction: one set-based
        statement per run of steps of the same kind (_Batched). A run claimed and finished
        within the same batch (most short tasks) is one 'ran' step."""
        with self._bookkeeping() as connection:
            for key, group in groupby(_merge_claims(steps), key=_step_kind):
                _batched(key, connection.dialect).execute(connection, [p for _, p in group])

    def cancelled_before_start(self) -> frozenset[UUID]:
        """Runs cancelled while queued (their messages may still be on a queue)."""
        with self._engine.connect() as connection:
            return frozenset(connection.scalars(
                select(t.c.id).where(t.c.state == TaskState.CANCELLED, t.c.started_at.is_(None))
            ))

    def outcome(
        self, run_id: UUID, state: TaskState, *, result: Any = None, error: str | None = None
    ) -> dict[str, Any]:
        """The parameters that record how a run ended (an 'outcome' step for :meth:`write`)."""
        params: dict[str, Any] = {"run_id": run_id, "state": state, "now": self._clock.now()}
        if state == TaskState.SUCCEEDED:
            params["result"] = _jsonable(result)
        else:
            params["error"] = (error or "")[-MAX_ERROR_CHARS:] or None
        return params

    def heartbeat(self, run_ids: list[UUID]) -> None:
        if not run_ids:
            return
        with self._bookkeeping() as connection:
            connection.execute(
                update(t)
                .where(t.c.id.in_(run_ids), t.c.state == TaskState.RUNNING)
                .values(heartbeat_at=self._clock.now())
            )

    def progress(self, run_id: UUID, percent: int, message: str | None) -> None:
        with self._bookkeeping() as connection:
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

    def queued(self) -> list[tuple[UUID, str | None]]:
        """(run id, id of the message last sent for it) of every queued run, oldest first."""
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(t.c.id, t.c.message_id).where(t.c.state == TaskState.QUEUED).order_by(t.c.enqueued_at)
            )
            return [(r.id, r.message_id) for r in rows]

    def prune(self, *, finished_before: datetime) -> int:
        with self._engine.begin() as connection:
            result = connection.execute(
                delete(t).where(
                    t.c.state.in_([*FINISHED_STATES, TaskState.DEAD]),
                    t.c.finished_at < finished_before,
                )
            )
        return result.rowcount


# What each bookkeeping step writes, given where a step's own values come from (``value(name,
# type)``): bind parameters for a single step, the fields of a JSON row for a batch (_Batched).
# Outcomes land only on a run that is running (a duplicate delivery cannot reopen a run); a claim
# only on a run that may start (queued, dead, or running with a stale heartbeat), never on a
# cancelled one. The states are tested in a CASE, which no index serves: SQLite's planner would
# otherwise scan the state index and probe the batch for each run, instead of the other way round.
_Value = Callable[[str, Any], Any]


def _statements(value: _Value) -> dict[tuple[str, object], Any]:
    claimable = and_(t.c.cancel_requested.is_(False), case(
        (t.c.state == TaskState.QUEUED, true()), (t.c.state == TaskState.DEAD, true()),
        (t.c.state == TaskState.RUNNING, t.c.heartbeat_at < value("stale_before", Timestamp)),
        else_=false()))
    running = case((t.c.state == TaskState.RUNNING, true()), else_=false())
    this_run = t.c.id == value("run_id", Uuid())

    def claimed(at: str) -> dict[str, Any]:
        return {"attempt": t.c.attempt + 1, "started_at": value(at, Timestamp), "heartbeat_at": value(at, Timestamp)}

    succeeded = {"state": value("state", String()), "finished_at": value("now", Timestamp), "progress": 100,
                 "result": value("result", JSON()), "error": None}
    ended = {"state": value("state", String()), "finished_at": value("now", Timestamp),
             "error": value("error", Text())}
    return {
        ("claim", None): update(t).where(this_run, claimable).values(
            state=TaskState.RUNNING, finished_at=None, **claimed("now")),
        # Claimed and ended in one go: the claim's conditions, the outcome's values.
        ("ran", TaskState.SUCCEEDED): update(t).where(this_run, claimable).values(**claimed("started"), **succeeded),
        ("ran", "ended"): update(t).where(this_run, claimable).values(**claimed("started"), **ended),
        ("outcome", TaskState.SUCCEEDED): update(t).where(this_run, running).values(**succeeded),
        ("outcome", TaskState.QUEUED): update(t).where(this_run, running).values(
            state=value("state", String()), error=value("error", Text())),
        ("outcome", "ended"): update(t).where(this_run, running).values(**ended),
    }


_CLAIM = _statements(lambda name, kind: bindparam(name, type_=kind))[("claim", None)]


class _Field(ColumnElement[Any]):
    """Field ``name`` of the batch row being applied, as ``type_``: ``j.value ->> 'name'``
    (``->`` for JSON), cast to the column's type on PostgreSQL."""

    inherit_cache = True
    _traverse_internals = [("rows", InternalTraversal.dp_clauseelement),
                           ("name", InternalTraversal.dp_string), ("type", InternalTraversal.dp_type)]

    def __init__(self, rows: Any, name: str, type_: Any) -> None:
        self.rows, self.name, self.type = rows, name, type_

    @property
    def _from_objects(self) -> list[Any]:  # puts the batch in the UPDATE's FROM
        return self.rows._from_objects  # type: ignore[no-any-return]


@compiles(_Field)
def _field_postgresql(element: _Field, compiler: Any, **kw: Any) -> str:
    rows = compiler.process(element.rows, **kw)
    if isinstance(element.type, JSON):
        return f"({rows} -> '{element.name}')"
    return f"CAST(({rows} ->> '{element.name}') AS {compiler.dialect.type_compiler_instance.process(element.type)})"


@compiles(_Field, "sqlite")
def _field_sqlite(element: _Field, compiler: Any, **kw: Any) -> str:
    operator = "->" if isinstance(element.type, JSON) else "->>"
    return f"({compiler.process(element.rows, **kw)} {operator} '{element.name}')"


class _Batched:
    """One of the step statements for a dialect, applied to a whole batch of steps at once:
    ``UPDATE ... FROM json_each(:rows)`` (PostgreSQL: ``json_array_elements``), the steps' values
    as one JSON parameter. One statement per batch instead of an executemany: the driver binds
    no parameters per row and the worker threads lose the GIL once per batch, not once per row
    (benchmarks/tasks_throughput: median overhead over bare Dramatiq 13-37 % on SQLite and
    31-37 % on PostgreSQL after, 38 % on both before; the machine's spread is as wide). Values
    go in the form the column's type binds them (SQLite's UUID and timestamp texts); JSON values
    are embedded as they are."""

    def __init__(self, key: tuple[str, object], dialect: Any) -> None:
        source = (func.json_each(bindparam("rows")) if dialect.name == "sqlite"
                  else func.json_array_elements(cast(bindparam("rows"), JSON)))
        rows = source.table_valued("value", name="j").c.value
        types: dict[str, Any] = {}

        def value(name: str, kind: Any) -> _Field:
            types[name] = kind
            return _Field(rows, name, kind)

        compiled = _statements(value)[key].compile(dialect=dialect)
        self.sql = compiled.string
        self.fixed: dict[str, Any] = {}  # the statement's own values, bound once
        for name, given in compiled.construct_params(_check=False).items():
            convert = bind_processor(compiled.binds[name].type, dialect)
            self.fixed[name] = given if given is None or convert is None else convert(given)
        self.order = compiled.positiontup  # None for named parameter styles
        self.converters = {name: None if isinstance(kind, JSON) else bind_processor(kind, dialect)
                           for name, kind in types.items()}

    def execute(self, connection: Connection, steps: list[dict[str, Any]]) -> None:
        converters = [(name, convert) for name, convert in self.converters.items() if name in steps[0]]
        rows = [{name: step[name] if convert is None or step[name] is None else convert(step[name])
                 for name, convert in converters} for step in steps]
        bound = {**self.fixed, "rows": json.dumps(rows, default=str)}  # str: UUIDs, PostgreSQL's datetimes
        connection.exec_driver_sql(self.sql, bound if self.order is None else tuple(bound[n] for n in self.order))


@functools.cache
def _batched(key: tuple[str, object], dialect: Any) -> _Batched:
    return _Batched(key, dialect)


def _step_kind(step: tuple[str, dict[str, Any]]) -> tuple[str, object]:
    kind, params = step
    if kind == "claim":
        return ("claim", None)
    state = params["state"]
    if kind == "ran":
        return ("ran", state if state == TaskState.SUCCEEDED else "ended")
    return ("outcome", state if state in (TaskState.SUCCEEDED, TaskState.QUEUED) else "ended")


def _merge_claims(steps: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
    """Fold a claim and the final outcome of the same run in one batch into one 'ran' step
    (kept at the outcome's place, so the order of what each run went through holds)."""
    claims: dict[object, int] = {}
    merged: list[tuple[str, dict[str, Any]] | None] = []
    for kind, params in steps:
        run = params["run_id"]
        if kind == "claim":
            claims[run] = len(merged)
            merged.append((kind, params))
        elif run in claims and params["state"] != TaskState.QUEUED:
            at = claims.pop(run)
            claim = merged[at]
            merged[at] = None
            assert claim is not None
            merged.append(("ran", {**params, "started": claim[1]["now"],
                                   "stale_before": claim[1]["stale_before"]}))
        else:
            claims.pop(run, None)
            merged.append((kind, params))
    return [step for step in merged if step is not None]


def _jsonable(value: Any) -> Any:
    if value is None:
        return None
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return {"repr": repr(value)[:1000]}
    return value if isinstance(value, dict) else {"value": value}
