"""Tasks through our actors, middleware and a real Dramatiq worker on the StubBroker."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from uuid import UUID

import dramatiq
import pytest
from sqlalchemy import func, select

from application.core.use_cases.cancel_task_run import CancelTaskRun, cancel_task_run
from application.core.use_cases.reap_dead_runs import reap_dead_runs
from application.core.use_cases.retry_task_run import RetryTaskRun, retry_task_run
from domain.shared.errors import Conflict, NotFound, ValidationFailed
from entrypoints.bootstrap import Container
from entrypoints.worker import EmbeddedAlreadyRunning, EmbeddedRuntime
from tests.fakes.probe import attempts, effects

FINISHED = {"succeeded", "failed", "cancelled", "dead"}


@pytest.fixture
def worker(probe_container: Container) -> Iterator[Container]:
    broker = probe_container.broker
    broker.emit_after("process_boot")
    w = dramatiq.Worker(broker, worker_threads=2, worker_timeout=50)
    w.start()
    yield probe_container
    w.stop(timeout=5000)


def wait_for(container: Container, run_id: UUID, states: set[str] = FINISHED, timeout: float = 20) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = container.task_runs.get(run_id)
        if run and run["state"] in states:
            return run
        time.sleep(0.05)
    raise AssertionError(f"run {run_id} stayed {container.task_runs.get(run_id)['state']}")


def count(container: Container, table) -> int:  # type: ignore[no-untyped-def]
    with container.engine.connect() as c:
        return c.scalar(select(func.count()).select_from(table))


def test_a_task_runs_and_its_run_is_recorded(worker: Container, caplog: pytest.LogCaptureFixture) -> None:
    run_id = worker.task_queue.enqueue("probe.record", vendor_id=7, key="k1", value="v")
    run = wait_for(worker, run_id)
    assert run["state"] == "succeeded"
    assert run["result"] == {"created": True}
    # Recorded, so Dramatiq's warning that the value was discarded is filtered out.
    assert not [r for r in caplog.records if "returned a value" in r.getMessage()]
    assert (run["attempt"], run["progress"], run["vendor_id"], run["args"]) == (1, 100, 7, {"key": "k1", "value": "v"})
    assert run["started_at"] <= run["finished_at"]
    assert run["queue"] == "default" and run["module"] == "probe"


def test_an_idempotency_key_is_one_logical_run(worker: Container) -> None:
    first = worker.task_queue.enqueue("probe.record", idempotency_key="once", key="k2")
    second = worker.task_queue.enqueue("probe.record", idempotency_key="once", key="k2")
    assert first == second
    wait_for(worker, first)
    assert count(worker, attempts) == 1


def test_a_failing_task_is_retried_then_failed_with_its_error(worker: Container) -> None:
    run_id = worker.task_queue.enqueue("probe.fail", message="kaput")
    run = wait_for(worker, run_id, {"failed"})
    assert run["attempt"] == 2  # max_retries=1
    assert "RuntimeError: kaput" in run["error"] and "Traceback" in run["error"]


def test_the_time_limit_is_enforced(worker: Container) -> None:
    run_id = worker.task_queue.enqueue("probe.sleepy", seconds=5)
    run = wait_for(worker, run_id, {"failed"})
    assert "TimeLimitExceeded" in run["error"]
    assert run["finished_at"] - run["started_at"] < timedelta(seconds=4)


def test_a_running_task_stops_between_batches_when_cancelled(worker: Container) -> None:
    run_id = worker.task_queue.enqueue("probe.batches", key="b", steps=200, pause=0.02)
    deadline = time.monotonic() + 10
    while worker.task_runs.get(run_id)["progress"] < 5 and time.monotonic() < deadline:
        time.sleep(0.02)
    view = cancel_task_run(CancelTaskRun(run_id=run_id, actor="test"), uow=worker.unit_of_work("core"), clock=worker.clock)
    assert view.state == "running" and view.cancel_requested
    run = wait_for(worker, run_id)
    assert run["state"] == "cancelled"
    assert 5 <= run["progress"] < 100
    assert run["progress_message"].startswith("batch ")


def test_a_cancelled_queued_run_never_runs(probe_container: Container) -> None:
    run_id = probe_container.task_queue.enqueue("probe.record", key="never")
    cancel_task_run(CancelTaskRun(run_id=run_id, actor="test"), uow=probe_container.unit_of_work("core"), clock=probe_container.clock)
    broker = probe_container.broker
    broker.emit_after("process_boot")
    w = dramatiq.Worker(broker, worker_threads=1, worker_timeout=50)
    w.start()
    broker.join("default", timeout=10_000)
    w.stop()
    assert probe_container.task_runs.get(run_id)["state"] == "cancelled"
    assert count(probe_container, effects) == 0
    with pytest.raises(Conflict):
        cancel_task_run(CancelTaskRun(run_id=run_id, actor="test"), uow=probe_container.unit_of_work("core"), clock=probe_container.clock)


def test_retrying_a_failed_run_runs_it_again(worker: Container) -> None:
    run_id = worker.task_queue.enqueue("probe.fail")
    wait_for(worker, run_id, {"failed"})
    view = retry_task_run(RetryTaskRun(run_id=run_id, actor="test"), uow=worker.unit_of_work("core"),
                          clock=worker.clock, task_queue=worker.task_queue)
    assert view.state == "queued" and view.error is None
    run = wait_for(worker, run_id, {"failed"})
    assert run["attempt"] >= 3


def test_a_dead_run_is_reaped_and_runs_again_exactly_once(worker: Container) -> None:
    """A run whose worker vanished: left 'running' with a stale heartbeat and no message."""
    run_id, _ = worker.task_runs.create(run_id=__import__("uuid").uuid4(), task="probe.record", module="probe",
                                        queue="default", args={"key": "lazarus"}, max_retries=3, message_id=None)
    assert worker.task_runs.claim(run_id, heartbeat_timeout=timedelta(seconds=60))
    with worker.engine.begin() as c:
        from adapters.sql.plumbing import task_runs

        c.execute(task_runs.update().where(task_runs.c.id == run_id)
                  .values(heartbeat_at=worker.clock.now() - timedelta(minutes=5)))
    report = reap_dead_runs(maintenance=worker.module_services("core"), task_queue=worker.task_queue)
    assert report == {"dead": 1, "requeued": 1}
    run = wait_for(worker, run_id, {"succeeded"})
    assert run["attempt"] == 2
    assert count(worker, effects) == 1
    assert reap_dead_runs(maintenance=worker.module_services("core"), task_queue=worker.task_queue) == {"dead": 0, "requeued": 0}


def test_bad_enqueues_are_refused(probe_container: Container) -> None:
    with pytest.raises(NotFound, match="unknown task 'probe.nope'"):
        probe_container.task_queue.enqueue("probe.nope")
    with pytest.raises(ValidationFailed, match="args: must be JSON values"):
        probe_container.task_queue.enqueue("probe.record", key=object())


def test_embedded_runtime_adopts_queued_runs_and_is_one_process(probe_container: Container) -> None:
    from tests.conftest import make_container
    from tests.fakes.probe import probe_registry

    # A run recorded by another process (the CLI, or before a restart) but never sent here.
    other = make_container(probe_container.settings.database_url, registry=probe_registry())
    run_id = other.task_queue.enqueue("probe.record", key="adopted")
    other.close()

    runtime = EmbeddedRuntime(probe_container)
    runtime.start()
    try:
        assert wait_for(probe_container, run_id)["state"] == "succeeded"
        second = EmbeddedRuntime(make_container(probe_container.settings.database_url, registry=probe_registry()))
        with pytest.raises(EmbeddedAlreadyRunning, match="embedded mode runs one process"):
            second.start()
    finally:
        runtime.stop()
