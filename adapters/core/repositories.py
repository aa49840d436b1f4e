"""SQL repositories and the unit of work of the core module."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

import attrs
from sqlalchemy import Engine, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from adapters.core.orm import TABLES
from adapters.scheduler.loop import Scheduler
from adapters.scheduler.state import prune_fired, save_state
from adapters.sql.engine import writer
from adapters.sql.outbox import OutboxRelay
from adapters.sql.paging import window
from adapters.sql.plumbing import audit_log, task_runs
from adapters.sql.task_runs import TaskRunStore
from adapters.sql.uow import SqlUnitOfWork
from application.core.ports import DeadRun
from contracts.core.dto import AuditEntryView, ScheduleStateView, TaskRunQuery, TaskRunView
from contracts.shared.pagination import Page
from domain.core.model import TaskRun
from domain.shared.errors import NotFound


class SqlAuditLogReader:
    def __init__(self, session: Session) -> None:
        self._session = session

    def list(
        self,
        *,
        limit: int,
        offset: int,
        action: str | None = None,
        platform_id: int | None = None,
        since: datetime | None = None,
    ) -> Page[AuditEntryView]:
        query = select(audit_log)
        if action is not None:
            query = query.where(audit_log.c.action == action)
        if platform_id is not None:
            query = query.where(audit_log.c.platform_id == platform_id)
        if since is not None:
            query = query.where(audit_log.c.occurred_at >= since)
        page, total = window(self._session, query, audit_log.c.occurred_at.desc(), audit_log.c.id.desc(),
                             limit=limit, offset=offset)
        rows = self._session.execute(page).mappings()
        items = [AuditEntryView.model_validate(dict(row)) for row in rows]
        return Page[AuditEntryView](items=items, total=total, limit=limit, offset=offset)


class SqlPlumbingProbe:
    def __init__(self, session: Session) -> None:
        self._session = session

    def missing_tables(self) -> list[str]:
        missing = []
        for table in TABLES:
            try:
                with self._session.begin_nested():
                    self._session.execute(select(1).select_from(table).limit(1))
            except SQLAlchemyError:
                missing.append(table.name)
        return missing


class SqlTaskRunRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, run_id: UUID) -> TaskRun:
        run = self._session.get(TaskRun, run_id)
        if run is None:
            raise NotFound(f"task run {run_id} not found")
        return run

    def list(self, query: TaskRunQuery) -> Page[TaskRunView]:
        t = task_runs
        stmt = select(t)
        for column, value in (
            (t.c.state, query.state),
            (t.c.task, query.task),
            (t.c.module, query.module),
            (t.c.vendor_id, query.vendor_id),
            (t.c.platform_id, query.platform_id),
        ):
            if value is not None:
                stmt = stmt.where(column == value)
        if query.since is not None:
            stmt = stmt.where(t.c.enqueued_at >= query.since)
        page, total = window(self._session, stmt, t.c.enqueued_at.desc(), t.c.id, limit=query.limit,
                             offset=query.offset)
        rows = self._session.execute(page).mappings()
        items = [TaskRunView.model_validate(dict(row)) for row in rows]
        return Page[TaskRunView](items=items, total=total, limit=query.limit, offset=query.offset)


class SqlScheduleStates:
    def __init__(self, session: Session) -> None:
        self._session = session

    def set_paused(self, schedule: str, paused: bool, now: datetime) -> None:
        save_state(self._session.connection(), schedule, now, paused=paused)


class SqlCoreUnitOfWork(SqlUnitOfWork):
    def __enter__(self) -> SqlCoreUnitOfWork:
        super().__enter__()
        self.audit_reader = SqlAuditLogReader(self.session)
        self.plumbing = SqlPlumbingProbe(self.session)
        self.task_runs = SqlTaskRunRepository(self.session)
        self.schedules = SqlScheduleStates(self.session)
        return self


class SqlCoreMaintenance:
    """The CoreMaintenance port: the relay, the run store and the scheduler's view."""

    def __init__(
        self,
        engine: Engine,
        relay: OutboxRelay,
        store: TaskRunStore,
        scheduler: Scheduler,
        heartbeat_timeout: timedelta,
    ) -> None:
        self._engine = writer(engine)
        self._relay = relay
        self._store = store
        self._scheduler = scheduler
        self._heartbeat_timeout = heartbeat_timeout

    def relay_events(self) -> dict[str, int]:
        return attrs.asdict(self._relay.relay())

    def mark_dead_runs(self) -> list[DeadRun]:
        return [
            DeadRun(id=r["id"], task=r["task"], retry=r["retry"])
            for r in self._store.reap(heartbeat_timeout=self._heartbeat_timeout)
        ]

    def prune(self, *, runs_before: datetime, slots_before: datetime) -> dict[str, int]:
        runs = self._store.prune(finished_before=runs_before)
        with self._engine.begin() as connection:
            slots = prune_fired(connection, slots_before)
        return {"task_runs": runs, "fired_slots": slots}

    def schedule_names(self) -> list[str]:
        return [name for name, _ in self._scheduler.schedules()]

    def schedules(self) -> list[ScheduleStateView]:
        return [
            ScheduleStateView(
                name=name,
                cron=schedule.cron,
                timezone=schedule.timezone,
                catch_up=schedule.catch_up.value,
                enabled=schedule.enabled,
                paused=paused,
                next_fire_at=next_at,
            )
            for name, schedule, next_at, paused in self._scheduler.next_fire_times()
        ]


UNIT_OF_WORK = SqlCoreUnitOfWork


def services(container) -> SqlCoreMaintenance:  # type: ignore[no-untyped-def]
    """The core module's extra ports, built once by the composition root."""
    return SqlCoreMaintenance(
        container.engine,
        container.relay, container.task_runs, container.scheduler, container.heartbeat_timeout
    )
