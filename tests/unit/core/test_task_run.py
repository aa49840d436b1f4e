from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from domain.core.model import TaskRun, TaskState
from domain.shared.errors import Conflict

NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)


def run(state: TaskState) -> TaskRun:
    return TaskRun(id=uuid4(), task="core.prune_history", module="core", queue="scheduled",
                   state=state, enqueued_at=NOW, error="old", progress=40)


def test_cancelling_a_queued_run_ends_it() -> None:
    r = run(TaskState.QUEUED)
    r.request_cancel(NOW)
    assert r.state == TaskState.CANCELLED and r.cancel_requested and r.finished_at == NOW


def test_cancelling_a_running_run_only_asks() -> None:
    r = run(TaskState.RUNNING)
    r.request_cancel(NOW)
    assert r.state == TaskState.RUNNING and r.cancel_requested


@pytest.mark.parametrize("state", [TaskState.SUCCEEDED, TaskState.FAILED, TaskState.CANCELLED, TaskState.DEAD])
def test_finished_runs_cannot_be_cancelled(state: TaskState) -> None:
    with pytest.raises(Conflict, match="only queued or running"):
        run(state).request_cancel(NOW)


@pytest.mark.parametrize("state", [TaskState.FAILED, TaskState.DEAD, TaskState.CANCELLED])
def test_retry_requeues_and_clears(state: TaskState) -> None:
    r = run(state)
    r.cancel_requested = True
    r.retry(NOW)
    assert (r.state, r.cancel_requested, r.error, r.progress) == (TaskState.QUEUED, False, None, 0)


@pytest.mark.parametrize("state", [TaskState.QUEUED, TaskState.RUNNING, TaskState.SUCCEEDED])
def test_retry_refuses_live_or_successful_runs(state: TaskState) -> None:
    with pytest.raises(Conflict, match="only failed, dead or cancelled"):
        run(state).retry(NOW)
