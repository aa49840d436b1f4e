"""Integration events: outbox in the same transaction, relay, inbox idempotency, order, parking."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, update

from adapters.sql.plumbing import inbox, outbox
from adapters.sql.uow import SqlUnitOfWork
from tests.fakes.probe import ProbeHappened, attempts, effects

NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)


def publish(container, *events: ProbeHappened) -> None:  # type: ignore[no-untyped-def]
    uow = SqlUnitOfWork(container.write_sessions)
    with uow:
        for event in events:
            uow.publish(event)
        uow.commit()


def effect_values(container) -> list[str]:  # type: ignore[no-untyped-def]
    with container.engine.connect() as c:
        return list(c.scalars(select(effects.c.value).order_by(effects.c.id)))


def outbox_rows(container) -> list[dict]:  # type: ignore[no-untyped-def]
    with container.engine.connect() as c:
        return [dict(r) for r in c.execute(select(outbox).order_by(outbox.c.id)).mappings()]


def test_published_in_the_same_transaction_as_the_change(probe_container) -> None:  # type: ignore[no-untyped-def]
    uow = SqlUnitOfWork(probe_container.write_sessions)
    with uow:
        uow.publish(ProbeHappened(occurred_at=NOW, key="rolled-back"))
        # no commit: the event must vanish with the change
    assert outbox_rows(probe_container) == []
    publish(probe_container, ProbeHappened(occurred_at=NOW, key="kept"))
    [row] = outbox_rows(probe_container)
    assert (row["event_type"], row["event_version"], row["status"]) == ("probe.happened", 1, "pending")
    assert row["payload"]["key"] == "kept"


def test_crash_after_commit_loses_nothing(probe_container) -> None:  # type: ignore[no-untyped-def]
    publish(probe_container, ProbeHappened(occurred_at=NOW, key="a#1", seq=1))
    # The process "crashed" before relaying: a new process's relay delivers on start.
    from tests.conftest import make_container
    from tests.fakes.probe import probe_registry

    restarted = make_container(probe_container.settings.database_url, registry=probe_registry())
    restarted._services["probe"] = {"engine": restarted.engine}
    report = restarted.relay.relay()
    restarted.close()
    assert (report.delivered, report.retrying, report.parked) == (1, 0, 0)
    assert effect_values(probe_container) == ["1"]
    assert outbox_rows(probe_container)[0]["status"] == "published"


def test_redelivered_event_has_one_effect(probe_container) -> None:  # type: ignore[no-untyped-def]
    event = ProbeHappened(occurred_at=NOW, key="b#1", seq=7)
    publish(probe_container, event)
    probe_container.relay.relay()
    # Deliver the same event twice more (a relay that died before marking it published).
    for _ in range(2):
        with probe_container.engine.begin() as c:
            c.execute(update(outbox).values(status="pending", published_at=None))
        assert probe_container.relay.relay().delivered == 1
    assert effect_values(probe_container) == ["7"]
    with probe_container.engine.connect() as c:
        assert c.scalar(select(func.count()).select_from(inbox)) == 1


def test_events_of_one_aggregate_are_delivered_in_commit_order(probe_container) -> None:  # type: ignore[no-untyped-def]
    publish(
        probe_container,
        ProbeHappened(occurred_at=NOW, key="order#1", seq=1, fail_times=2),  # fails twice
        ProbeHappened(occurred_at=NOW, key="order#2", seq=2),
        ProbeHappened(occurred_at=NOW, key="other#1", seq=10),  # another aggregate: not blocked
    )
    first = probe_container.relay.relay()
    assert (first.delivered, first.retrying) == (1, 1)
    assert effect_values(probe_container) == ["10"]  # order#2 waited behind order#1
    probe_container.relay.relay()
    assert effect_values(probe_container) == ["10"]
    third = probe_container.relay.relay()
    assert third.delivered == 2
    assert effect_values(probe_container) == ["10", "1", "2"]
    assert [r["attempts"] for r in outbox_rows(probe_container)] == [2, 0, 0]


def test_failing_event_is_parked_after_max_attempts(probe_container) -> None:  # type: ignore[no-untyped-def]
    publish(probe_container, ProbeHappened(occurred_at=NOW, key="doomed#1", fail_times=99))
    relay = probe_container.relay
    for _ in range(relay.max_attempts):
        relay.relay()
    [row] = outbox_rows(probe_container)
    assert row["status"] == "parked" and row["attempts"] == relay.max_attempts
    assert "probe failure" in row["last_error"]


def test_unknown_version_is_parked_not_dropped(probe_container) -> None:  # type: ignore[no-untyped-def]
    with probe_container.engine.begin() as c:
        c.execute(
            outbox.insert().values(
                event_id=__import__("uuid").uuid4(), event_type="probe.happened", event_version=9,
                payload={"key": "future"}, occurred_at=NOW, status="pending", attempts=0,
            )
        )
    report = probe_container.relay.relay()
    assert report.parked == 1
    [row] = outbox_rows(probe_container)
    assert row["status"] == "parked" and "probe.happened v9" in row["last_error"]
    assert row["payload"] == {"key": "future"}  # kept for a later consumer version


def test_relay_is_single_flight(probe_container) -> None:  # type: ignore[no-untyped-def]
    publish(probe_container, ProbeHappened(occurred_at=NOW, key="lease#1"))
    from adapters.sql.leases import DatabaseLease

    other = DatabaseLease(probe_container.engine, probe_container.clock, "outbox-relay", "someone-else",
                          __import__("datetime").timedelta(minutes=5))
    assert other.acquire()
    assert probe_container.relay.relay().delivered == 0  # another relay is at work
    other.release()
    assert probe_container.relay.relay().delivered == 1


@pytest.mark.parametrize("count", [50])
def test_many_events_all_delivered_once(probe_container, count: int) -> None:  # type: ignore[no-untyped-def]
    publish(probe_container, *(ProbeHappened(occurred_at=NOW, key=f"agg{i % 5}#{i}", seq=i) for i in range(count)))
    report = probe_container.relay.relay(batch_size=7)
    assert report.delivered == count
    assert sorted(map(int, effect_values(probe_container))) == list(range(count))
    with probe_container.engine.connect() as c:
        assert c.scalar(select(func.count()).select_from(attempts)) == count
