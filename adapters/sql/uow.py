"""The SQLAlchemy unit of work every module's unit of work builds on."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Self

from sqlalchemy.orm import Session, sessionmaker

from domain.shared.events import DomainEvent, RecordsEvents

EventSink = Callable[[list[DomainEvent]], None]


class SqlUnitOfWork:
    """One session, one transaction.

    ``commit()`` flushes, collects the domain events recorded by every aggregate the session
    holds, commits, and only then hands the events to ``event_sink``. Leaving the ``with`` block
    without committing rolls back. Repositories never commit.
    """

    session: Session

    def __init__(
        self, session_factory: sessionmaker[Session], *, event_sink: EventSink | None = None
    ) -> None:
        self._session_factory = session_factory
        self._event_sink = event_sink
        self._depth = 0

    def __enter__(self) -> Self:
        if self._depth == 0:
            self.session = self._session_factory()
            self._committed = False
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

    def commit(self) -> None:
        self.session.flush()
        events = self._collect_events()
        self.session.commit()
        self._committed = True
        if events and self._event_sink is not None:
            self._event_sink(events)

    def rollback(self) -> None:
        self.session.rollback()
        self._committed = False

    def _collect_events(self) -> list[DomainEvent]:
        events: list[DomainEvent] = []
        for obj in [*self.session.new, *self.session.identity_map.values()]:
            if isinstance(obj, RecordsEvents):
                events.extend(obj.pull_events())
        return events
