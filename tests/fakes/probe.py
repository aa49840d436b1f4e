"""A test-only module, ``probe``, whose tasks and subscriptions exercise the background engine
for real: they write to their own table, report progress, honour cancellation, fail or sleep."""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta
from typing import Any

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, func, insert
from sqlalchemy.exc import IntegrityError

from application.core.module import MODULE as CORE
from application.shared.context import ModuleContext, TaskContext
from application.shared.modules import (
    OPTIONAL,
    CatchUp,
    ModuleDefinition,
    ModuleRegistry,
    Queue,
    Schedule,
    TaskSpec,
)
from application.tenancy.module import MODULE as TENANCY
from contracts.shared.events import IntegrationEvent

DELIVERY_ATTEMPTS: Counter[str] = Counter()
probe_metadata = MetaData()
effects = Table(
    "probe_effects",
    probe_metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(100), nullable=False, unique=True),
    Column("value", String(200), nullable=True),
)
attempts = Table(
    "probe_attempts",
    probe_metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(100), nullable=False),
    Column("at", DateTime, server_default=func.now()),
)


class ProbeHappened(IntegrationEvent):
    event_type = "probe.happened"
    version = 1

    key: str
    seq: int = 0
    fail_times: int = 0

    @property
    def aggregate_id(self) -> str:
        return self.key.split("#")[0]


def _engine(ctx: ModuleContext) -> Any:
    return ctx.services["engine"]


def record(ctx: TaskContext, key: str, value: str = "") -> dict[str, Any]:
    """Idempotent by state check: the effect row is keyed."""
    with _engine(ctx).begin() as connection:
        connection.execute(insert(attempts).values(key=key))
    return _apply(ctx, key, value)


def slow_effect(ctx: TaskContext, key: str, seconds: float) -> dict[str, Any]:
    """Counts its attempt, sleeps (the test kills the worker here), then applies its effect."""
    with _engine(ctx).begin() as connection:
        connection.execute(insert(attempts).values(key=key))
    time.sleep(seconds)
    return _apply(ctx, key)


def _apply(ctx: TaskContext, key: str, value: str = "slow") -> dict[str, Any]:
    try:
        with _engine(ctx).begin() as connection:
            connection.execute(insert(effects).values(key=key, value=value))
    except IntegrityError:
        return {"created": False}
    return {"created": True}


def fail(ctx: TaskContext, message: str = "boom") -> None:
    raise RuntimeError(message)


def batches(ctx: TaskContext, key: str, steps: int, pause: float = 0.05) -> dict[str, Any]:
    """A long task: progress per batch, checks the cancel flag between batches."""
    done = 0
    for step in range(steps):
        ctx.check_cancelled()
        time.sleep(pause)
        done = step + 1
        ctx.progress(int(done * 100 / steps), f"batch {done}/{steps}")
    return {"batches": done}


def sleepy(ctx: TaskContext, seconds: float) -> None:
    """Busy in Python (short sleeps): Dramatiq's time limit interrupts Python code, not one long
    blocking C call."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.02)


def on_happened(event: ProbeHappened, ctx: ModuleContext) -> None:
    """Subscriber: writes one effect per event, in the relay's unit of work (with its inbox row).
    Fails the first ``fail_times`` deliveries."""
    DELIVERY_ATTEMPTS[event.key] += 1  # counted in memory: a failed delivery rolls back
    if DELIVERY_ATTEMPTS[event.key] <= event.fail_times:
        raise RuntimeError(f"probe failure {DELIVERY_ATTEMPTS[event.key]} for {event.key}")
    with ctx.unit_of_work() as uow:
        uow.session.execute(insert(attempts).values(key=event.key))
        uow.session.execute(insert(effects).values(key=event.key, value=str(event.seq)))
        uow.commit()


PROBE = ModuleDefinition(
    code="probe",
    name="Probe",
    classification=OPTIONAL,
    tasks=(
        TaskSpec("record", record),
        TaskSpec("slow_effect", slow_effect, queue=Queue.LONG_RUNNING, max_retries=3),
        TaskSpec("fail", fail, max_retries=1),
        TaskSpec("batches", batches, queue=Queue.LONG_RUNNING),
        TaskSpec("sleepy", sleepy, time_limit=timedelta(seconds=1), max_retries=0),
        TaskSpec("tick", record, queue=Queue.SCHEDULED),
    ),
    schedules=(
        Schedule("tick", cron="0 2 * * *", catch_up=CatchUp.LATEST),
    ),
    subscriptions={ProbeHappened: on_happened},
)


def probe_registry() -> ModuleRegistry:
    return ModuleRegistry([CORE, TENANCY, PROBE])
