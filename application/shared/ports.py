"""Ports every module's use cases share. Adapters implement them; use cases only see these."""

from __future__ import annotations

from datetime import datetime
from types import TracebackType
from typing import Any, Protocol, Self


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""
        ...


class UnitOfWork(Protocol):
    """One transaction. ``with uow: ...; uow.commit()``; leaving without commit rolls back.

    After a successful commit, the domain events recorded by the aggregates the unit of work saw
    are handed to the event bus.
    """

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    def flush(self) -> None:
        """Send pending changes (assigns ids) without committing."""
        ...

    def audit(
        self,
        action: str,
        *,
        actor: str,
        at: datetime,
        target_type: str | None = None,
        target_id: object = None,
        platform_id: int | None = None,
        vendor_id: int | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        """Append an audit-log entry in this transaction."""
        ...
