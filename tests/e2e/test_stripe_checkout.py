"""Checkout and portal through the official Stripe client against the local fake Stripe server,
completed by its signed webhooks (duplicated and shuffled)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from adapters.billing.orm import subscriptions
from adapters.tenancy.orm import companies, vendors
from application.billing import tasks
from entrypoints.bootstrap import Container
from entrypoints.http.app import create_app
from tests.conftest import make_container
from tests.fakes.stripe_server import API_KEY, FakeStripe
from tests.fakes.tenants import build_world

SECRET = "whsec_checkout_suite"


@pytest.fixture
def stripe() -> Iterator[FakeStripe]:
    fake = FakeStripe(SECRET).start()
    yield fake
    fake.stop()


@pytest.fixture
def setup(container: Container, stripe: FakeStripe, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("BILLING_STRIPE_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("BILLING_STRIPE_API_KEY", API_KEY)
    monkeypatch.setenv("BILLING_STRIPE_API_URL", stripe.url)
    monkeypatch.setenv("BILLING_STRIPE_TIMEOUT_SECONDS", "2")
    c = make_container(container.settings.database_url)
    with TestClient(create_app(c)) as client:
        world = build_world(c, client)
        client.post(f"/api/v1/admin/platforms/{world.p1}/modules/billing/enable", headers=world.headers["admin_p1"])
        c.relay.relay()
        client.patch("/api/v1/admin/billing/tiers/professional", headers=world.headers["super"],
                     json={"stripe_monthly_price_id": "price_pro_m", "stripe_annual_price_id": "price_pro_y"})
        yield client, world, c
    c.close()


def deliver(client: TestClient):  # type: ignore[no-untyped-def]
    def send(raw: bytes, header: str) -> None:
        response = client.post("/api/v1/webhooks/stripe", content=raw, headers={"Stripe-Signature": header})
        assert response.status_code == 200, response.json()
    return send


def local(c: Container, vendor_id: int) -> dict:  # type: ignore[type-arg]
    with c.engine.connect() as conn:
        return dict(conn.execute(select(subscriptions).where(subscriptions.c.vendor_id == vendor_id)).mappings().one())


def test_checkout_then_webhooks_make_the_vendor_a_paying_professional(setup, stripe: FakeStripe) -> None:  # type: ignore[no-untyped-def]
    client, world, c = setup
    owner = world.headers["owner_1a"]
    started = client.post(f"/api/v1/vendor/{world.v1a}/billing/checkout", headers=owner,
                          json={"tier": "professional", "interval": "month", "attempt": "a1"})
    assert started.status_code == 200, started.json()
    assert started.json()["url"].startswith("https://checkout.stripe.test/c/pay/cs_")
    assert local(c, world.v1a)["state"] == "trial"  # nothing changes before Stripe says so
    session_id = started.json()["url"].rsplit("/", 1)[1]
    stripe.complete_checkout(session_id, deliver(client), duplicate=True, shuffle=True, seed=7)
    tasks.process_stripe_events(c.task_context("billing", uuid.uuid4()))
    row = local(c, world.v1a)
    assert (row["state"], row["tier_code"], row["stripe_customer_id"], row["stripe_subscription_id"]) == (
        "active", "professional", "cus_1", "sub_1")
    portal = client.post(f"/api/v1/vendor/{world.v1a}/billing/portal", headers=owner)
    assert portal.json()["url"] == "https://billing.stripe.test/p/session/cus_1"
    cancel = client.post(f"/api/v1/vendor/{world.v1a}/billing/cancel", headers=owner)
    assert cancel.json()["cancel_at_period_end"] is True
    assert stripe.subscriptions["sub_1"]["cancel_at_period_end"] is True  # Stripe was told


def test_stripe_errors_leave_no_local_state_and_retries_do_not_double_create(setup, stripe: FakeStripe) -> None:  # type: ignore[no-untyped-def]
    client, world, c = setup
    owner = world.headers["owner_1a"]
    body = {"tier": "professional", "interval": "year", "attempt": "b1"}
    stripe.fail_next(500, times=3)  # the client's own retries (2) are used up
    failed = client.post(f"/api/v1/vendor/{world.v1a}/billing/checkout", headers=owner, json=body)
    assert failed.status_code == 503
    assert failed.json()["type"].endswith("/payment-provider-unavailable") and "500" in failed.json()["detail"]
    assert local(c, world.v1a)["stripe_customer_id"] is None and stripe.customers == {}
    # A transient 500 is retried by the client with the same idempotency key.
    stripe.fail_next(500, times=1)
    ok = client.post(f"/api/v1/vendor/{world.v1a}/billing/checkout", headers=owner, json=body)
    assert ok.status_code == 200
    again = client.post(f"/api/v1/vendor/{world.v1a}/billing/checkout", headers=owner, json=body)
    assert again.json()["url"] == ok.json()["url"]  # replayed, not created again
    assert len(stripe.customers) == 1 and len(stripe.sessions) == 1
    assert local(c, world.v1a)["stripe_customer_id"] == "cus_1"


def test_a_timeout_is_a_clear_error(setup, stripe: FakeStripe) -> None:  # type: ignore[no-untyped-def]
    client, world, c = setup
    stripe.fail_next(500, times=3, delay=2.5)  # longer than BILLING_STRIPE_TIMEOUT_SECONDS
    response = client.post(f"/api/v1/vendor/{world.v1a}/billing/checkout", headers=world.headers["owner_1a"],
                           json={"tier": "professional", "attempt": "c1"})
    assert response.status_code == 503 and "no answer" in response.json()["detail"]
    assert local(c, world.v1a)["stripe_customer_id"] is None


def test_checkout_refuses_what_cannot_be_bought(setup) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = setup
    owner = world.headers["owner_1a"]
    no_price = client.post(f"/api/v1/vendor/{world.v1a}/billing/checkout", headers=owner, json={"tier": "business"})
    assert no_price.status_code == 422 and no_price.json()["invalid_params"][0]["name"] == "interval"
    staff = client.post(f"/api/v1/vendor/{world.v1a}/billing/checkout", headers=world.headers["staff_1a"],
                        json={"tier": "professional"})
    assert staff.status_code == 403
    assert client.post(f"/api/v1/vendor/{world.v1a}/billing/portal", headers=owner).status_code == 409


def pay(client: TestClient, world, stripe: FakeStripe, vendor: int, owner: str) -> str:  # type: ignore[no-untyped-def]
    started = client.post(f"/api/v1/vendor/{vendor}/billing/checkout", headers=world.headers[owner],
                          json={"tier": "professional", "interval": "month", "attempt": "p1"})
    return stripe.complete_checkout(started.json()["url"].rsplit("/", 1)[1], deliver(client),
                                    duplicate=True, shuffle=True, seed=3)


def set_company(c: Container, vendor: int, country: str, vat_id: str | None) -> None:
    with c.engine.begin() as conn:
        company = conn.scalar(select(vendors.c.company_id).where(vendors.c.id == vendor))
        conn.execute(update(companies).where(companies.c.id == company).values(country=country, vat_id=vat_id))


@pytest.mark.parametrize(("country", "vat_id", "rate", "vat", "note"), [
    ("LU", "LU26375245", "17", 833, ""),
    ("DE", "DE136695976", "0", 0, "Reverse charge"),
    ("FR", None, "17", 833, ""),  # an EU business without a VAT id pays Luxembourg VAT
])
def test_invoices_are_mirrored_with_the_vat_the_vendor_owes(setup, stripe: FakeStripe, country, vat_id, rate,  # type: ignore[no-untyped-def]
                                                            vat, note) -> None:
    client, world, c = setup
    stripe.prices["price_pro_m"] = 4900
    set_company(c, world.v1a, country, vat_id)
    pay(client, world, stripe, world.v1a, "owner_1a")
    tasks.process_stripe_events(c.task_context("billing", uuid.uuid4()))
    listed = client.get(f"/api/v1/vendor/{world.v1a}/billing/invoices", headers=world.headers["owner_1a"]).json()
    assert [(i["number"], i["status"], i["net_cents"], i["vat_rate"], i["vat_cents"], i["gross_cents"],
             i["vat_note"]) for i in listed] == [("WZM-0001", "paid", 4900, rate, vat, 4900 + vat, note)]
    assert listed[0]["pdf_url"].endswith("/in_1/pdf") and listed[0]["period_end"] is not None
    other = client.get(f"/api/v1/vendor/{world.v1b}/billing/invoices", headers=world.headers["owner_1b"])
    assert other.json() == []  # tenant-scoped
    foreign = client.get(f"/api/v1/vendor/{world.v1a}/billing/invoices", headers=world.headers["owner_1b"])
    assert foreign.status_code == 404


def test_sync_repairs_drift_and_reports_counts(setup, stripe: FakeStripe) -> None:  # type: ignore[no-untyped-def]
    client, world, c = setup
    sub_id = pay(client, world, stripe, world.v1a, "owner_1a")
    ctx = c.task_context("billing", uuid.uuid4())
    tasks.process_stripe_events(ctx)
    assert tasks.sync_stripe_status(ctx) == {"checked": 1, "drifted": 0, "invoices": 1, "failed": 0}
    stripe.change_silently(sub_id, status="past_due", cancel_at_period_end=True)  # its webhook was lost
    assert tasks.sync_stripe_status(ctx) == {"checked": 1, "drifted": 1, "invoices": 1, "failed": 0}
    row = local(c, world.v1a)
    assert (row["state"], row["cancel_at_period_end"]) == ("past_due", True)
    stripe.fail_next(500, times=3)
    assert tasks.sync_stripe_status(ctx) == {"checked": 0, "drifted": 0, "invoices": 0, "failed": 1}
    assert local(c, world.v1a)["state"] == "past_due"  # nothing changed by the failure
