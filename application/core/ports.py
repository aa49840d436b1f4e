"""Ports of the core module."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

import attrs

from application.shared.ports import UnitOfWork
from contracts.core.dto import AuditEntryView, ScheduleStateView, TaskRunQuery, TaskRunView
from contracts.shared.pagination import Page
from domain.core.model import TaskRun


@attrs.frozen
class DeadRun:
    id: UUID
    task: str
    retry: bool  # its spec allows another attempt


class AuditLogReader(Protocol):
    def list(
        self,
        *,
        limit: int,
        offset: int,
        action: str | None = None,
        platform_id: int | None = None,
        since: datetime | None = None,
    ) -> Page[AuditEntryView]: ...


class PlumbingProbe(Protocol):
    def missing_tables(self) -> list[str]:
        """The core tables that do not answer a query (empty when all is well)."""
        ...


class TaskRunRepository(Protocol):
    def get(self, run_id: UUID) -> TaskRun:
        """The run, or NotFound."""
        ...

    def list(self, query: TaskRunQuery) -> Page[TaskRunView]: ...


class ScheduleStates(Protocol):
    def set_paused(self, schedule: str, paused: bool, now: datetime) -> None: ...


class CoreMaintenance(Protocol):
    """Platform plumbing the core tasks drive."""

    def relay_events(self) -> dict[str, int]: ...

    def mark_dead_runs(self) -> list[DeadRun]: ...

    def prune(self, *, runs_before: datetime, slots_before: datetime) -> dict[str, int]: ...

    def schedule_names(self) -> list[str]:
        """Every schedule's ``<module>.<task>`` (from the registry: no database read)."""
        ...

    def schedules(self) -> list[ScheduleStateView]: ...


class CoreUnitOfWork(UnitOfWork, Protocol):
    audit_reader: AuditLogReader
    plumbing: PlumbingProbe
    task_runs: TaskRunRepository
    schedules: ScheduleStates
