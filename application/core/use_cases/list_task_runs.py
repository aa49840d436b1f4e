from __future__ import annotations

from application.core.ports import CoreUnitOfWork
from contracts.core.dto import TaskRunQuery, TaskRunView
from contracts.shared.pagination import Page


def list_task_runs(query: TaskRunQuery, *, uow: CoreUnitOfWork) -> Page[TaskRunView]:
    """Task runs, newest first, filtered by state, task, module, vendor, platform and time."""
    with uow:
        return uow.task_runs.list(query)
