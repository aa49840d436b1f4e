"""Ports of the catalog module. Products are vendor-scoped: the repository is built for one
vendor and filters every query by it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Protocol

from application.shared.ports import UnitOfWork
from contracts.catalog.dto import ProductFilter
from domain.catalog.model import Product


class Products(Protocol):
    """One vendor's products."""

    def add(self, product: Product) -> None: ...
    def get(self, product_id: int) -> Product: ...
    def by_sku(self, sku: str) -> Product | None: ...
    def page(self, filters: ProductFilter, limit: int, offset: int) -> tuple[list[Product], int]: ...
    def count_active(self) -> int: ...

    def matching(self, gtins: list[str], skus: list[str]) -> list[dict[str, Any]]:
        """Rows (id, sku, gtin, titles, descriptions, source_hashes, status) of the products with
        one of these GTINs or SKUs: one query for a whole feed batch."""
        ...

    def insert_many(self, columns: Mapping[str, Sequence[Any]], fixed: Mapping[str, Any]) -> list[int]:
        """Insert products given a column at a time (a feed batch's new ones): each column's values
        in ``columns``, or one value for every product in ``fixed``; the vendor is the
        repository's own. Their ids, in order."""
        ...

    def update_many(self, rows: list[dict[str, Any]]) -> None:
        """Update products by id from plain rows (same keys in each)."""
        ...

    def stream_active(self, batch: int = 1000) -> Iterator[dict[str, Any]]: ...


class CatalogUnitOfWork(UnitOfWork, Protocol):
    def products(self, vendor_id: int) -> Products: ...
    def publish(self, event: object) -> None: ...
