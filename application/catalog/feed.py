"""The CatalogFeed facade (contracts.catalog.facade): feed batches in, active products out.
Set-based: one query finds a batch's products, one statement inserts the new ones (built and
checked a column at a time: a first import creates every row's product), one executemany
updates the changed ones; unchanged rows (same content hash for the language) cost a dictionary
lookup."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from itertools import compress
from typing import Any

from application.catalog.config import CatalogConfig
from application.catalog.ports import CatalogUnitOfWork, Products
from application.catalog.use_cases.products import publish_active_count
from application.shared.ports import Clock
from contracts.billing.facade import PlanLimits
from contracts.catalog.dto import FeedProduct, FeedSyncResult
from domain.catalog.model import ProductStatus, all_valid, derived, derived_columns, validate


class CatalogFeedService:
    def __init__(self, uow_factory: Callable[[], CatalogUnitOfWork], limits: PlanLimits, clock: Clock,
                 config: CatalogConfig, *, reader: Callable[[], CatalogUnitOfWork] | None = None) -> None:
        self._uow, self._limits, self._clock, self._config = uow_factory, limits, clock, config
        self._reader = reader or uow_factory  # read-only: an export does not hold SQLite's write lock

    def sync_batch(self, platform_id: int, vendor_id: int, language: str, rows: list[FeedProduct], *,
                   create_missing: bool, active: int | None = None) -> FeedSyncResult:
        now = self._clock.now()
        result = FeedSyncResult()
        with self._uow() as uow:
            products = uow.products(vendor_id)
            found = products.matching([r.gtin for r in rows if r.gtin], [r.external_id for r in rows])
            by_gtin = {f["gtin"]: f for f in found if f["gtin"]}
            by_sku = {f["sku"]: f for f in found}
            changed: list[tuple[str, dict[str, Any]]] = []
            fresh: list[FeedProduct] = []
            for row in rows:
                match = (by_gtin.get(row.gtin) if row.gtin else None) or by_sku.get(row.external_id)
                if match is None:
                    if create_missing:
                        fresh.append(row)
                    continue
                result.links[row.external_id] = match["id"]
                if match["source_hashes"].get(language) == row.content_hash or match["status"] == ProductStatus.ARCHIVED:
                    result.unchanged += 1
                else:
                    changed.append((row.external_id, self._changed(match, row, language, now)))
            updates = _refuse_invalid(changed, result)
            created_as = {"vat_class": self._config.default_vat_class, "updated_at": now, "platform_id": platform_id,
                          "status": ProductStatus.ACTIVE, "created_at": now}
            created = _new_products(fresh, language, created_as, result)
            if created is not None:
                created, active = self._within_plan(created, products, platform_id, vendor_id, active, result)
            if updates:
                products.update_many(updates)
                result.updated = len(updates)
            if created:
                skus = created["sku"]
                ids = products.insert_many(created, created_as)
                result.links.update(zip(skus, ids, strict=True))
                result.created = len(skus)
                active += len(skus)
                publish_active_count(uow, platform_id, vendor_id, active, now)
            uow.commit()
        result.active = active
        return result

    def export(self, vendor_id: int, language: str) -> Iterator[FeedProduct]:
        with self._reader() as uow:
            for row in uow.products(vendor_id).stream_active():
                title = row["titles"].get(language)
                if title:
                    yield FeedProduct(
                        external_id=row["sku"], gtin=row["gtin"], title=title,
                        description=row["descriptions"].get(language, ""), price_cents=row["price_cents"],
                        sale_price_cents=row["sale_price_cents"], currency=row["currency"],
                        availability=row["availability"], brand=row["brand"], image_links=tuple(row["image_links"]),
                        content_hash=row["source_hashes"].get(language, ""))

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _changed(match: dict[str, Any], row: FeedProduct, language: str, now: Any) -> dict[str, Any]:
        return _fields(row, language, {"vat_class": match["vat_class"], "updated_at": now, "id": match["id"]},
                       sku=match["sku"], gtin=match["gtin"] or row.gtin, titles=match["titles"],
                       descriptions=match["descriptions"], hashes=match["source_hashes"])

    def _within_plan(self, new: dict[str, list[Any]], products: Products, platform_id: int, vendor_id: int,
                     active: int | None, result: FeedSyncResult) -> tuple[dict[str, list[Any]] | None, int]:
        """As many new active products as the plan allows (the rest are refused, named), and
        the vendor's active products before them. ``active`` is the count the batch before left.
        Under a limit the products are counted again, since some may have been made or archived
        meanwhile (over HTTP); that count reads about as many index entries as the limit allows.
        Without a limit, or once past it where the platform only flags (the answer cannot
        change), the count handed in is trusted: counting a growing table in every batch made a
        first import quadratic."""
        ask = partial(self._limits.check, platform_id, vendor_id, "products", wanted=len(new["sku"]))
        handed_in = active is not None
        if active is None:
            active = products.count_active()
        check = ask(used=active)
        if handed_in and check.limit is not None and not check.flagged:
            active = products.count_active()
            check = ask(used=active)
        if check.allowed:
            return new, active
        room = check.remaining or 0
        reason = f"{check.reason}: not created"
        result.refused.extend((sku, reason) for sku in new["sku"][room:])
        return ({name: values[:room] for name, values in new.items()} if room else None), active


def _fields(row: FeedProduct, language: str, fixed: dict[str, Any], *, sku: str, gtin: str | None,
            titles: dict[str, str] | None = None, descriptions: dict[str, str] | None = None,
            hashes: dict[str, str] | None = None) -> dict[str, Any]:
    """A product's columns from a feed row in ``language``, merged into the texts and hashes it
    had, with the columns ``fixed`` by the caller (for new products the same for the whole batch).
    Built in place: a first import builds one per row."""
    fields = derived(sku, gtin, {**titles, language: row.title} if titles else {language: row.title})
    fields.update(fixed)
    fields["sku"] = sku
    texts = {**descriptions, language: row.description} if descriptions else {language: row.description}
    fields["descriptions"] = {lang: text for lang, text in texts.items() if text}
    fields["price_cents"], fields["sale_price_cents"] = row.price_cents, row.sale_price_cents
    fields["currency"], fields["availability"], fields["brand"] = row.currency, row.availability, row.brand
    fields["image_links"] = list(row.image_links)
    fields["source_hashes"] = {**hashes, language: row.content_hash} if hashes else {language: row.content_hash}
    return fields


def _new_products(rows: list[FeedProduct], language: str, fixed: dict[str, Any],
                  result: FeedSyncResult) -> dict[str, list[Any]] | None:
    """The columns of the products ``rows`` create (the columns ``fixed`` apart), built a column
    at a time; None if there are none. Where ``all_valid`` cannot vouch for every row, each is
    validated as ``_fields`` builds it, and the ones the rules reject are refused, named."""
    if not rows:
        return None
    feed = dict(zip(FeedProduct._fields, map(list, zip(*rows, strict=True)), strict=True))
    skus, titles = feed["external_id"], feed["title"]
    columns = derived_columns(skus, feed["gtin"], titles, language)
    columns.update(
        sku=skus, descriptions=[{language: text} if text else {} for text in feed["description"]],
        source_hashes=[{language: digest} for digest in feed["content_hash"]],
        **{name: feed[name] for name in ("price_cents", "sale_price_cents", "currency", "availability", "brand",
                                         "image_links")})
    if all_valid(skus=skus, gtins=columns["gtin"], gtin_types=columns["gtin_type"], titles=titles, language=language,
                 prices=feed["price_cents"], sale_prices=feed["sale_price_cents"],
                 availabilities=feed["availability"], vat_class=fixed["vat_class"]):
        return columns
    keep = [not _refused(row.external_id, _fields(row, language, fixed, sku=row.external_id, gtin=row.gtin), result)
            for row in rows]
    kept = {name: list(compress(values, keep)) for name, values in columns.items()}
    return kept if kept["sku"] else None


def _refused(external_id: str, row: dict[str, Any], result: FeedSyncResult) -> bool:
    """Whether the product rules refuse ``row``; if so it is refused in ``result``, named by its feed id."""
    errors = validate(row)
    if errors:
        result.refused.append((external_id, "; ".join(map(str, errors))))
    return bool(errors)


def _refuse_invalid(candidates: list[tuple[str, dict[str, Any]]], result: FeedSyncResult) -> list[dict[str, Any]]:
    """The rows the product rules accept; each other one is refused, named by its feed id."""
    return [row for external_id, row in candidates if not _refused(external_id, row, result)]
