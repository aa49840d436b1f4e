"""The SQLAlchemy unit of work every module's unit of work builds on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import TracebackType
from typing import Any, Self

import structlog
from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from adapters.sql.plumbing import audit_log, outbox
from contracts.shared.events import IntegrationEvent
from domain.shared.errors import FieldError, ValidationFailed
from domain.shared.events import DomainEvent, RecordsEvents

EventSink = Callable[[list[DomainEvent]], None]
PublishedHook = Callable[[], None]


class SqlUnitOfWork:
    """One session, one transaction.

    ``commit()`` flushes, collects the domain events recorded by every aggregate the session
    holds, commits, and only then hands the events to ``event_sink``. Leaving the ``with`` block
    without committing rolls back. Repositories never commit.
    """

    session: Session

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        *,
        event_sink: EventSink | None = None,
        on_published: PublishedHook | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._event_sink = event_sink
        self._on_published = on_published
        self._depth = 0
        self._outbox = []

    def __enter__(self) -> Self:
        if self._depth == 0:
            self.session = self._session_factory()
            self._committed = False
            self._outbox: list[dict[str, object]] = []
        self._depth += 1
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._depth -= 1
        if self._depth == 0:
            try:
                if not self._committed:
                    self.session.rollback()
            finally:
                self.session.close()

    def publish(self, event: IntegrationEvent) -> None:
        """Write an integration event to the outbox, in this transaction: it is delivered if and
        only if the change commits."""
        self._outbox.append(
            {
                "event_id": event.event_id,
                "event_type": event.event_type,
                "event_version": event.version,
                "aggregate_id": event.aggregate_id,
                "platform_id": event.platform_id,
                "vendor_id": event.vendor_id,
                "payload": event.model_dump(mode="json"),
                "occurred_at": event.occurred_at,
                "status": "pending",
                "attempts": 0,
            }
        )

    def flush(self) -> None:
        """Send pending changes (assigns ids) without committing."""
        self.session.flush()

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
        """Append to the audit log (core_audit_log) in this transaction: the entry exists if
        and only if the change commits."""
        errors = [FieldError(name, "must not be empty") for name, value in
                  (("actor", actor), ("action", action)) if not value.strip()]
        if errors:
            raise ValidationFailed(errors=errors)
        self.session.execute(
            insert(audit_log).values(
                occurred_at=at,
                actor=actor,
                action=action,
                target_type=target_type,
                target_id=None if target_id is None else str(target_id),
                platform_id=platform_id,
                vendor_id=vendor_id,
                details=details or {},
                request_id=structlog.contextvars.get_contextvars().get("request_id"),
            )
        )

    def commit(self) -> None:
        self.session.flush()
        published, self._outbox = self._outbox, []
        if published:  # one multi-row insert, in this transaction, in publishing order
            self.session.execute(insert(outbox), published)
        events = self._collect_events()
        self.session.commit()
        self._committed = True
        if events and self._event_sink is not None:
            self._event_sink(events)
        if published and self._on_published is not None:
            self._on_published()

    def rollback(self) -> None:
        self.session.rollback()
        self._committed = False
        self._outbox = []

    def _collect_events(self) -> list[DomainEvent]:
        events: list[DomainEvent] = []
        for obj in [*self.session.new, *self.session.identity_map.values()]:
            if isinstance(obj, RecordsEvents):
                events.extend(obj.pull_events())
        return events
