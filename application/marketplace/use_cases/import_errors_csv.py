"""A job's stored row errors as CSV (line, column, reason, external id, severity), streamed."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from application.marketplace.ports import MarketplaceUnitOfWork

COLUMNS = ("line", "column", "reason", "external_id", "severity")


def import_errors_csv(vendor_id: int, job_id: int, *, uow: MarketplaceUnitOfWork) -> Iterator[str]:
    """The job is looked up first (404 for another vendor's), then its errors stream as lines."""
    with uow:
        jobs = uow.jobs(vendor_id)
        jobs.get(job_id)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(COLUMNS)
        for error in jobs.errors(job_id):
            writer.writerow([error[c] if error[c] is not None else "" for c in COLUMNS])
            if buffer.tell() > 64 * 1024:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()
