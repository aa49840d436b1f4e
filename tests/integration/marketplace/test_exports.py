"""Feed exports against a real database: a vendor's catalog exported and imported again gives
the same products (field by field, and the same content hashes on a re-export), a failed export
leaves the previous file and no temporary file, downloads refuse path traversal, and a
platform's staged listings export to the same rows they were imported from."""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from adapters.marketplace.exports import LocalExportFiles, SqlPlatformListings
from adapters.marketplace.orm import products as listings_table
from application.marketplace.use_cases.create_import_job import CreateImportJob, create_import_job
from application.marketplace.use_cases.export_feeds import (
    export_platform_listings,
    export_vendor_products,
    platform_file,
    platform_folder,
    vendor_file,
    vendor_folder,
)
from application.marketplace.use_cases.process_import import process_import
from contracts.catalog.dto import FeedProduct
from contracts.marketplace.dto import ImportOptions
from domain.marketplace.feed import FeedRow, open_feed
from entrypoints.bootstrap import Container
from tests.conftest import make_container
from tests.fakes.feeds import GTINS, product, products
from tests.fakes.feeds import feed as feed_file
from tests.fakes.tenants import World, build_world, switch_module


@pytest.fixture
def setup(container: Container, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Container, World]]:
    monkeypatch.setenv("MARKETPLACE_UPLOAD_DIR", str(tmp_path / "uploads"))
    c = make_container(container.settings.database_url)
    world = build_world(c, None)
    switch_module(c, world.p1, "marketplace")
    yield c, world
    c.close()


@pytest.fixture
def exports(tmp_path: Path) -> LocalExportFiles:
    return LocalExportFiles(tmp_path / "exports")


def item(sku: str, n: int, *, title: str, description: str = "", sale: int | None = None,
         images: int = 1) -> FeedProduct:
    return FeedProduct(external_id=sku, gtin=GTINS[n], title=title, description=description, price_cents=1000 + n,
                       sale_price_cents=sale, currency="EUR", availability="in_stock" if n % 2 else "backorder",
                       brand=f"Brand {n}", image_links=[f"https://img.test/{n}/{i}.jpg" for i in range(images)],
                       content_hash=f"h{n}")


CATALOG = [
    item("A-1", 0, title="Mug", description='Line 1\nLine "2"\twith a tab', sale=899, images=3),
    item("B-2", 1, title="T-shirt; coton, bio", images=0),
    item("C-3", 2, title="Café € crème", description="Ünïcödé", images=1),
]


def read(path: Path) -> list[FeedRow]:
    with path.open("rb") as stream:
        feed = open_feed(stream)
        rows: list[FeedRow] = []
        for batch in feed.batches(1000):
            assert batch.errors == [] and batch.duplicates == []
            rows.extend(batch.rows)
    return rows


def as_feed_product(row: FeedRow) -> FeedProduct:
    return FeedProduct(external_id=row.external_id, gtin=row.gtin, title=row.title, description=row.description,
                       price_cents=row.price_cents, sale_price_cents=row.sale_price_cents, currency=row.currency,
                       availability=row.availability, brand=row.brand,
                       image_links=[link for link in (row.image_link, *row.additional_image_links) if link],
                       content_hash=row.content_hash)


def comparable(p: FeedProduct) -> dict[str, Any]:
    return {**p._asdict(), "image_links": list(p.image_links), "content_hash": None}


def test_vendor_export_round_trips_through_an_import(setup, exports: LocalExportFiles) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    feed = c.module_services("catalog").feed
    feed.sync_batch(world.p1, world.v1a, "en", CATALOG, create_missing=True)
    feed.sync_batch(world.p1, world.v1a, "fr", [item("A-1", 0, title="Tasse", description="Une tasse", sale=899,
                                                     images=3)], create_missing=False)

    assert export_vendor_products(world.v1a, catalog=feed, exports=exports) == {"en": 3, "fr": 1, "de": 0}
    en = exports.path(vendor_folder(world.v1a), vendor_file(world.v1a, "en"))
    assert en is not None and en.name == f"{world.v1a}_letzshop_en.tsv" and en.parent.name == str(world.v1a)
    rows = read(en)
    # Field by field: what the catalog was fed is what the file gives back.
    assert sorted(map(comparable, map(as_feed_product, rows)), key=lambda r: r["external_id"]) == \
        [comparable(p) for p in CATALOG]
    assert {r.condition for r in rows} == {"new"} and {(r.link, r.mpn) for r in rows} == {("", "")}
    fr = read(exports.path(vendor_folder(world.v1a), vendor_file(world.v1a, "fr")))  # type: ignore[arg-type]
    assert [(r.external_id, r.title, r.description) for r in fr] == [("A-1", "Tasse", "Une tasse")]
    de = exports.path(vendor_folder(world.v1a), vendor_file(world.v1a, "de"))
    assert de is not None and read(de) == []  # header only: still a valid feed

    # Imported into another vendor's catalog and exported again: the same rows, hash for hash.
    result = feed.sync_batch(world.p1, world.v1b, "en", [as_feed_product(r) for r in rows], create_missing=True)
    assert result.created == 3 and not result.refused
    export_vendor_products(world.v1b, catalog=feed, exports=exports, languages=("en",))
    again = read(exports.path(vendor_folder(world.v1b), vendor_file(world.v1b, "en")))  # type: ignore[arg-type]
    assert sorted(r.content_hash for r in again) == sorted(r.content_hash for r in rows)
    # An unchanged catalog exports the same bytes.
    before = en.read_bytes()
    export_vendor_products(world.v1a, catalog=feed, exports=exports, languages=("en",))
    assert en.read_bytes() == before


class Failing:
    """A catalog whose export breaks after its first product."""

    def __init__(self, real: Any) -> None:
        self.real = real

    def export(self, vendor_id: int, language: str) -> Iterator[Any]:
        products = self.real.export(vendor_id, language)
        yield next(products)
        raise RuntimeError("database went away")


def test_a_failed_export_leaves_the_previous_file_and_no_temporary_file(setup, exports) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    feed = c.module_services("catalog").feed
    feed.sync_batch(world.p1, world.v1a, "en", CATALOG, create_missing=True)
    export_vendor_products(world.v1a, catalog=feed, exports=exports, languages=("en",))
    path = exports.path(vendor_folder(world.v1a), vendor_file(world.v1a, "en"))
    assert path is not None
    before = path.read_bytes()
    feed.sync_batch(world.p1, world.v1a, "en", [item("D-4", 3, title="New")], create_missing=True)

    with pytest.raises(RuntimeError, match="went away"):
        export_vendor_products(world.v1a, catalog=Failing(feed), exports=exports, languages=("en",))  # type: ignore[arg-type]
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]
    # A failure before the first export leaves nothing at all.
    with pytest.raises(RuntimeError):
        export_vendor_products(world.v1b, catalog=Failing(feed), exports=exports, languages=("en",))  # type: ignore[arg-type]
    assert exports.path(vendor_folder(world.v1b), vendor_file(world.v1b, "en")) is None
    assert list((exports.root / vendor_folder(world.v1b)).iterdir()) == []


def test_downloads_refuse_anything_but_a_finished_plain_file(exports: LocalExportFiles) -> None:
    with exports.open_atomic("7", "7_letzshop_en.tsv") as stream:
        stream.write("id\n")
    assert exports.path("7", "7_letzshop_en.tsv") is not None
    for folder, name in [("7", "8_letzshop_en.tsv"), ("..", "7_letzshop_en.tsv"), ("7", "../7/7_letzshop_en.tsv"),
                         ("7/..", "x"), ("7", ".7_letzshop_en.tsv.tmp"), ("", "x"), ("7", "")]:
        assert exports.path(folder, name) is None
    with pytest.raises(ValueError):
        exports.open_atomic("..", "evil.tsv").__enter__()


def test_platform_listings_export_what_was_imported(setup, exports: LocalExportFiles) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    staged = {}
    for vendor, data in [(world.v1a, products(4)),
                         (world.v1b, feed_file([product(n, description="Déjà vu; 100 %", price="5,50 EUR") for n in (5, 6)]))]:
        view = create_import_job(
            CreateImportJob(platform_id=world.p1, vendor_id=vendor, actor="test", url=None, upload=BytesIO(data),
                            file_name="feed.tsv", options=ImportOptions(language="fr", into_catalog=False)),
            uow=c.unit_of_work("marketplace"), limits=c.module_services("billing").limits,
            files=c.module_services("marketplace").files, task_queue=c.task_queue,
            config=c.configuration.module("marketplace"), clock=c.clock)
        process_import(view.id, uow_factory=lambda: c.unit_of_work("marketplace"),
                       files=c.module_services("marketplace").files, catalog=None,
                       config=c.configuration.module("marketplace"), clock=c.clock, task_queue=None)
        with c.unit_of_work("marketplace") as uow:
            staged[vendor] = dict(uow.session.execute(
                select(listings_table.c.external_id, listings_table.c.content_hash)
                .where(listings_table.c.vendor_id == vendor)).all())
        assert len(staged[vendor]) == data.count(b"\n") - 1

    listings = SqlPlatformListings(c.sessions)
    written = export_platform_listings(world.p1, listings=listings, exports=exports)
    assert written == {"en": 0, "fr": 6, "de": 0}
    path = exports.path(platform_folder(world.p1), platform_file("fr"))
    assert path is not None and path.parent.name == f"platform-{world.p1}"
    rows = read(path)
    # Vendor by vendor, each row hashes like the listing it came from: every field came back.
    expected = [(eid, digest) for vendor in (world.v1a, world.v1b) for eid, digest in sorted(staged[vendor].items())]
    assert [(r.external_id, r.content_hash) for r in rows] == expected
    assert rows[-1].description == "Déjà vu; 100 %" and rows[-1].price_cents == 550
    assert product(1)["title"] == rows[0].title
    # Another platform has no listings: empty files, no other platform's rows.
    assert export_platform_listings(world.p2, listings=listings, exports=exports) == {"en": 0, "fr": 0, "de": 0}
