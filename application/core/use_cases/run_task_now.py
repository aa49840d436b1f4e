from __future__ import annotations

from uuid import UUID

import attrs

from application.core.ports import CoreUnitOfWork
from application.shared.ports import Clock
from application.shared.tasks import TaskQueue
from contracts.core.dto import RunTaskRequest
from domain.core.model import AuditEntry


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
        uow.audit_log.add(
            AuditEntry(occurred_at=clock.now(), actor=cmd.actor, action="task.run_now",
                       target_type="task_run", target_id=str(run_id),
                       details={"task": req.task, "args": req.args},
                       platform_id=req.platform_id, vendor_id=req.vendor_id)
        )
        uow.commit()
    return run_id
