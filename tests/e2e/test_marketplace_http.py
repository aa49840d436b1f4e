"""Marketplace imports over HTTP, processed by a real Dramatiq worker on the StubBroker: upload or
URL -> 202 and a queued job, detail with progress and errors, errors as CSV, cancel, the admin
list; size limits refused before the body is read; permissions, tenants and module gating."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dramatiq
import pytest
from fastapi.testclient import TestClient

from contracts.billing.dto import LimitCheck
from entrypoints.bootstrap import Container
from entrypoints.http.app import create_app
from tests.conftest import make_container
from tests.fakes.feeds import feed, feed_server, product, products
from tests.fakes.tenants import World, build_world


@pytest.fixture
def setup(container: Container, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TestClient, World, Container]]:
    monkeypatch.setenv("MARKETPLACE_UPLOAD_DIR", str(tmp_path / "uploads"))
    monkeypatch.setenv("MARKETPLACE_EXPORT_DIR", str(tmp_path / "exports"))
    monkeypatch.setenv("MARKETPLACE_ALLOW_HTTP_URLS", "true")
    monkeypatch.setenv("MARKETPLACE_MAX_FILE_MB", "1")
    c = make_container(container.settings.database_url)
    with TestClient(create_app(c)) as client:
        world = build_world(c, client)
        enabled = client.post(f"/api/v1/admin/platforms/{world.p1}/modules/marketplace/enable",
                              headers=world.headers["admin_p1"])
        assert enabled.status_code == 200, enabled.json()
        c.relay.relay()
        c.broker.emit_after("process_boot")
        yield client, world, c
    c.close()


def drain(c: Container, queue: str = "long_running") -> None:
    """Run every queued task of ``queue`` with a real worker, then stop it."""
    worker = dramatiq.Worker(c.broker, worker_threads=1, worker_timeout=50)
    worker.start()
    try:
        c.broker.join(queue, timeout=20_000)
    finally:
        worker.stop(timeout=5000)


def imports(world: World, vendor: int | None = None) -> str:
    return f"/api/v1/vendor/{vendor or world.v1a}/marketplace/imports"


def upload(client: TestClient, world: World, data: bytes, who: str = "owner_1a", **params: Any) -> Any:
    return client.post(f"{imports(world)}/upload", headers=world.headers[who], params=params,
                       files={"file": ("feed.tsv", data, "text/tab-separated-values")})


def test_upload_is_queued_then_imported_with_progress_and_errors(setup) -> None:  # type: ignore[no-untyped-def]
    client, world, c = setup
    owner = world.headers["owner_1a"]
    data = feed([product(1), product(2, price="-1 EUR"), product(3), product(1, title="Again")])
    created = upload(client, world, data, into_catalog="false", language="de")
    assert created.status_code == 202, created.json()
    job = created.json()
    assert (job["state"], job["source"], job["language"], job["file_name"], job["into_catalog"]) == (
        "queued", "upload", "de", "feed.tsv", False)
    drain(c)
    done = client.get(f"{imports(world)}/{job['id']}", headers=owner).json()
    assert (done["state"], done["progress"], done["rows_read"], done["created"], done["rejected"]) == (
        "succeeded", 100, 4, 2, 1)
    assert done["rows_per_second"] > 0 and done["started_at"] <= done["finished_at"]
    assert [(e["line"], e["column"], e["reason"], e["severity"]) for e in done["errors"]] == [
        (3, "price", "must not be negative", "error"), (5, "id", "duplicate id, line 2 is overridden", "warning")]
    csv_response = client.get(f"{imports(world)}/{job['id']}/errors.csv", headers=owner)
    assert csv_response.status_code == 200 and csv_response.headers["content-type"].startswith("text/csv")
    assert csv_response.text.splitlines() == [
        "line,column,reason,external_id,severity", "3,price,must not be negative,SKU-2,error",
        "5,id,\"duplicate id, line 2 is overridden\",SKU-1,warning"]
    listed = client.get(imports(world), headers=owner).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == job["id"]
    assert client.get(f"{imports(world)}?state=failed", headers=owner).json()["total"] == 0


def test_url_import_into_the_catalog(setup) -> None:  # type: ignore[no-untyped-def]
    client, world, c = setup
    with feed_server() as server:
        url = server.serve("/v1a.tsv", products(3))
        created = client.post(imports(world), headers=world.headers["owner_1a"], json={"url": url, "language": "fr"})
        assert created.status_code == 202, created.json()
        drain(c)
    job = client.get(f"{imports(world)}/{created.json()['id']}", headers=world.headers["owner_1a"]).json()
    assert (job["state"], job["created"], job["products_created"]) == ("succeeded", 3, 3), job["error"]
    catalog = client.get(f"/api/v1/vendor/{world.v1a}/products", headers=world.headers["owner_1a"]).json()
    assert sorted(p["sku"] for p in catalog["items"]) == ["SKU-1", "SKU-2", "SKU-3"]


def test_a_bad_url_fails_the_job_with_the_reason(setup) -> None:  # type: ignore[no-untyped-def]
    client, world, c = setup
    with feed_server() as server:
        created = client.post(imports(world), headers=world.headers["owner_1a"],
                              json={"url": server.url("/missing.tsv"), "into_catalog": False})
        drain(c)
    job = client.get(f"{imports(world)}/{created.json()['id']}", headers=world.headers["owner_1a"]).json()
    assert (job["state"], job["error"]) == ("failed", "the feed URL answered HTTP 404")
    refused = client.post(imports(world), headers=world.headers["owner_1a"], json={"url": "ftp://example.lu/f.tsv"})
    assert refused.status_code == 422
    assert refused.json()["invalid_params"] == [{"name": "url", "reason": "only https:// or http:// feed URLs are accepted"}]


def test_an_oversize_upload_is_refused_before_its_body_is_read(setup) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = setup
    big = products(1) + b"x" * (1024 * 1024 + 100 * 1024)
    refused = upload(client, world, big)
    assert refused.status_code == 413 and refused.json()["type"].endswith("/file-too-large")
    assert refused.json()["detail"] == "the file is larger than 1 MB (MARKETPLACE_MAX_FILE_MB)"
    # Without a Content-Length (chunked), the body is counted while it streams in.
    boundary = "wizamart-test"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.tsv\"\r\n"
            f"Content-Type: text/plain\r\n\r\n").encode() + big + f"\r\n--{boundary}--\r\n".encode()
    chunks = (body[i:i + 65536] for i in range(0, len(body), 65536))
    streamed = client.post(f"{imports(world)}/upload", headers={**world.headers["owner_1a"],
                           "Content-Type": f"multipart/form-data; boundary={boundary}"}, content=chunks)
    assert streamed.status_code == 413
    assert client.get(imports(world), headers=world.headers["owner_1a"]).json()["total"] == 0


def test_cancel_a_queued_job(setup) -> None:  # type: ignore[no-untyped-def]
    client, world, c = setup
    job = upload(client, world, products(2), into_catalog="false").json()
    cancelled = client.post(f"{imports(world)}/{job['id']}/cancel", headers=world.headers["owner_1a"])
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    again = client.post(f"{imports(world)}/{job['id']}/cancel", headers=world.headers["owner_1a"])
    assert again.status_code == 409
    drain(c)
    assert client.get(f"{imports(world)}/{job['id']}", headers=world.headers["owner_1a"]).json()["rows_read"] == 0


def test_permissions_tenants_and_module_gating(setup) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = setup
    job = upload(client, world, products(1)).json()
    assert upload(client, world, products(1), who="staff_1a").status_code == 403  # staff: view only
    assert client.get(f"{imports(world)}/{job['id']}", headers=world.headers["staff_1a"]).status_code == 200
    other = world.headers["owner_1b"]
    assert client.get(f"{imports(world)}/{job['id']}", headers=other).status_code == 404  # not their vendor
    assert client.get(f"{imports(world, world.v1b)}/{job['id']}", headers=other).status_code == 404  # not their job
    assert client.get(f"{imports(world, world.v1b)}/{job['id']}/errors.csv", headers=other).status_code == 404
    assert client.get(imports(world, world.v2a), headers=world.headers["owner_2a"]).status_code == 404  # off on p2


def test_admin_lists_every_vendors_jobs_with_filters(setup) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = setup
    first = upload(client, world, products(1)).json()
    second = client.post(f"{imports(world, world.v1b)}/upload", headers=world.headers["owner_1b"],
                         files={"file": ("b.tsv", products(1), "text/plain")}).json()
    admin = world.headers["admin_p1"]
    base = f"/api/v1/admin/platforms/{world.p1}/marketplace/imports"
    assert [j["id"] for j in client.get(base, headers=admin).json()["items"]] == [second["id"], first["id"]]
    only = client.get(base, headers=admin, params={"vendor_id": world.v1a, "state": "queued"}).json()
    assert [j["id"] for j in only["items"]] == [first["id"]]
    assert client.get(f"{base}/{second['id']}", headers=admin).json()["vendor_id"] == world.v1b
    assert client.get(base, headers=world.headers["owner_1a"]).status_code in (403, 404)
    assert client.get(f"/api/v1/admin/platforms/{world.p2}/marketplace/imports",
                      headers=world.headers["admin_p2"]).status_code == 404  # marketplace is off on p2


def test_a_plan_without_room_answers_402(setup) -> None:  # type: ignore[no-untyped-def]
    client, world, c = setup

    class Exhausted:
        def check(self, platform_id: int, vendor_id: int, metric: str, **_: Any) -> LimitCheck:
            return LimitCheck(allowed=False, metric=metric, limit=5, used=5, remaining=0,
                              reason="plan limit of 5 import_jobs reached")

    c.module_services("billing").limits = Exhausted()
    refused = upload(client, world, products(1))
    assert refused.status_code == 402, refused.json()
    problem = refused.json()
    assert problem["type"].endswith("/limit-exceeded") and problem["limit"] == "import_jobs"
    assert problem["detail"] == "no import job allowed: plan limit of 5 import_jobs reached"


# ------------------------------------------------------------------------------------------ CLI


def test_cli_imports_a_file_in_process_with_a_progress_bar(setup, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from entrypoints.cli import context
    from entrypoints.cli.main import app

    client, world, c = setup
    context.use_container(c)
    try:
        good, bad = tmp_path / "good.tsv", tmp_path / "bad.tsv"
        good.write_bytes(products(3))
        bad.write_bytes(feed([product(1)], header=("id", "title")))
        runner = CliRunner()
        ok = runner.invoke(app, ["marketplace", "import", str(good), "--vendor", "v-1a", "--platform", "p-one",
                                 "--language", "de"], terminal_width=200)
        assert ok.exit_code == 0, ok.output
        assert "rows/s" in ok.output and "succeeded: 3 rows read, 3 created, 0 updated, 0 unchanged, 0 rejected" in ok.output
        job = client.get(imports(world), headers=world.headers["owner_1a"]).json()["items"][0]
        assert (job["state"], job["language"], job["products_created"]) == ("succeeded", "de", 3)

        failed = runner.invoke(app, ["marketplace", "import", str(bad), "--vendor", "v-1a", "--platform", "p-one"])
        assert failed.exit_code == 1
        assert failed.stderr.strip().endswith("failed: missing required column 'price'")
        off = runner.invoke(app, ["marketplace", "import", str(good), "--vendor", "v-2a", "--platform", "p-two"])
        assert off.exit_code == 1 and "marketplace is off for platform 'p-two'" in off.stderr
        listed = runner.invoke(app, ["marketplace", "jobs", "--platform", "p-one"], terminal_width=200)
        assert listed.exit_code == 0 and "good.tsv" in listed.output and "bad.tsv" in listed.output
    finally:
        context.use_container(None)


def test_exports_are_queued_then_downloadable(setup) -> None:  # type: ignore[no-untyped-def]
    client, world, c = setup
    owner = world.headers["owner_1a"]
    exports = f"/api/v1/vendor/{world.v1a}/marketplace/exports"
    assert client.get(f"{exports}/fr", headers=owner).status_code == 404  # nothing exported yet
    client.post(f"/api/v1/vendor/{world.v1a}/products", headers=owner, json={
        "sku": "MUG-1", "titles": {"fr": "Tasse"}, "price_cents": 1999, "status": "active"})
    assert client.post(exports, headers=owner).status_code == 202
    drain(c, "default")
    got = client.get(f"{exports}/fr", headers=owner)
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/tab-separated-values")
    assert got.text.splitlines()[1].split("\t")[:2] == ["MUG-1", "Tasse"]
    assert client.get(f"{exports}/fr", headers=world.headers["owner_1b"]).status_code == 404
    admin = f"/api/v1/admin/platforms/{world.p1}/marketplace/exports"
    assert client.post(admin, headers=world.headers["admin_p1"]).status_code == 202
