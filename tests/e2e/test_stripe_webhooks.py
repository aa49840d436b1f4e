"""POST /api/v1/webhooks/stripe: signatures on the raw body, one effect per event id, any
order to the same final state, unknown types stored, failures retried."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from adapters.billing.orm import stripe_events
from application.billing import tasks
from entrypoints.bootstrap import Container
from entrypoints.http.app import create_app
from tests.conftest import make_container
from tests.fakes import stripe as fake
from tests.fakes.tenants import World, build_world

SECRET = "whsec_test_secret_for_the_suite"
T0 = 1_790_000_000


@pytest.fixture
def setup(container: Container, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TestClient, World, Container]]:
    monkeypatch.setenv("BILLING_STRIPE_WEBHOOK_SECRET", SECRET)
    c = make_container(container.settings.database_url)
    with TestClient(create_app(c)) as client:
        world = build_world(c, client)
        client.post(f"/api/v1/admin/platforms/{world.p1}/modules/billing/enable", headers=world.headers["admin_p1"])
        c.relay.relay()  # trials for p1's vendors
        root = world.headers["super"]
        client.patch("/api/v1/admin/billing/tiers/professional", headers=root,
                     json={"stripe_monthly_price_id": "price_pro_m"})
        client.patch("/api/v1/admin/billing/tiers/business", headers=root,
                     json={"stripe_monthly_price_id": "price_biz_m"})
        yield client, world, c
    c.close()


def post(client: TestClient, payload: dict, *, secret: str = SECRET, timestamp: int | None = None,  # type: ignore[type-arg]
         header: str | None = None) -> object:
    raw = fake.body(payload)
    headers = {"Stripe-Signature": header if header is not None else fake.sign(raw, secret, timestamp),
               "Content-Type": "application/json"}
    return client.post("/api/v1/webhooks/stripe", content=raw, headers=headers)


def process(c: Container) -> dict:  # type: ignore[type-arg]
    return tasks.process_stripe_events(c.task_context("billing", uuid.uuid4()))


def state(client: TestClient, world: World) -> dict:  # type: ignore[type-arg]
    sub = client.get(f"/api/v1/vendor/{world.v1a}/billing/subscription", headers=world.headers["owner_1a"]).json()
    return {k: sub[k] for k in ("state", "tier_code", "period_end", "cancel_at_period_end", "stripe_subscription_id")}


def stored(c: Container) -> int:
    with c.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(stripe_events))


def sequence(vendor_id: int) -> list[dict]:  # type: ignore[type-arg]
    sub = lambda status, price, t, **kw: fake.subscription(  # noqa: E731
        "sub_1", vendor_id=vendor_id, status=status, price=price, start=T0, end=T0 + 30 * 86400, **kw)
    return [
        fake.event("checkout.session.completed", {"id": "cs_1", "object": "checkout.session", "customer": "cus_1",
                                                  "subscription": "sub_1", "metadata": {"vendor_id": str(vendor_id)}},
                   created=T0),
        fake.event("customer.subscription.created", sub("active", "price_pro_m", T0), created=T0 + 1),
        fake.event("invoice.paid", fake.invoice("in_1", number="WZM-0001", customer="cus_1", subscription="sub_1",
                                                vendor_id=vendor_id, amount=7900, start=T0, end=T0 + 30 * 86400,
                                                status="paid"), created=T0 + 2),
        fake.event("customer.subscription.updated", sub("past_due", "price_pro_m", T0), created=T0 + 3),
        fake.event("customer.subscription.updated", sub("active", "price_biz_m", T0), created=T0 + 4),
        fake.event("customer.subscription.updated", sub("active", "price_biz_m", T0, cancel_at_period_end=True),
                   created=T0 + 5),
    ]


def test_a_signed_sequence_lands_in_the_final_state(setup) -> None:  # type: ignore[no-untyped-def]
    client, world, c = setup
    for payload in sequence(world.v1a):
        assert post(client, payload).status_code == 200
    assert process(c) == {"processed": 6}
    assert state(client, world) == {"state": "active", "tier_code": "business",
                                    "period_end": datetime.fromtimestamp(T0 + 30 * 86400, UTC)
                                    .isoformat().replace("+00:00", "Z"), "cancel_at_period_end": True,
                                    "stripe_subscription_id": "sub_1"}


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_shuffled_and_duplicated_delivery_ends_the_same(setup, seed: int) -> None:  # type: ignore[no-untyped-def]
    client, world, c = setup
    events = sequence(world.v1a)
    deliveries = events * 3  # every event three times
    random.Random(seed).shuffle(deliveries)
    for payload in deliveries:
        assert post(client, payload).status_code == 200
    process(c)
    assert stored(c) == len(events)  # one row per event id
    assert state(client, world)["tier_code"] == "business"
    assert state(client, world)["state"] == "active" and state(client, world)["cancel_at_period_end"] is True
    invoices = client.get(f"/api/v1/vendor/{world.v1a}/billing/invoices", headers=world.headers["owner_1a"]).json()
    assert [(i["number"], i["status"], i["gross_cents"]) for i in invoices] == [("WZM-0001", "paid", 9243)]


def test_deleted_subscription_revokes_access(setup) -> None:  # type: ignore[no-untyped-def]
    client, world, c = setup
    for payload in sequence(world.v1a)[:2]:
        post(client, payload)
    sub = fake.subscription("sub_1", vendor_id=world.v1a, status="active", price="price_pro_m", start=T0, end=T0 + 1)
    post(client, fake.event("customer.subscription.deleted", sub, created=T0 + 10))
    process(c)
    assert state(client, world)["state"] == "cancelled"
    assert not c.module_services("billing").limits.check(world.p1, world.v1a, "products").allowed


@pytest.mark.parametrize("case", ["wrong secret", "no header", "too old", "tampered body"])
def test_bad_signatures_are_400_and_store_nothing(setup, case: str) -> None:  # type: ignore[no-untyped-def]
    client, world, c = setup
    payload = sequence(world.v1a)[1]
    if case == "wrong secret":
        response = post(client, payload, secret="whsec_someone_else")
    elif case == "no header":
        response = client.post("/api/v1/webhooks/stripe", content=fake.body(payload))
    elif case == "too old":
        response = post(client, payload, timestamp=int(__import__("time").time()) - 301)
    else:
        raw = fake.body(payload)
        header = fake.sign(raw, SECRET)
        response = client.post("/api/v1/webhooks/stripe", content=raw.replace(b"active", b"paused"),
                               headers={"Stripe-Signature": header})
    assert response.status_code == 400
    assert response.json()["type"].endswith("/invalid-webhook")
    assert stored(c) == 0


def test_unknown_types_are_stored_and_acknowledged(setup) -> None:  # type: ignore[no-untyped-def]
    client, _, c = setup
    assert post(client, fake.event("radar.early_fraud_warning.created", {"id": "x"}, created=T0)).status_code == 200
    assert process(c) == {"ignored": 1}
    assert stored(c) == 1


def test_processing_failures_are_recorded_and_retried(setup, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    client, world, c = setup
    from adapters.billing.repositories import SqlBillingUnitOfWork

    original = SqlBillingUnitOfWork.tier_by_price
    calls = {"n": 0}

    def flaky(self, price_id):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("database hiccup")
        return original(self, price_id)

    monkeypatch.setattr(SqlBillingUnitOfWork, "tier_by_price", flaky)
    post(client, sequence(world.v1a)[1])
    assert process(c) == {"failed": 1}
    with c.engine.connect() as conn:
        row = conn.execute(select(stripe_events.c.status, stripe_events.c.error)).one()
    assert row.status == "failed" and "database hiccup" in row.error
    assert process(c) == {"processed": 1}
    assert state(client, world)["tier_code"] == "professional"


def test_without_a_configured_secret_nothing_is_accepted(container: Container) -> None:
    c = make_container(container.settings.database_url)
    with TestClient(create_app(c)) as client:
        raw = fake.body(fake.event("invoice.paid", {"id": "in_1"}, created=T0))
        response = client.post("/api/v1/webhooks/stripe", content=raw, headers={"Stripe-Signature": fake.sign(raw, SECRET)})
    assert response.status_code == 400 and "BILLING_STRIPE_WEBHOOK_SECRET" in response.json()["detail"]
    c.close()
