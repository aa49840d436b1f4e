"""Domain events and the ``RecordsEvents`` aggregate mixin."""

from __future__ import annotations

import uuid
from datetime import datetime

import attrs

from domain.shared.time import ensure_aware

__all__ = ["DomainEvent", "RecordsEvents"]


def _aware(_instance: object, _attribute: object, value: datetime) -> None:
    """attrs validator: ``occurred_at`` must be an aware datetime."""
    if not isinstance(value, datetime):
        raise TypeError(f"occurred_at must be a datetime, got {type(value).__name__}")
    ensure_aware(value)


@attrs.frozen(kw_only=True)
class DomainEvent:
    """Immutable fact that happened in the domain.

    Subclasses are attrs frozen classes adding their own fields::

        @attrs.frozen(kw_only=True)
        class ProductPublished(DomainEvent):
            product_id: int
    """

    occurred_at: datetime = attrs.field(validator=_aware)
    event_id: uuid.UUID = attrs.field(factory=uuid.uuid4)


_EVENTS_ATTR = "_recorded_domain_events"


class RecordsEvents:
    """Mixin letting an aggregate collect events until a unit of work pulls them.

    Aggregates are attrs classes with ``slots=False`` and may be loaded by an
    ORM without running ``__init__``, so the buffer lives in the instance
    ``__dict__`` and is created on first use.
    """

    def _event_buffer(self) -> list[DomainEvent]:
        buffer: list[DomainEvent] = self.__dict__.setdefault(_EVENTS_ATTR, [])
        return buffer

    def record(self, event: DomainEvent) -> None:
        """Append an event to the pending list."""
        self._event_buffer().append(event)

    def pull_events(self) -> list[DomainEvent]:
        """Return the pending events in recording order and clear them."""
        buffer = self._event_buffer()
        events = list(buffer)
        buffer.clear()
        return events

    @property
    def pending_events(self) -> tuple[DomainEvent, ...]:
        """Read-only snapshot of the events not yet pulled."""
        return tuple(self._event_buffer())
