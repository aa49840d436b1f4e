"""Integration events relayed and delivered per second: publish N events (100 per transaction),
then time the relay delivering each to one subscriber (inbox row + the subscriber's transaction).

    .venv/bin/python -m benchmarks.outbox_relay [--events 5000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import logging
import os
import time
from datetime import UTC, datetime

from sqlalchemy import func, select

from adapters.sql.plumbing import inbox
from adapters.sql.uow import SqlUnitOfWork
from benchmarks.common import BenchHappened, container, peak_rss_mb, scratch_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--database-url", default=os.environ.get("WIZAMART_TEST_DATABASE_URL"))
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    now = datetime.now(UTC)
    with scratch_database(args.database_url) as url:
        c = container(url)
        started = time.perf_counter()
        for first in range(0, args.events, 100):
            uow = SqlUnitOfWork(c.write_sessions)
            with uow:
                for n in range(first, min(first + 100, args.events)):
                    uow.publish(BenchHappened(occurred_at=now, n=n))
                uow.commit()
        published = time.perf_counter() - started

        started = time.perf_counter()
        report = c.relay.relay()
        relayed = time.perf_counter() - started
        with c.engine.connect() as connection:
            delivered = connection.scalar(select(func.count()).select_from(inbox))
        c.close()
    assert report.delivered == delivered == args.events, (report, delivered)
    print(f"events: {args.events} on {url.split(':', 1)[0]}, one subscriber")
    print(f"published (outbox):  {args.events / published:8.0f} events/s")
    print(f"relayed + delivered: {args.events / relayed:8.0f} events/s")
    print(f"peak RSS:            {peak_rss_mb():8.1f} MB")


if __name__ == "__main__":
    main()
