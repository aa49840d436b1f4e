"""Marketplace imports: the job that brings one product feed file into a vendor's listings.

A job is queued, then running, then ends succeeded, failed or cancelled. It records what it
read batch by batch (counts and the last line of the last committed batch), so a worker that
dies mid-file resumes after that line instead of starting again.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar

import attrs

from domain.shared.errors import Conflict, DomainError, FieldError, ValidationFailed

LANGUAGES = ("en", "fr", "de")
MAX_ID_LENGTH = 100  # the widest external id marketplace_products stores


class ImportState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


ENDED = frozenset({ImportState.SUCCEEDED, ImportState.FAILED, ImportState.CANCELLED})


class ImportSource(StrEnum):
    UPLOAD = "upload"
    URL = "url"


class FileTooLarge(DomainError):
    """A feed file is over MARKETPLACE_MAX_FILE_MB: refused before (or while) it is read."""

    kind: ClassVar[str] = "file-too-large"

    @classmethod
    def over(cls, max_bytes: int) -> FileTooLarge:
        """The error for a file over ``max_bytes`` (MARKETPLACE_MAX_FILE_MB in bytes)."""
        return cls(f"the file is larger than {max_bytes // (1024 * 1024)} MB (MARKETPLACE_MAX_FILE_MB)",
                   max_bytes=max_bytes)


class FeedUnavailable(DomainError):
    """A feed URL could not be fetched (timeout, HTTP error, refused scheme)."""

    kind: ClassVar[str] = "feed-unavailable"


@attrs.define(slots=False, eq=False, kw_only=True)
class ImportJob:
    """One import of one feed file (one language) for one vendor."""

    platform_id: int
    vendor_id: int
    language: str
    source: str  # ImportSource
    url: str | None = None
    file_name: str = ""
    file_key: str | None = None  # where the file store keeps it; set once an URL is fetched
    file_size: int | None = None
    into_catalog: bool = True  # False: only stage the listings
    create_missing: bool = True  # False: only update catalog products that exist
    state: str = ImportState.QUEUED
    cancel_requested: bool = False
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    duplicates: int = 0
    products_created: int = 0
    products_updated: int = 0
    products_refused: int = 0
    errors_stored: int = 0
    last_line: int = 0  # the last line of the last committed batch: where a resume starts
    progress: int = 0  # percent of the file read
    attempts: int = 0
    error: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    unknown_columns: list[str] = attrs.field(factory=list)
    created_by: str = ""
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    id: int | None = None

    def __attrs_post_init__(self) -> None:
        errors = []
        if self.language not in LANGUAGES:
            errors.append(FieldError("language", f"choose from {', '.join(LANGUAGES)}"))
        if self.source == ImportSource.URL and not self.url:
            errors.append(FieldError("url", "is required for an URL import"))
        if self.source == ImportSource.UPLOAD and not self.file_key:
            errors.append(FieldError("file", "is required for an upload"))
        if self.create_missing and not self.into_catalog:
            self.create_missing = False  # nothing is created when only staging
        if errors:
            raise ValidationFailed(errors=errors)

    @property
    def ended(self) -> bool:
        return self.state in ENDED

    def begin_attempt(self, now: datetime) -> None:
        """A worker starts (or resumes) processing; the claim itself is a conditional UPDATE."""
        if self.state != ImportState.RUNNING:
            raise Conflict(f"import job {self.id} is {self.state}, not running", state=str(self.state))
        self.attempts += 1
        self.started_at = self.started_at or now
        self.updated_at = now

    def sniffed(self, encoding: str, delimiter: str, unknown_columns: list[str]) -> None:
        self.encoding, self.delimiter, self.unknown_columns = encoding, delimiter, unknown_columns

    def record_batch(
        self, *, last_line: int, read: int, created: int, updated: int, unchanged: int, rejected: int,
        duplicates: int, products_created: int = 0, products_updated: int = 0, products_refused: int = 0,
        errors_stored: int = 0, progress: int, now: datetime,
    ) -> None:
        """Add one committed batch. Counts only grow, and ``last_line`` only moves forward; an
        ended job takes no more (a worker thought gone that wakes up must not write on)."""
        if self.ended:
            raise Conflict(f"import job {self.id} already ended ({self.state})", state=str(self.state))
        if last_line < self.last_line:
            raise Conflict(f"batch ends at line {last_line}, before line {self.last_line} already committed")
        self.last_line = last_line
        self.rows_read += read
        self.created += created
        self.updated += updated
        self.unchanged += unchanged
        self.rejected += rejected
        self.duplicates += duplicates
        self.products_created += products_created
        self.products_updated += products_updated
        self.products_refused += products_refused
        self.errors_stored += errors_stored
        self.progress = max(self.progress, min(99, progress))
        self.updated_at = now

    def request_cancel(self, now: datetime) -> None:
        """A queued job is cancelled at once; a running one stops between batches."""
        if self.state == ImportState.QUEUED:
            self.state, self.cancel_requested, self.finished_at = ImportState.CANCELLED, True, now
        elif self.state == ImportState.RUNNING:
            self.cancel_requested = True
        else:
            raise Conflict(f"import job {self.id} is {self.state}; only queued or running jobs can be cancelled",
                           state=str(self.state))
        self.updated_at = now

    def succeed(self, now: datetime) -> None:
        self._end(ImportState.SUCCEEDED, now)
        self.progress = 100

    def fail(self, reason: str, now: datetime) -> None:
        self.error = reason
        self._end(ImportState.FAILED, now)

    def abandon(self, now: datetime) -> None:
        """Fail a running job whose worker stopped without ending it (killed on its last attempt):
        the batches committed so far stay, and the vendor's other imports may run."""
        self.fail(f"abandoned: no batch committed since {self.updated_at:%Y-%m-%d %H:%M} UTC (its worker "
                  f"stopped); run the import again to finish it", now)

    def cancel(self, now: datetime) -> None:
        """Stop here: the batches committed so far stay."""
        self._end(ImportState.CANCELLED, now)

    def _end(self, state: ImportState, now: datetime) -> None:
        if self.ended:
            raise Conflict(f"import job {self.id} already ended ({self.state})", state=str(self.state))
        self.state, self.finished_at, self.updated_at = state, now, now
