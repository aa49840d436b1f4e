"""SQL repositories of the catalog module, and its services (the CatalogFeed facade)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import bindparam, func, insert, or_, select, update
from sqlalchemy.orm import Session

from adapters.catalog.orm import products as table
from adapters.sql.uow import SqlUnitOfWork
from contracts.catalog.dto import ProductFilter
from domain.catalog.model import Product, ProductStatus
from domain.shared.errors import NotFound

# What a feed batch needs of the products it touches.
_MATCH_COLUMNS = (table.c.id, table.c.sku, table.c.gtin, table.c.titles, table.c.descriptions, table.c.vat_class,
                  table.c.source_hashes, table.c.status)


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
            pattern = "%" + filters.q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            query = query.where(Product.search_text.like(pattern, escape="\\"))
        total = self._s.scalar(select(func.count()).select_from(query.subquery())) or 0
        found = self._s.scalars(query.order_by(Product.id).limit(limit).offset(offset))
        return list(found), total

    def count_active(self) -> int:
        return self._s.scalar(select(func.count()).select_from(table).where(
            table.c.vendor_id == self.vendor_id, table.c.status == ProductStatus.ACTIVE)) or 0

    def matching(self, gtins: list[str], skus: list[str]) -> list[dict[str, Any]]:
        conditions = [table.c.sku.in_(skus)] + ([table.c.gtin.in_(gtins)] if gtins else [])
        rows = self._s.execute(select(*_MATCH_COLUMNS).where(table.c.vendor_id == self.vendor_id, or_(*conditions)))
        return [dict(r._mapping) for r in rows]

    def insert_many(self, rows: list[dict[str, Any]]) -> dict[str, int]:
        if any(r["vendor_id"] != self.vendor_id for r in rows):
            raise NotFound("product belongs to another vendor")
        self._s.execute(insert(table), rows)
        skus = [r["sku"] for r in rows]
        return dict(self._s.execute(select(table.c.sku, table.c.id).where(
            table.c.vendor_id == self.vendor_id, table.c.sku.in_(skus))).all())  # type: ignore[arg-type]

    def update_many(self, rows: list[dict[str, Any]]) -> None:
        values = {k: bindparam(f"v_{k}") for k in rows[0] if k != "id"}
        statement = (update(table).where(table.c.id == bindparam("v_id"), table.c.vendor_id == self.vendor_id)
                     .values(values))
        self._s.connection().execute(statement, [{f"v_{k}": v for k, v in r.items()} for r in rows])

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
                                       container.configuration.module("catalog"))


def services(container: Any) -> CatalogServices:
    return CatalogServices(container)
