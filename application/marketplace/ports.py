"""Ports of the marketplace module. Jobs and listings are vendor-scoped: their repositories are
built for one vendor (listings: one vendor and language) and filter every query by it. Feed
rows move as ``FeedRow``s, set-based per batch: the import must reach 25,000 rows/s, which a
round trip per row cannot."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, BinaryIO, NamedTuple, Protocol

from application.shared.ports import UnitOfWork
from contracts.marketplace.dto import ImportJobFilter
from domain.marketplace.feed import FeedRow
from domain.marketplace.model import ImportJob


class Listed(NamedTuple):
    """What a batch needs to know of a listing already stored."""

    id: int
    content_hash: str
    synced_hash: str | None  # the content last synced into the catalog (None: never)
    product_id: int | None
    raw_hash: str | None  # the record as last written (None: stored before raw hashes were kept)


class Listings(Protocol):
    """One vendor's marketplace listings in one language."""

    def raw_hashes(self, external_ids: list[str], *, synced: bool,
                   meanwhile: Callable[[], object]) -> dict[str, str | None]:
        """id -> raw hash of each stored listing among these ids: one query. None where it has
        none or, with ``synced``, where the catalog does not hold its content. ``meanwhile``
        is called while the database works on the query, where it runs apart (PostgreSQL)."""
        ...

    def existing(self, external_ids: list[str]) -> dict[str, Listed]:
        """The stored listings among these ids: one query for a whole batch."""
        ...

    def insert_many(self, rows: Sequence[FeedRow], links: Mapping[str, int], *, job_id: int, now: datetime) -> None:
        """New listings, one bulk INSERT; a row whose id is in ``links`` is linked to that
        catalog product and marked synced."""
        ...

    def update_many(self, rows: Sequence[tuple[Listed, FeedRow]], links: Mapping[str, int], *, job_id: int,
                    now: datetime) -> None:
        """Changed listings by id, one executemany UPDATE; a row whose id is in ``links`` takes
        that product and is marked synced, any other keeps its link and synced hash."""
        ...

    def refresh_many(self, rows: Sequence[tuple[int, int | None, str | None, str]]) -> None:
        """(listing id, product id, synced hash, raw hash) of listings whose content is unchanged
        but whose link or raw hash is not: one executemany."""
        ...


class ImportJobs(Protocol):
    """One vendor's import jobs and their stored row errors."""

    def add(self, job: ImportJob) -> None: ...
    def get(self, job_id: int) -> ImportJob: ...
    def list(self, filters: ImportJobFilter, limit: int, offset: int) -> tuple[list[ImportJob], int]: ...

    def next_queued(self) -> ImportJob | None:
        """The oldest queued job (the next one to run)."""
        ...

    def add_errors(self, rows: list[dict[str, Any]]) -> None: ...

    def errors(self, job_id: int, limit: int | None = None) -> Iterator[dict[str, Any]]:
        """Stored errors of the job in line order, streamed."""
        ...


class PlatformImportJobs(Protocol):
    """Every vendor's import jobs on one platform (the admin side)."""

    def list(self, filters: ImportJobFilter, limit: int, offset: int) -> tuple[list[ImportJob], int]: ...
    def get(self, job_id: int) -> ImportJob: ...


class MarketplaceUnitOfWork(UnitOfWork, Protocol):
    def jobs(self, vendor_id: int) -> ImportJobs: ...
    def platform_jobs(self, platform_id: int) -> PlatformImportJobs: ...
    def listings(self, vendor_id: int, language: str) -> Listings: ...

    def stalled_jobs(self, before: datetime) -> list[ImportJob]:
        """Running jobs of every vendor with nothing committed since ``before`` (the sweep)."""
        ...

    def job_for_worker(self, job_id: int) -> ImportJob | None:
        """The task knows only the job id; everything after this uses the vendor-scoped repository."""
        ...

    def claim(self, job_id: int, now: datetime) -> bool:
        """queued -> running, only when no other job of the vendor is running (one conditional
        UPDATE, backed by a unique index on running jobs per vendor)."""
        ...

    def publish(self, event: object) -> None: ...


class FeedFiles(Protocol):
    """Where feed files wait between upload (or download) and import. Sizes are checked while
    the bytes flow, so an oversize file is never stored whole (raises FileTooLarge)."""

    def save(self, key: str, stream: BinaryIO, *, max_bytes: int) -> int:
        """Copy ``stream`` in chunks; the size stored."""
        ...

    def check_url(self, url: str) -> None:
        """Raise ValidationFailed (field ``url``) for an URL that will not be fetched (https
        only, unless MARKETPLACE_ALLOW_HTTP_URLS)."""
        ...

    def fetch(self, key: str, url: str, *, max_bytes: int, timeout: float) -> int:
        """Download ``url`` (Content-Length checked first, bytes counted while downloading);
        raises FeedUnavailable for a timeout or an HTTP error."""
        ...

    def open(self, key: str) -> BinaryIO: ...
    def exists(self, key: str) -> bool: ...
    def remove(self, key: str) -> None: ...
