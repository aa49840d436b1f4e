"""Billing over HTTP: tiers for operators, subscriptions for platform admins, the vendor's own
subscription; 404 where billing is off or the vendor is someone else's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from entrypoints.bootstrap import Container
from entrypoints.http.app import create_app
from tests.conftest import make_container
from tests.fakes.tenants import World, build_world


@pytest.fixture
def setup(container: Container) -> Iterator[tuple[TestClient, World, Container]]:
    c = make_container(container.settings.database_url)
    with TestClient(create_app(c)) as client:
        world = build_world(c, client)
        client.post(f"/api/v1/admin/platforms/{world.p1}/modules/billing/enable", headers=world.headers["admin_p1"])
        c.relay.relay()
        yield client, world, c
    c.close()


def test_vendor_sees_own_subscription_and_usage_only(setup) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = setup
    owner = world.headers["owner_1a"]
    sub = client.get(f"/api/v1/vendor/{world.v1a}/billing/subscription", headers=owner).json()
    assert (sub["vendor_id"], sub["state"], sub["tier_code"]) == (world.v1a, "trial", "essential")
    usage = {u["metric"]: u for u in client.get(f"/api/v1/vendor/{world.v1a}/billing/usage", headers=owner).json()}
    assert usage["products"] == {"metric": "products", "used": 0, "limit": 200, "remaining": 200}
    assert client.get(f"/api/v1/vendor/{world.v1b}/billing/subscription", headers=owner).status_code == 404
    # Billing is off on p2: its routes answer 404 there.
    assert client.get(f"/api/v1/vendor/{world.v2a}/billing/subscription",
                      headers=world.headers["owner_2a"]).status_code == 404


def test_cancel_reactivate_and_staff_cannot(setup) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = setup
    owner, staff = world.headers["owner_1a"], world.headers["staff_1a"]
    assert client.post(f"/api/v1/vendor/{world.v1a}/billing/cancel", headers=staff).status_code == 403
    cancelled = client.post(f"/api/v1/vendor/{world.v1a}/billing/cancel", headers=owner).json()
    assert cancelled["cancel_at_period_end"] is True and cancelled["state"] == "trial"
    back = client.post(f"/api/v1/vendor/{world.v1a}/billing/reactivate", headers=owner).json()
    assert back["cancel_at_period_end"] is False


def test_admin_overrides_tier_and_extends_trial(setup) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = setup
    h = world.headers["admin_p1"]
    base = f"/api/v1/admin/platforms/{world.p1}/billing/subscriptions"
    assert {s["vendor_id"] for s in client.get(base, headers=h).json()} == {world.v1a, world.v1b}
    moved = client.post(f"{base}/{world.v1b}/tier", headers=h, json={"tier": "business"}).json()
    assert moved["tier_code"] == "business"
    assert [s["vendor_id"] for s in client.get(f"{base}?tier=business", headers=h).json()] == [world.v1b]
    unknown = client.post(f"{base}/{world.v1b}/tier", headers=h, json={"tier": "platinum"})
    assert unknown.status_code == 404
    before = client.get(base, headers=h).json()[0]["trial_end"]
    extended = client.post(f"{base}/{world.v1a}/extend-trial", headers=h, json={"days": 7}).json()
    assert extended["trial_end"] > before
    assert client.post(f"{base}/{world.v1a}/extend-trial", headers=h, json={"days": 0}).status_code == 422
    assert client.get(f"/api/v1/admin/platforms/{world.p2}/billing/subscriptions", headers=h).status_code == 404


def test_tiers_are_operator_business(setup) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = setup
    root, admin = world.headers["super"], world.headers["admin_p1"]
    listed = [t["code"] for t in client.get("/api/v1/admin/billing/tiers", headers=admin).json()]
    assert listed == ["essential", "professional", "business", "enterprise"]
    new = {"code": "starter", "name": "Starter", "monthly_price_cents": 900, "annual_price_cents": 9000,
           "limits": {"products": 20}}
    assert client.post("/api/v1/admin/billing/tiers", headers=admin, json=new).status_code == 403
    assert client.post("/api/v1/admin/billing/tiers", headers=root, json=new).status_code == 201
    assert client.post("/api/v1/admin/billing/tiers", headers=root, json=new).status_code == 409
    bad = client.patch("/api/v1/admin/billing/tiers/starter", headers=root, json={"monthly_price_cents": -1})
    assert bad.status_code == 422 and bad.json()["invalid_params"][0]["name"] == "monthly_price_cents"
    in_use = client.delete("/api/v1/admin/billing/tiers/essential", headers=root)
    assert in_use.status_code == 409 and "retire it instead" in in_use.json()["detail"]
    retired = client.post("/api/v1/admin/billing/tiers/essential/retire", headers=root).json()
    assert retired["retired"] is True
    public = [t["code"] for t in client.get("/api/v1/admin/billing/tiers?public_only=true", headers=root).json()]
    assert "essential" not in public and "starter" in public
    assert client.delete("/api/v1/admin/billing/tiers/starter", headers=root).status_code == 204
