"""Background work as use cases see it: a queue port, and the run they are part of.

Use cases enqueue by name (``"<module>.<task>"``) and never import Dramatiq.

Idempotency contract: delivery is at least once, so every task must be safe to run again. A task
declares how in one of two ways, and says which in its docstring:

* an **idempotency key** given at enqueue time (``idempotency_key="billing:reset:2026-11-01"``):
  one key is one logical run; enqueueing the same key again returns the existing run;
* a **state check** in the handler (e.g. "skip rows already at the target state", or record the
  last committed batch and resume from it), so a re-delivered run finds nothing left to do.
"""

from __future__ import annotations

from typing import Any, Protocol
from uuid import UUID


class TaskCancelled(Exception):
    """Raised by a task between batches when its run was cancelled; the run ends 'cancelled'."""


class TaskQueue(Protocol):
    def enqueue(
        self,
        task: str,
        *,
        idempotency_key: str | None = None,
        platform_id: int | None = None,
        vendor_id: int | None = None,
        **kwargs: Any,
    ) -> UUID:
        """Record a queued run of ``task`` and send it; returns the run id. With a key already
        used, nothing is sent and the existing run's id is returned."""
        ...

    def resend(self, run_id: UUID) -> None:
        """Send an existing queued run again (retry, reaper, restart of the embedded worker)."""
        ...


class TaskRunReporter(Protocol):
    def progress(self, run_id: UUID, percent: int, message: str | None) -> None: ...

    def cancel_requested(self, run_id: UUID) -> bool: ...
