"""The CatalogFeed facade against a real database: linking by GTIN then SKU, unchanged rows by
hash, languages merged, the plan's product limit, idempotence, export."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from contracts.catalog.dto import FeedProduct
from entrypoints.bootstrap import Container
from tests.conftest import make_container
from tests.fakes.tenants import World, build_world, limit_plan, switch_module


@pytest.fixture
def setup(container: Container) -> Iterator[tuple[Container, World]]:
    c = make_container(container.settings.database_url)
    world = build_world(c, None)
    switch_module(c, world.p1, "billing")
    c.relay.relay()
    yield c, world
    c.close()


def row(external_id: str, *, gtin: str | None = None, title: str = "Mug", price: int = 1999,
        digest: str = "h1") -> FeedProduct:
    return FeedProduct(external_id=external_id, gtin=gtin, title=title, description="", price_cents=price,
                       sale_price_cents=None, currency="EUR", availability="in_stock", brand="B",
                       image_links=["https://img.test/1.jpg"], content_hash=digest)


def skus(c: Container, vendor: int) -> dict[str, dict]:  # type: ignore[type-arg]
    with c.unit_of_work("catalog") as uow:
        return {r["sku"]: r for r in uow.products(vendor).stream_active()}


def test_create_then_unchanged_then_update_merging_languages(setup) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    feed = c.module_services("catalog").feed
    first = feed.sync_batch(world.p1, world.v1a, "en", [row("A-1", gtin="4006381333931"), row("B-2")],
                            create_missing=True)
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0) and set(first.links) == {"A-1", "B-2"}
    again = feed.sync_batch(world.p1, world.v1a, "en", [row("A-1", gtin="4006381333931"), row("B-2")],
                            create_missing=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2) and again.links == first.links
    # The French file: same products (A by GTIN although its id differs), new texts.
    fr = feed.sync_batch(world.p1, world.v1a, "fr", [row("other-id", gtin="4006381333931", title="Tasse", digest="f1"),
                                                     row("B-2", title="T-shirt", price=2500, digest="f2")],
                         create_missing=False)
    assert (fr.created, fr.updated, fr.unchanged) == (0, 2, 0) and fr.links["other-id"] == first.links["A-1"]
    products = skus(c, world.v1a)
    assert products["A-1"]["titles"] == {"en": "Mug", "fr": "Tasse"}
    assert products["B-2"]["price_cents"] == 2500 and set(products["B-2"]["source_hashes"]) == {"en", "fr"}
    assert skus(c, world.v1b) == {}  # another vendor's catalog is untouched
    exported = list(feed.export(world.v1a, "fr"))
    assert sorted(p.title for p in exported) == ["T-shirt", "Tasse"]


def test_only_update_creates_nothing_and_bad_rows_are_refused_by_name(setup) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    feed = c.module_services("catalog").feed
    result = feed.sync_batch(world.p1, world.v1a, "en", [row("A-1")], create_missing=False)
    assert (result.created, result.links) == (0, {})
    bad = feed.sync_batch(world.p1, world.v1a, "en", [row("has spaces")], create_missing=True)
    assert bad.created == 0 and bad.refused[0][0] == "has spaces" and bad.refused[0][1].startswith("sku:")


def test_the_plan_limit_creates_what_fits_and_names_the_rest(setup) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    limit_plan(c, products=3)
    feed = c.module_services("catalog").feed
    result = feed.sync_batch(world.p1, world.v1a, "en", [row(f"P-{i}") for i in range(5)], create_missing=True)
    assert result.created == 3 and [r[0] for r in result.refused] == ["P-3", "P-4"]
    assert result.refused[0][1] == "plan limit of 3 products reached: not created"
    c.relay.relay()
    assert c.module_services("billing").limits.check(world.p1, world.v1a, "products").used == 3
    assert result.active == 3
    # Billing off on p2: everything is created.
    assert feed.sync_batch(world.p2, world.v2a, "en", [row(f"P-{i}") for i in range(5)],
                           create_missing=True).created == 5


def test_under_a_limit_each_batch_counts_the_active_products_again(setup) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    limit_plan(c, products=3)
    feed = c.module_services("catalog").feed
    first = feed.sync_batch(world.p1, world.v1a, "en", [row("P-1"), row("P-2")], create_missing=True)
    assert (first.created, first.active) == (2, 2)
    unchanged = feed.sync_batch(world.p1, world.v1a, "en", [row("P-1")], create_missing=True, active=first.active)
    assert (unchanged.unchanged, unchanged.active) == (1, 2)  # nothing created: the count given is handed on
    # Handed a count that is off (products made or archived meanwhile), the batch counts again.
    miscounted = feed.sync_batch(world.p1, world.v1a, "en", [row("P-3"), row("P-4")], create_missing=True, active=0)
    assert (miscounted.created, miscounted.active, [r[0] for r in miscounted.refused]) == (1, 3, ["P-4"])
    assert sorted(skus(c, world.v1a)) == ["P-1", "P-2", "P-3"]


def test_without_a_limit_a_batch_goes_on_from_the_count_handed_in(setup) -> None:  # type: ignore[no-untyped-def]
    c, world = setup  # no count a batch: a first import of a million rows would count a growing table
    limit_plan(c)  # the plan limits nothing
    feed = c.module_services("catalog").feed
    first = feed.sync_batch(world.p1, world.v1a, "en", [row("P-1"), row("P-2")], create_missing=True)
    assert (first.created, first.active) == (2, 2)
    second = feed.sync_batch(world.p1, world.v1a, "en", [row("P-3")], create_missing=True, active=10)
    assert (second.created, second.active) == (1, 11)


def test_past_a_limit_that_only_flags_a_batch_goes_on_from_the_count_handed_in(setup, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    limit_plan(c, products=2)
    monkeypatch.setenv("BILLING_OVER_LIMIT", "flag")
    flagging = make_container(c.settings.database_url, clock=c.clock)
    feed = flagging.module_services("catalog").feed
    first = feed.sync_batch(world.p1, world.v1a, "en", [row("P-1"), row("P-2"), row("P-3")], create_missing=True)
    assert (first.created, first.active, first.refused) == (3, 3, [])  # allowed past the limit, flagged
    second = feed.sync_batch(world.p1, world.v1a, "en", [row("P-4")], create_missing=True, active=10)
    assert (second.created, second.active) == (1, 11)  # flagged whatever the count: not counted again
    flagging.close()


def test_new_products_are_stored_field_by_field_and_the_bad_ones_refused_in_order(setup) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    feed = c.module_services("catalog").feed
    good = FeedProduct(external_id="MUG-1", gtin="4006381333931", title="Tasse \"bleue\"\tXL",
                       description="Grès, 30 cl", price_cents=1999, sale_price_cents=1500, currency="EUR",
                       availability="preorder", brand="Villeroy", image_links=("https://img.test/1.jpg",
                                                                               "https://img.test/2.jpg"),
                       content_hash="c" * 32)
    batch = [row("bad id"), good, row("NO-GTIN", title="Plain", price=0), row("BAD-GTIN", gtin="4006381333932"),
             row("CHEAP", price=100)._replace(sale_price_cents=200)]
    result = feed.sync_batch(world.p1, world.v1a, "fr", batch, create_missing=True)
    assert (result.created, sorted(result.links)) == (2, ["MUG-1", "NO-GTIN"])
    assert [(external_id, reason.split(":")[0]) for external_id, reason in result.refused] == [
        ("bad id", "sku"), ("BAD-GTIN", "gtin"), ("CHEAP", "sale_price_cents")]
    stored = skus(c, world.v1a)
    mug = stored["MUG-1"]
    assert mug["id"] == result.links["MUG-1"]
    assert {name: mug[name] for name in ("vendor_id", "platform_id", "gtin", "gtin_type", "titles", "descriptions",
                                         "price_cents", "sale_price_cents", "currency", "vat_class", "availability",
                                         "brand", "image_links", "status", "source_hashes", "search_text")} == {
        "vendor_id": world.v1a, "platform_id": world.p1, "gtin": "4006381333931", "gtin_type": "gtin13",
        "titles": {"fr": "Tasse \"bleue\"\tXL"}, "descriptions": {"fr": "Grès, 30 cl"}, "price_cents": 1999,
        "sale_price_cents": 1500, "currency": "EUR", "vat_class": "standard", "availability": "preorder",
        "brand": "Villeroy", "image_links": ["https://img.test/1.jpg", "https://img.test/2.jpg"], "status": "active",
        "source_hashes": {"fr": "c" * 32}, "search_text": "mug-1 4006381333931 tasse \"bleue\"\txl"}
    assert mug["created_at"] == mug["updated_at"] and mug["created_at"] is not None
    plain = stored["NO-GTIN"]
    assert (plain["gtin"], plain["gtin_type"], plain["descriptions"], plain["search_text"]) == (
        None, None, {}, "no-gtin  plain")
