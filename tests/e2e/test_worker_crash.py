"""Crash safety with a real Redis broker and real worker processes: a worker killed with SIGKILL
in the middle of a task; the run is reaped, delivered again and its effect applied exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from application.core.use_cases.reap_dead_runs import reap_dead_runs
from tests.conftest import TEST_REDIS_URL, make_container
from tests.e2e.test_tasks import wait_for
from tests.fakes.probe import attempts, effects, probe_metadata, probe_registry

pytestmark = pytest.mark.skipif(not TEST_REDIS_URL, reason="needs WIZAMART_TEST_REDIS_URL")
ROOT = Path(__file__).resolve().parents[2]


def count(engine, table) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as c:
        return c.scalar(select(func.count()).select_from(table))


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "dramatiq", "tests.fakes.probe_worker",
         "--processes", "1", "--threads", "2", "--queues", "long_running"],
        cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def stop(process: subprocess.Popen[bytes], sig: int) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
    process.wait(timeout=30)


def test_sigkilled_worker_mid_task_is_recovered_exactly_once(container, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    namespace = f"wizamart-test-{uuid.uuid4().hex[:8]}"
    settings = {
        "WIZAMART_DATABASE_URL": container.settings.database_url,
        "WIZAMART_REDIS_URL": TEST_REDIS_URL,
        "WIZAMART_QUEUE_NAMESPACE": namespace,
        "CORE_HEARTBEAT_INTERVAL_SECONDS": "0.5",
        "CORE_HEARTBEAT_TIMEOUT_SECONDS": "2",
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WIZAMART_", "CORE_"))}
    env |= settings | {"PYTHONPATH": str(ROOT), "WIZAMART_TEST_REDIS_URL": TEST_REDIS_URL}
    for key, value in settings.items():
        monkeypatch.setenv(key, value)
    probe = make_container(container.settings.database_url, registry=probe_registry(),
                           redis_url=TEST_REDIS_URL, queue_namespace=namespace)
    probe._services["probe"] = {"engine": probe.engine}
    probe_metadata.create_all(probe.engine)
    first = start_worker(env)
    second = None
    try:
        run_id = probe.task_queue.enqueue("probe.slow_effect", key="crash", seconds=6)
        deadline = time.monotonic() + 60
        while count(probe.engine, attempts) < 1:
            assert time.monotonic() < deadline, "the first worker never started the task"
            time.sleep(0.1)
        # the claim is written behind (ADR 0006): wait until it is recorded, then kill mid-task
        assert wait_for(probe, run_id, {"running"}, timeout=10)["state"] == "running"

        stop(first, signal.SIGKILL)  # mid-task: no clean shutdown, no ack
        second = start_worker(env)

        deadline = time.monotonic() + 30
        reaped = {"dead": 0, "requeued": 0}
        while reaped["dead"] == 0:
            assert time.monotonic() < deadline, "the run was never reaped"
            time.sleep(0.5)
            reaped = reap_dead_runs(maintenance=probe.module_services("core"), task_queue=probe.task_queue)
        assert reaped == {"dead": 1, "requeued": 1}

        run = wait_for(probe, run_id, {"succeeded", "failed"}, timeout=60)
        assert run["state"] == "succeeded" and run["attempt"] == 2
        assert count(probe.engine, attempts) == 2  # started twice ...
        assert count(probe.engine, effects) == 1  # ... applied once
    finally:
        stop(first, signal.SIGKILL)
        if second is not None:
            stop(second, signal.SIGTERM)
        probe_metadata.drop_all(probe.engine)
        import redis

        client = redis.Redis.from_url(TEST_REDIS_URL)
        for key in client.scan_iter(f"{namespace}*"):
            client.delete(key)
        probe.close()
