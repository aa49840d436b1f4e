"""Billing against a real database: trials from VendorCreated, scheduled tasks (set-based),
the PlanLimits facade."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from adapters.sql.plumbing import outbox
from application.billing import tasks
from application.shared.clock import FrozenClock
from application.tenancy.use_cases.set_module_enabled import SetModuleEnabled, set_module_enabled
from entrypoints.bootstrap import Container
from tests.conftest import make_container
from tests.fakes.accounts import OPERATOR
from tests.fakes.tenants import World, build_world

START = datetime(2026, 11, 1, 12, tzinfo=UTC)


@pytest.fixture
def setup(container: Container) -> Iterator[tuple[Container, World, FrozenClock]]:
    clock = FrozenClock(START)
    c = make_container(container.settings.database_url, clock=clock)
    world = build_world(c, None)
    switch(c, world.p1, True)  # billing on for p1, off for p2
    c.relay.relay()  # VendorCreated -> trials (only where billing is on)
    yield c, world, clock
    c.close()


def switch(c: Container, platform: int, on: bool) -> None:
    set_module_enabled(SetModuleEnabled(platform_id=platform, module="billing", enabled=on, access=OPERATOR),
                       uow=c.unit_of_work("tenancy"), clock=c.clock, registry=c.registry)


def subscription(c: Container, platform: int, vendor: int):  # type: ignore[no-untyped-def]
    with c.unit_of_work("billing") as uow:
        s = uow.subscriptions(platform).find(vendor)
        return None if s is None else (s.state, s.tier_code, s.period_start, s.period_end, s.trial_end)


def run(c: Container, task) -> dict:  # type: ignore[no-untyped-def, type-arg]
    return task(c.task_context("billing", __import__("uuid").uuid4()))


def test_new_vendors_get_a_trial_where_billing_is_on(setup) -> None:  # type: ignore[no-untyped-def]
    c, world, _ = setup
    state, tier, start, end, trial_end = subscription(c, world.p1, world.v1a)
    assert (state, tier) == ("trial", "essential") and trial_end == START + timedelta(days=14)
    assert subscription(c, world.p2, world.v2a) is None  # billing off on p2: event ignored
    assert subscription(c, world.p2, world.v1a) is None  # scoped: p1's vendor is not p2's
    c.relay.relay()  # redelivery changes nothing
    assert subscription(c, world.p1, world.v1a)[2] == start


def test_reset_period_counters_rolls_ended_periods_set_based(setup) -> None:  # type: ignore[no-untyped-def]
    c, world, clock = setup
    first_end = subscription(c, world.p1, world.v1a)[3]
    limits = c.module_services("billing").limits
    limits.record(world.v1a, "orders", 5)
    assert limits.check(world.p1, world.v1a, "orders").used == 5
    clock.set(first_end + timedelta(days=65))  # three periods passed while down
    result = run(c, tasks.reset_period_counters)
    assert result == {"rolled": 2 * 3, "platforms": 1}  # two vendors on p1, three periods each
    _, _, start, end, _ = subscription(c, world.p1, world.v1a)
    assert start == first_end + timedelta(days=60) and end == first_end + timedelta(days=90)
    assert limits.check(world.p1, world.v1a, "orders").used == 0  # the new period counts from zero
    assert run(c, tasks.reset_period_counters)["rolled"] == 0  # idempotent for the slot


def test_trials_warn_once_then_expire_with_events(setup) -> None:  # type: ignore[no-untyped-def]
    c, world, clock = setup
    clock.set(START + timedelta(days=12))
    assert run(c, tasks.check_trial_expirations) == {"expired": 0, "ending_soon": 2}
    assert run(c, tasks.check_trial_expirations) == {"expired": 0, "ending_soon": 0}
    clock.set(START + timedelta(days=14, seconds=1))
    assert run(c, tasks.check_trial_expirations) == {"expired": 2, "ending_soon": 0}
    assert subscription(c, world.p1, world.v1a)[0] == "expired"
    with c.engine.connect() as conn:
        events = conn.execute(select(outbox.c.event_type, outbox.c.vendor_id).where(
            outbox.c.event_type.like("billing.%")).order_by(outbox.c.id)).all()
    assert sorted((e.event_type, e.vendor_id) for e in events) == sorted(
        [("billing.trial_ending_soon", world.v1a), ("billing.trial_ending_soon", world.v1b),
         ("billing.trial_expired", world.v1a), ("billing.trial_expired", world.v1b)])
    limits = c.module_services("billing").limits.check(world.p1, world.v1a, "products")
    assert not limits.allowed and limits.reason == "subscription expired"


def test_limits_block_or_flag_and_billing_off_allows_everything(setup, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    c, world, _ = setup
    facade = c.module_services("billing").limits
    for _ in range(2):
        facade.record(world.v1a, "team_members")
    at_limit = facade.check(world.p1, world.v1a, "team_members")  # essential: 2 team members
    assert (at_limit.allowed, at_limit.limit, at_limit.used, at_limit.remaining) == (False, 2, 2, 0)
    assert at_limit.reason == "plan limit of 2 team_members reached"
    ok = facade.check(world.p1, world.v1a, "products")
    assert (ok.allowed, ok.remaining) == (True, 200)
    monkeypatch.setenv("BILLING_OVER_LIMIT", "flag")
    flagging = make_container(c.settings.database_url, clock=c.clock)
    flagged = flagging.module_services("billing").limits.check(world.p1, world.v1a, "team_members")
    assert flagged.allowed and flagged.flagged
    flagging.close()
    assert facade.check(world.p2, world.v2a, "orders").allowed  # billing off on p2
    switch(c, world.p1, False)
    assert facade.check(world.p1, world.v1a, "team_members").allowed


def test_import_jobs_count_per_day(setup) -> None:  # type: ignore[no-untyped-def]
    c, world, clock = setup
    facade = c.module_services("billing").limits
    for _ in range(5):
        facade.record(world.v1a, "import_jobs")
    assert not facade.check(world.p1, world.v1a, "import_jobs").allowed
    clock.advance(timedelta(days=1))
    assert facade.check(world.p1, world.v1a, "import_jobs").used == 0
