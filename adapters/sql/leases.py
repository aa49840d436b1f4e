"""Leases: at most one holder of a named role (scheduler leader, outbox relay) at a time."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, delete, insert, or_, update
from sqlalchemy.exc import IntegrityError

from adapters.sql.engine import writer
from adapters.sql.plumbing import leases
from application.shared.ports import Clock


class DatabaseLease:
    """A lease row: taken when free or expired, renewed by its holder, lost when not renewed
    within ``ttl``. Works on SQLite and PostgreSQL alike."""

    def __init__(self, engine: Engine, clock: Clock, name: str, holder: str, ttl: timedelta):
        self._engine = writer(engine)
        self._clock = clock
        self.name = name
        self.holder = holder
        self.ttl = ttl

    def acquire(self) -> bool:
        """Take or renew the lease; False while someone else holds it."""
        now = self._clock.now()
        with self._engine.begin() as connection:
            taken = connection.execute(
                update(leases)
                .where(
                    leases.c.name == self.name,
                    or_(leases.c.holder == self.holder, leases.c.expires_at < now),
                )
                .values(holder=self.holder, expires_at=now + self.ttl)
            ).rowcount
        if taken:
            return True
        try:
            with self._engine.begin() as connection:
                connection.execute(
                    insert(leases).values(
                        name=self.name, holder=self.holder, expires_at=now + self.ttl
                    )
                )
        except IntegrityError:
            return False
        return True

    def release(self) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                delete(leases).where(leases.c.name == self.name, leases.c.holder == self.holder)
            )
