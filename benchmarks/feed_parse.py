"""Rows/s and peak memory of reading a product feed: sniffing, parsing and validation, no database.

    .venv/bin/python -m benchmarks.feed_parse [--rows 1000000] [--file FEED] [--batch 5000]

Generates a feed with benchmarks.feedgen (in a child process, so its memory is not counted) unless
--file is given, then streams it through ``open_feed(...).batches(...)``. Peak RSS is reported as
the feed advances: it should grow only by the ids kept for duplicate reports.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from domain.marketplace.feed import open_feed


def peak_rss_mb() -> float:
    """As in benchmarks.common, which is not imported: its SQLAlchemy would inflate the figure."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def parse(path: Path, batch_size: int) -> None:
    started_rss = peak_rss_mb()
    rows = errors = duplicates = 0
    report_at = 10_000
    started = time.perf_counter()
    cpu_started = time.process_time()
    with path.open("rb") as stream:
        feed = open_feed(stream)
        for batch in feed.batches(batch_size):
            rows += len(batch.rows)
            errors += len(batch.errors)
            duplicates += len(batch.duplicates)
            if rows + errors >= report_at:
                print(f"  after {rows + errors:>9,} rows: peak RSS {peak_rss_mb():6.1f} MB")
                report_at *= 10
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    total = rows + errors
    size_mb = path.stat().st_size / 1e6
    print(f"{feed.encoding}, delimiter {feed.delimiter!r}: {rows:,} rows, {errors:,} errors, ", end="")
    print(f"{duplicates:,} duplicates")
    print(
        f"{total / elapsed:,.0f} rows/s wall ({total / cpu:,.0f} rows/s CPU), {size_mb / elapsed:.0f} MB/s, "
        f"{size_mb:.0f} MB in {elapsed:.1f} s"
    )
    print(f"peak RSS {peak_rss_mb():.1f} MB (before reading: {started_rss:.1f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--file", type=Path, help="an existing feed to read instead of generating one")
    parser.add_argument("--batch", type=int, default=5000)
    args = parser.parse_args()
    if args.file:
        parse(args.file, args.batch)
        return
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "feed.tsv"
        subprocess.run(
            [sys.executable, "-m", "benchmarks.feedgen", str(path), "--rows", str(args.rows)], check=True
        )
        parse(path, args.batch)


if __name__ == "__main__":
    main()
