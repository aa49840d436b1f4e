"""SQL repositories of the catalog module, and its services (the CatalogFeed facade)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import JSON, func, select
from sqlalchemy.orm import Session

from adapters.catalog.orm import products as table
from adapters.sql import bulk
from adapters.sql.paging import window
from adapters.sql.uow import SqlUnitOfWork
from contracts.catalog.dto import ProductFilter
from domain.catalog.model import Product, ProductStatus
from domain.shared.errors import NotFound

# What a feed batch needs of the products it touches, and what it inserts.
_MATCHED_COLUMNS = ("id", "sku", "gtin", "titles", "descriptions", "vat_class", "source_hashes", "status")
_MATCHED = ", ".join(_MATCHED_COLUMNS)
_JSON_COLUMNS = frozenset(c.name for c in table.columns if isinstance(c.type, JSON))
_INSERTED = tuple(c.name for c in table.columns if c.name != "id")


def _loaded(value: Any) -> Any:
    """A JSON column as read by the driver: text on SQLite, already decoded by psycopg."""
    return json.loads(value) if isinstance(value, str) else value


class SqlProducts:
    """One vendor's products: every query is filtered by the vendor."""

    def __init__(self, session: Session, vendor_id: int) -> None:
        self._s = session
        self.vendor_id = vendor_id

    def _query(self):  # type: ignore[no-untyped-def]
        return select(Product).where(Product.vendor_id == self.vendor_id)

    def add(self, product: Product) -> None:
        if product.vendor_id != self.vendor_id:
            raise NotFound("product belongs to another vendor")
        self._s.add(product)

    def get(self, product_id: int) -> Product:
        found = self._s.scalars(self._query().where(Product.id == product_id)).first()
        if found is None:
            raise NotFound(f"product {product_id} not found")
        return found

    def by_sku(self, sku: str) -> Product | None:
        return self._s.scalars(self._query().where(Product.sku == sku)).first()

    def page(self, filters: ProductFilter, limit: int, offset: int) -> tuple[list[Product], int]:
        query = self._query()
        if filters.status:
            query = query.where(Product.status == filters.status)
        if filters.availability:
            query = query.where(Product.availability == filters.availability)
        if filters.brand:
            query = query.where(Product.brand == filters.brand)
        if filters.q:
            query = query.where(Product.search_text.contains(filters.q.lower(), autoescape=True))
        page, total = window(self._s, query, Product.id, limit=limit, offset=offset)
        return list(self._s.scalars(page)), total

    def count_active(self) -> int:
        return self._s.scalar(select(func.count()).select_from(table).where(
            table.c.vendor_id == self.vendor_id, table.c.status == ProductStatus.ACTIVE)) or 0

    # Feed batches: driver-level statements (adapters.sql.bulk), thousands of rows at a time.
    def matching(self, gtins: list[str], skus: list[str]) -> list[dict[str, Any]]:
        connection = self._s.connection()
        found = {}  # by id: a product may match both by SKU and by GTIN
        for column, values in (("sku", skus), ("gtin", gtins)):
            if values:
                for row in bulk.select_among(connection, table, _MATCHED, [("vendor_id", self.vendor_id)], column,
                                             values):
                    found[row[0]] = {name: _loaded(value) if name in _JSON_COLUMNS else value
                                     for name, value in zip(_MATCHED_COLUMNS, row, strict=True)}
        return list(found.values())

    def insert_many(self, columns: Mapping[str, Sequence[Any]], fixed: Mapping[str, Any]) -> list[int]:
        if "vendor_id" in columns or fixed.get("vendor_id", self.vendor_id) != self.vendor_id:
            raise NotFound("product belongs to another vendor")
        connection = self._s.connection()
        rows = bulk.from_columns(connection, table, _INSERTED, columns, {**fixed, "vendor_id": self.vendor_id})
        return bulk.insert(connection, table, _INSERTED, rows, with_ids=True)

    def update_many(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            connection = self._s.connection()
            columns = [name for name in rows[0] if name not in ("id", "sku")]  # the SKU never changes
            values = bulk.from_dicts(connection, table, [*columns, "id"], rows)
            bulk.update(connection, table, columns, [(*v, self.vendor_id) for v in values], where=("id", "vendor_id"))

    def stream_active(self, batch: int = 1000) -> Iterator[dict[str, Any]]:
        query = (select(table).where(table.c.vendor_id == self.vendor_id, table.c.status == ProductStatus.ACTIVE)
                 .order_by(table.c.id).execution_options(yield_per=batch))
        for row in self._s.execute(query):
            yield dict(row._mapping)


class SqlCatalogUnitOfWork(SqlUnitOfWork):
    def products(self, vendor_id: int) -> SqlProducts:
        return SqlProducts(self.session, vendor_id)


UNIT_OF_WORK = SqlCatalogUnitOfWork


class CatalogServices:
    """The catalog's facade for other modules: feeds in and out (contracts.catalog.facade)."""

    def __init__(self, container: Any) -> None:
        from application.catalog.feed import CatalogFeedService

        self.feed = CatalogFeedService(lambda: container.unit_of_work("catalog"),
                                       container.module_services("billing").limits, container.clock,
                                       container.configuration.module("catalog"),
                                       reader=lambda: container.unit_of_work("catalog", read_only=True))


def services(container: Any) -> CatalogServices:
    return CatalogServices(container)
