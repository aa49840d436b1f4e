"""The CatalogFeed facade (contracts.catalog.facade): feed batches in, active products out.
Set-based: one query finds a batch's products, one statement inserts the new ones, one
executemany updates the changed ones; unchanged rows (same content hash for the language) cost
a dictionary lookup."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from application.catalog.config import CatalogConfig
from application.catalog.ports import CatalogUnitOfWork
from application.catalog.use_cases.products import publish_active_count
from application.shared.ports import Clock
from contracts.billing.facade import PlanLimits
from contracts.catalog.dto import FeedProduct, FeedSyncResult
from domain.catalog.model import ProductStatus, derived, validate


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
            new: list[tuple[str, dict[str, Any]]] = []
            created_as = {"vat_class": self._config.default_vat_class, "updated_at": now, "vendor_id": vendor_id,
                          "platform_id": platform_id, "status": ProductStatus.ACTIVE, "created_at": now}
            for row in rows:
                match = (by_gtin.get(row.gtin) if row.gtin else None) or by_sku.get(row.external_id)
                if match is None:
                    if create_missing:
                        new.append((row.external_id, _fields(row, language, created_as, sku=row.external_id,
                                                             gtin=row.gtin)))
                    continue
                result.links[row.external_id] = match["id"]
                if match["source_hashes"].get(language) == row.content_hash or match["status"] == ProductStatus.ARCHIVED:
                    result.unchanged += 1
                else:
                    changed.append((row.external_id, self._changed(match, row, language, now)))
            updates = _refuse_invalid(changed, result)
            created = _refuse_invalid(new, result)
            if created:
                if active is None:
                    active = products.count_active()
                created = self._within_plan(created, platform_id, vendor_id, active, result)
            if updates:
                products.update_many(updates)
                result.updated = len(updates)
            if created:
                ids = products.insert_many(created)
                result.links.update(zip([n["sku"] for n in created], ids, strict=True))
                result.created = len(created)
                active += len(created)
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

    def _within_plan(self, new: list[dict[str, Any]], platform_id: int, vendor_id: int, active: int,
                     result: FeedSyncResult) -> list[dict[str, Any]]:
        """As many new active products as the plan allows; the rest are refused, named."""
        check = self._limits.check(platform_id, vendor_id, "products", wanted=len(new), used=active)
        if check.allowed:
            return new
        room = check.remaining or 0
        reason = f"{check.reason}: not created"
        result.refused.extend((row["sku"], reason) for row in new[room:])
        return new[:room]


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


def _refuse_invalid(candidates: list[tuple[str, dict[str, Any]]], result: FeedSyncResult) -> list[dict[str, Any]]:
    """The rows the product rules accept; each other one is refused, named by its feed id."""
    kept = []
    for external_id, row in candidates:
        errors = validate(row)
        if errors:
            result.refused.append((external_id, "; ".join(map(str, errors))))
        else:
            kept.append(row)
    return kept
