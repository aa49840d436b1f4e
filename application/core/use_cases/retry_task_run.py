from __future__ import annotations

from uuid import UUID

import attrs

from application.core.ports import CoreUnitOfWork
from application.shared.ports import Clock
from application.shared.tasks import TaskQueue
from contracts.core.dto import TaskRunView


@attrs.frozen(kw_only=True)
class RetryTaskRun:
    run_id: UUID
    actor: str


def retry_task_run(
    cmd: RetryTaskRun, *, uow: CoreUnitOfWork, clock: Clock, task_queue: TaskQueue
) -> TaskRunView:
    """Queue a failed, dead or cancelled run again (Conflict otherwise) and send it."""
    with uow:
        run = uow.task_runs.get(cmd.run_id)
        run.retry(clock.now())
        uow.audit("task_run.retried", actor=cmd.actor, at=clock.now(), target_type="task_run",
                  target_id=run.id, details={"task": run.task})
        uow.commit()
        view = TaskRunView.model_validate(run)
    task_queue.resend(cmd.run_id)
    return view
