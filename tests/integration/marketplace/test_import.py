"""Marketplace imports against a real database: real-world feed files (each bad input with its
exact message), URL fetching from a local server, resume after a crash, cancel between batches,
one running job per vendor, and the sync into the catalog."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

import attrs
import pytest
from sqlalchemy import select

from adapters.marketplace.orm import products as listings_table
from adapters.marketplace.repositories import SqlListings
from adapters.sql.plumbing import outbox
from adapters.sql.plumbing import task_runs as runs
from application.catalog.use_cases.products import ProductCommand, create_product
from application.marketplace import tasks
from application.marketplace.use_cases.cancel_import_job import CancelImportJob, cancel_import_job
from application.marketplace.use_cases.create_import_job import CreateImportJob, create_import_job
from application.marketplace.use_cases.get_import_job import get_import_job
from application.marketplace.use_cases.import_errors_csv import import_errors_csv
from application.marketplace.use_cases.process_import import ImportProgress, abandon_stalled
from application.shared.clock import FrozenClock
from application.shared.tasks import TaskCancelled
from contracts.billing.dto import LimitCheck
from contracts.catalog.dto import ProductFilter, ProductIn, ProductView
from contracts.marketplace.dto import ImportJobDetail, ImportJobFilter, ImportOptions
from domain.marketplace.model import FileTooLarge
from domain.shared.errors import Conflict, LimitExceeded, NotFound, ValidationFailed
from entrypoints.bootstrap import Container
from tests.conftest import make_container
from tests.fakes.feeds import GTINS, HEADER, feed, feed_server, product, products
from tests.fakes.tenants import World, build_world, limit_plan, switch_module


@pytest.fixture
def setup(container: Container, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Container, World]]:
    monkeypatch.setenv("MARKETPLACE_UPLOAD_DIR", str(tmp_path / "uploads"))
    monkeypatch.setenv("MARKETPLACE_ALLOW_HTTP_URLS", "true")
    monkeypatch.setenv("MARKETPLACE_URL_TIMEOUT_SECONDS", "0.5")
    c = make_container(container.settings.database_url)
    world = build_world(c, None)
    switch(c, world.p1, True)  # marketplace on for p1 (catalog is core: always on)
    yield c, world
    c.close()


def switch(c: Container, platform: int, on: bool) -> None:
    switch_module(c, platform, "marketplace", on)


def files(c: Container) -> Any:
    return c.module_services("marketplace").files


def create(c: Container, world: World, data: bytes | None = None, *, vendor: int | None = None, url: str | None = None,
           into_catalog: bool = False, create_missing: bool = True, language: str = "fr", limits: Any = None,
           **config: Any) -> int:
    settings = c.configuration.module("marketplace").model_copy(update=config)
    view = create_import_job(
        CreateImportJob(platform_id=world.p1, vendor_id=vendor or world.v1a, actor="test", url=url,
                        upload=None if data is None else BytesIO(data), file_name="feed.tsv",
                        options=ImportOptions(language=language, into_catalog=into_catalog,  # type: ignore[arg-type]
                                              create_missing=create_missing)),
        uow=c.unit_of_work("marketplace"), limits=limits or c.module_services("billing").limits, files=files(c),
        task_queue=c.task_queue, config=settings, clock=c.clock)
    assert view.state == "queued"
    return view.id


def process(c: Container, job_id: int, **config: Any) -> dict[str, Any]:
    progress = config.pop("progress", None)
    settings = c.configuration.module("marketplace").model_copy(update=config)
    return tasks.run_import(attrs.evolve(c.module_context("marketplace"), config=settings), job_id, progress=progress)


def imported(c: Container, world: World, data: bytes, **options: Any) -> ImportJobDetail:
    """Create and process a job; its detail afterwards."""
    config = {k: options.pop(k) for k in list(options) if k in ("import_batch_size", "max_errors_per_job")}
    job_id = create(c, world, data, **options)
    process(c, job_id, **config)
    return detail(c, world.v1a, job_id)


def detail(c: Container, vendor: int, job_id: int) -> ImportJobDetail:
    return get_import_job(vendor, job_id, uow=c.unit_of_work("marketplace"), now=c.clock.now())


def counts(job: ImportJobDetail) -> tuple[int, ...]:
    return (job.rows_read, job.created, job.updated, job.unchanged, job.rejected)


def errors(job: ImportJobDetail) -> list[tuple[int, str, str]]:
    return [(e.line, e.column, e.reason) for e in job.errors]


def stored(c: Container, vendor: int, language: str = "fr") -> dict[str, dict[str, Any]]:
    t = listings_table.c
    with c.engine.connect() as conn:
        rows = conn.execute(select(listings_table).where(t.vendor_id == vendor, t.language == language)).mappings()
        return {r["external_id"]: dict(r) for r in rows}


def catalog_products(c: Container, vendor: int) -> dict[str, ProductView]:
    with c.unit_of_work("catalog") as uow:
        found, _ = uow.products(vendor).page(ProductFilter(), 200, 0)
        return {p.sku: ProductView.model_validate(p) for p in found}


# ------------------------------------------------------------------------------------ happy path


def test_stage_only_import_stages_every_row_and_a_rerun_changes_nothing(setup) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    first = imported(c, world, products(7), import_batch_size=3)
    assert first.state == "succeeded" and first.progress == 100 and first.error is None
    assert counts(first) == (7, 7, 0, 0, 0) and first.last_line == 8
    assert (first.encoding, first.delimiter, first.unknown_columns) == ("utf-8", "\t", [])
    rows = stored(c, world.v1a)
    assert sorted(rows) == [f"SKU-{n}" for n in range(1, 8)]
    sku1 = rows["SKU-1"]
    assert (sku1["title"], sku1["price_cents"], sku1["currency"], sku1["gtin"], sku1["line"]) == (
        "Produit 1", 1999, "EUR", GTINS[1], 2)
    assert sku1["product_id"] is None and sku1["synced_hash"] is None  # staged only
    assert catalog_products(c, world.v1a) == {}

    again = imported(c, world, products(7), import_batch_size=3)
    assert counts(again) == (7, 0, 0, 7, 0)
    assert stored(c, world.v1a) == rows  # not even updated_at moved

    changed = feed([product(n, price="21.00 EUR" if n == 3 else "19.99 EUR") for n in range(1, 8)])
    third = imported(c, world, changed)
    assert counts(third) == (7, 0, 1, 6, 0)
    assert stored(c, world.v1a)["SKU-3"]["price_cents"] == 2100
    assert not any(files(c).root.glob("*.feed"))  # files are dropped once imported


def test_a_record_held_as_written_is_not_read_again(setup) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    imported(c, world, products(4), into_catalog=True)
    t = listings_table.c
    with c.engine.begin() as conn:  # a title changed behind the import's back, raw hash kept
        conn.execute(listings_table.update().where(t.external_id == "SKU-1").values(title="tampered"))
        conn.execute(listings_table.update().where(t.external_id == "SKU-2").values(raw_hash=None))
    again = imported(c, world, products(4), into_catalog=True)
    assert counts(again) == (4, 0, 0, 4, 0) and again.products_updated == 0
    rows = stored(c, world.v1a)
    assert rows["SKU-1"]["title"] == "tampered"  # skipped by its raw hash: never parsed again
    assert rows["SKU-2"]["raw_hash"] is not None  # read again, unchanged, its raw hash stored for next time

    crlf = imported(c, world, feed([product(n) for n in range(1, 5)], newline="\r\n"), into_catalog=True)
    assert counts(crlf) == (4, 0, 0, 4, 0)  # the same content: unchanged, only the raw hashes move
    moved = stored(c, world.v1a)
    assert all(moved[sku]["raw_hash"] != rows[sku]["raw_hash"] for sku in ("SKU-3", "SKU-4"))
    assert moved["SKU-3"]["updated_at"] == rows["SKU-3"]["updated_at"]


def test_every_feed_field_is_stored(setup) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    header = ("id", "title", "description", "link", "image_link", "additional_image_link", "availability", "price",
              "sale_price", "brand", "gtin", "mpn", "condition", "google_product_category", "product_type",
              "item_group_id")
    row = {"id": "K-1", "title": "Kettle", "description": "Steel", "link": "https://shop.lu/k-1",
           "image_link": "https://img.lu/k.jpg", "additional_image_link": "https://img.lu/k2.jpg, https://img.lu/k3.jpg",
           "availability": "Out of stock", "price": "49,90 EUR", "sale_price": "39.90 EUR", "brand": "Acme",
           "gtin": "4006381333931", "mpn": "AC-K1", "condition": "refurbished",
           "google_product_category": "Home > Kitchen", "product_type": "Kettles", "item_group_id": "K"}
    job = imported(c, world, feed([row], header=header))
    assert counts(job) == (1, 1, 0, 0, 0)
    stored_row = stored(c, world.v1a)["K-1"]
    assert {k: stored_row[k] for k in (
        "link", "image_link", "additional_image_links", "availability", "price_cents", "sale_price_cents", "currency",
        "gtin", "gtin_type", "mpn", "condition", "category", "product_type", "item_group_id", "import_job_id")} == {
        "link": "https://shop.lu/k-1", "image_link": "https://img.lu/k.jpg",
        "additional_image_links": ["https://img.lu/k2.jpg", "https://img.lu/k3.jpg"], "availability": "out_of_stock",
        "price_cents": 4990, "sale_price_cents": 3990, "currency": "EUR", "gtin": "4006381333931",
        "gtin_type": "gtin13", "mpn": "AC-K1", "condition": "refurbished", "category": "Home > Kitchen",
        "product_type": "Kettles", "item_group_id": "K", "import_job_id": job.id}
    assert stored_row["created_at"] == stored_row["updated_at"] and stored_row["created_at"].tzinfo is not None


def test_import_job_queued_is_published_and_the_task_enqueued(setup) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    job_id = create(c, world, products(1))
    with c.engine.connect() as conn:
        event = conn.execute(select(outbox.c.event_type, outbox.c.payload).where(
            outbox.c.event_type == "marketplace.import_job_queued")).one()
        run = conn.execute(select(runs.c.task, runs.c.args, runs.c.vendor_id).where(
            runs.c.idempotency_key == f"import-{job_id}")).one()
    assert (event.payload["job_id"], event.payload["vendor_id"], event.payload["platform_id"]) == (
        job_id, world.v1a, world.p1)
    assert (run.task, run.args, run.vendor_id) == ("marketplace.process_marketplace_import", {"job_id": job_id},
                                                    world.v1a)


def test_the_task_runs_the_import(setup) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    job_id = create(c, world, products(3))
    result = tasks.process_marketplace_import(c.task_context("marketplace", uuid.uuid4()), job_id=job_id)
    assert result["state"] == "succeeded" and result["created"] == 3
    assert tasks.process_marketplace_import(c.task_context("marketplace", uuid.uuid4()), job_id=job_id) == {
        "job_id": job_id, "skipped": "succeeded"}  # a re-delivery of a finished job does nothing


def test_a_cancelled_task_run_is_recorded_cancelled(setup, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    job_id = create(c, world, products(3))
    monkeypatch.setattr(type(c.task_runs), "cancel_requested", lambda self, run_id: True)
    with pytest.raises(TaskCancelled):  # the broker records the run cancelled, not succeeded
        tasks.process_marketplace_import(c.task_context("marketplace", uuid.uuid4()), job_id=job_id)
    assert detail(c, world.v1a, job_id).state == "cancelled"


# ------------------------------------------------------------------------------ real-world files


@pytest.mark.parametrize("delimiter", [";", ","])
def test_semicolon_and_comma_files(setup, delimiter: str) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    job = imported(c, world, feed([product(1), product(2)], delimiter=delimiter))
    assert job.delimiter == delimiter and counts(job) == (2, 2, 0, 0, 0)


def test_cp1252_file(setup) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    job = imported(c, world, feed([product(1, title="Crème brûlée – 5 €")], encoding="cp1252"))
    assert job.encoding == "cp1252" and counts(job) == (1, 1, 0, 0, 0)
    assert stored(c, world.v1a)["SKU-1"]["title"] == "Crème brûlée – 5 €"


def test_bom_file(setup) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    job = imported(c, world, b"\xef\xbb\xbf" + feed([product(1)], newline="\r\n"))
    assert job.encoding == "utf-8-sig" and counts(job) == (1, 1, 0, 0, 0)
    assert "SKU-1" in stored(c, world.v1a)  # the BOM is not part of the first column's name


def test_quoted_fields_with_embedded_newlines_and_tabs(setup) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    data = (b'id\ttitle\tdescription\tprice\n'
            b'A1\t"Lamp, ""Nordic"""\t"two\r\nlines\tand a tab"\t9.50 EUR\n'
            b'A2\tMug\tplain\t3 EUR\n')
    job = imported(c, world, data)
    assert counts(job) == (2, 2, 0, 0, 0)
    rows = stored(c, world.v1a)
    assert rows["A1"]["title"] == 'Lamp, "Nordic"' and rows["A1"]["description"] == "two\nlines\tand a tab"
    assert rows["A2"]["line"] == 4  # the record of A1 spans lines 2 and 3


def test_decimal_commas_and_missing_currency(setup) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    data = feed([product(1, price="19,99 EUR"), product(2, price="1.234,50"), product(3, price="7")], delimiter=";")
    job = imported(c, world, data)
    assert counts(job) == (3, 3, 0, 0, 0)
    assert {k: (v["price_cents"], v["currency"]) for k, v in stored(c, world.v1a).items()} == {
        "SKU-1": (1999, "EUR"), "SKU-2": (123450, "EUR"), "SKU-3": (700, "EUR")}


def test_blank_lines_are_skipped(setup) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    second = feed([product(2)]).split(b"\n")[1]
    data = b"\n" + feed([product(1)]) + b"\n\n\t\t\t\t\t\t\t\n" + second + b"\n\n"
    job = imported(c, world, data)
    assert counts(job) == (2, 2, 0, 0, 0) and job.errors == []
    assert stored(c, world.v1a)["SKU-2"]["line"] == 7


def test_missing_required_column_fails_the_job_at_once_naming_it(setup) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    job = imported(c, world, feed([product(1)], header=("id", "title", "description")))
    assert job.state == "failed" and job.error == "missing required column 'price'"
    assert counts(job) == (0, 0, 0, 0, 0) and stored(c, world.v1a) == {}


def test_unknown_columns_are_ignored_and_reported_once(setup) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    header = (*HEADER, "colour", "Lieferzeit")
    job = imported(c, world, feed([product(n, colour="red") for n in (1, 2, 3)], header=header),
                   import_batch_size=1)
    assert counts(job) == (3, 3, 0, 0, 0) and job.unknown_columns == ["colour", "Lieferzeit"]
    assert [(e.line, e.column, e.reason, e.severity) for e in job.errors] == [
        (1, "colour", "unknown column, ignored", "warning"), (1, "Lieferzeit", "unknown column, ignored", "warning")]


def test_duplicate_ids_last_wins_and_are_reported(setup) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    job = imported(c, world, feed([product(1), product(2), product(1, title="Second")]))
    assert counts(job) == (3, 2, 0, 0, 0) and job.duplicates == 1
    assert [(e.line, e.column, e.reason, e.external_id, e.severity) for e in job.errors] == [
        (4, "id", "duplicate id, line 2 is overridden", "SKU-1", "warning")]
    assert stored(c, world.v1a)["SKU-1"]["title"] == "Second"


def test_an_id_repeated_in_a_later_batch_updates_the_listing_the_earlier_batch_wrote(setup) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    rows = [product(1), product(2), product(3), product(1, title="Second"), product(4)]
    job = imported(c, world, feed(rows), into_catalog=True, import_batch_size=2)
    assert counts(job) == (5, 4, 1, 0, 0) and job.duplicates == 1
    assert (job.products_created, job.products_updated) == (4, 1)
    assert [(e.line, e.reason) for e in job.errors] == [(5, "duplicate id, an earlier line is overridden")]
    assert stored(c, world.v1a)["SKU-1"]["title"] == "Second"
    assert catalog_products(c, world.v1a)["SKU-1"].titles == {"fr": "Second"}


def test_bad_rows_are_rejected_with_their_line_and_reason(setup) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    rows = [product(1, gtin="4006381333932"), product(2, price="-5 EUR"), product(3, price="cheap"),
            product(4), {**product(5), "id": "X" * 101}, product(6, gtin="12ab")]
    job = imported(c, world, feed(rows), import_batch_size=2)
    assert counts(job) == (6, 1, 0, 0, 5) and job.state == "succeeded"
    assert errors(job) == [
        (2, "gtin", "check digit should be 1"),
        (3, "price", "must not be negative"),
        (4, "price", "cannot read 'cheap' as a price"),
        (6, "id", "is longer than 100 characters"),
        (7, "gtin", "must contain only digits"),
    ]
    assert list(stored(c, world.v1a)) == ["SKU-4"]
    csv_text = "".join(import_errors_csv(world.v1a, job.id, uow=c.unit_of_work("marketplace")))
    assert csv_text.splitlines()[:3] == ["line,column,reason,external_id,severity",
                                         "2,gtin,check digit should be 1,SKU-1,error",
                                         "3,price,must not be negative,SKU-2,error"]


def test_row_errors_are_capped_per_job_and_all_counted(setup) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    job = imported(c, world, feed([product(n, price="n/a") for n in range(1, 11)]), import_batch_size=3,
                   max_errors_per_job=4)
    assert job.rejected == 10 and job.errors_stored == 4 and [e.line for e in job.errors] == [2, 3, 4, 5]


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "the file is empty"),
    (b"\n\n  \n", "the file is empty"),
    (bytes(range(256)) * 50, "not a text file"),
])
def test_empty_and_binary_files_fail_the_job(setup, data: bytes, reason: str) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    job = imported(c, world, data)
    assert (job.state, job.error, job.rows_read) == ("failed", reason, 0)


def test_an_upload_over_the_size_limit_is_refused_and_not_kept(setup) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    big = products(1) + b"x" * (1024 * 1024)
    with pytest.raises(FileTooLarge, match=r"larger than 1 MB \(MARKETPLACE_MAX_FILE_MB\)"):
        create(c, world, big, max_file_mb=1)
    assert not any(files(c).root.glob("*")) if files(c).root.exists() else True
    with c.unit_of_work("marketplace") as uow:
        assert uow.jobs(world.v1a).list(ImportJobFilter(), 10, 0)[1] == 0


def test_the_plan_limit_refuses_a_job(setup) -> None:  # type: ignore[no-untyped-def]
    c, world = setup

    class Exhausted:
        def check(self, platform_id: int, vendor_id: int, metric: str, **_: Any) -> LimitCheck:
            assert metric == "import_jobs"
            return LimitCheck(allowed=False, metric=metric, limit=5, used=5, remaining=0,
                              reason="plan limit of 5 import_jobs reached")

    with pytest.raises(LimitExceeded) as raised:
        create(c, world, products(1), limits=Exhausted())
    assert raised.value.limit == "import_jobs" and "plan limit of 5 import_jobs reached" in str(raised.value)


def test_a_vendor_without_a_subscription_is_told_so(setup) -> None:  # type: ignore[no-untyped-def]
    c, world = setup  # billing switched on, its subscriptions not created yet (no relay ran)
    switch_module(c, world.p1, "billing")
    with pytest.raises(LimitExceeded) as raised:
        create(c, world, products(1))
    assert str(raised.value).startswith("no import job allowed: subscription missing")


# ------------------------------------------------------------------------------------- URLs


def test_url_import_fetches_the_file_once(setup) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    with feed_server() as server:
        url = server.serve("/feed.tsv", products(4))
        job_id = create(c, world, url=url)
        process(c, job_id)
        job = detail(c, world.v1a, job_id)
        assert job.state == "succeeded" and counts(job) == (4, 4, 0, 0, 0) and job.source == "url"
        assert server.hits["/feed.tsv"] == 1 and job.file_size == len(products(4))


@pytest.mark.parametrize(("route", "reason"), [
    ({"status": 404}, "the feed URL answered HTTP 404"),
    ({"delay": 2.0, "body": b"id\ttitle\tprice\n"}, "the feed URL did not answer within 0.5 s"),
])
def test_an_url_that_fails_or_times_out_fails_the_job(setup, route: dict, reason: str) -> None:  # type: ignore[no-untyped-def, type-arg]
    c, world = setup
    with feed_server() as server:
        job_id = create(c, world, url=server.serve("/feed.tsv", **route))
        process(c, job_id)
    job = detail(c, world.v1a, job_id)
    assert (job.state, job.error) == ("failed", reason)


@pytest.mark.parametrize("announced", [True, False])
def test_an_url_over_the_size_limit_is_refused(setup, announced: bool) -> None:  # type: ignore[no-untyped-def]
    """By its Content-Length before downloading, or by counting bytes while downloading."""
    c, world = setup
    with feed_server() as server:
        url = server.serve("/big.tsv", products(1) + b"x" * (2 * 1024 * 1024), chunked=not announced)
        job_id = create(c, world, url=url)
        process(c, job_id, max_file_mb=1)
    job = detail(c, world.v1a, job_id)
    assert (job.state, job.error) == ("failed", "the file is larger than 1 MB (MARKETPLACE_MAX_FILE_MB)")
    assert not any(files(c).root.glob("job-*"))


def test_plain_http_urls_need_the_flag(setup) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    c.module_services("marketplace").files.allow_http = False
    with pytest.raises(ValidationFailed, match=r"url: only https:// feed URLs are accepted"):
        create(c, world, url="http://127.0.0.1:1/feed.tsv")


# -------------------------------------------------------------------- resume, cancel, one at a time


def test_a_crash_after_two_batches_resumes_from_the_last_committed_line(setup, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    job_id = create(c, world, products(7))
    real = SqlListings.insert_many
    calls = 0

    def crash_on_third_batch(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        real(self, *args, **kwargs)
        if calls == 3:
            raise RuntimeError("worker killed")  # after the write, before the commit

    monkeypatch.setattr(SqlListings, "insert_many", crash_on_third_batch)
    with pytest.raises(RuntimeError, match="worker killed"):
        process(c, job_id, import_batch_size=2)
    crashed = detail(c, world.v1a, job_id)
    assert (crashed.state, crashed.last_line, crashed.rows_read, crashed.created) == ("running", 5, 4, 4)
    assert sorted(stored(c, world.v1a)) == ["SKU-1", "SKU-2", "SKU-3", "SKU-4"]  # no partial third batch

    monkeypatch.setattr(SqlListings, "insert_many", real)
    process(c, job_id, import_batch_size=2)  # the re-delivered task
    job = detail(c, world.v1a, job_id)
    assert (job.state, job.attempts, job.last_line) == ("succeeded", 2, 8)
    assert counts(job) == (7, 7, 0, 0, 0)
    assert sorted(stored(c, world.v1a)) == [f"SKU-{n}" for n in range(1, 8)]


def test_a_running_job_stops_between_batches_when_cancelled(setup) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    job_id = create(c, world, products(7))
    seen: list[int] = []

    def cancel_after_first_batch(p: ImportProgress) -> None:
        seen.append(p.rows_read)
        if len(seen) == 1:
            view = cancel_import_job(CancelImportJob(vendor_id=world.v1a, job_id=job_id, actor="test"),
                                     uow=c.unit_of_work("marketplace"), clock=c.clock)
            assert (view.state, view.cancel_requested) == ("running", True)

    result = process(c, job_id, import_batch_size=2, progress=cancel_after_first_batch)
    job = detail(c, world.v1a, job_id)
    assert (result["state"], job.state, job.last_line, job.rows_read, seen) == ("cancelled", "cancelled", 3, 2, [2])
    assert sorted(stored(c, world.v1a)) == ["SKU-1", "SKU-2"]  # what was committed stays
    with pytest.raises(Conflict, match="only queued or running jobs can be cancelled"):
        cancel_import_job(CancelImportJob(vendor_id=world.v1a, job_id=job_id, actor="test"),
                          uow=c.unit_of_work("marketplace"), clock=c.clock)


def test_a_queued_job_is_cancelled_at_once_and_never_runs(setup) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    job_id = create(c, world, products(2))
    view = cancel_import_job(CancelImportJob(vendor_id=world.v1a, job_id=job_id, actor="test"),
                             uow=c.unit_of_work("marketplace"), clock=c.clock)
    assert view.state == "cancelled" and view.finished_at is not None
    assert process(c, job_id) == {"job_id": job_id, "skipped": "cancelled"}
    assert stored(c, world.v1a) == {}


def test_one_job_per_vendor_runs_at_a_time_and_the_next_starts_when_it_ends(setup) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    first, second = create(c, world, products(4)), create(c, world, feed([product(9)]))
    other_vendor = create(c, world, products(1), vendor=world.v1b)
    during: list[Any] = []

    def meanwhile(p: ImportProgress) -> None:
        if not during:  # while the first job runs: the second waits, another vendor's job runs
            during.append(process(c, second))
            during.append(detail(c, world.v1a, second).state)
            during.append(process(c, other_vendor)["state"])

    process(c, first, import_batch_size=2, progress=meanwhile)
    assert during == [{"job_id": second, "waiting": "another import of the vendor is running"}, "queued", "succeeded"]
    with c.engine.connect() as conn:
        follow_up = conn.execute(select(runs.c.args).where(
            runs.c.idempotency_key == f"import-{second}-after-{first}")).scalar_one()
    assert follow_up == {"job_id": second}  # the first job, ending, started the vendor's next one
    process(c, second)
    assert detail(c, world.v1a, second).state == "succeeded"
    assert sorted(stored(c, world.v1a)) == ["SKU-1", "SKU-2", "SKU-3", "SKU-4", "SKU-9"]


def test_jobs_and_listings_are_scoped_to_their_vendor(setup) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    job = imported(c, world, products(2))
    with pytest.raises(NotFound):
        detail(c, world.v1b, job.id)
    with pytest.raises(NotFound):
        cancel_import_job(CancelImportJob(vendor_id=world.v1b, job_id=job.id, actor="test"),
                          uow=c.unit_of_work("marketplace"), clock=c.clock)
    with c.unit_of_work("marketplace") as uow:  # another vendor's listing id matches no row
        theirs = stored(c, world.v1a)["SKU-1"]["id"]
        uow.listings(world.v1b, "fr").refresh_many([(theirs, 999, "hijacked", "raw")])
        uow.commit()
    assert stored(c, world.v1a)["SKU-1"]["product_id"] is None and stored(c, world.v1b) == {}


# ---------------------------------------------------------------------------------- catalog


def test_import_into_the_catalog_creates_then_updates_products(setup) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    job = imported(c, world, products(5), into_catalog=True, import_batch_size=2)
    assert job.state == "succeeded", job.error
    assert (job.created, job.products_created, job.products_updated) == (5, 5, 0)
    catalog = catalog_products(c, world.v1a)
    assert sorted(catalog) == [f"SKU-{n}" for n in range(1, 6)]
    assert catalog["SKU-2"].titles == {"fr": "Produit 2"} and catalog["SKU-2"].price_cents == 1999
    rows = stored(c, world.v1a)
    assert all(rows[sku]["product_id"] == catalog[sku].id for sku in catalog)

    again = imported(c, world, products(5), into_catalog=True)
    assert (counts(again), again.products_created, again.products_updated) == ((5, 0, 0, 5, 0), 0, 0)

    cheaper = feed([product(n, price="9.99 EUR" if n == 4 else "19.99 EUR") for n in range(1, 6)])
    third = imported(c, world, cheaper, into_catalog=True)
    assert (third.updated, third.products_updated) == (1, 1)
    assert catalog_products(c, world.v1a)["SKU-4"].price_cents == 999


def test_the_plan_limit_holds_across_an_imports_batches(setup) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    switch_module(c, world.p1, "billing")
    c.relay.relay()  # the vendors' subscriptions
    limit_plan(c, products=4)
    job = imported(c, world, products(7), into_catalog=True, import_batch_size=3)
    assert (job.state, job.products_created) == ("succeeded", 4)
    assert sorted(catalog_products(c, world.v1a)) == [f"SKU-{n}" for n in range(1, 5)]
    assert [(e.line, e.external_id, e.reason) for e in job.errors] == [
        (n + 1, f"SKU-{n}", "plan limit of 4 products reached: not created") for n in (5, 6, 7)]
    c.relay.relay()
    assert c.module_services("billing").limits.check(world.p1, world.v1a, "products").used == 4


def test_a_product_made_over_http_during_an_import_counts_against_the_plan(setup) -> None:  # type: ignore[no-untyped-def]
    c, world = setup  # under a finite limit each batch counts the products again
    switch_module(c, world.p1, "billing")
    c.relay.relay()
    limit_plan(c, products=4)
    limits = c.module_services("billing").limits
    job_id = create(c, world, products(7), into_catalog=True)

    def meanwhile(p: ImportProgress) -> None:
        if p.rows_read == 3:  # after the first batch: 3 products, and the vendor makes a fourth
            create_product(ProductCommand(platform_id=world.p1, vendor_id=world.v1a, actor="test"),
                           ProductIn(sku="HTTP-1", titles={"fr": "Fait main"}, price_cents=500, status="active"),
                           uow=c.unit_of_work("catalog"), clock=c.clock, limits=limits)

    process(c, job_id, import_batch_size=3, progress=meanwhile)
    job = detail(c, world.v1a, job_id)
    assert (job.state, job.products_created) == ("succeeded", 3)
    assert sorted(catalog_products(c, world.v1a)) == ["HTTP-1", "SKU-1", "SKU-2", "SKU-3"]
    assert [e.external_id for e in job.errors] == ["SKU-4", "SKU-5", "SKU-6", "SKU-7"]
    c.relay.relay()
    assert limits.check(world.p1, world.v1a, "products").used == 4


def test_update_only_imports_create_no_product_and_link_by_gtin_then_sku(setup) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    imported(c, world, feed([product(1), product(2)]), into_catalog=True)  # two products exist
    existing = catalog_products(c, world.v1a)
    rows = [product(7, gtin=GTINS[1]),  # another id, the GTIN of SKU-1: linked by GTIN
            product(2, gtin=""),  # no GTIN, the SKU of a product: linked by SKU
            product(3)]  # neither: not created
    job = imported(c, world, feed(rows), into_catalog=True, create_missing=False, language="de")
    assert (job.products_created, job.state) == (0, "succeeded")
    links = {k: v["product_id"] for k, v in stored(c, world.v1a, "de").items()}
    assert links == {"SKU-7": existing["SKU-1"].id, "SKU-2": existing["SKU-2"].id, "SKU-3": None}
    assert sorted(catalog_products(c, world.v1a)) == ["SKU-1", "SKU-2"]
    assert catalog_products(c, world.v1a)["SKU-1"].titles == {"fr": "Produit 1", "de": "Produit 7"}


def test_staged_rows_go_into_the_catalog_when_a_later_job_asks_for_it(setup) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    imported(c, world, products(3))
    job = imported(c, world, products(3), into_catalog=True)
    assert (counts(job), job.products_created) == ((3, 0, 0, 3, 0), 3)  # unchanged listings, synced now
    assert sorted(catalog_products(c, world.v1a)) == ["SKU-1", "SKU-2", "SKU-3"]


def test_a_job_whose_worker_is_gone_is_abandoned_and_the_vendor_s_next_job_starts(setup, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    c, world = setup
    first, second = create(c, world, products(5)), create(c, world, feed([product(9)]))
    other_vendor = create(c, world, products(3), vendor=world.v1b)
    real = SqlListings.insert_many

    def killed_on_second_batch(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.vendor_id == world.v1a and stored(c, world.v1a):
            raise RuntimeError("worker killed")  # the job stays running; no redelivery follows
        real(self, *args, **kwargs)

    monkeypatch.setattr(SqlListings, "insert_many", killed_on_second_batch)
    with pytest.raises(RuntimeError, match="worker killed"):
        process(c, first, import_batch_size=2)
    monkeypatch.setattr(SqlListings, "insert_many", real)
    assert detail(c, world.v1a, first).state == "running"
    assert process(c, second) == {"job_id": second, "waiting": "another import of the vendor is running"}

    config = c.configuration.module("marketplace")
    sweep = {"uow_factory": lambda: c.unit_of_work("marketplace"),
             "files": files(c), "config": config, "task_queue": c.task_queue}
    assert abandon_stalled(clock=c.clock, **sweep) == []  # its last batch is recent
    c_later = FrozenClock(c.clock.now() + timedelta(minutes=config.stalled_after_minutes, seconds=1))
    assert abandon_stalled(clock=c_later, **sweep) == [first]
    job = detail(c, world.v1a, first)
    assert job.state == "failed" and job.error.startswith("abandoned: no batch committed since")
    assert sorted(stored(c, world.v1a)) == ["SKU-1", "SKU-2"]  # the committed batch stays
    with c.engine.connect() as conn:
        follow_up = conn.execute(select(runs.c.args).where(
            runs.c.idempotency_key == f"import-{second}-after-{first}")).scalar_one()
    assert follow_up == {"job_id": second}
    assert process(c, first) == {"job_id": first, "skipped": "failed"}  # a late redelivery changes nothing
    with c.unit_of_work("marketplace") as uow, pytest.raises(Conflict, match="already ended"):
        uow.jobs(world.v1a).get(first).record_batch(  # nor does a worker that was only slow, waking up
            last_line=5, read=2, created=2, updated=0, unchanged=0, rejected=0, duplicates=0, progress=80,
            now=c.clock.now())
    assert process(c, second)["state"] == "succeeded"
    assert process(c, other_vendor)["state"] == "succeeded"  # never held back by the other vendor
    assert abandon_stalled(clock=c_later, **sweep) == []
