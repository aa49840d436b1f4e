"""Mapping of the core module's domain classes onto its tables (see adapters.sql.plumbing)."""

from __future__ import annotations

from adapters.sql.metadata import map_imperatively
from adapters.sql.plumbing import audit_log, fired_slots, inbox, leases, outbox, schedule_state, task_runs
from domain.core.model import TaskRun

TABLES = (task_runs, outbox, inbox, schedule_state, fired_slots, leases, audit_log)


def start_mappers() -> None:
    map_imperatively(TaskRun, task_runs)


start_mappers()
