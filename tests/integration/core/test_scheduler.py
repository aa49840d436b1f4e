"""The scheduler against a real database with a controllable clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import attrs
from sqlalchemy import select

from adapters.scheduler.leases import InProcessLease
from adapters.scheduler.loop import Scheduler
from adapters.sql.leases import DatabaseLease
from adapters.sql.plumbing import fired_slots, task_runs
from application.core.module import MODULE as CORE
from application.core.use_cases.set_schedule_paused import SetSchedulePaused, set_schedule_paused
from application.shared.clock import FrozenClock
from application.shared.modules import OPTIONAL, CatchUp, ModuleDefinition, ModuleRegistry, Schedule, TaskSpec
from tests.conftest import make_container
from tests.fakes.probe import record

START = datetime(2026, 3, 27, 12, tzinfo=UTC)


def registry(*schedules: Schedule) -> ModuleRegistry:
    probe = ModuleDefinition(
        code="probe", name="Probe", classification=OPTIONAL,
        tasks=(TaskSpec("tick", record, queue="scheduled"),), schedules=schedules,
    )
    # Core's own every-minute schedules would only add noise (and time) here.
    return ModuleRegistry([attrs.evolve(CORE, schedules=()), probe])


def runs(container, task: str = "probe.tick") -> list[dict]:  # type: ignore[no-untyped-def]
    with container.engine.connect() as c:
        return [dict(r) for r in c.execute(select(task_runs).where(task_runs.c.task == task).order_by(task_runs.c.enqueued_at)).mappings()]


def fired(container) -> list[datetime]:  # type: ignore[no-untyped-def]
    with container.engine.connect() as c:
        return list(c.scalars(select(fired_slots.c.slot_at).where(fired_slots.c.schedule == "probe.tick").order_by(fired_slots.c.slot_at)))


def setup(container, *schedules: Schedule, clock: FrozenClock | None = None):  # type: ignore[no-untyped-def]
    clock = clock or FrozenClock(START)
    c = make_container(container.settings.database_url, registry=registry(*schedules), clock=clock)
    return c, clock


def scheduler(c, lease=None) -> Scheduler:  # type: ignore[no-untyped-def]
    return Scheduler(c.registry, c.engine, c.clock, c.task_queue, lease or InProcessLease())


def walk(s: Scheduler, clock: FrozenClock, until: datetime, step: timedelta) -> None:
    while clock.now() < until:
        clock.advance(step)
        s.tick()


def test_dst_spring_forward_day_fires_each_daily_slot_once(container) -> None:  # type: ignore[no-untyped-def]
    c, clock = setup(container, Schedule("tick", cron="30 2 * * *"))
    s = scheduler(c)
    s.tick()  # first start: pointer = now
    walk(s, clock, datetime(2026, 3, 31, tzinfo=UTC), timedelta(minutes=10))
    assert fired(c) == [datetime(2026, 3, 28, 1, 30, tzinfo=UTC), datetime(2026, 3, 29, 1, 30, tzinfo=UTC), datetime(2026, 3, 30, 0, 30, tzinfo=UTC)]
    assert len(runs(c)) == 3


def test_dst_fall_back_day_fires_the_repeated_hour_once(container) -> None:  # type: ignore[no-untyped-def]
    c, clock = setup(container, Schedule("tick", cron="30 2 * * *"), clock=FrozenClock(datetime(2026, 10, 24, 12, tzinfo=UTC)))
    s = scheduler(c)
    s.tick()
    walk(s, clock, datetime(2026, 10, 26, 12, tzinfo=UTC), timedelta(minutes=10))
    assert fired(c) == [datetime(2026, 10, 25, 0, 30, tzinfo=UTC), datetime(2026, 10, 26, 1, 30, tzinfo=UTC)]


def test_restart_after_three_day_outage_fires_once(container) -> None:  # type: ignore[no-untyped-def]
    c, clock = setup(container, Schedule("tick", cron="0 2 * * *", catch_up=CatchUp.LATEST))
    s = scheduler(c)
    s.tick()
    walk(s, clock, datetime(2026, 3, 28, 3, tzinfo=UTC), timedelta(minutes=30))
    assert len(fired(c)) == 1
    clock.advance(timedelta(days=3, hours=5))  # down for three days
    restarted = scheduler(make_container(c.settings.database_url, registry=c.registry, clock=clock))
    restarted.tick()
    restarted.tick()
    assert fired(c)[-1] == datetime(2026, 3, 31, 0, tzinfo=UTC)  # only the latest missed slot
    assert len(fired(c)) == 2


def test_catch_up_none_after_outage_fires_nothing_old(container) -> None:  # type: ignore[no-untyped-def]
    c, clock = setup(container, Schedule("tick", cron="0 2 * * *", catch_up=CatchUp.NONE))
    s = scheduler(c)
    s.tick()
    clock.advance(timedelta(days=3))
    s.tick()
    assert fired(c) == []
    walk(s, clock, clock.now() + timedelta(days=1), timedelta(minutes=1))
    assert len(fired(c)) == 1  # the next slot on time fires again


def test_two_schedulers_racing_fire_each_slot_once(container) -> None:  # type: ignore[no-untyped-def]
    c, clock = setup(container, Schedule("tick", cron="*/15 * * * *"))
    a, b = scheduler(c), scheduler(c)  # both think they lead (lease lost mid-tick)
    a.tick()
    b.tick()
    for _ in range(12):
        clock.advance(timedelta(minutes=5))
        b.tick()
        a.tick()
    assert len(fired(c)) == 4
    assert len(runs(c)) == 4
    assert len({r["idempotency_key"] for r in runs(c)}) == 4


def test_only_the_lease_holder_ticks(container) -> None:  # type: ignore[no-untyped-def]
    c, clock = setup(container, Schedule("tick", cron="*/15 * * * *"))
    ttl = timedelta(minutes=20)
    leader = scheduler(c, DatabaseLease(c.engine, clock, "scheduler", "a", ttl))
    follower = scheduler(c, DatabaseLease(c.engine, clock, "scheduler", "b", ttl))
    leader.tick()
    clock.advance(timedelta(minutes=15))
    assert follower.tick() == []
    assert len(leader.tick()) == 1
    clock.advance(timedelta(minutes=21))  # the leader died: its lease expires
    assert len(follower.tick()) == 1


def test_disabled_and_paused_schedules_never_fire(container) -> None:  # type: ignore[no-untyped-def]
    c, clock = setup(container, Schedule("tick", cron="* * * * *", enabled=False))
    s = scheduler(c)
    s.tick()
    walk(s, clock, START + timedelta(hours=1), timedelta(minutes=1))
    assert fired(c) == []
    [(name, _, next_at, paused)] = [x for x in s.next_fire_times() if x[0] == "probe.tick"]
    assert next_at is None and not paused

    c2, clock2 = setup(container, Schedule("tick", cron="* * * * *"))
    s2 = scheduler(c2)
    s2.tick()
    set_schedule_paused(SetSchedulePaused(schedule="probe.tick", paused=True, actor="test"),
                        uow=c2.unit_of_work("core"), clock=clock2, maintenance=c2.module_services("core"))
    walk(s2, clock2, clock2.now() + timedelta(minutes=30), timedelta(minutes=1))
    assert fired(c2) == []
    set_schedule_paused(SetSchedulePaused(schedule="probe.tick", paused=False, actor="test"),
                        uow=c2.unit_of_work("core"), clock=clock2, maintenance=c2.module_services("core"))
    walk(s2, clock2, clock2.now() + timedelta(minutes=3), timedelta(minutes=1))
    assert len(fired(c2)) == 3  # resumed: the latest missed slot once, then each minute


def test_next_fire_times(container) -> None:  # type: ignore[no-untyped-def]
    c, _ = setup(container, Schedule("tick", cron="0 1 * * *"))
    entries = {name: next_at for name, _, next_at, _ in scheduler(c).next_fire_times()}
    assert entries == {"probe.tick": datetime(2026, 3, 28, 0, tzinfo=UTC)}
