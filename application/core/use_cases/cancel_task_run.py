from __future__ import annotations

from uuid import UUID

import attrs

from application.core.ports import CoreUnitOfWork
from application.shared.ports import Clock
from contracts.core.dto import TaskRunView


@attrs.frozen(kw_only=True)
class CancelTaskRun:
    run_id: UUID
    actor: str


def cancel_task_run(cmd: CancelTaskRun, *, uow: CoreUnitOfWork, clock: Clock) -> TaskRunView:
    """Cancel a queued run at once; ask a running one to stop between batches."""
    with uow:
        run = uow.task_runs.get(cmd.run_id)
        run.request_cancel(clock.now())
        uow.audit("task_run.cancelled", actor=cmd.actor, at=clock.now(), target_type="task_run",
                  target_id=run.id, details={"task": run.task})
        uow.commit()
        return TaskRunView.model_validate(run)
