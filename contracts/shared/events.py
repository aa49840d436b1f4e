"""Integration events: the facts one module publishes for others, through the outbox.

Each event class names its ``event_type`` and ``version``; both are stored with the payload, so a
consumer can refuse (park) a version it does not know instead of misreading it.
"""

from __future__ import annotations

from typing import Any, ClassVar
from uuid import UUID, uuid4

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

_EVENT_TYPES: dict[tuple[str, int], type[IntegrationEvent]] = {}


class IntegrationEvent(BaseModel):
    """Base class: frozen, versioned, primitive fields only."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_type: ClassVar[str] = ""
    version: ClassVar[int] = 1

    event_id: UUID = Field(default_factory=uuid4)
    occurred_at: AwareDatetime
    platform_id: int | None = None
    vendor_id: int | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.event_type:
            key = (cls.event_type, cls.version)
            existing = _EVENT_TYPES.get(key)
            if existing is not None and existing.__qualname__ != cls.__qualname__:
                raise TypeError(f"integration event {key} is declared twice")
            _EVENT_TYPES[key] = cls

    @property
    def aggregate_id(self) -> str | None:
        """Events of one aggregate are delivered in commit order; override to name it."""
        return None


class UnknownEventVersion(LookupError):
    """No class on this side for an event's type and version (the relay parks the event)."""


def event_class(event_type: str, version: int) -> type[IntegrationEvent]:
    try:
        return _EVENT_TYPES[(event_type, version)]
    except KeyError:
        known = sorted(v for (t, v) in _EVENT_TYPES if t == event_type)
        raise UnknownEventVersion(
            f"no consumer-side class for {event_type} v{version} (known versions: {known or 'none'})"
        ) from None


def decode_event(event_type: str, version: int, payload: dict[str, Any]) -> IntegrationEvent:
    return event_class(event_type, version).model_validate(payload)
