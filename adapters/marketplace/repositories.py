"""SQL repositories of the marketplace module: vendor-scoped jobs and listings, set-based per
batch (one SELECT, one bulk INSERT, one executemany UPDATE), and the job claim."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from operator import attrgetter
from typing import Any

from sqlalchemy import and_, exists, func, insert, select, update
from sqlalchemy.orm import Session

from adapters.marketplace.orm import import_errors, import_jobs, products
from adapters.sql import bulk
from adapters.sql.paging import window
from adapters.sql.uow import SqlUnitOfWork
from application.marketplace.ports import Listed
from contracts.marketplace.dto import ImportJobFilter
from domain.marketplace.feed import FeedRow
from domain.marketplace.model import ImportJob, ImportState
from domain.shared.errors import NotFound

_CLAIM_LOCK = 0x6D6B7431  # advisory lock class of import claims ("mkt1"); the second key is the vendor


def _filtered(query, filters: ImportJobFilter):  # type: ignore[no-untyped-def]
    if filters.vendor_id is not None:
        query = query.where(ImportJob.vendor_id == filters.vendor_id)
    if filters.state is not None:
        query = query.where(ImportJob.state == filters.state)
    if filters.language is not None:
        query = query.where(ImportJob.language == filters.language)
    return query


class _ScopedJobs:
    """Import jobs within ``scope`` (a vendor's, or a platform's): every query is filtered by it."""

    def __init__(self, session: Session, scope: Any) -> None:
        self._s = session
        self._scope = scope

    def _query(self):  # type: ignore[no-untyped-def]
        return select(ImportJob).where(self._scope)

    def get(self, job_id: int) -> ImportJob:
        job = self._s.scalars(self._query().where(ImportJob.id == job_id)).first()
        if job is None:
            raise NotFound(f"import job {job_id} not found")
        return job

    def list(self, filters: ImportJobFilter, limit: int, offset: int) -> tuple[list[ImportJob], int]:
        page, total = window(self._s, _filtered(self._query(), filters), ImportJob.id.desc(), limit=limit,
                             offset=offset)
        return list(self._s.scalars(page)), total


class SqlImportJobs(_ScopedJobs):
    """One vendor's import jobs."""

    def __init__(self, session: Session, vendor_id: int) -> None:
        super().__init__(session, ImportJob.vendor_id == vendor_id)
        self.vendor_id = vendor_id

    def add(self, job: ImportJob) -> None:
        if job.vendor_id != self.vendor_id:
            raise NotFound("import job belongs to another vendor")
        self._s.add(job)

    def list(self, filters: ImportJobFilter, limit: int, offset: int) -> tuple[list[ImportJob], int]:
        return super().list(filters.model_copy(update={"vendor_id": None}), limit, offset)

    def next_queued(self) -> ImportJob | None:
        return self._s.scalars(self._query().where(ImportJob.state == ImportState.QUEUED)
                               .order_by(ImportJob.id).limit(1)).first()

    def add_errors(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            owned = {r["job_id"] for r in rows}
            found = set(self._s.scalars(select(import_jobs.c.id).where(
                import_jobs.c.id.in_(owned), import_jobs.c.vendor_id == self.vendor_id)))
            if found != owned:
                raise NotFound("import job belongs to another vendor")
            self._s.execute(insert(import_errors), rows)

    def errors(self, job_id: int, limit: int | None = None) -> Iterator[dict[str, Any]]:
        query = (
            select(import_errors.c.line, import_errors.c.column, import_errors.c.reason,
                   import_errors.c.external_id, import_errors.c.severity)
            .join(import_jobs, import_jobs.c.id == import_errors.c.job_id)
            .where(import_errors.c.job_id == job_id, import_jobs.c.vendor_id == self.vendor_id)
            .order_by(import_errors.c.line, import_errors.c.id)
        )
        if limit is not None:
            query = query.limit(limit)
        for row in self._s.execute(query.execution_options(yield_per=1000)).mappings():
            yield dict(row)


class SqlPlatformImportJobs(_ScopedJobs):
    """Every vendor's import jobs on one platform."""

    def __init__(self, session: Session, platform_id: int) -> None:
        super().__init__(session, ImportJob.platform_id == platform_id)


# The feed columns of a listing, read off a FeedRow by one C-level attrgetter per row.
_FEED_COLUMNS = (
    "external_id", "title", "description", "link", "image_link", "availability", "price_cents", "sale_price_cents",
    "currency", "brand", "gtin", "gtin_type", "mpn", "condition", "category", "product_type", "item_group_id",
    "content_hash", "raw_hash", "line",
)  # fmt: skip
_feed_values = attrgetter(*_FEED_COLUMNS)
_INSERTED = ("vendor_id", "language", *_FEED_COLUMNS, "additional_image_links", "product_id", "synced_hash",
             "import_job_id", "created_at", "updated_at")
_UPDATED = (*_FEED_COLUMNS[1:], "additional_image_links", "product_id", "synced_hash", "import_job_id", "updated_at")


class SqlListings:
    """One vendor's listings in one language, read and written at driver level (adapters.sql.bulk):
    SQLAlchemy's per-row parameter processing cost more than the database itself (about 35 of
    80 microseconds per row). Every statement names the vendor and language: another tenant's
    listing id matches no row."""

    def __init__(self, session: Session, vendor_id: int, language: str) -> None:
        self._s = session
        self.vendor_id = vendor_id
        self.language = language

    def _select(self, columns: str, external_ids: list[str],
                meanwhile: Callable[[], object] | None = None) -> list[Any]:
        return bulk.select_among(self._s.connection(), products, columns,
                                 [("vendor_id", self.vendor_id), ("language", self.language)], "external_id",
                                 external_ids, meanwhile=meanwhile)

    def raw_hashes(self, external_ids: list[str], *, synced: bool,
                   meanwhile: Callable[[], object]) -> dict[str, str | None]:
        usable = "CASE WHEN synced_hash = content_hash THEN raw_hash END" if synced else "raw_hash"
        return dict(self._select(f"external_id, {usable}", external_ids, meanwhile))  # type: ignore[arg-type]

    def existing(self, external_ids: list[str]) -> dict[str, Listed]:
        rows = self._select("external_id, id, content_hash, synced_hash, product_id, raw_hash", external_ids)
        return {r[0]: Listed(*r[1:]) for r in rows}

    def insert_many(self, rows: Sequence[FeedRow], links: Mapping[str, int], *, job_id: int, now: datetime) -> None:
        if not rows:
            return
        feed = dict(zip(FeedRow._fields, zip(*rows, strict=True), strict=True))  # a column per field, in C
        linked = list(map(links.get, feed["external_id"]))
        columns = {name: feed[name] for name in (*_FEED_COLUMNS, "additional_image_links")}
        columns["product_id"] = linked
        columns["synced_hash"] = [None if product is None else digest
                                  for product, digest in zip(linked, feed["content_hash"], strict=True)]
        fixed = {"vendor_id": self.vendor_id, "language": self.language, "import_job_id": job_id, "created_at": now,
                 "updated_at": now}
        connection = self._s.connection()  # converted a column at a time, as the insert reads the rows
        bulk.insert(connection, products, _INSERTED, bulk.from_columns(connection, products, _INSERTED, columns, fixed))

    def update_many(self, rows: Sequence[tuple[Listed, FeedRow]], links: Mapping[str, int], *, job_id: int,
                    now: datetime) -> None:
        connection = self._s.connection()
        at, scope = bulk.stamp(products, connection, now), (self.vendor_id, self.language)
        params = []
        for found, row in rows:
            product = links.get(row.external_id)
            linked = (found.product_id, found.synced_hash) if product is None else (product, row.content_hash)
            params.append((*_feed_values(row)[1:], bulk.json_text(row.additional_image_links), *linked, job_id, at,
                           found.id, *scope))
        bulk.update(connection, products, _UPDATED, params, where=_BY_ID)

    def refresh_many(self, rows: Sequence[tuple[int, int | None, str | None, str]]) -> None:
        scope = (self.vendor_id, self.language)
        bulk.update(self._s.connection(), products, ("product_id", "synced_hash", "raw_hash"),
                    [(*values, listing, *scope) for listing, *values in rows], where=_BY_ID)


_BY_ID = ("id", "vendor_id", "language")


class SqlMarketplaceUnitOfWork(SqlUnitOfWork):
    def jobs(self, vendor_id: int) -> SqlImportJobs:
        return SqlImportJobs(self.session, vendor_id)

    def platform_jobs(self, platform_id: int) -> SqlPlatformImportJobs:
        return SqlPlatformImportJobs(self.session, platform_id)

    def listings(self, vendor_id: int, language: str) -> SqlListings:
        return SqlListings(self.session, vendor_id, language)

    def job_for_worker(self, job_id: int) -> ImportJob | None:
        return self.session.get(ImportJob, job_id)

    def stalled_jobs(self, before: datetime) -> list[ImportJob]:
        return list(self.session.scalars(select(ImportJob).where(
            import_jobs.c.state == ImportState.RUNNING, import_jobs.c.updated_at < before).order_by(import_jobs.c.id)))

    def claim(self, job_id: int, now: datetime) -> bool:
        """One conditional UPDATE. SQLite runs one writer at a time, so the NOT EXISTS sees every
        committed claim; PostgreSQL (READ COMMITTED) could let two claims of one vendor pass side
        by side, so there a transaction-scoped advisory lock on the vendor serializes them."""
        vendor = self.session.scalar(select(import_jobs.c.vendor_id).where(import_jobs.c.id == job_id))
        if vendor is None:
            return False
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(select(func.pg_advisory_xact_lock(_CLAIM_LOCK, vendor)))
        other = import_jobs.alias("other")
        claimed = self.session.execute(
            update(import_jobs)
            .where(import_jobs.c.id == job_id, import_jobs.c.state == ImportState.QUEUED,
                   ~exists().where(and_(other.c.vendor_id == vendor, other.c.state == ImportState.RUNNING)))
            .values(state=ImportState.RUNNING, updated_at=now)
        ).rowcount == 1
        if claimed:
            self.session.expire_all()
        return claimed


UNIT_OF_WORK = SqlMarketplaceUnitOfWork


class MarketplaceServices:
    """The marketplace module's extra ports: where feed files wait."""

    def __init__(self, container: Any) -> None:
        from adapters.marketplace.feed_files import LocalFeedFiles

        config = container.configuration.module("marketplace")
        self.files = LocalFeedFiles(config.upload_dir, allow_http=config.allow_http_urls)
        from adapters.marketplace.exports import LocalExportFiles, SqlPlatformListings

        self.exports = LocalExportFiles(config.export_dir)
        self.listings = SqlPlatformListings(container.sessions)


def services(container: Any) -> MarketplaceServices:
    return MarketplaceServices(container)
