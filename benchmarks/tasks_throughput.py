"""Tasks/s of a no-op task through our actors and middleware vs bare Dramatiq, same Redis, one
worker process (8 threads each).

    .venv/bin/python -m benchmarks.tasks_throughput [--tasks 2000] [--database-url URL]

Needs Redis (WIZAMART_TEST_REDIS_URL or redis://127.0.0.1:6379/0). The database holds our task
runs: a temporary SQLite file by default, or a scratch database on the PostgreSQL URL given.
"""

from __future__ import annotations

import argparse
import logging
import os
import time
import uuid

import dramatiq
import redis
from dramatiq.brokers.redis import RedisBroker

from benchmarks.common import container, peak_rss_mb, scratch_database

THREADS = 8


def drain(broker: dramatiq.Broker, queue: str, expected: int, done) -> float:  # type: ignore[no-untyped-def]
    broker.emit_after("process_boot")
    worker = dramatiq.Worker(broker, worker_threads=THREADS, worker_timeout=20)
    started = time.perf_counter()
    worker.start()
    while done() < expected:
        time.sleep(0.005)
    elapsed = time.perf_counter() - started
    worker.stop()
    return elapsed


def bare(redis_url: str, n: int) -> float:
    namespace = f"bench-bare-{uuid.uuid4().hex[:6]}"
    broker = RedisBroker(url=redis_url, namespace=namespace)
    counter = {"n": 0}

    @dramatiq.actor(broker=broker, actor_name="bench.noop", max_retries=0)
    def noop(n: int = 0) -> None:
        counter["n"] += 1

    for i in range(n):
        noop.send(n=i)
    elapsed = drain(broker, "default", n, lambda: counter["n"])
    broker.flush_all()
    broker.close()
    return n / elapsed


def ours(redis_url: str, database_url: str, n: int) -> tuple[float, float]:
    namespace = f"bench-ours-{uuid.uuid4().hex[:6]}"
    c = container(database_url, redis_url=redis_url, queue_namespace=namespace)
    started = time.perf_counter()
    for i in range(n):
        c.task_queue.enqueue("bench.noop", n=i)
    enqueue_rate = n / (time.perf_counter() - started)

    from sqlalchemy import func, select

    from adapters.sql.plumbing import task_runs

    def succeeded() -> int:
        with c.engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(task_runs).where(task_runs.c.state == "succeeded"))

    elapsed = drain(c.broker, "default", n, succeeded)
    c.broker.flush_all()
    c.close()
    return n / elapsed, enqueue_rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--database-url", default=os.environ.get("WIZAMART_TEST_DATABASE_URL"))
    parser.add_argument("--redis-url", default=os.environ.get("WIZAMART_TEST_REDIS_URL", "redis://127.0.0.1:6379/0"))
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    redis.Redis.from_url(args.redis_url).ping()

    bare_rate = bare(args.redis_url, args.tasks)
    with scratch_database(args.database_url) as url:
        ours_rate, enqueue_rate = ours(args.redis_url, url, args.tasks)
    backend = url.split(":", 1)[0]
    overhead = (bare_rate / ours_rate - 1) * 100
    print(f"tasks: {args.tasks}, worker: 1 process x {THREADS} threads, task runs in {backend}")
    print(f"bare dramatiq:        {bare_rate:8.0f} tasks/s")
    print(f"wizamart (recorded):  {ours_rate:8.0f} tasks/s")
    print(f"overhead:             {overhead:8.1f} %   (target < 30 %)")
    print(f"wizamart enqueue:     {enqueue_rate:8.0f} tasks/s (run row + message)")
    print(f"peak RSS:             {peak_rss_mb():8.1f} MB")


if __name__ == "__main__":
    main()
