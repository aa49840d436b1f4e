from __future__ import annotations

from uuid import UUID

import attrs

from application.core.ports import CoreUnitOfWork
from application.shared.ports import Clock
from application.shared.tasks import TaskQueue
from contracts.core.dto import RunTaskRequest


@attrs.frozen(kw_only=True)
class RunTaskNow:
    request: RunTaskRequest
    actor: str


def run_task_now(
    cmd: RunTaskNow, *, uow: CoreUnitOfWork, clock: Clock, task_queue: TaskQueue
) -> UUID:
    """Enqueue a task with arguments at once (NotFound for an unknown task)."""
    req = cmd.request
    run_id = task_queue.enqueue(
        req.task, platform_id=req.platform_id, vendor_id=req.vendor_id, **req.args
    )
    with uow:
        uow.audit("task.run_now", actor=cmd.actor, at=clock.now(), target_type="task_run", target_id=run_id,
                  details={"task": req.task, "args": req.args}, platform_id=req.platform_id,
                  vendor_id=req.vendor_id)
        uow.commit()
    return run_id
