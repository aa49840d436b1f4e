"""The system clock and a controllable one for tests and simulations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.shared.time import ensure_aware


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock:
    """A clock that only moves when told to."""

    def __init__(self, at: datetime) -> None:
        self._now = ensure_aware(at)

    def now(self) -> datetime:
        return self._now

    def set(self, at: datetime) -> None:
        self._now = ensure_aware(at)

    def advance(self, delta: timedelta) -> None:
        self._now += delta
