"""Tables of the marketplace module and the mapping of its import jobs. Listings and row errors
are written set-based with SQLAlchemy Core (no ORM identity per row: an import moves 25,000
rows a second)."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from adapters.sql.metadata import map_imperatively, metadata
from adapters.sql.types import BigId, UtcDateTime
from domain.marketplace.model import MAX_ID_LENGTH, ImportJob

# vendor_id and platform_id are tenancy ids kept without a foreign key (as in billing): the
# import history survives whatever tenancy does. product_id is a catalog id: a plain index.
import_jobs = Table(
    "marketplace_import_jobs",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("platform_id", Integer, nullable=False),
    Column("vendor_id", Integer, nullable=False),
    Column("language", String(2), nullable=False),
    Column("source", String(10), nullable=False),
    Column("url", Text, nullable=True),
    Column("file_name", String(255), nullable=False),
    Column("file_key", String(100), nullable=True),
    Column("file_size", BigInteger, nullable=True),
    Column("into_catalog", Boolean, nullable=False),
    Column("create_missing", Boolean, nullable=False),
    Column("state", String(20), nullable=False),
    Column("cancel_requested", Boolean, nullable=False),
    Column("rows_read", Integer, nullable=False),
    Column("created", Integer, nullable=False),
    Column("updated", Integer, nullable=False),
    Column("unchanged", Integer, nullable=False),
    Column("rejected", Integer, nullable=False),
    Column("duplicates", Integer, nullable=False),
    Column("products_created", Integer, nullable=False),
    Column("products_updated", Integer, nullable=False),
    Column("products_refused", Integer, nullable=False),
    Column("errors_stored", Integer, nullable=False),
    Column("last_line", Integer, nullable=False),
    Column("progress", Integer, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("error", Text, nullable=True),
    Column("encoding", String(20), nullable=True),
    Column("delimiter", String(5), nullable=True),
    Column("unknown_columns", JSON, nullable=False),
    Column("created_by", String(255), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("started_at", UtcDateTime(), nullable=True),
    Column("finished_at", UtcDateTime(), nullable=True),
    Index(None, "vendor_id", "state", "id"),
    Index(None, "platform_id", "created_at"),
)

products = Table(
    "marketplace_products",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("vendor_id", Integer, nullable=False),
    Column("language", String(2), nullable=False),
    Column("external_id", String(MAX_ID_LENGTH), nullable=False),
    Column("title", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("link", Text, nullable=False),
    Column("image_link", Text, nullable=False),
    Column("additional_image_links", JSON, nullable=False),
    Column("availability", String(20), nullable=False),
    Column("price_cents", BigInteger, nullable=False),
    Column("sale_price_cents", BigInteger, nullable=True),
    Column("currency", String(3), nullable=False),
    Column("brand", Text, nullable=False),
    Column("gtin", String(14), nullable=True),
    Column("gtin_type", String(10), nullable=True),
    Column("mpn", Text, nullable=False),
    Column("condition", String(20), nullable=False),
    Column("category", Text, nullable=False),
    Column("product_type", Text, nullable=False),
    Column("item_group_id", Text, nullable=False),
    Column("content_hash", String(32), nullable=False),
    Column("synced_hash", String(32), nullable=True),
    # Hash of the record as written (Feed.batches' ``unchanged``): a match skips validation.
    Column("raw_hash", String(32), nullable=True),
    Column("product_id", BigInteger, nullable=True),  # no index: nothing looks listings up by product
    Column("import_job_id", BigInteger, nullable=False),
    Column("line", Integer, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    # Unique per (vendor, language, external id); the external id leads so that a batch's lookup
    # (external_id = ANY(ids)) is an index condition even before PostgreSQL has statistics on a
    # table a first import is filling (with vendor first it filtered every row of the vendor).
    Index(None, "external_id", "vendor_id", "language", unique=True),
)

import_errors = Table(
    "marketplace_import_errors",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("job_id", BigInteger, ForeignKey("marketplace_import_jobs.id", ondelete="CASCADE"), nullable=False),
    Column("line", Integer, nullable=False),
    Column("column", String(100), nullable=False),
    Column("reason", Text, nullable=False),
    Column("external_id", String(200), nullable=True),
    Column("severity", String(10), nullable=False),
    Index(None, "job_id", "line"),
)


def start_mappers() -> None:
    map_imperatively(ImportJob, import_jobs)


start_mappers()
