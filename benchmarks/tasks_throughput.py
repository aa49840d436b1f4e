"""Tasks/s of a no-op task through our actors and middleware vs bare Dramatiq, same Redis, one
worker process (8 threads each).

    .venv/bin/python -m benchmarks.tasks_throughput [--tasks 5000] [--rounds 5] [--database-url URL]

Needs Redis (WIZAMART_TEST_REDIS_URL or redis://127.0.0.1:6379/0). The database holds our task
runs: a temporary SQLite file by default, or a scratch database on the PostgreSQL URL given.
Rounds alternate bare and ours so both see the same machine; the overhead is the median of the
rounds' ratios. Ours is timed until every run is recorded as succeeded in the database.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import time
import uuid
from collections.abc import Callable
from uuid import UUID

import dramatiq
import redis
from dramatiq.brokers.redis import RedisBroker

from benchmarks.common import NOOP_CALLS, container, peak_rss_mb, scratch_database

THREADS = 8
POLL_SECONDS = 0.02  # how often the benchmark looks


def drain(broker: dramatiq.Broker, expected: int, done: Callable[[], int]) -> tuple[float, float]:
    """Seconds until ``done()`` reaches ``expected``, and the CPU seconds this process used
    meanwhile (all threads; not the database server's or Redis's)."""
    worker = dramatiq.Worker(broker, worker_threads=THREADS, worker_timeout=20)
    started, cpu = time.perf_counter(), time.process_time()
    worker.start()
    while done() < expected:
        time.sleep(POLL_SECONDS)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    worker.stop()
    return elapsed, cpu


def bare(redis_url: str, n: int) -> tuple[float, float]:
    broker = RedisBroker(url=redis_url, namespace=f"bench-bare-{uuid.uuid4().hex[:6]}")
    counter = {"n": 0}

    @dramatiq.actor(broker=broker, actor_name="bench.noop", max_retries=0)
    def noop(n: int = 0) -> None:
        counter["n"] += 1

    for i in range(n):
        noop.send(n=i)
    broker.emit_after("process_boot")
    elapsed, cpu = drain(broker, n, lambda: counter["n"])
    broker.flush_all()
    broker.close()
    return n / elapsed, cpu / n * 1e6


class Ours:
    """Our container on a scratch database; each round enqueues ``n`` more runs."""

    def __init__(self, redis_url: str, database_url: str) -> None:
        from sqlalchemy import bindparam, func, select

        from adapters.sql.plumbing import task_runs

        self.c = container(database_url, redis_url=redis_url,
                           queue_namespace=f"bench-ours-{uuid.uuid4().hex[:6]}")
        self.c.broker.emit_after("process_boot")
        self.count = select(func.count()).select_from(task_runs).where(task_runs.c.state == "succeeded")
        self.state = select(task_runs.c.state).where(task_runs.c.id == bindparam("run_id"))
        self.finished = 0

    def succeeded(self, last: UUID) -> int:
        """Runs recorded as succeeded. Until every task has run (counted in memory, as for bare
        Dramatiq) the database is not read at all: its reads would compete with the worker. Then
        the last run sent is looked up first (a primary-key read), then the table counted."""
        if NOOP_CALLS[0] < self.finished:
            return 0
        with self.c.engine.connect() as connection:
            if connection.scalar(self.state, {"run_id": last}) != "succeeded":
                return 0
            return connection.scalar(self.count)

    def round(self, n: int) -> tuple[float, float, float]:
        started = time.perf_counter()
        for i in range(n):
            last = self.c.task_queue.enqueue("bench.noop", n=i)
        enqueue_rate = n / (time.perf_counter() - started)
        self.finished += n
        elapsed, cpu = drain(self.c.broker, self.finished, lambda: self.succeeded(last))
        return n / elapsed, cpu / n * 1e6, enqueue_rate

    def close(self) -> None:
        self.c.broker.flush_all()
        self.c.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url", default=os.environ.get("WIZAMART_TEST_DATABASE_URL"))
    parser.add_argument("--redis-url", default=os.environ.get("WIZAMART_TEST_REDIS_URL", "redis://127.0.0.1:6379/0"))
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    redis.Redis.from_url(args.redis_url).ping()

    with scratch_database(args.database_url) as url:
        ours = Ours(args.redis_url, url)
        print(f"tasks: {args.tasks} per round, worker: 1 process x {THREADS} threads, "
              f"task runs in {url.split(':', 1)[0]}")
        rounds: list[tuple[float, ...]] = []  # (bare/s, ours/s, overhead %, enqueue/s, bare us, ours us)
        try:
            for number in range(1, args.rounds + 1):
                bare_rate, bare_us = bare(args.redis_url, args.tasks)
                our_rate, our_us, enqueue_rate = ours.round(args.tasks)
                overhead = (bare_rate / our_rate - 1) * 100
                print(f"round {number}: bare {bare_rate:6.0f} tasks/s ({bare_us:4.0f} us CPU/task), "
                      f"wizamart {our_rate:6.0f} tasks/s ({our_us:4.0f} us CPU/task), overhead {overhead:5.1f} %")
                rounds.append((bare_rate, our_rate, overhead, enqueue_rate, bare_us, our_us))
        finally:
            ours.close()
    bare_rate, our_rate, overhead, enqueue_rate, bare_us, our_us = map(statistics.median, zip(*rounds, strict=True))
    print(f"bare dramatiq:        {bare_rate:8.0f} tasks/s (median)")
    print(f"wizamart (recorded):  {our_rate:8.0f} tasks/s (median)")
    print(f"overhead:             {overhead:8.1f} %   (median of the rounds; target < 30 %)")
    print(f"CPU per task:         {bare_us:8.0f} us bare, {our_us:.0f} us "
          f"wizamart (median; this process only, all threads: the part no other load on the machine changes)")
    print(f"wizamart enqueue:     {enqueue_rate:8.0f} tasks/s (run row + message)")
    print(f"peak RSS:             {peak_rss_mb():8.1f} MB")


if __name__ == "__main__":
    main()
