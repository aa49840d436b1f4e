"""Products over HTTP: validation naming each field, tenant isolation, search and filters, and
the plan's product limit (402 problem naming it; flag mode; billing off)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from entrypoints.bootstrap import Container
from entrypoints.http.app import create_app
from tests.conftest import make_container
from tests.fakes.tenants import World, build_world

GTIN = "4006381333931"


@pytest.fixture
def setup(container: Container) -> Iterator[tuple[TestClient, World, Container]]:
    c = make_container(container.settings.database_url)
    with TestClient(create_app(c)) as client:
        world = build_world(c, client)
        client.post(f"/api/v1/admin/platforms/{world.p1}/modules/billing/enable", headers=world.headers["admin_p1"])
        c.relay.relay()
        yield client, world, c
    c.close()


def product(sku: str, **extra: object) -> dict:  # type: ignore[type-arg]
    return {"sku": sku, "titles": {"en": f"Product {sku}", "fr": f"Produit {sku}"}, "price_cents": 1999, **extra}


def test_create_list_search_update_archive(setup) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = setup
    url, owner = f"/api/v1/vendor/{world.v1a}/products", world.headers["owner_1a"]
    first = client.post(url, headers=owner, json=product("MUG-1", gtin=GTIN, brand="Villeroy", status="active"))
    assert first.status_code == 201, first.json()
    assert (first.json()["gtin_type"], first.json()["status"]) == ("gtin13", "active")
    client.post(url, headers=owner, json=product("TEE-2", availability="out_of_stock"))
    assert client.post(url, headers=owner, json=product("MUG-1")).status_code == 409
    page = client.get(url, headers=owner, params={"q": "mug produit"}).json()
    assert page["total"] == 0  # one phrase, not separate words
    assert [p["sku"] for p in client.get(url, headers=owner, params={"q": "4006381"}).json()["items"]] == ["MUG-1"]
    assert [p["sku"] for p in client.get(url, headers=owner, params={"q": "tee"}).json()["items"]] == ["TEE-2"]
    assert client.get(url, headers=owner, params={"status": "draft"}).json()["total"] == 1
    assert client.get(url, headers=owner, params={"availability": "out_of_stock"}).json()["items"][0]["sku"] == "TEE-2"
    assert client.get(url, headers=owner, params={"brand": "Villeroy"}).json()["total"] == 1
    paged = client.get(url, headers=owner, params={"limit": 1, "offset": 1}).json()
    assert (paged["total"], [p["sku"] for p in paged["items"]]) == (2, ["TEE-2"])
    pid = first.json()["id"]
    changed = client.patch(f"{url}/{pid}", headers=owner, json={"titles": {"de": "Tasse"}, "sale_price_cents": 1500})
    assert changed.json()["titles"] == {"de": "Tasse"} and changed.json()["sale_price_cents"] == 1500
    archived = client.post(f"{url}/{pid}/archive", headers=owner)
    assert archived.json()["status"] == "archived"
    assert client.patch(f"{url}/{pid}", headers=owner, json={"price_cents": 1}).status_code == 409


def test_bad_input_names_every_field_and_stores_nothing(setup) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = setup
    url, owner = f"/api/v1/vendor/{world.v1a}/products", world.headers["owner_1a"]
    bad = client.post(url, headers=owner, json=product("bad sku!", gtin="4006381333932", titles={"en": " "},
                                                      sale_price_cents=5000))
    assert bad.status_code == 422
    assert {e["name"]: e["reason"] for e in bad.json()["invalid_params"]} == {
        "sku": "1-100 letters, digits, '.', '_', '-' or '/', starting with a letter or digit",
        "gtin": "check digit should be 1",
        "titles": "give a title in at least one of en, fr, de",
        "sale_price_cents": "must be between zero and the price",
    }
    assert client.get(url, headers=owner).json()["total"] == 0
    created = client.post(url, headers=owner, json=product("OK-1")).json()
    refused = client.patch(f"{url}/{created['id']}", headers=owner, json={"price_cents": 100, "sale_price_cents": 200})
    assert refused.status_code == 422
    assert client.get(f"{url}/{created['id']}", headers=owner).json()["price_cents"] == 1999  # nothing changed


def test_another_vendors_products_are_404(setup) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = setup
    mine = client.post(f"/api/v1/vendor/{world.v1a}/products", headers=world.headers["owner_1a"],
                       json=product("A-1")).json()
    other = world.headers["owner_1b"]
    assert client.get(f"/api/v1/vendor/{world.v1a}/products/{mine['id']}", headers=other).status_code == 404
    assert client.get(f"/api/v1/vendor/{world.v1b}/products/{mine['id']}", headers=other).status_code == 404
    assert client.get(f"/api/v1/vendor/{world.v1b}/products", headers=other).json()["total"] == 0
    staff = client.post(f"/api/v1/vendor/{world.v1a}/products", headers=world.headers["staff_1a"], json=product("S"))
    assert staff.status_code in (201, 403)  # staff may or may not manage products per the default roles


def test_the_plans_product_limit_is_a_402_naming_it(setup, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    client, world, c = setup
    client.patch("/api/v1/admin/billing/tiers/essential", headers=world.headers["super"], json={"limits": {"products": 2}})
    url, owner = f"/api/v1/vendor/{world.v1a}/products", world.headers["owner_1a"]
    for sku in ("P-1", "P-2"):
        assert client.post(url, headers=owner, json=product(sku, status="active")).status_code == 201
    c.relay.relay()  # billing's gauge follows the catalog's ActiveProductsChanged
    usage = {u["metric"]: u for u in client.get(f"/api/v1/vendor/{world.v1a}/billing/usage", headers=owner).json()}
    assert usage["products"]["used"] == 2
    refused = client.post(url, headers=owner, json=product("P-3", status="active"))
    assert refused.status_code == 402
    problem = refused.json()
    assert problem["type"].endswith("/limit-exceeded") and problem["limit"] == "products"
    assert "plan limit of 2 products reached" in problem["detail"]
    draft = client.post(url, headers=owner, json=product("P-3")).json()  # drafts do not count
    assert client.post(f"{url}/{draft['id']}/activate", headers=owner).status_code == 402
    client.post(f"{url}/{client.get(url, headers=owner).json()['items'][0]['id']}/archive", headers=owner)
    assert client.post(f"{url}/{draft['id']}/activate", headers=owner).json()["status"] == "active"
    # Billing off on p2: no limit at all.
    for sku in ("Q-1", "Q-2", "Q-3"):
        assert client.post(f"/api/v1/vendor/{world.v2a}/products", headers=world.headers["owner_2a"],
                           json=product(sku, status="active")).status_code == 201
    monkeypatch.setenv("BILLING_OVER_LIMIT", "flag")
    flagging = make_container(c.settings.database_url)
    with TestClient(create_app(flagging)) as flag_client:
        assert flag_client.post(url, headers=owner, json=product("P-4", status="active")).status_code == 201
    flagging.close()
