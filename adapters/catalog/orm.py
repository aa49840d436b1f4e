"""Tables of the catalog module and the mapping of its domain classes."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Index, Integer, String, Table, Text, UniqueConstraint

from adapters.sql.metadata import map_imperatively, metadata
from adapters.sql.types import UtcDateTime
from domain.catalog.model import Product

products = Table(
    "catalog_products",
    metadata,
    Column("id", Integer, primary_key=True),
    # A tenancy id without a foreign key, as in billing and marketplace (ADR 0012): the check cost
    # PostgreSQL more than the row itself for each product a feed import creates.
    Column("vendor_id", Integer, nullable=False),
    Column("platform_id", Integer, nullable=False),
    Column("sku", String(100), nullable=False),
    Column("gtin", String(14), nullable=True),
    Column("gtin_type", String(6), nullable=True),
    Column("titles", JSON, nullable=False),
    Column("descriptions", JSON, nullable=False),
    Column("price_cents", Integer, nullable=False),
    Column("sale_price_cents", Integer, nullable=True),
    Column("currency", String(3), nullable=False),
    Column("vat_class", String(20), nullable=False),
    Column("availability", String(20), nullable=False),
    Column("brand", String(200), nullable=False),
    Column("image_links", JSON, nullable=False),
    Column("status", String(10), nullable=False),
    Column("source_hashes", JSON, nullable=False),
    Column("search_text", Text, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    UniqueConstraint("vendor_id", "sku"),
    Index(None, "vendor_id", "gtin"),
    Index(None, "vendor_id", "status"),
)


def start_mappers() -> None:
    map_imperatively(Product, products)


start_mappers()
