"""The outbox relay: delivers committed integration events to the subscribing modules.

Each delivery runs in the subscriber's unit of work together with its inbox row
(event id, subscriber), so a redelivered event has one effect. Events of one aggregate are
delivered in commit order: when one fails, later events of that aggregate wait. A failing event
is retried on the next round and parked after ``max_attempts``; an event whose type or version
is unknown is parked at once, never dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import attrs
from pydantic import ValidationError
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from adapters.sql.engine import writer
from adapters.sql.leases import DatabaseLease
from adapters.sql.plumbing import inbox, outbox
from adapters.sql.uow import SqlUnitOfWork
from application.shared.context import ModuleContext
from application.shared.modules import ModuleRegistry
from application.shared.ports import Clock
from contracts.shared.events import IntegrationEvent, UnknownEventVersion, decode_event

log = logging.getLogger("wizamart.outbox")

PENDING, PUBLISHED, PARKED = "pending", "published", "parked"
Accepted = dict[tuple[str, int | None], bool]  # (module, platform id) -> whether it acts there


@attrs.frozen
class RelayReport:
    delivered: int = 0
    retrying: int = 0
    parked: int = 0

    def __add__(self, other: RelayReport) -> RelayReport:
        return RelayReport(
            self.delivered + other.delivered,
            self.retrying + other.retrying,
            self.parked + other.parked,
        )


def subscriber_name(module: str, handler: Callable[..., Any]) -> str:
    return f"{module}:{getattr(handler, '__qualname__', repr(handler))}"


class OutboxRelay:
    def __init__(
        self,
        engine: Engine,
        registry: ModuleRegistry,
        clock: Clock,
        *,
        unit_of_work: Callable[[str], SqlUnitOfWork],
        context: Callable[[str, SqlUnitOfWork], ModuleContext],
        lease: DatabaseLease,
        max_attempts: int = 10,
        accepts: Callable[[str, int | None], bool] = lambda module, platform_id: True,
    ) -> None:
        self._engine = writer(engine)
        self._clock = clock
        self._unit_of_work = unit_of_work
        self._context = context
        self._lease = lease
        self._accepts = accepts
        self.max_attempts = max_attempts
        self._subscribers: dict[type, list[tuple[str, Callable[..., Any]]]] = {}
        for definition in registry:
            for event_class, handler in definition.subscriptions.items():
                self._subscribers.setdefault(event_class, []).append((definition.code, handler))

    def relay(self, batch_size: int = 200, max_batches: int = 1000) -> RelayReport:
        """Deliver pending events until none is left (or another relay holds the lease)."""
        if not self._lease.acquire():
            return RelayReport()
        total = RelayReport()
        # Within one relay run, a failed event is not tried again (its next attempt is the next
        # run), and later events of its aggregate wait behind it.
        waiting: set[int] = set()
        blocked: set[str] = set()
        accepted: Accepted = {}  # asked once per run, not per event and subscriber
        try:
            for _ in range(max_batches):
                report, seen = self._relay_batch(batch_size, waiting, blocked, accepted)
                total += report
                if seen < batch_size or not self._lease.acquire():  # renew between batches
                    break
        finally:
            self._lease.release()
        return total

    def _relay_batch(
        self, batch_size: int, waiting: set[int], blocked: set[str], accepted: Accepted
    ) -> tuple[RelayReport, int]:
        query = select(outbox).where(outbox.c.status == PENDING)
        if waiting:
            query = query.where(outbox.c.id.notin_(waiting))
        with self._engine.connect() as connection:
            rows = connection.execute(query.order_by(outbox.c.id).limit(batch_size)).mappings().all()
        report = RelayReport()
        delivered: list[int] = []
        for row in rows:
            key = row["aggregate_id"]
            if key is not None and key in blocked:
                waiting.add(row["id"])
                continue
            try:
                event = decode_event(row["event_type"], row["event_version"], row["payload"])
            except (UnknownEventVersion, ValidationError) as exc:
                self._park(row["id"], f"cannot decode: {exc}")
                report += RelayReport(parked=1)
                continue
            errors = [
                error
                for module, handler in self._subscribers.get(type(event), [])
                if (error := self._deliver(event, module, handler, accepted)) is not None
            ]
            if not errors:
                delivered.append(row["id"])
                report += RelayReport(delivered=1)
            elif row["attempts"] + 1 >= self.max_attempts:
                self._park(row["id"], "; ".join(errors), attempts=row["attempts"] + 1)
                report += RelayReport(parked=1)
            else:
                self._mark(row["id"], attempts=row["attempts"] + 1, last_error="; ".join(errors)[-4000:])
                waiting.add(row["id"])
                if key is not None:
                    blocked.add(key)
                report += RelayReport(retrying=1)
        if delivered:  # marked once per batch; a crash before this re-delivers, the inbox dedups
            with self._engine.begin() as connection:
                connection.execute(
                    update(outbox)
                    .where(outbox.c.id.in_(delivered))
                    .values(status=PUBLISHED, published_at=self._clock.now())
                )
        return report, len(rows)

    def _deliver(
        self, event: IntegrationEvent, module: str, handler: Callable[..., Any], accepted: Accepted
    ) -> str | None:
        """Run one subscriber once; None on success (or when it already ran), else the error."""
        subscriber = subscriber_name(module, handler)
        uow = self._unit_of_work(module)
        try:
            with uow:
                done = uow.session.scalar(
                    select(inbox.c.status).where(
                        inbox.c.event_id == event.event_id, inbox.c.subscriber == subscriber
                    )
                )
                if done is not None:
                    return None  # delivered before: one effect only
                key = (module, event.platform_id)
                if key not in accepted:
                    accepted[key] = self._accepts(*key)
                uow.session.execute(
                    insert(inbox).values(
                        event_id=event.event_id,
                        subscriber=subscriber,
                        status="processed" if accepted[key] else "ignored",  # module off there
                        processed_at=self._clock.now(),
                    )
                )
                if accepted[key]:
                    handler(event, self._context(module, uow))
                uow.commit()
        except IntegrityError as exc:
            if _is_inbox_duplicate(exc):
                return None  # delivered before: one effect only
            return self._failed(event, subscriber, exc)
        except Exception as exc:  # noqa: BLE001 - reported, retried, then parked
            return self._failed(event, subscriber, exc)
        return None

    def _failed(self, event: IntegrationEvent, subscriber: str, exc: Exception) -> str:
        log.exception(
            "integration event handler failed",
            extra={"event_id": str(event.event_id), "event_type": event.event_type, "subscriber": subscriber},
        )
        return f"{subscriber}: {type(exc).__name__}: {exc}"

    def _park(self, row_id: int, error: str, **values: Any) -> None:
        log.error("integration event parked", extra={"outbox_id": row_id, "error": error})
        self._mark(row_id, status=PARKED, last_error=error[-4000:], **values)

    def _mark(self, row_id: int, **values: Any) -> None:
        with self._engine.begin() as connection:
            connection.execute(update(outbox).where(outbox.c.id == row_id).values(**values))


def _is_inbox_duplicate(exc: IntegrityError) -> bool:
    text = str(exc.orig).lower()
    return "core_inbox" in text or "pk_core_inbox" in text
