"""Admin control of background work over HTTP (bootstrap admin token)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from entrypoints.bootstrap import Container
from entrypoints.http.app import create_app
from tests.e2e.test_tasks import wait_for


@pytest.fixture
def client(probe_container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(probe_container)) as client:
        yield client


@pytest.fixture
def ADMIN(client: TestClient, admin_headers) -> dict[str, str]:  # type: ignore[no-untyped-def]  # noqa: N802
    return admin_headers(client)


def test_every_tasks_route_needs_a_super_admin(client: TestClient, ADMIN: dict) -> None:
    for method, path in [
        ("get", "/api/v1/admin/tasks/specs"), ("get", "/api/v1/admin/tasks/schedules"),
        ("get", "/api/v1/admin/tasks/runs"), ("post", "/api/v1/admin/tasks/runs"),
        ("get", "/api/v1/admin/tasks/runs/00000000-0000-0000-0000-000000000000"),
        ("post", "/api/v1/admin/tasks/schedules/probe.tick/pause"),
    ]:
        assert getattr(client, method)(path).status_code == 401, path


def test_specs_and_schedules(client: TestClient, ADMIN: dict) -> None:
    specs = {s["name"]: s for s in client.get("/api/v1/admin/tasks/specs", headers=ADMIN).json()}
    assert specs["probe.sleepy"] == {"name": "probe.sleepy", "queue": "default", "time_limit_seconds": 1, "max_retries": 0}
    assert specs["core.relay_outbox"]["queue"] == "default"
    schedules = {s["name"]: s for s in client.get("/api/v1/admin/tasks/schedules", headers=ADMIN).json()}
    assert schedules["probe.tick"]["cron"] == "0 2 * * *" and schedules["probe.tick"]["next_fire_at"]


def test_pause_and_resume_a_schedule(client: TestClient, ADMIN: dict) -> None:
    paused = client.post("/api/v1/admin/tasks/schedules/probe.tick/pause", headers=ADMIN).json()
    assert paused["paused"] is True and paused["next_fire_at"] is None
    resumed = client.post("/api/v1/admin/tasks/schedules/probe.tick/resume", headers=ADMIN).json()
    assert resumed["paused"] is False and resumed["next_fire_at"]
    missing = client.post("/api/v1/admin/tasks/schedules/probe.nope/pause", headers=ADMIN)
    assert missing.status_code == 404 and "unknown schedule 'probe.nope'" in missing.json()["detail"]
    audit = client.get("/api/v1/admin/audit-log", headers=ADMIN).json()
    assert [e["action"] for e in audit["items"] if e["action"].startswith("schedule.")] == [
        "schedule.resumed", "schedule.paused"]


def test_run_now_list_filter_show_cancel_retry(client: TestClient, ADMIN: dict, probe_container: Container) -> None:
    created = client.post("/api/v1/admin/tasks/runs", headers=ADMIN,
                          json={"task": "probe.record", "args": {"key": "http"}, "vendor_id": 3})
    assert created.status_code == 202
    run = created.json()
    assert run["state"] == "queued" and run["args"] == {"key": "http"} and run["vendor_id"] == 3
    client.post("/api/v1/admin/tasks/runs", headers=ADMIN, json={"task": "probe.fail"})

    page = client.get("/api/v1/admin/tasks/runs?module=probe&limit=1", headers=ADMIN).json()
    assert page["total"] == 2 and len(page["items"]) == 1
    by_vendor = client.get("/api/v1/admin/tasks/runs?vendor_id=3", headers=ADMIN).json()
    assert [r["id"] for r in by_vendor["items"]] == [run["id"]]
    assert client.get("/api/v1/admin/tasks/runs?state=running", headers=ADMIN).json()["total"] == 0
    assert client.get(f"/api/v1/admin/tasks/runs/{run['id']}", headers=ADMIN).json()["task"] == "probe.record"

    cancelled = client.post(f"/api/v1/admin/tasks/runs/{run['id']}/cancel", headers=ADMIN).json()
    assert cancelled["state"] == "cancelled"
    again = client.post(f"/api/v1/admin/tasks/runs/{run['id']}/cancel", headers=ADMIN)
    assert again.status_code == 409 and again.json()["type"].endswith("/conflict")
    retried = client.post(f"/api/v1/admin/tasks/runs/{run['id']}/retry", headers=ADMIN).json()
    assert retried["state"] == "queued"


def test_bad_requests(client: TestClient, ADMIN: dict) -> None:
    unknown = client.post("/api/v1/admin/tasks/runs", headers=ADMIN, json={"task": "probe.nope"})
    assert unknown.status_code == 404
    malformed = client.post("/api/v1/admin/tasks/runs", headers=ADMIN, json={"task": "no dots", "args": []})
    assert malformed.status_code == 422
    assert {p["name"] for p in malformed.json()["invalid_params"]} == {"task", "args"}
    assert client.get("/api/v1/admin/tasks/runs/not-a-uuid", headers=ADMIN).status_code == 422
    missing = client.get("/api/v1/admin/tasks/runs/00000000-0000-0000-0000-000000000000", headers=ADMIN)
    assert missing.status_code == 404
    assert client.get("/api/v1/admin/tasks/runs?state=running&limit=500", headers=ADMIN).status_code == 422


def test_embedded_app_runs_what_the_admin_starts(probe_container: Container, admin_headers) -> None:  # type: ignore[no-untyped-def]
    """The `make run` shape: an embedded app runs tasks in-process, visible under /runs."""
    probe_container.embedded = True
    with TestClient(create_app(probe_container)) as client:
        ADMIN = admin_headers(client)  # noqa: N806
        run = client.post("/api/v1/admin/tasks/runs", headers=ADMIN, json={"task": "core.prune_history"}).json()
        finished = wait_for(probe_container, __import__("uuid").UUID(run["id"]))
        assert finished["state"] == "succeeded"
        assert finished["result"] == {"task_runs": 0, "fired_slots": 0}
        listed = client.get("/api/v1/admin/tasks/runs?task=core.prune_history", headers=ADMIN).json()
        assert listed["items"][0]["state"] == "succeeded"
