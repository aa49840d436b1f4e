"""The scheduler: each tick, the leader fires the due slot of every enabled, unpaused schedule.

A slot is enqueued with the idempotency key ``schedule:<module>.<task>:<slot>``, then recorded in
``core_fired_slots``; two leaders that overlap (a lease lost mid-tick) enqueue one run between
them. The last-run pointer is persisted, so a restart neither misses the last slot nor replays a
burst (see application.shared.scheduling.decide).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

import attrs
from sqlalchemy import Engine

from adapters.scheduler.state import load_states, record_fired, save_state
from adapters.sql.engine import writer
from application.shared.modules import ModuleRegistry, Schedule
from application.shared.ports import Clock
from application.shared.scheduling import DEFAULT_GRACE, decide, next_slot
from application.shared.tasks import TaskQueue

log = logging.getLogger("wizamart.scheduler")


class Lease(Protocol):
    def acquire(self) -> bool: ...

    def release(self) -> None: ...


@attrs.frozen
class Fired:
    schedule: str
    slot: datetime
    run_id: object
    skipped: int


def schedule_name(module: str, schedule: Schedule) -> str:
    return f"{module}.{schedule.task}"


class Scheduler:
    def __init__(
        self,
        registry: ModuleRegistry,
        engine: Engine,
        clock: Clock,
        task_queue: TaskQueue,
        lease: Lease,
        *,
        grace: timedelta = DEFAULT_GRACE,
    ) -> None:
        self._registry = registry
        self._engine = writer(engine)
        self._clock = clock
        self._queue = task_queue
        self._lease = lease
        self._grace = grace

    def schedules(self) -> list[tuple[str, Schedule]]:
        return [(schedule_name(d.code, s), s) for d in self._registry for s in d.schedules]

    def tick(self) -> list[Fired]:
        """Fire what is due now; does nothing unless this scheduler holds the lease."""
        if not self._lease.acquire():
            return []
        now = self._clock.now()
        fired: list[Fired] = []
        with self._engine.connect() as connection:
            states = load_states(connection)
        for name, schedule in self.schedules():
            state = states.get(name)
            if not schedule.enabled or (state is not None and state.paused):
                continue
            decision = decide(schedule, state.last_slot_at if state else None, now, self._grace)
            if decision is None:
                continue
            run_id = None
            if decision.fire is not None:
                run_id = self._queue.enqueue(
                    name, idempotency_key=f"schedule:{name}:{decision.fire.isoformat()}"
                )
            with self._engine.begin() as connection:
                if decision.fire is not None and record_fired(
                    connection, name, decision.fire, now, run_id
                ):
                    fired.append(Fired(name, decision.fire, run_id, decision.skipped))
                    log.info("schedule fired", extra={"schedule": name, "slot": decision.fire.isoformat(), "skipped": decision.skipped})
                save_state(connection, name, now, last_slot_at=decision.pointer)
        return fired

    def next_fire_times(self) -> list[tuple[str, Schedule, datetime | None, bool]]:
        """(name, schedule, next fire time or None when disabled/paused, paused)."""
        now = self._clock.now()
        with self._engine.connect() as connection:
            states = load_states(connection)
        out = []
        for name, schedule in self.schedules():
            paused = bool(states.get(name) and states[name].paused)
            upcoming = None if paused or not schedule.enabled else next_slot(schedule.cron, schedule.timezone, now)
            out.append((name, schedule, upcoming, paused))
        return out

    def run(self, stop: threading.Event, interval: float = 5.0,
            after_tick: Callable[[], object] | None = None) -> None:
        """Tick every ``interval`` seconds until ``stop`` is set, then ``after_tick`` if given."""
        while not stop.is_set():
            try:
                self.tick()
                if after_tick is not None:
                    after_tick()
            except Exception:  # one failed tick must not stop the scheduler
                log.exception("scheduler tick failed")
            stop.wait(interval)
        self._lease.release()
