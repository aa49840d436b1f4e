from __future__ import annotations

from uuid import UUID

from application.core.ports import CoreUnitOfWork
from contracts.core.dto import TaskRunView


def get_task_run(run_id: UUID, *, uow: CoreUnitOfWork) -> TaskRunView:
    """One task run, or NotFound."""
    with uow:
        return TaskRunView.model_validate(uow.task_runs.get(run_id))
