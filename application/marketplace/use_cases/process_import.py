"""Process one import job: stream the feed file in batches, stage each batch's listings set-based,
and (per the job's options) sync them into the catalog.

Idempotency is by state: the job records the last line of each committed batch in the batch's
own transaction, so a re-delivered task resumes right after it, and a finished or cancelled job
is skipped. Listings are keyed by (vendor, language, external id) and compared by content hash,
so importing the same file again changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from functools import partial
from itertools import chain
from operator import itemgetter
from typing import Any, BinaryIO, NamedTuple

from application.marketplace.config import MarketplaceConfig
from application.marketplace.ports import FeedFiles, ImportJobs, Listed, Listings, MarketplaceUnitOfWork
from application.marketplace.use_cases.create_import_job import enqueue_import
from application.shared.ports import Clock
from application.shared.tasks import TaskQueue
from contracts.catalog.dto import FeedProduct, FeedSyncResult
from contracts.catalog.facade import CatalogFeed
from domain.marketplace.feed import Batch, FeedRejected, FeedRow, RowError, open_feed
from domain.marketplace.model import FeedUnavailable, FileTooLarge, ImportJob, ImportState

MAX_RETRIES = 3  # TaskSpec.max_retries of the import task
MAX_ATTEMPTS = MAX_RETRIES + 1  # the first delivery and the retries: then the job fails


class ImportProgress(NamedTuple):
    percent: int
    rows_read: int
    bytes_read: int


# FeedProduct's fields before its last two (images, content hash), picked from a FeedRow by name
# and built in C (the keyword call runs the named tuple's Python-level __new__: a third of the
# time, a row a call).
assert FeedProduct._fields[-2:] == ("image_links", "content_hash"), FeedProduct._fields
_PRODUCT_FIELDS = itemgetter(*(FeedRow._fields.index(name) for name in FeedProduct._fields[:-2]))
_new_product = partial(tuple.__new__, FeedProduct)


def _feed_product(row: FeedRow) -> FeedProduct:
    images = (row.image_link, *row.additional_image_links) if row.image_link else row.additional_image_links
    return _new_product((*_PRODUCT_FIELDS(row), images, row.content_hash))


def _error(job_id: int, error: RowError, severity: str) -> dict[str, Any]:
    external_id = error.external_id[:200] if error.external_id else None
    return {"job_id": job_id, "line": error.line, "column": error.column[:100], "reason": error.reason,
            "external_id": external_id, "severity": severity}


class _Import:
    """One attempt at one job: the steps share the job's id, vendor and dependencies."""

    def __init__(self, job: ImportJob, *, uow_factory: Callable[[], MarketplaceUnitOfWork], files: FeedFiles,
                 catalog: CatalogFeed | None, config: MarketplaceConfig, clock: Clock,
                 cancelled: Callable[[], bool], progress: Callable[[ImportProgress], None] | None) -> None:
        assert job.id is not None
        self.job_id, self.vendor_id, self.platform_id = job.id, job.vendor_id, job.platform_id
        self.language, self.into_catalog, self.create_missing = job.language, job.into_catalog, job.create_missing
        self.uow_factory, self.files, self.catalog, self.config = uow_factory, files, catalog, config
        self.clock, self.cancelled, self.progress = clock, cancelled, progress
        self.existing: dict[str, Listed] = {}  # the stored listings of the batch being read
        self.cancel_requested = False  # of the job, as read with them
        self.active: int | None = None  # the vendor's active products, as the last synced batch left them

    def change(self, action: Callable[[ImportJob, MarketplaceUnitOfWork], Any]) -> Any:
        """Apply ``action`` to the job in its own transaction."""
        with self.uow_factory() as uow:
            job = uow.jobs(self.vendor_id).get(self.job_id)
            result = action(job, uow)
            uow.commit()
            return result

    def fetch(self, job: ImportJob) -> str:
        """The job's file key; an URL job downloads its file once (a resume reuses it, so the
        lines it resumes after are the same lines)."""
        if job.file_key is not None and self.files.exists(job.file_key):
            return job.file_key
        if job.url is None:
            raise FeedUnavailable("the uploaded file is gone")
        key = f"job-{self.job_id}"
        size = self.files.fetch(key, job.url, max_bytes=self.config.max_file_bytes,
                                timeout=self.config.url_timeout_seconds)

        def stored(j: ImportJob, _uow: MarketplaceUnitOfWork) -> None:
            j.file_key, j.file_size = key, size

        self.change(stored)
        job.file_key, job.file_size = key, size  # the caller's copy, detached
        return key

    def run(self, stream: BinaryIO, size: int, start_after: int) -> str:
        """Stream the batches; 'succeeded' or 'cancelled'."""
        feed = open_feed(stream)
        unknown = list(feed.unknown_columns)

        def sniffed(job: ImportJob, uow: MarketplaceUnitOfWork) -> None:
            first_time = job.encoding is None
            job.sniffed(feed.encoding, feed.delimiter, unknown)
            if first_time and unknown:  # reported once per job, not again on a resume
                job.errors_stored += self.store_errors(uow.jobs(self.vendor_id), job, (
                    (RowError(1, name, "unknown column, ignored"), "warning") for name in unknown))

        self.change(sniffed)
        for batch in feed.batches(self.config.import_batch_size, start_after_line=start_after, unchanged=self.held):
            if not self.batch(batch, stream, size):
                return ImportState.CANCELLED
        return ImportState.SUCCEEDED

    def held(self, ids: list[str], raw_hashes: Callable[[], list[str]]) -> set[str]:
        """The ids of a batch about to be read whose listing holds the same record, synced into
        the catalog when the job imports into it: the feed skips them. The other stored
        listings are read for the batch's write (one job per vendor runs: nothing changes them
        meanwhile); a first import asks one query, an unchanged one two narrow columns, and the
        records are hashed while the database looks them up. Into the catalog, the job's cancel
        flag is read too: a cancelled job syncs no further batch."""
        with self.uow_factory() as uow:
            if self.into_catalog:
                self.cancel_requested = uow.jobs(self.vendor_id).get(self.job_id).cancel_requested
            listings = uow.listings(self.vendor_id, self.language)
            stored = listings.raw_hashes(ids, synced=self.into_catalog, meanwhile=raw_hashes)
            held = {external_id for external_id, raw in zip(ids, raw_hashes(), strict=True)
                    if stored.get(external_id) == raw} if stored else set()
            rest = [external_id for external_id in stored if external_id not in held]
            self.existing = listings.existing(rest) if rest else {}
        return held

    def batch(self, batch: Batch, stream: BinaryIO, size: int) -> bool:
        """Commit one batch with the job's progress; False (and the job cancelled) when a cancel
        was asked for. Into the catalog: sync (the catalog's own transaction), then write."""
        synced: FeedSyncResult | None = None
        existing = self.existing
        run_cancelled = self.cancelled()  # asked before the write lock is taken (SQLite: one writer)
        if self.into_catalog and not (self.cancel_requested or run_cancelled):
            stale = [r for r in batch.rows if (e := existing.get(r.external_id)) is None
                     or e.synced_hash != r.content_hash]
            if stale:
                if self.catalog is None:
                    raise FeedUnavailable("the catalog is not available to import into")
                synced = self.catalog.sync_batch(self.platform_id, self.vendor_id, self.language,
                                                 [_feed_product(r) for r in stale],
                                                 create_missing=self.create_missing, active=self.active)
                self.active = synced.active
        with self.uow_factory() as uow:
            jobs = uow.jobs(self.vendor_id)
            job = jobs.get(self.job_id)
            if job.cancel_requested or run_cancelled:
                job.cancel(self.clock.now())
                uow.commit()
                return False
            counts = self.write(uow.listings(self.vendor_id, self.language), jobs, job, batch, existing, synced)
            position = stream.tell()
            percent = position * 100 // max(1, size)
            job.record_batch(last_line=batch.last_line, read=batch.read, progress=percent, now=self.clock.now(),
                             **counts)
            uow.commit()
            rows_read = job.rows_read
        if self.progress is not None:
            self.progress(ImportProgress(min(99, percent), rows_read, position))
        return True

    def store_errors(self, jobs: ImportJobs, job: ImportJob, found: Iterable[tuple[RowError, str]]) -> int:
        """Store the errors ``found`` ((error, severity) pairs) in line order, as many as the job's
        cap leaves room for; how many were stored. At the cap ``found`` is not even read."""
        room = self.config.max_errors_per_job - job.errors_stored
        if room <= 0:
            return 0
        kept = sorted(found, key=lambda pair: pair[0].line)[:room]
        jobs.add_errors([_error(self.job_id, error, severity) for error, severity in kept])
        return len(kept)

    def write(self, listings: Listings, jobs: ImportJobs, job: ImportJob, batch: Batch, existing: dict[str, Listed],
              synced: FeedSyncResult | None) -> dict[str, int]:
        """One bulk INSERT of new listings, one executemany UPDATE of changed ones (and one of
        unchanged ones whose link or raw hash changed), the batch's errors up to the job's cap;
        the counts."""
        now = self.clock.now()
        links = synced.links if synced is not None else {}
        new: list[FeedRow] = []
        changed: list[tuple[Listed, FeedRow]] = []
        refreshed: list[tuple[int, int | None, str | None, str]] = []
        for row in batch.rows:
            found = existing.get(row.external_id)
            if found is None:
                new.append(row)
            elif found.content_hash != row.content_hash:
                changed.append((found, row))
            else:  # the same content: only its link, or how the record was written, may be news
                product = links.get(row.external_id)
                linked = (found.product_id, found.synced_hash) if product is None else (product, row.content_hash)
                if linked != (found.product_id, found.synced_hash) or found.raw_hash != row.raw_hash:
                    refreshed.append((found.id, *linked, row.raw_hash))
        listings.insert_many(new, links, job_id=self.job_id, now=now)
        listings.update_many(changed, links, job_id=self.job_id, now=now)
        listings.refresh_many(refreshed)

        refused = synced.refused if synced is not None else []
        lines = {r.external_id: r.line for r in batch.rows} if refused else {}
        stored = self.store_errors(jobs, job, chain(
            ((e, "error") for e in batch.errors), ((d, "warning") for d in batch.duplicates),
            ((RowError(lines.get(eid, 0), "catalog", reason, eid), "warning") for eid, reason in refused)))
        return {
            "created": len(new), "updated": len(changed),
            "unchanged": len(batch.rows) - len(new) - len(changed) + batch.unchanged,
            "rejected": batch.rejected, "duplicates": len(batch.duplicates),
            "products_created": synced.created if synced else 0, "products_updated": synced.updated if synced else 0,
            "products_refused": len(refused), "errors_stored": stored,
        }  # fmt: skip


def process_import(
    job_id: int, *, uow_factory: Callable[[], MarketplaceUnitOfWork], files: FeedFiles, catalog: CatalogFeed | None,
    config: MarketplaceConfig, clock: Clock, task_queue: TaskQueue | None,
    cancelled: Callable[[], bool] = lambda: False, progress: Callable[[ImportProgress], None] | None = None,
) -> dict[str, Any]:
    """Claim (or resume) the job and import its file. One job per vendor runs at a time: a job
    whose vendor has another running stays queued, and the running one enqueues it when it ends.
    A whole-file problem (unreadable, empty, missing column, download failed) fails the job with
    the reason; an unexpected error is raised for the broker to retry, and a retry resumes after
    the last committed batch (after MAX_ATTEMPTS the job fails)."""
    with uow_factory() as uow:
        job = uow.job_for_worker(job_id)
        if job is None or job.ended:
            return {"job_id": job_id, "skipped": "no such job" if job is None else str(job.state)}
        if job.state == ImportState.QUEUED:
            if not uow.claim(job_id, clock.now()):
                return {"job_id": job_id, "waiting": "another import of the vendor is running"}
            job = uow.jobs(job.vendor_id).get(job_id)
        job.begin_attempt(clock.now())
        uow.commit()
    work = _Import(job, uow_factory=uow_factory, files=files, catalog=catalog, config=config, clock=clock,
                   cancelled=cancelled, progress=progress)
    key = None
    try:
        if job.attempts > MAX_ATTEMPTS:
            raise FeedUnavailable(f"gave up after {MAX_ATTEMPTS} attempts")
        key = work.fetch(job)
        with files.open(key) as stream:
            size = job.file_size or 0
            outcome = work.run(stream, size, job.last_line)
    except (FeedRejected, FeedUnavailable, FileTooLarge) as exc:
        outcome, why = ImportState.FAILED, str(exc)
        work.change(lambda j, _uow: j.fail(why, clock.now()))
    except BaseException as exc:
        if job.attempts >= MAX_ATTEMPTS or isinstance(exc, KeyboardInterrupt):
            reason = "interrupted" if isinstance(exc, KeyboardInterrupt) else f"failed after {job.attempts} attempts: {exc}"
            work.change(lambda j, _uow: j.fail(reason[:2000], clock.now()))
            _finished(job, files, key, task_queue, uow_factory)
        raise
    if outcome == ImportState.SUCCEEDED:
        work.change(lambda j, _uow: j.succeed(clock.now()))
    _finished(job, files, key, task_queue, uow_factory)
    return _summary(job_id, job.vendor_id, uow_factory)


def abandon_stalled(
    *, uow_factory: Callable[[], MarketplaceUnitOfWork], files: FeedFiles, config: MarketplaceConfig, clock: Clock,
    task_queue: TaskQueue | None,
) -> list[int]:
    """Fail the running jobs with no batch committed for ``stalled_after_minutes`` (a worker
    killed on the job's last attempt leaves it running, and one running job holds back every
    later import of its vendor), then start each such vendor's next queued job. Returns the ids
    of the jobs abandoned."""
    now = clock.now()
    with uow_factory() as uow:
        stalled = uow.stalled_jobs(now - timedelta(minutes=config.stalled_after_minutes))
        for job in stalled:
            job.abandon(now)
        uow.commit()
        abandoned = [(job, job.file_key) for job in stalled]  # read after the commit: loaded again, kept
    for job, key in abandoned:
        _finished(job, files, key, task_queue, uow_factory)
    return [job.id for job, _ in abandoned]


def _finished(job: ImportJob, files: FeedFiles, key: str | None, task_queue: TaskQueue | None,
              uow_factory: Callable[[], MarketplaceUnitOfWork]) -> None:
    """After the job ended: drop its file, start the vendor's next queued job (read after the
    end committed, so a job that could not be claimed meanwhile is not forgotten)."""
    if key is not None:
        files.remove(key)
    if task_queue is None:
        return
    with uow_factory() as uow:  # read only: ids taken before the rollback expires the object
        following = uow.jobs(job.vendor_id).next_queued()
        following_id = None if following is None else following.id
    if following_id is not None:
        enqueue_import(task_queue, following_id, job.platform_id, job.vendor_id,
                       f"import-{following_id}-after-{job.id}")


def _summary(job_id: int, vendor_id: int, uow_factory: Callable[[], MarketplaceUnitOfWork]) -> dict[str, Any]:
    with uow_factory() as uow:
        job = uow.jobs(vendor_id).get(job_id)
        return {"job_id": job_id, "state": str(job.state), "rows_read": job.rows_read, "created": job.created,
                "updated": job.updated, "unchanged": job.unchanged, "rejected": job.rejected,
                "error": job.error}
