"""The CatalogFeed facade (contracts.catalog.facade): feed batches in, active products out.
Set-based: one query finds a batch's products, one statement inserts the new ones, one
executemany updates the changed ones; unchanged rows (same content hash for the language) cost
a dictionary lookup."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from application.catalog.config import CatalogConfig
from application.catalog.ports import CatalogUnitOfWork
from application.catalog.use_cases.products import ProductCommand, publish_active_count
from application.shared.ports import Clock
from contracts.billing.facade import PlanLimits
from contracts.catalog.dto import ExportProduct, FeedProduct, FeedSyncResult
from domain.catalog.model import ProductStatus, search_text, validate
from domain.shared.gtin import gtin_type


class CatalogFeedService:
    def __init__(self, uow_factory: Callable[[], CatalogUnitOfWork], limits: PlanLimits, clock: Clock,
                 config: CatalogConfig) -> None:
        self._uow, self._limits, self._clock, self._config = uow_factory, limits, clock, config

    def sync_batch(self, platform_id: int, vendor_id: int, language: str, rows: list[FeedProduct], *,
                   create_missing: bool) -> FeedSyncResult:
        now = self._clock.now()
        result = FeedSyncResult()
        with self._uow() as uow:
            products = uow.products(vendor_id)
            found = products.matching([r.gtin for r in rows if r.gtin], [r.external_id for r in rows])
            by_gtin = {f["gtin"]: f for f in found if f["gtin"]}
            by_sku = {f["sku"]: f for f in found}
            updates: list[dict[str, Any]] = []
            new: list[dict[str, Any]] = []
            for row in rows:
                match = (by_gtin.get(row.gtin) if row.gtin else None) or by_sku.get(row.external_id)
                if match is None:
                    if create_missing:
                        new.append(self._new(row, language, vendor_id, platform_id, now))
                    continue
                result.links[row.external_id] = match["id"]
                if match["source_hashes"].get(language) == row.content_hash or match["status"] == ProductStatus.ARCHIVED:
                    result.unchanged += 1
                    continue
                changed = self._changed(match, row, language, now)
                errors = validate(changed)
                if errors:
                    result.refused.append((row.external_id, "; ".join(f"{e.field}: {e.message}" for e in errors)))
                    continue
                updates.append(changed)
            new = self._valid(new, result)
            if new:
                new = self._within_plan(new, platform_id, vendor_id, products.count_active(), result)
            if updates:
                products.update_many([_update_row(u) for u in updates])
                result.updated = len(updates)
            if new:
                ids = products.insert_many(new)
                result.links.update({n["sku"]: ids[n["sku"]] for n in new})
                result.created = len(new)
                publish_active_count(uow, ProductCommand(platform_id=platform_id, vendor_id=vendor_id, actor="feed"),
                                     products, now)
            uow.commit()
        return result

    def export(self, vendor_id: int, language: str) -> Iterator[ExportProduct]:
        with self._uow() as uow:
            for row in uow.products(vendor_id).stream_active():
                title = row["titles"].get(language)
                if title:
                    yield ExportProduct(
                        sku=row["sku"], gtin=row["gtin"], title=title,
                        description=row["descriptions"].get(language, ""), price_cents=row["price_cents"],
                        sale_price_cents=row["sale_price_cents"], currency=row["currency"],
                        availability=row["availability"], brand=row["brand"], image_links=row["image_links"])

    # ------------------------------------------------------------------ helpers
    def _new(self, row: FeedProduct, language: str, vendor_id: int, platform_id: int, now: Any) -> dict[str, Any]:
        titles = {language: row.title}
        return {
            "vendor_id": vendor_id, "platform_id": platform_id, "sku": row.external_id, "gtin": row.gtin or None,
            "gtin_type": gtin_type(row.gtin) if row.gtin else None, "titles": titles,
            "descriptions": {language: row.description} if row.description else {},
            "price_cents": row.price_cents, "sale_price_cents": row.sale_price_cents, "currency": row.currency,
            "vat_class": self._config.default_vat_class, "availability": row.availability, "brand": row.brand,
            "image_links": list(row.image_links), "status": ProductStatus.ACTIVE,
            "source_hashes": {language: row.content_hash},
            "search_text": search_text(row.external_id, row.gtin, titles), "created_at": now, "updated_at": now,
        }

    @staticmethod
    def _changed(match: dict[str, Any], row: FeedProduct, language: str, now: Any) -> dict[str, Any]:
        titles = {**match["titles"], language: row.title}
        descriptions = {**match["descriptions"], language: row.description}
        gtin = match["gtin"] or row.gtin or None
        return {
            "id": match["id"], "sku": match["sku"], "gtin": gtin, "gtin_type": gtin_type(gtin) if gtin else None,
            "titles": titles, "descriptions": {k: v for k, v in descriptions.items() if v},
            "price_cents": row.price_cents, "sale_price_cents": row.sale_price_cents, "currency": row.currency,
            "availability": row.availability, "brand": row.brand, "image_links": list(row.image_links),
            "vat_class": match["vat_class"], "source_hashes": {**match["source_hashes"], language: row.content_hash},
            "search_text": search_text(match["sku"], gtin, titles), "updated_at": now,
        }

    @staticmethod
    def _valid(new: list[dict[str, Any]], result: FeedSyncResult) -> list[dict[str, Any]]:
        kept = []
        for row in new:
            errors = validate(row)
            if errors:
                result.refused.append((row["sku"], "; ".join(f"{e.field}: {e.message}" for e in errors)))
            else:
                kept.append(row)
        return kept

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


def _update_row(changed: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in changed.items() if k != "sku"}
