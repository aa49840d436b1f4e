"""Billing against a real database: trials from VendorCreated, scheduled tasks (set-based),
the PlanLimits facade."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from adapters.billing.orm import checkout_sessions
from adapters.sql.plumbing import outbox
from application.billing import tasks
from application.billing.use_cases.checkout import set_cancel_at_period_end
from application.billing.use_cases.subscriptions import list_subscriptions
from application.shared.clock import FrozenClock
from application.tenancy.use_cases.remove_member import RemoveMember, remove_member
from contracts.marketplace.events import ImportJobQueued
from contracts.orders.events import OrderPlaced
from contracts.shared.events import IntegrationEvent
from contracts.tenancy.events import TeamSizeChanged
from entrypoints.bootstrap import Container
from tests.conftest import make_container
from tests.fakes.accounts import OPERATOR
from tests.fakes.tenants import World, build_world, switch_module

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
    switch_module(c, platform, "billing", on)


def subscription(c: Container, platform: int, vendor: int):  # type: ignore[no-untyped-def]
    with c.unit_of_work("billing") as uow:
        s = uow.subscriptions(platform).find(vendor)
        return None if s is None else (s.state, s.tier_code, s.period_start, s.period_end, s.trial_end)


def publish(c: Container, *events: IntegrationEvent) -> None:
    """Events from another module, through the outbox and the relay as in production."""
    with c.unit_of_work("core") as uow:
        for event in events:
            uow.publish(event)
        uow.commit()
    c.relay.relay()


def order(c: Container, platform: int, vendor: int, number: int) -> OrderPlaced:
    return OrderPlaced(occurred_at=c.clock.now(), platform_id=platform, vendor_id=vendor, order_id=number,
                       order_number=f"R{number}", channel="letzshop", total_cents=1999, currency="EUR")


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
    publish(c, *(order(c, world.p1, world.v1a, n) for n in range(5)))
    c.relay.relay()  # nothing left to deliver: still five
    assert limits.check(world.p1, world.v1a, "orders").used == 5
    clock.set(first_end + timedelta(days=65))  # three periods passed while down
    result = run(c, tasks.reset_period_counters)
    assert result == {"rolled": 2 * 3, "cancelled": 0, "platforms": 1}  # two vendors on p1, three periods each
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
    publish(c, TeamSizeChanged(occurred_at=c.clock.now(), platform_id=world.p1, vendor_id=world.v1a, members=3),
            TeamSizeChanged(occurred_at=c.clock.now(), platform_id=world.p1, vendor_id=world.v1a, members=2))
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
    publish(c, *(ImportJobQueued(occurred_at=clock.now(), platform_id=world.p1, vendor_id=world.v1a, job_id=n)
                 for n in range(5)))
    assert not facade.check(world.p1, world.v1a, "import_jobs").allowed
    clock.advance(timedelta(days=1))
    assert facade.check(world.p1, world.v1a, "import_jobs").used == 0


def test_team_size_from_tenancy_is_the_team_members_gauge(setup) -> None:  # type: ignore[no-untyped-def]
    c, world, _ = setup
    limits = c.module_services("billing").limits
    with c.unit_of_work("tenancy") as uow:
        team = uow.team(world.v1a).count()
    assert team >= 1 and limits.check(world.p1, world.v1a, "team_members").used == team
    with c.unit_of_work("tenancy") as uow:
        membership_id = next(m.id for m, _ in uow.team(world.v1a).list() if m.role != "owner")
    remove_member(RemoveMember(vendor_id=world.v1a, membership_id=membership_id, access=OPERATOR),
                  uow=c.unit_of_work("tenancy"), clock=c.clock)
    c.relay.relay()
    assert limits.check(world.p1, world.v1a, "team_members").used == team - 1


def test_a_trial_cancelled_at_period_end_ends_there_and_is_archived_later(setup) -> None:  # type: ignore[no-untyped-def]
    c, world, clock = setup
    cancel = set_cancel_at_period_end(world.p1, world.v1a, True, uow=c.unit_of_work("billing"), gateway=None,
                                      actor="test", now=clock.now())
    assert cancel.cancel_at_period_end and cancel.state == "trial"
    clock.set(cancel.period_end + timedelta(minutes=5))
    assert run(c, tasks.reset_period_counters) == {"rolled": 1, "cancelled": 1, "platforms": 1}  # v1b rolls
    assert subscription(c, world.p1, world.v1a)[0] == "cancelled"
    assert run(c, tasks.cleanup_stale_subscriptions) == {"archived": 0, "checkouts_expired": 0}
    clock.advance(timedelta(days=91))  # BILLING_RETENTION_DAYS=90
    assert run(c, tasks.cleanup_stale_subscriptions) == {"archived": 1, "checkouts_expired": 0}
    assert run(c, tasks.cleanup_stale_subscriptions)["archived"] == 0  # idempotent
    listed = list_subscriptions(world.p1, uow=c.unit_of_work("billing"))
    assert [s.vendor_id for s in listed] == [world.v1b]  # archived: kept, not listed


def test_abandoned_checkouts_expire_after_a_day(setup) -> None:  # type: ignore[no-untyped-def]
    c, world, clock = setup
    with c.unit_of_work("billing") as uow:
        uow.checkouts.opened("cs_old", world.v1a, "professional", clock.now())
        uow.checkouts.opened("cs_paid", world.v1b, "professional", clock.now())
        uow.checkouts.completed("cs_paid", clock.now())
        uow.commit()
    clock.advance(timedelta(hours=23))
    assert run(c, tasks.cleanup_stale_subscriptions)["checkouts_expired"] == 0
    clock.advance(timedelta(hours=2))
    assert run(c, tasks.cleanup_stale_subscriptions)["checkouts_expired"] == 1
    with c.engine.connect() as conn:
        states = dict(conn.execute(select(checkout_sessions.c.id, checkout_sessions.c.status)).all())
    assert states == {"cs_old": "expired", "cs_paid": "complete"}


def test_enabling_billing_starts_trials_for_vendors_created_while_it_was_off(setup) -> None:  # type: ignore[no-untyped-def]
    c, world, _ = setup
    assert subscription(c, world.p2, world.v2a) is None
    switch(c, world.p2, True)
    c.relay.relay()
    assert subscription(c, world.p2, world.v2a)[0] == "trial"
    first = subscription(c, world.p1, world.v1a)
    switch(c, world.p1, False)
    switch(c, world.p1, True)
    c.relay.relay()
    assert subscription(c, world.p1, world.v1a) == first  # an existing subscription is kept


def test_scheduled_billing_tasks_are_registered(setup) -> None:  # type: ignore[no-untyped-def]
    c, _, _ = setup
    schedules = {s.task: s.cron for s in c.registry.get("billing").schedules}
    assert schedules == {"reset_period_counters": "5 0 * * *", "check_trial_expirations": "0 1 * * *",
                         "process_stripe_events": "*/5 * * * *", "sync_stripe_status": "30 * * * *",
                         "cleanup_stale_subscriptions": "0 3 * * 0"}
    assert run(c, tasks.sync_stripe_status) == {"skipped": "payments not configured (BILLING_STRIPE_API_KEY)"}
