"""How an import job is shown: its fields plus a derived throughput."""

from __future__ import annotations

from datetime import datetime

from contracts.marketplace.dto import ImportJobView
from domain.marketplace.model import ImportJob


def job_view(job: ImportJob, now: datetime) -> ImportJobView:
    """The job as the outside world sees it; ``rows_per_second`` over the time it has run."""
    rate = None
    if job.started_at is not None:
        seconds = ((job.finished_at or now) - job.started_at).total_seconds()
        rate = round(job.rows_read / seconds, 1) if seconds > 0 else None
    return ImportJobView.model_validate(job).model_copy(update={"rows_per_second": rate})
