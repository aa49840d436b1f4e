"""The task-run bookkeeping written behind: claims and outcomes, merged or not, in order."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from adapters.sql.task_runs import TaskRunStore
from application.shared.clock import FrozenClock
from domain.core.model import TaskState

TIMEOUT = timedelta(seconds=60)


def new_run(store) -> uuid.UUID:  # type: ignore[no-untyped-def]
    run_id, _ = store.create(run_id=uuid.uuid4(), task="core.prune_history", module="core", queue="scheduled",
                             args={}, max_retries=1, message_id=None)
    return run_id


def test_claim_and_outcome_in_one_batch_become_one_write(container) -> None:  # type: ignore[no-untyped-def]
    store = container.task_runs
    a, b = new_run(store), new_run(store)
    store.write([
        ("claim", store.claim_params(a, TIMEOUT)),
        ("claim", store.claim_params(b, TIMEOUT)),
        ("outcome", store.outcome(a, TaskState.SUCCEEDED, result={"pruned": 3})),
    ])
    ran, running = store.get(a), store.get(b)
    assert (ran["state"], ran["attempt"], ran["progress"], ran["result"]) == ("succeeded", 1, 100, {"pruned": 3})
    assert ran["started_at"] <= ran["finished_at"]
    assert (running["state"], running["attempt"]) == ("running", 1)
    store.write([("outcome", store.outcome(b, TaskState.FAILED, error="boom"))])
    assert (store.get(b)["state"], store.get(b)["error"]) == ("failed", "boom")


def test_retry_then_final_outcome_keep_their_order(container) -> None:  # type: ignore[no-untyped-def]
    store = container.task_runs
    run = new_run(store)
    store.write([
        ("claim", store.claim_params(run, TIMEOUT)),
        ("outcome", store.retry_params(run, "first try failed")),
        ("claim", store.claim_params(run, TIMEOUT)),
        ("outcome", store.outcome(run, TaskState.SUCCEEDED)),
    ])
    final = store.get(run)
    assert (final["state"], final["attempt"]) == ("succeeded", 2)


def test_a_cancelled_or_finished_run_is_never_reopened(container) -> None:  # type: ignore[no-untyped-def]
    store = container.task_runs
    cancelled, finished = new_run(store), new_run(store)
    with container.unit_of_work("core") as uow:
        uow.task_runs.get(cancelled).request_cancel(container.clock.now())
        uow.commit()
    assert cancelled in store.cancelled_before_start()
    store.write([])  # nothing to write is fine
    store.write([("claim", store.claim_params(finished, TIMEOUT)),
                 ("outcome", store.outcome(finished, TaskState.SUCCEEDED))])
    # A duplicate delivery of each is claimed and finished again in a later batch.
    store.write([
        ("claim", store.claim_params(cancelled, TIMEOUT)),
        ("outcome", store.outcome(cancelled, TaskState.SUCCEEDED)),
        ("claim", store.claim_params(finished, TIMEOUT)),
        ("outcome", store.outcome(finished, TaskState.FAILED, error="duplicate")),
    ])
    assert store.get(cancelled)["state"] == "cancelled"
    assert (store.get(finished)["state"], store.get(finished)["attempt"]) == ("succeeded", 1)


def test_a_timestamp_written_behind_compares_like_one_written_by_sqlalchemy(container) -> None:  # type: ignore[no-untyped-def]
    """The writes behind go to the driver directly; their timestamps must take the form SQLAlchemy
    gives them (SQLite compares text: '12:00:00' sorts before '12:00:00.000000')."""
    clock = FrozenClock(datetime(2026, 11, 22, 12, 0, tzinfo=UTC))  # a whole second
    store = TaskRunStore(container.engine, clock)
    run = new_run(store)
    store.write([("claim", store.claim_params(run, TIMEOUT))])
    clock.advance(TIMEOUT)
    assert store.reap(heartbeat_timeout=TIMEOUT) == []  # the heartbeat is exactly as old as allowed
    clock.advance(timedelta(microseconds=1))
    assert [dead["id"] for dead in store.reap(heartbeat_timeout=TIMEOUT)] == [run]


def test_one_batch_applies_every_step_to_its_own_run_only(container) -> None:  # type: ignore[no-untyped-def]
    """A batch is one set-based statement per kind of step: each run gets its own values, a run
    running with a fresh heartbeat is not claimed again, one with a stale heartbeat is."""
    clock = FrozenClock(datetime(2026, 12, 7, 12, 0, tzinfo=UTC))
    store = TaskRunStore(container.engine, clock)
    runs = [new_run(store) for _ in range(300)]
    fresh, stale = new_run(store), new_run(store)
    store.write([("claim", store.claim_params(fresh, TIMEOUT)), ("claim", store.claim_params(stale, TIMEOUT))])
    clock.advance(TIMEOUT + timedelta(seconds=1))
    store.heartbeat([fresh])
    steps = [("claim", store.claim_params(run, TIMEOUT)) for run in [*runs, fresh, stale]]
    steps += [("outcome", store.outcome(run, TaskState.SUCCEEDED, result={"n": n})) for n, run in enumerate(runs)]
    store.write(steps)
    assert [(store.get(run)["state"], store.get(run)["result"]) for run in runs] == [
        ("succeeded", {"n": n}) for n in range(len(runs))]
    assert store.get(fresh)["attempt"] == 1  # not claimed twice
    assert (store.get(stale)["attempt"], store.get(stale)["state"]) == (2, "running")
